"""The provenance every report opens with: what was compared, how much, where, by which perfbot;
and the `perfbot compare` options (or the pipeline's variables) that carry it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.compare.builders import noisy, result_set
from workflows.cli import main
from workflows.compare import compare, render_html, render_markdown, render_text
from workflows.compare.provenance import RunFacts, provenance
from workflows.results import ResultSet

FACTS = RunFacts(
    repository="acme/widgets", job="api", pr=42, base_ref="main", base_sha="3f9c2e1a7b4d5e6f",
    head_ref="topic", head_sha="8d41b07c9e20aa11",
)  # fmt: skip
ROUND = {
    "position": 1, "started": 1_764_000_000, "finished": 1_764_000_055,
    "node": "node-a", "cpu": "Xeon", "kernel": "6.1", "image": "perfbot:0.1",
}  # fmt: skip


def _with_rounds(source: str, center: float, rng) -> ResultSet:
    plain = result_set(source, {"q": noisy(rng, center, n=12)})
    bench = plain.benchmarks["q"]
    rounds = tuple(1 + i // 4 for i in range(12))
    tagged = type(bench)(bench.name, bench.unit, bench.direction, bench.samples, rounds=rounds)
    manifest = [{**ROUND, "round": r, "started": ROUND["started"] + 60 * r} for r in (1, 2, 3)]
    return ResultSet(source, plain.format, {"q": tagged}, {"rounds": manifest})


@pytest.fixture
def comparison(rng):
    return compare(_with_rounds("base", 1.0, rng), _with_rounds("head", 1.0, rng))


@pytest.mark.parametrize(
    "render", [render_text, render_markdown, render_html], ids=["text", "markdown", "html"]
)
@pytest.mark.parametrize(
    "fact",
    ["acme/widgets", "api", "PR #42", "main", "3f9c2e1", "topic", "8d41b07",
     "3 rounds, 12 samples", "node-a", "Xeon", "2025-11-24 16:01 – ", "perfbot "],
)  # fmt: skip
def test_every_human_report_shows_every_fact(comparison, render, fact):
    shown = (
        render(comparison, FACTS).replace("&#35;", "#").replace("<code>", "").replace("</code>", "")
    )
    assert fact in shown


def test_the_json_report_keeps_the_facts_with_full_shas_and_iso_times(comparison):
    from workflows.compare import render_json

    document = json.loads(render_json(comparison, FACTS))["provenance"]
    assert document["base"]["sha"] == "3f9c2e1a7b4d5e6f"
    assert document["head"]["ref"] == "topic"
    assert document["base"]["started"] == "2025-11-24T16:01:00Z"
    assert document["base"]["machines"]["node"] == ["node-a"]


def test_a_path_in_the_temporary_directory_is_not_shown(rng, tmp_path):
    side = result_set(str(tmp_path / "base"), {"q": noisy(rng, 1.0)})
    (tmp_path / "base").mkdir()
    assert provenance(compare(side, side)).base.path is None


def test_a_path_that_no_longer_exists_is_not_shown(rng):
    side = result_set("gone/base", {"q": noisy(rng, 1.0)})
    assert provenance(compare(side, side)).base.path is None


def test_a_path_that_still_exists_outside_the_scratch_space_is_shown(rng, checkout):
    side = result_set(BASE, {"q": noisy(rng, 1.0)})
    assert provenance(compare(side, side)).base.path == BASE


def test_a_side_known_by_its_commit_shows_the_commit_not_the_path(rng):
    side = result_set("gone/base", {"q": noisy(rng, 1.0)})
    text = render_text(compare(side, side), RunFacts(base_sha="ABCDEF1234"))
    assert "base abcdef1 · head results" in text.splitlines()[0]


def test_a_repository_that_is_not_owner_slash_name_gets_no_links(comparison):
    page = render_html(comparison, RunFacts(repository="javascript:alert(1)", base_sha="abcdef1"))
    assert "href" not in page


BASE = "tests/compare/golden/inputs/samples/base.json"
HEAD = "tests/compare/golden/inputs/samples/head.json"


@pytest.fixture
def checkout(monkeypatch):
    root = Path(__file__).resolve().parents[2]
    monkeypatch.chdir(root)
    for name in ("PERFBOT_REPO", "PERFBOT_JOB", "PERFBOT_PR", "PERFBOT_BASE_REF",
                 "PERFBOT_BASE_SHA", "PERFBOT_HEAD_REF", "PERFBOT_HEAD_SHA"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    return root


def _run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["compare", BASE, HEAD, *args], env=env)


def test_the_pipelines_variables_reach_the_report(checkout):
    env = {"PERFBOT_REPO": "acme/widgets", "PERFBOT_BASE_SHA": "3f9c2e1a", "PERFBOT_PR": "9"}
    result = _run("--format", "json", env=env)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)["provenance"]
    assert (document["repository"], document["pr"], document["base"]["sha"]) == (
        "acme/widgets", 9, "3f9c2e1a",
    )  # fmt: skip


def test_an_option_wins_over_the_variable(checkout):
    result = _run("--job", "flag", "--format", "json", env={"PERFBOT_JOB": "variable"})
    assert json.loads(result.stdout)["provenance"]["job"] == "flag"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--base-sha", "main"), "--base-sha must be a commit id"),
        (("--head-sha", "12345"), "--head-sha must be a commit id"),
        (("--repository", "a b/c"), "--repository must be owner/name"),
        (("--pr", "-3"), "--pr must be a whole number"),
        (("--base-ref", "x" * 201), "--base-ref is longer than 200 characters"),
    ],
    ids=["ref-as-sha", "short-sha", "bad-repository", "negative-pr", "long-ref"],
)
def test_a_bad_provenance_value_is_refused_in_one_line_with_exit_2(checkout, args, message):
    result = _run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_files_of_a_checkout_that_lies_in_the_temporary_directory_are_shown(
    rng, tmp_path, monkeypatch
):
    """A clone under /tmp is where its user works, not scratch: its files keep their paths."""
    (tmp_path / "clone" / "results").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "clone")
    side = result_set("results", {"q": noisy(rng, 1.0)})
    assert provenance(compare(side, side)).base.path == "results"


@pytest.mark.parametrize("render", [render_markdown, render_html], ids=["markdown", "html"])
def test_without_commit_links_no_report_links_a_commit(comparison, render):
    facts = RunFacts(repository="acme/widgets", base_sha="3f9c2e1a", head_sha="8d41b07c",
                     commit_links=False)  # fmt: skip
    shown = render(comparison, facts)
    assert "github.com" not in shown
    assert "3f9c2e1" in shown


def test_the_json_report_keeps_whether_commits_are_linked(comparison):
    facts = RunFacts(repository="acme/widgets", base_sha="3f9c2e1a", commit_links=False)
    kept = provenance(comparison, facts).to_dict()
    assert kept["commit_links"] is False
    assert RunFacts.from_provenance(kept).commit_links is False
    assert RunFacts.from_provenance({}).commit_links is True  # reports written before


def test_the_local_runs_variable_turns_commit_links_off(checkout):
    env = {"PERFBOT_REPO": "acme/widgets", "PERFBOT_BASE_SHA": "3f9c2e1a",
           "PERFBOT_COMMIT_LINKS": "false"}  # fmt: skip
    result = _run("--format", "markdown", env=env)
    assert result.exit_code == 0, result.output
    assert "github.com" not in result.stdout
