"""Round directories from two nodes, as the driver writes them, are not compared by default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from workflows.cli import main
from workflows.results.manifest import COLUMNS


def side(root: Path, name: str, node: str, cpu: str, scale: float) -> Path:
    directory = root / name
    directory.mkdir()
    lines = ["\t".join(COLUMNS)]
    for number in range(1, 11):
        samples = [scale * (1 + 0.001 * ((number + i) % 5)) for i in range(5)]
        document = {"benchmarks": [{"name": "q", "unit": "ms", "samples": samples}]}
        (directory / f"round-{number:03d}.json").write_text(json.dumps(document))
        position = 1 if (number % 2 == 1) == (name == "base") else 2
        lines.append(f"{number}\t{position}\t{number}.0\t{number}.5\t{node}\t{cpu}\t6.1\timg")
    (directory / "rounds.tsv").write_text("\n".join(lines) + "\n")
    return directory


def compared(base: Path, head: Path, *flags: str) -> dict:
    result = CliRunner().invoke(main, ["compare", str(base), str(head), "--format", "json", *flags])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("head_node", "head_cpu", "reason"),
    [
        ("node-b", "Xeon 8375C", "base ran on node node-a, head on node-b"),
        ("node-a", "EPYC 7B13", "base ran on CPU model Xeon 8375C, head on EPYC 7B13"),
    ],
)
def test_sides_from_two_machines_get_no_verdict_and_say_why(tmp_path, head_node, head_cpu, reason):
    base = side(tmp_path, "base", "node-a", "Xeon 8375C", 1.0)
    head = side(tmp_path, "head", head_node, head_cpu, 1.2)
    report = compared(base, head)
    assert report["not_comparable"] == reason
    assert report["summary"]["verdict"] == "inconclusive"
    assert report["summary"]["open"] == {"not comparable": 1}
    assert report["benchmarks"][0]["change"] == pytest.approx(0.2, abs=0.01)


def test_allowing_different_machines_gives_the_verdict(tmp_path):
    base = side(tmp_path, "base", "node-a", "Xeon 8375C", 1.0)
    head = side(tmp_path, "head", "node-b", "Xeon 8375C", 1.2)
    report = compared(base, head, "--allow-different-machines")
    assert report["not_comparable"] is None
    assert report["summary"]["verdict"] == "regressed"


def test_one_machine_is_compared_as_usual(tmp_path):
    base = side(tmp_path, "base", "node-a", "Xeon 8375C", 1.0)
    head = side(tmp_path, "head", "node-a", "Xeon 8375C", 1.2)
    assert compared(base, head)["summary"]["verdict"] == "regressed"
