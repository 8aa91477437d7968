"""The products of a local run, gathered into `--out`: results, reports, the text to print.

The compare step of the pipeline already wrote every report from its one comparison:
`report.md` and `report.json` (the same files a PR comment would be made from), the
self-contained `report.html` and the text report printed at the end. They are taken as they
are; nothing is compared again (a suite of 20,000-sample benchmarks spent minutes doing so).

After a confirmation run the final compare step is `confirm-compare`: its reports are the ones
taken, and the confirmation's rounds land in `results/confirm/<side>`.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from workflows.local.containers import RunContext, step_dir
from workflows.local.executor import RunResult
from workflows.local.nodes import Node, Phase
from workflows.local.selfreport import BENCHMARK_TEMPLATE
from workflows.pipeline.paths import RESULTS as RESULTS_PATH

RESULTS = ("base-results", "head-results")
REPORT_JSON = "report-json"
REPORT_MARKDOWN = "report-markdown"
REPORT_HTML = "report-html"
REPORT_TEXT = "report-text"
# the compare step's reports: artifact -> file name, and `perfbot compare --write` kind -> name
ARTIFACTS = {
    REPORT_JSON: "report.json",
    REPORT_MARKDOWN: "report.md",
    REPORT_HTML: "report.html",
    REPORT_TEXT: "report.txt",
}
WRITTEN = {"markdown": "report.md", "html": "report.html", "text": "report.txt"}
# Task ids of the pipeline (workflows.pipeline.workflow), without importing hera.
MEASURE, CONFIRM = "measure", "confirm"
COMPARES = ("confirm-compare", "compare")  # the final comparison first


class MissingOutput(RuntimeError):
    """The pipeline succeeded but did not produce what a local run reports."""


@dataclass
class Collected:
    text: str
    verdict: str
    results: dict[str, Path]


def _producer(result: RunResult, names: tuple[str, ...], ids: tuple[str, ...] = ()) -> Node:
    """The succeeded step that produced `names`: the first of `ids` that did, else any."""
    found = [
        node
        for node in result.state.nodes()
        if node.phase == Phase.SUCCEEDED and all(n in node.outputs.artifacts for n in names)
    ]
    for wanted in ids:
        for node in found:
            if node.id == wanted:
                return node
    if found:
        return found[0]
    raise MissingOutput(f"no step of the pipeline produced {', '.join(names)}")


def _confirmation(result: RunResult, out: Path) -> None:
    """The confirmation run's results, copied to `--out/results/confirm`."""
    node = next(
        (n for n in result.state.nodes() if n.id == CONFIRM and n.phase == Phase.SUCCEEDED),
        None,
    )
    if node is None or not all(name in node.outputs.artifacts for name in RESULTS):
        return
    for side in ("base", "head"):
        _copy(node.outputs.artifacts[f"{side}-results"], out / "results" / CONFIRM / side)


def _copy(source: Path, target: Path) -> Path:
    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy2(source, target)
    return target


def collect(result: RunResult, out: Path) -> Collected:
    """The run's results and the final compare step's reports, into `out`: what a PR comment
    and a check run would be made from, and nothing computed again."""
    measured = _producer(result, RESULTS, (MEASURE,))
    results = {
        side: _copy(measured.outputs.artifacts[f"{side}-results"], out / "results" / side)
        for side in ("base", "head")
    }
    _confirmation(result, out)
    compared = _producer(result, tuple(ARTIFACTS), COMPARES)
    for artifact, name in ARTIFACTS.items():
        _copy(compared.outputs.artifacts[artifact], out / name)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    verdict = str((report.get("summary") or {}).get("verdict", "unknown"))
    text = (out / ARTIFACTS[REPORT_TEXT]).read_text(encoding="utf-8")
    return Collected(text=text, verdict=verdict, results=results)


KEPT_ROUNDS = (
    "\nkept the {count} round files measured so far in {where} (compare them by hand: "
    "perfbot compare {where}/base {where}/head)"
)


def salvage(result: RunResult, run: RunContext, out: Path) -> str:
    """After a failure or Ctrl-C, the rounds already measured: copied to `--out`, not lost.

    The benchmark step's results are output artifacts, which exist only once it succeeds; its
    directory still holds every round file written so far until the run's work is removed.
    """
    kept = 0
    for node in result.state.nodes():
        if node.template != BENCHMARK_TEMPLATE or node.started is None:
            continue
        directory = step_dir(run, node)
        kept_in = (
            out / "results" / CONFIRM if node.id.startswith(f"{CONFIRM}.") else out / "results"
        )
        for side in ("base", "head"):
            # where the driver wrote (PERFBOT_RESULTS under the step's private /perfbot), or
            # the artifact's own directory when a template writes there directly
            candidates = (
                directory / "root" / RESULTS_PATH.lstrip("/") / side,
                directory / "outputs" / "artifacts" / f"{side}-results" / side,
            )
            for source in candidates:
                rounds = sorted(source.glob("round-*")) if source.is_dir() else []
                if rounds:
                    kept += len(rounds)
                    _copy(source, kept_in / side)
                    break
    return KEPT_ROUNDS.format(count=kept, where=out / "results") if kept else ""
