"""Golden reports: every format rendered from fixed result sets, compared with committed files.

The result sets (`golden/inputs/`, made by `golden/make_inputs.py`) hold a regression, an
improvement, a noisy benchmark, a drifting one and slow outliers set aside, in rounds with a
manifest and as single files. A change to a report shows up here as a diff to review. After an
intended change, regenerate the goldens with the one switch, then read the diff:

    PERFBOT_REGENERATE=1 .venv/bin/python -m pytest tests/compare/test_golden_reports.py

The perfbot version in the provenance is pinned to `golden`, so a release does not move them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from workflows.compare import RENDERERS, compare
from workflows.compare import provenance as provenance_module
from workflows.compare.provenance import RunFacts
from workflows.results import load_results

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path("tests/compare/golden")
REGENERATE = os.environ.get("PERFBOT_REGENERATE") == "1"
HOW = "intended? regenerate: PERFBOT_REGENERATE=1 .venv/bin/python -m pytest {test}"
CASES = {
    "rounds": (
        "rounds/base",
        "rounds/head",
        RunFacts(
            repository="acme/widgets", job="api", pr=42, base_ref="main",
            base_sha="3f9c2e1a7b4d5e6f8a9b0c1d2e3f4a5b6c7d8e9f",
            head_sha="8d41b07c9e20aa11bb22cc33dd44ee55ff667788",
        ),
    ),
    "samples": ("samples/base.json", "samples/head.json", None),
}  # fmt: skip
SUFFIXES = {"text": "txt", "markdown": "md", "json": "json", "html": "html"}


@pytest.fixture
def golden_env(monkeypatch):
    """Relative paths from the checkout's root (no machine path in a golden file) and a pinned
    version."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(provenance_module, "perfbot_version", lambda: "golden")


def _render(case: str, report_format: str) -> str:
    base, head, facts = CASES[case]
    inputs = GOLDEN / "inputs"
    comparison = compare(load_results(inputs / base), load_results(inputs / head))
    return RENDERERS[report_format](comparison, facts)


def _rounded(value: Any) -> Any:
    """Floats to 9 significant digits: the last bits of a float differ between BLAS builds."""
    if isinstance(value, float):
        return float(f"{value:.9g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


@pytest.mark.parametrize("report_format", list(SUFFIXES))
@pytest.mark.parametrize("case", list(CASES))
def test_the_report_is_the_golden_one(golden_env, case, report_format):
    path = GOLDEN / "expected" / case / f"report.{SUFFIXES[report_format]}"
    rendered = _render(case, report_format)
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
    assert path.is_file(), HOW.format(test=Path(__file__).name)
    expected = path.read_text(encoding="utf-8")
    if report_format == "json":
        assert _rounded(json.loads(rendered)) == _rounded(json.loads(expected)), HOW.format(
            test=Path(__file__).name
        )
    else:
        assert rendered == expected, HOW.format(test=Path(__file__).name)


def test_no_golden_file_names_a_path_of_the_machine_that_made_it(golden_env):
    for path in (GOLDEN / "expected").rglob("report.*"):
        text = path.read_text(encoding="utf-8")
        assert str(ROOT) not in text, path
        assert "/tmp/" not in text, path
