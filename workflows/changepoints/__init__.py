"""Change points on the main branch's history: did main itself move, and at which commit?

`edivisive` is the algorithm (E-Divisive means with a permutation test, numpy only) and
`detect` applies it to a benchmark's stored series. Neither needs a database or Flask, so the
CLI, the dashboard and `bench/change_points.py` share them. docs/history.md has the picture.
"""
