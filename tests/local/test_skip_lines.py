"""A skipped step says why in words, not as an evaluated expression and a time it never ran:
perfbot's own pipeline steps by what their skip means; any other step by its condition."""

from __future__ import annotations

import io

import pytest

from workflows.local.nodes import Node, Phase
from workflows.local.progress import PlainProgress, skip_reason

RAW = "when '{{tasks.flagged.outputs.parameters.confirm}} == false' was 'true == false'"


def skipped(node_id: str, message: str = RAW) -> Node:
    node = Node(id=node_id, name=node_id.rsplit(".", 1)[-1], template="t")
    node.phase, node.message = Phase.SKIPPED, message
    return node


@pytest.mark.parametrize(
    ("node_id", "said"),
    [
        ("report", "a confirmation ran: its report (confirm-report) is the one sent"),
        ("confirm", "nothing was flagged: nothing to measure again"),
        ("confirm-compare", "nothing was flagged: nothing to measure again"),
        ("confirm-report", "nothing was flagged: the first report (report) is the one sent"),
        ("my-step", RAW),
    ],
)
def test_a_skipped_step_says_why(node_id: str, said: str) -> None:
    assert skip_reason(skipped(node_id)) == said


def test_a_skipped_steps_line_has_no_time_and_no_evaluated_expression() -> None:
    stream = io.StringIO()
    PlainProgress(stream).node_finished(skipped("report"))
    line = stream.getvalue()
    assert line.rstrip().endswith(
        "report: skipped (a confirmation ran: its report (confirm-report) is the one sent)"
    )
    assert "after" not in line
    assert "true == false" not in line
