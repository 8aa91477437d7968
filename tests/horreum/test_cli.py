"""`perfbot upload` and `perfbot run --local --horreum`: runs made without the bot reach Horreum."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.horreum.conftest import API_KEY, TEAM, TEST
from tests.local.conftest import COMMAND_JOB, command_job
from tests.local.conftest import repo as repo  # the fixture: a git repository, two commits
from tests.standins.horreum_server import HorreumStandIn, schema_errors
from workflows.cli import main
from workflows.horreum.document import SCHEMA_URI

PERFBOT = str(Path(sys.executable).parent / "perfbot")
BENCH = (
    'echo \'{"benchmarks": [{"name": "op", "unit": "ms", "samples": [1.0, 1.1, 0.9, 1.0, 1.05]}]}\''
    ' > "$PERFBOT_RESULT"\n'
)
HORREUM = """\
    horreum:
      url: {url}
      test: {test}
      owner: {team}
"""


def with_horreum(path: Path, url: str) -> Path:
    config = COMMAND_JOB.format(command="[sh, bench.sh]", rounds=3).replace(
        "    default_job: cli\n",
        "    default_job: cli\n" + HORREUM.format(url=url, test=TEST, team=TEAM),
    )
    path.write_text(config)
    return path


def invoke(*args: str, key: str | None = API_KEY) -> tuple[int, str]:
    env = {"HORREUM_API_KEY": key} if key is not None else {"HORREUM_API_KEY": ""}
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


@pytest.fixture
def local_repo(repo: Path) -> Path:
    return command_job(repo, BENCH, 3)


def run_local(
    repo: Path, config: Path, out: Path, key: str = API_KEY
) -> subprocess.CompletedProcess:
    argv = [PERFBOT, "run", "--local", "--horreum", "--quiet", "--repo", str(repo),
            "--base", "HEAD~1", "--config", str(config), "--out", str(out)]  # fmt: skip
    env = {**os.environ, "HORREUM_API_KEY": key}
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_a_local_run_with_horreum_stores_its_run_document(
    tmp_path: Path, local_repo: Path, horreum: HorreumStandIn
) -> None:
    config = with_horreum(tmp_path / "perfbot.yaml", horreum.url)

    done = run_local(local_repo, config, tmp_path / "out")

    assert done.returncode == 0, done.stderr
    assert "Stored in Horreum: [run 101]" in done.stderr
    [run] = horreum.runs.values()
    document = run["data"]
    assert (document["$schema"], document["repository"], document["job"]) == (
        SCHEMA_URI, "acme/tool", "cli",
    )  # fmt: skip
    [op] = document["benchmarks"]
    assert sorted(set(op["head"]["sample_rounds"])) == [1, 2, 3]
    assert len(op["base"]["samples"]) == 15


@pytest.mark.slow
def test_a_local_run_whose_upload_fails_still_reports_and_says_why(
    tmp_path: Path, local_repo: Path, horreum: HorreumStandIn
) -> None:
    config = with_horreum(tmp_path / "perfbot.yaml", horreum.url)

    done = run_local(local_repo, config, tmp_path / "out", key="not-the-key")

    assert done.returncode == 0
    assert "results not stored in Horreum: Horreum answered 401" in done.stderr
    assert (tmp_path / "out" / "report.json").is_file()


@pytest.mark.parametrize(
    ("config_text", "key", "message"),
    [
        (
            COMMAND_JOB.format(command="[sh, bench.sh]", rounds=3),
            API_KEY,
            "job cli has no `horreum:`",
        ),
        (None, "", "HORREUM_API_KEY is not set"),
    ],
)
def test_run_local_horreum_refuses_before_running_without_a_target_or_a_key(
    tmp_path: Path, local_repo: Path, config_text: str | None, key: str, message: str
) -> None:
    config = tmp_path / "perfbot.yaml"
    if config_text is None:
        with_horreum(config, "https://horreum.example.test")
    else:
        config.write_text(config_text)

    code, output = invoke("run", "--local", "--horreum", "--repo", str(local_repo),
                          "--base", "HEAD~1", "--config", str(config),
                          "--out", str(tmp_path / "out"), key=key)  # fmt: skip

    assert code == 2
    assert message in output
    assert "Traceback" not in output
    assert not (tmp_path / "out").exists()


@pytest.fixture
def report_file(tmp_path: Path, report: dict[str, Any]) -> Path:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report))
    return path


def test_upload_stores_a_report_with_its_samples(
    tmp_path: Path, horreum: HorreumStandIn, report_file: Path, results
) -> None:
    config = with_horreum(tmp_path / "perfbot.yaml", horreum.url)
    base, head = results

    code, output = invoke("upload", str(report_file), "--config", str(config), "--job", "cli",
                          "--base-results", str(base), "--head-results", str(head))  # fmt: skip

    assert code == 0, output
    assert f"Stored in Horreum: [run 101]({horreum.url}/run/101)" in output
    document = horreum.runs[101]["data"]
    assert document["job"] == "cli"
    assert document["repository"] == "Codertocat/Hello-World"  # from the report's provenance
    search = next(b for b in document["benchmarks"] if b["name"] == "GET /search")
    assert len(search["base"]["samples"]) == 30


def test_upload_with_flags_needs_no_config(horreum: HorreumStandIn, report_file: Path) -> None:
    code, output = invoke("upload", str(report_file), "--url", horreum.url, "--test", TEST,
                          "--owner", TEAM, "--access", "PRIVATE")  # fmt: skip

    assert code == 0, output
    assert horreum.runs[101]["access"] == "PRIVATE"


def test_upload_exits_1_when_horreum_refuses(horreum: HorreumStandIn, report_file: Path) -> None:
    horreum.fail_next(400)

    code, output = invoke("upload", str(report_file), "--url", horreum.url, "--test", TEST,
                          "--owner", TEAM)  # fmt: skip

    assert code == 1
    assert "results not stored in Horreum: Horreum answered 400" in output


@pytest.mark.parametrize(
    ("args", "key", "message"),
    [
        (["missing.json"], API_KEY, "does not exist"),
        (["REPORT", "--url", "ftp://x", "--test", "t", "--owner", "perf-team"], API_KEY, "--url"),
        (["REPORT", "--url", "http://h", "--test", "t", "--owner", "perf"], API_KEY, "-team"),
        (
            ["REPORT", "--url", "http://h", "--test", "t", "--owner", "perf-team"],
            "",
            "HORREUM_API_KEY",
        ),
        (["REPORT", "--url", "http://h"], API_KEY, "no Horreum target"),
        (
            [
                "REPORT",
                "--base-results",
                "x",
                "--url",
                "http://h",
                "--test",
                "t",
                "--owner",
                "a-team",
            ],
            API_KEY,
            "both",
        ),
        (["--print-schema"], API_KEY, "--owner"),
    ],
)
def test_upload_refuses_bad_input_with_one_line_and_exit_2(
    tmp_path: Path,
    report_file: Path,
    args: list[str],
    key: str,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # no ./perfbot.yaml to fall back on
    monkeypatch.delenv("PERFBOT_CONFIG", raising=False)
    args = [str(report_file) if a == "REPORT" else a for a in args]

    code, output = invoke("upload", *args, key=key)

    assert code == 2
    assert message in output
    assert "Traceback" not in output


def test_upload_refuses_a_file_that_is_not_a_report(tmp_path: Path) -> None:
    not_a_report = tmp_path / "x.json"
    not_a_report.write_text('{"hello": 1}')

    code, output = invoke("upload", str(not_a_report), "--url", "http://h", "--test", "t",
                          "--owner", "perf-team")  # fmt: skip

    assert code == 2
    assert "not a perfbot JSON report" in output


def test_the_printed_schema_is_a_schema_export_horreum_accepts() -> None:
    code, output = invoke("upload", "--print-schema", "--owner", TEAM)

    assert code == 0
    export = json.loads(output)
    assert schema_errors("SchemaExport", export) == []
    assert export["uri"] == SCHEMA_URI


def test_import_schema_posts_it_to_horreum(horreum: HorreumStandIn) -> None:
    code, output = invoke("upload", "--import-schema", "--url", horreum.url, "--owner", TEAM)

    assert code == 0, output
    assert output.strip() == "Horreum schema imported: id 1"
    [schema] = horreum.schemas.values()
    assert {label["name"] for label in schema["labels"]} >= {
        "perfbot.repository", "perfbot.pr", "perfbot.job", "perfbot.head_median",
    }  # fmt: skip
