"""Benchmark results: one model, one importer per tool's format, units normalised.

`load_results(path, input_format=None)` is the entry point: a file or a directory of rounds in
perfbot's own format, hyperfine, pytest-benchmark, Google Benchmark or `go test -bench`, in
canonical units, or a `ResultsError` naming the file and the problem.
"""

from workflows.results.errors import ResultsError
from workflows.results.loader import FORMATS, load_results
from workflows.results.model import Benchmark, ResultSet, Summary, make_benchmark
from workflows.results.units import Direction

__all__ = [
    "FORMATS",
    "Benchmark",
    "Direction",
    "ResultSet",
    "ResultsError",
    "Summary",
    "load_results",
    "make_benchmark",
]
