"""`perfbot submit` end to end over real HTTP against the stand-in Argo Server."""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.argo.conftest import TOKEN
from tests.standins.argo_server import PREFIX, ArgoStandIn, validate
from workflows.cli import main
from workflows.cli.submit import resolve_ref
from workflows.errors import BadInput

HEAD = "a" * 40
BASE = "b" * 40


@pytest.fixture
def config(project_root: Path) -> str:
    return str(project_root / "examples" / "perfbot.yaml")


def submit(argo_url: str | None, config: str, *args: str, token: str = TOKEN):
    env = {
        "ARGO_TOKEN": token,
        "ARGO_NAMESPACE": "perfbot",
        "ARGO_UI_URL": "",
        "PERFBOT_CONFIG": config,
        "ARGO_SERVER": argo_url or "",
    }
    command = ["submit", "--job", "databend-sql", "--head", HEAD, "--base", BASE, *args]
    return CliRunner().invoke(main, command, env=env)


def test_a_submission_prints_the_argo_ui_link(argo, config):
    result = submit(argo.url, config, "--name", "perf-by-hand")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "https://argo.example.com/workflows/perfbot/perf-by-hand"
    body = argo.requests[-1].body
    assert validate(PREFIX + "WorkflowSubmitRequest", body) == []
    assert body["resourceName"] == "perf-databend-sql"
    assert sorted(body["submitOptions"]["parameters"]) == sorted(
        [
            "repo=datafuselabs/databend",
            "pr=0",
            f"head-sha={HEAD}",
            f"base-sha={BASE}",
            f"base-ref={BASE}",
            "head-ref=",
            "job=databend-sql",
            "rebuild=true",
            "callback-url=",
            "rounds=10",
            "benchmarks=",
            "dataset=hits-1m",
        ]
    )
    assert "perfbot/head-sha=" + HEAD in body["submitOptions"]["labels"]


def test_options_and_parameters_are_passed_after_validation(argo, config):
    result = submit(
        argo.url,
        config,
        "--param",
        "rounds=20",
        "--param",
        "dataset=hits-10m",
        "--param",
        "callback-url=https://bot.example/callback",
        "--no-rebuild",
    )
    assert result.exit_code == 0, result.output
    parameters = argo.requests[-1].body["submitOptions"]["parameters"]
    assert {
        "rounds=20",
        "dataset=hits-10m",
        "rebuild=false",
        "callback-url=https://bot.example/callback",
    } <= set(parameters)


def test_dry_run_prints_the_request_and_sends_nothing(argo, config):
    result = submit(argo.url, config, "--dry-run")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["method"] == "POST"
    assert printed["url"] == f"{argo.url}/api/v1/workflows/perfbot/submit"
    assert validate(PREFIX + "WorkflowSubmitRequest", printed["body"]) == []
    assert argo.requests == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--param", "rounds=999"], "option rounds: expected at most 50, got 999"),
        (["--param", "colour=red"], "unknown --param 'colour'; allowed:"),
        (["--param", "novalue"], "--param expects key=value"),
        (["--repo", "someone/else"], "job databend-sql belongs to datafuselabs/databend"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(argo, config, args, message):
    result = submit(argo.url, config, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert argo.requests == []


def test_an_unknown_job_lists_the_jobs(argo, config):
    result = CliRunner().invoke(
        main, ["submit", "--job", "nope", "--head", HEAD, "--base", BASE, "--config", config]
    )
    assert result.exit_code == 2
    assert "unknown job 'nope'; jobs in" in result.output
    assert "databend-sql, ripgrep-search" in result.output


@pytest.mark.parametrize("head", ["main", "abc", "g" * 40, "-rf"])
def test_the_head_must_be_a_commit_id(argo, config, head):
    env = {"ARGO_SERVER": argo.url, "ARGO_TOKEN": TOKEN}
    result = CliRunner().invoke(
        main,
        ["submit", "--job", "databend-sql", "--head", head, "--base", BASE, "--config", config],
        env=env,
    )
    assert result.exit_code == 2
    assert "--head must be a commit id" in result.output


def test_reusing_builds_of_a_command_job_is_refused(argo, config):
    result = CliRunner().invoke(
        main,
        [
            "submit",
            "--job",
            "ripgrep-search",
            "--head",
            HEAD,
            "--base",
            BASE,
            "--no-rebuild",
            "--config",
            config,
        ],
        env={"ARGO_SERVER": argo.url},
    )
    assert result.exit_code == 2
    assert "builds cannot be reused" in result.output


def test_an_unreachable_server_is_one_line_and_exit_2(config):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = submit(f"http://127.0.0.1:{port}", config)
    assert result.exit_code == 2
    assert "cannot reach the Argo Server" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("token", ["", "wrong"])
def test_a_refused_token_is_one_line_and_exit_2(argo, config, token):
    result = submit(argo.url, config, token=token)
    assert result.exit_code == 2
    assert "refused the token (401)" in result.output


def test_a_template_that_is_not_applied_is_one_line_and_exit_2(config):
    with ArgoStandIn(token=TOKEN, templates=[]) as empty:
        result = submit(empty.url, config)
    assert result.exit_code == 2
    assert "no WorkflowTemplate 'perf-databend-sql' in namespace perfbot" in result.output


def test_a_config_that_does_not_exist_is_one_line_and_exit_2(tmp_path):
    result = submit("http://127.0.0.1:9", str(tmp_path / "perfbot.yaml"))
    assert result.exit_code == 2
    assert "perfbot.yaml: no such file" in result.output


@pytest.fixture(scope="module")
def remote(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A local repository with a branch, a lightweight tag and an annotated tag."""
    repo = tmp_path_factory.mktemp("remote")

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
            cwd=repo,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    git("init", "-q", "-b", "main")
    git("commit", "-q", "--allow-empty", "-m", "one")
    first = git("rev-parse", "HEAD")
    git("tag", "v1.0.0")
    git("tag", "-a", "v1.1.0", "-m", "annotated")
    git("commit", "-q", "--allow-empty", "-m", "two")
    return repo, {"first": first, "main": git("rev-parse", "HEAD")}


@pytest.mark.parametrize(
    ("ref", "commit"), [("main", "main"), ("v1.0.0", "first"), ("v1.1.0", "first")]
)
def test_a_branch_or_tag_base_is_resolved_to_its_commit(remote, ref, commit):
    repo, commits = remote
    assert resolve_ref(str(repo), ref) == commits[commit]


def test_an_unknown_base_ref_is_bad_input(remote):
    repo, _ = remote
    with pytest.raises(BadInput, match="no branch or tag 'nope'"):
        resolve_ref(str(repo), "nope")


def test_a_base_ref_that_looks_like_an_option_is_refused():
    with pytest.raises(BadInput, match="is not a ref name"):
        resolve_ref("unused", "--upload-pack=x")
