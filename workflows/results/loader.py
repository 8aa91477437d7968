"""`load_results`: a file or a directory of rounds, in a given format or detected.

Detection asks each JSON importer in turn whether the document has its shape (the order
matters only where shapes overlap: perfbot's own rows carry `samples`/`summary`, which no
tool's rows have), and falls back to the text formats for anything that is not JSON.

A directory is one side of an interleaved run (`round-001.json`, `round-002.json`, ...): every
result file in it (`.json`, `.txt`; hidden files and subdirectories are ignored) is loaded in
name order and merged, each sample keeping its round: the number in a `round-NNN` name, else
the file's place in name order. The driver's round manifest (`rounds.tsv`, see `manifest`)
comes along as metadata.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

from workflows.results import go_bench, google_benchmark, hyperfine, native, pytest_benchmark
from workflows.results.errors import ResultsError
from workflows.results.fields import ShapeError
from workflows.results.manifest import read_manifest
from workflows.results.measured import measured_benchmarks, read_measured, read_notes
from workflows.results.model import ResultSet, merge

IMPORTERS: dict[str, ModuleType] = {
    module.NAME: module
    for module in (native, hyperfine, pytest_benchmark, google_benchmark, go_bench)
}
FORMATS: tuple[str, ...] = tuple(IMPORTERS)
RESULT_SUFFIXES = (".json", ".txt")
MAX_BYTES = 256 * 1024 * 1024  # a result file larger than this is a mistake, not a benchmark
ROUND_NAME = re.compile(r"round-0*(\d+)(?:-p0*(\d+))?")


def load_results(path: Path, input_format: str | None = None) -> ResultSet:
    """The result set in `path` (a file, or a directory of round files merged in name order).

    Raises ResultsError, whose message names the file and the problem, for anything unusable.
    """
    if input_format is not None and input_format not in IMPORTERS:
        raise ResultsError(path, f"unknown input format {input_format!r} ({', '.join(FORMATS)})")
    if path.is_dir():
        files = result_files(path)
        if not files:
            raise ResultsError(
                path, f"directory holds no result files ({', '.join(RESULT_SUFFIXES)})"
            )
        sets = [load_file(f, input_format) for f in files]
        manifest = read_manifest(path)
        numbers, processes = round_numbers(files)
        merged = merge(str(path), sets, numbers, manifest, processes)
        return with_measured(merged, path, manifest)
    return load_file(path, input_format)


def with_measured(results: ResultSet, directory: Path, manifest: list) -> ResultSet:
    """The side's results with the metrics the driver measured itself (`measured.tsv`) beside
    the tool's, and why any figure is missing among the side's warnings."""
    extra = measured_benchmarks(read_measured(directory), manifest)
    notes = read_notes(directory)
    if not extra and not notes:
        return results
    taken = [b.name for b in extra if b.name in results.benchmarks]
    if taken:
        raise ResultsError(
            directory,
            f"a result names a benchmark {taken[0]!r}, which perfbot keeps for its own figures",
        )
    metadata = dict(results.metadata)
    if notes:
        metadata["warnings"] = [*metadata.get("warnings", []), *notes]
    return ResultSet.build(
        results.source, results.format, [*results.benchmarks.values(), *extra], metadata
    )


def round_numbers(files: list[Path]) -> tuple[list[int], list[int] | None]:
    """Each file's round, and its process when rounds ran several (`round-NNN-pK`): from the
    names when every file has one and no two name the same round and process, else the place
    in name order (and no processes)."""
    found = [ROUND_NAME.match(f.name) for f in files]
    named = [(int(m.group(1)), int(m.group(2) or 1), m.group(2) is not None) for m in found if m]
    pairs = {(r, p) for r, p, _ in named}
    if len(named) == len(files) and len(pairs) == len(named):
        processes = [p for _, p, _ in named] if any(has for *_, has in named) else None
        return [r for r, _, _ in named], processes
    return list(range(1, len(files) + 1)), None


def result_files(directory: Path) -> list[Path]:
    return sorted(
        entry
        for entry in directory.iterdir()
        if entry.is_file() and not entry.name.startswith(".") and entry.suffix in RESULT_SUFFIXES
    )


def _read(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ResultsError(path, f"larger than {MAX_BYTES // 2**20} MiB")
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ResultsError(path, "no such file or directory") from None
    except IsADirectoryError:
        raise ResultsError(path, "is a directory") from None
    except UnicodeDecodeError:
        raise ResultsError(path, "not a text file (invalid UTF-8)") from None
    except OSError as exc:
        raise ResultsError(path, f"cannot be read: {exc.strerror or exc}") from None


def _json(path: Path, content: str) -> Any:
    try:
        return json.loads(content)
    except json.JSONDecodeError as exc:
        raise ResultsError(
            path, f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None


def detect_format(path: Path, content: str) -> tuple[str, Any]:
    """The format of `content` and its parsed document; ResultsError when nothing fits."""
    stripped = content.lstrip()
    if stripped.startswith(("{", "[")):
        document = _json(path, content)
        for name, module in IMPORTERS.items():
            if module.KIND == "json" and module.detect(document):
                return name, document
        known = ", ".join(n for n, m in IMPORTERS.items() if m.KIND == "json")
        raise ResultsError(path, f"JSON of a shape no importer knows (known: {known})")
    for name, module in IMPORTERS.items():
        if module.KIND == "text" and module.detect(content):
            return name, content
    if not stripped:
        raise ResultsError(path, "empty file")
    raise ResultsError(path, f"not a result file of a known format ({', '.join(FORMATS)})")


def load_file(path: Path, input_format: str | None = None) -> ResultSet:
    content = _read(path)
    if input_format is None:
        input_format, document = detect_format(path, content)
    elif IMPORTERS[input_format].KIND == "json":
        document = _json(path, content)
    else:
        document = content
    try:
        return IMPORTERS[input_format].parse(document, str(path))
    except ShapeError as exc:
        raise ResultsError(path, f"not valid {input_format} results: {exc}") from None
    except ValueError as exc:
        if isinstance(exc, ResultsError):
            raise
        raise ResultsError(path, f"not valid {input_format} results: {exc}") from None
