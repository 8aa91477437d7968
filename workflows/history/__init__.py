"""The results history: every run remembered, for trends, a dashboard and noise from history.

`Store.open(path_or_url)` is the entry point (SQLite for a path, PostgreSQL for a URL); it
needs neither Flask nor a cluster, so the CLI and the bot share it. docs/history.md has the
whole picture.
"""

from workflows.history.database import StoreError
from workflows.history.records import BenchmarkRecord, RunRecord, SampleRecord
from workflows.history.store import Point, Store, StoredRun

__all__ = [
    "BenchmarkRecord",
    "Point",
    "RunRecord",
    "SampleRecord",
    "Store",
    "StoreError",
    "StoredRun",
]
