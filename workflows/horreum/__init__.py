"""Horreum (https://horreum.hyperfoil.io): where performance teams store and track runs.

perfbot uploads one run document per finished run (`document`), ships the Horreum schema that
turns it into labels and change detection (`schema`), talks to Horreum's REST API (`client`,
with `requests`: the official `horreum` package is asynchronous, see docs/horreum.md) and
retries an upload with backoff without ever failing the run's report (`upload`).
"""
