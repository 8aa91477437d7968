"""`perfbot init`: from a repository's own benchmarks to a perfbot.yaml that runs as written.

`detect` looks at the files of the repository (never runs them) and finds the benchmarks it
knows how to run and read; `document` writes the commented config for the first one found.
"""
