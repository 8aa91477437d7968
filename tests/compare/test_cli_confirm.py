"""`perfbot compare BASE HEAD --confirm-base DIR --confirm-head DIR`: the confirmation's verdict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from workflows.cli import main
from workflows.cli.compare import compare_paths
from workflows.compare import Verdict
from workflows.errors import EXIT_INCONCLUSIVE

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "results"
BASE, HEAD = EXAMPLES / "base.json", EXAMPLES / "head.json"


def run(*args: str | Path):
    return CliRunner().invoke(main, ["compare", *map(str, args)])


def verdicts(result) -> dict[str, str]:
    assert result.exit_code == 0, result.output
    return {b["name"]: b["verdict"] for b in json.loads(result.stdout)["benchmarks"]}


def test_a_confirmation_that_repeats_the_changes_keeps_every_verdict():
    plain = verdicts(run(BASE, HEAD, "--format", "json"))
    confirmed = verdicts(
        run(BASE, HEAD, "--format", "json", "--confirm-base", BASE, "--confirm-head", HEAD)
    )
    assert confirmed == plain


def test_a_confirmation_without_the_change_turns_the_regression_unconfirmed():
    result = run(BASE, HEAD, "--confirm-base", BASE, "--confirm-head", BASE,
                 "--fail-on-regression")  # fmt: skip
    assert result.exit_code == EXIT_INCONCLUSIVE, result.output
    assert "INCONCLUSIVE" in result.stdout
    assert "unconfirmed  GET /search?q=steel" in result.stdout


@pytest.mark.parametrize("given", ["--confirm-base", "--confirm-head"])
def test_one_confirmation_side_alone_is_bad_input(given):
    result = run(BASE, HEAD, given, BASE)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "--confirm-base and --confirm-head go together" in result.stderr


def test_an_unreadable_confirmation_is_bad_input_naming_it(tmp_path):
    result = run(BASE, HEAD, "--confirm-base", tmp_path / "nope", "--confirm-head", HEAD)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "the confirmation run (--confirm-base/--confirm-head):" in result.stderr
    assert "Traceback" not in result.stderr


def test_compare_paths_takes_the_confirmation_flags():
    comparison = compare_paths(
        BASE, HEAD, ["--confirm-base", str(BASE), "--confirm-head", str(BASE)]
    )
    assert comparison.verdict is Verdict.INCONCLUSIVE
    assert comparison.confirmation is not None
