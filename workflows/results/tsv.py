"""The driver's tab-separated files (`rounds.tsv`, `measured.tsv`): one reading, one set of errors.

Both files come out of a pod that ran PR code, so both are read the same careful way: a header
the reader knows, a bounded number of lines, each row the header's width, and every problem a
ResultsError naming the file and the line.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from workflows.results.errors import ResultsError


def rows(
    path: Path, headers: tuple[tuple[str, ...], ...], max_lines: int
) -> tuple[tuple[str, ...], list[tuple[str, list[str]]]]:
    """(the header found, [(where, cells)]) of the file's non-blank rows after the header.

    `headers` are the ones accepted, the first of them named in the error for any other."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultsError(path, f"cannot be read: {exc}") from None
    header = tuple(lines[0].split("\t")) if lines else ()
    if header not in headers:
        raise ResultsError(path, f"the first line must be the header {' '.join(headers[0])}")
    if len(lines) > max_lines:
        raise ResultsError(path, f"more than {max_lines} rounds")
    found = []
    for index, line in _numbered(lines[1:]):
        cells = line.split("\t")
        if len(cells) != len(header):
            raise ResultsError(path, f"line {index}: {len(cells)} columns, expected {len(header)}")
        found.append((f"line {index}", cells))
    return header, found


def _numbered(lines: list[str]) -> Iterator[tuple[int, str]]:
    for index, line in enumerate(lines, start=2):
        if line.strip():
            yield index, line
