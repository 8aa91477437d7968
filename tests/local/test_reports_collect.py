"""The products of a local run come from the compare step's one comparison: the reports are
copied, never computed again (a 40-benchmark suite of 20,000 samples spent minutes there)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from workflows.cli import compare as compare_cli
from workflows.local import reports
from workflows.local.nodes import Node, Outputs, Phase, RunState

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "results"


def _node(node_id: str, artifacts: dict[str, Path]) -> Node:
    node = Node(id=node_id, name=node_id, template=node_id, phase=Phase.SUCCEEDED)
    node.outputs = Outputs(artifacts=artifacts)
    return node


def _compare_step(tmp_path: Path) -> dict[str, Path]:
    """What the pipeline's compare step leaves: every report, from one `perfbot compare`."""
    out = tmp_path / "step"
    out.mkdir()
    argv = [str(EXAMPLES / "base.json"), str(EXAMPLES / "head.json"), "--format", "json",
            "--output", str(out / "report.json")]  # fmt: skip
    for kind, name in reports.WRITTEN.items():
        argv += ["--write", f"{kind}={out / name}"]
    with pytest.raises(SystemExit) as done:
        compare_cli.command.main(argv)
    assert done.value.code == 0
    return {artifact: out / name for artifact, name in reports.ARTIFACTS.items()}


def test_the_reports_are_the_compare_steps_and_nothing_is_compared_again(tmp_path, monkeypatch):
    step = _compare_step(tmp_path)
    state = RunState()
    state.add(_node("measure", {"base-results": EXAMPLES / "base.json",
                                "head-results": EXAMPLES / "head.json"}))  # fmt: skip
    state.add(_node("compare", step))

    def again(*_: object, **__: object) -> None:
        raise AssertionError("the comparison was computed a second time")

    monkeypatch.setattr(compare_cli, "compare_paths", again)
    monkeypatch.setattr(compare_cli, "_compare", again)
    out = tmp_path / "out"
    collected = reports.collect(SimpleNamespace(state=state), out)
    assert collected.text == step["report-text"].read_text(encoding="utf-8")
    assert (out / "report.html").read_bytes() == step["report-html"].read_bytes()
    assert collected.verdict == json.loads(step["report-json"].read_text())["summary"]["verdict"]
