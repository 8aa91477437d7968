"""perfbot.yaml: the examples load, and every mistake names the file, the key path and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflows.config import ConfigError, load_config, parse_config

GOOD_JOB = """
        build: {command: [make], builder_image: gcc:13}
        benchmark: {image: bench:1, command: [bench]}
"""


def one_job(job_yaml: str, *, extra: str = "") -> str:
    return f"{extra}repos:\n  acme/db:\n    default_job: sql\n    jobs:\n      sql:\n{job_yaml}"


def test_the_example_config_loads_with_both_kinds_of_job(project_root: Path):
    config = load_config(project_root / "examples" / "perfbot.yaml")
    assert config.job("databend-sql").build.kind == "image"
    assert config.job("ripgrep-search").build.kind == "command"
    assert config.job("ripgrep-search").deploy is None


def test_repositories_are_found_case_insensitively(project_root: Path):
    config = load_config(project_root / "examples" / "perfbot.yaml")
    assert config.repo("DataFuseLabs/Databend") is config.repos["datafuselabs/databend"]
    assert config.repo("someone/else") is None


def test_jobs_are_found_by_name_across_repositories(project_root: Path):
    config = load_config(project_root / "examples" / "perfbot.yaml")
    job = config.job("ripgrep-search")
    assert job.name == "ripgrep-search"
    assert job.template_name == "perf-ripgrep-search"
    assert config.repo_of("ripgrep-search") == "BurntSushi/ripgrep"
    assert config.job("nope") is None


def test_defaults_fill_in_what_a_small_config_leaves_out():
    config = parse_config(one_job(GOOD_JOB))
    job = config.job("sql")
    assert job.deadline == 7200
    assert job.benchmark.rounds == 10
    assert job.placement.semaphore == "benchmark-nodes"
    assert config.argo.namespace == "perfbot"


# (yaml text, expected message after "perfbot.yaml: ")
ERRORS = [
    ("repos: [a]", "repos: expected a mapping, got list"),
    ("{}", "repos: required key is missing"),
    (one_job(GOOD_JOB, extra="argo: {namspace: x}\n"), "argo.namspace: unknown key"),
    (
        one_job(GOOD_JOB, extra="argo: {server: argo:2746}\n"),
        "argo.server: expected an http(s) URL",
    ),
    (
        one_job(
            "        build: {command: [make], builder_image: gcc}\n"
            "        benchmark: {image: b, command: [x], rounds: ten}\n"
        ),
        "repos.acme/db.jobs.sql.benchmark.rounds: expected an integer, got 'ten'",
    ),
    (
        one_job(
            "        build: {command: [make], builder_image: gcc}\n"
            "        benchmark: {image: b, command: [x], rounds: 0}\n"
        ),
        "repos.acme/db.jobs.sql.benchmark.rounds: expected a number >= 1, got 0",
    ),
    (
        one_job(
            "        build: {builder_image: gcc}\n        benchmark: {image: b, command: [x]}\n"
        ),
        "repos.acme/db.jobs.sql.build: expected exactly one of `dockerfile` or `command`",
    ),
    (
        one_job(
            "        build: {dockerfile: Dockerfile}\n        benchmark: {image: b, command: [x]}\n"
        ),
        "repos.acme/db.jobs.sql.build: a `dockerfile` build needs `registry` and `image`",
    ),
    (
        one_job(
            "        build: {dockerfile: D, registry: r, image: i}\n"
            "        benchmark: {image: b, command: [x]}\n"
        ),
        "repos.acme/db.jobs.sql: a `dockerfile` build needs a `deploy` section",
    ),
    (
        one_job(
            "        build: {dockerfile: D, registry: r, image: i, kaniko_image: k}\n"
            "        deploy: {port: 80}\n        benchmark: {image: b, command: [x]}\n"
        ),
        "repos.acme/db.jobs.sql.build: kaniko_image: perfbot builds images with buildah now",
    ),
    (
        one_job(
            "        build: {dockerfile: D, registry: r, image: i, args: {1X: y}}\n"
            "        deploy: {port: 80}\n        benchmark: {image: b, command: [x]}\n"
        ),
        "repos.acme/db.jobs.sql.build.args: '1X' is not a build argument name",
    ),
    (
        one_job(
            "        build: {command: [make], builder_image: gcc, args: {X: y}}\n"
            "        benchmark: {image: b, command: [x]}\n"
        ),
        "repos.acme/db.jobs.sql.build: args: build arguments are for a `dockerfile` build",
    ),
    (
        one_job(GOOD_JOB + "        deploy: {port: 8000}\n"),
        "repos.acme/db.jobs.sql: deploy.command: required when the build is a command",
    ),
    (
        one_job(GOOD_JOB + "        deploy: {port: 80000, command: [x]}\n"),
        "repos.acme/db.jobs.sql.deploy.port: expected a number <= 65535, got 80000",
    ),
    (
        one_job(
            "        build: {command: [make], builder_image: gcc}\n"
            "        benchmark: {image: b, command: [x], format: csv}\n"
        ),
        "repos.acme/db.jobs.sql.benchmark.format: expected one of perfbot, hyperfine",
    ),
    (
        one_job(
            "        build: {command: ['make {{workflow.parameters.base-ref}}'], "
            "builder_image: gcc}\n        benchmark: {image: b, command: [x]}\n"
        ),
        "repos.acme/db.jobs.sql.build.command: must not contain '{{'",
    ),
    (
        one_job(
            "        build: {command: [make], builder_image: gcc, env: {PERFBOT_X: y}}\n"
            "        benchmark: {image: b, command: [x]}\n"
        ),
        "repos.acme/db.jobs.sql.build.env: PERFBOT_X: PERFBOT_* variables are set by perfbot",
    ),
    (
        one_job(
            "        build: {command: [make], builder_image: gcc}\n"
            "        benchmark: {image: b, command: [x], resources: {cpu: lots, memory: 1Gi}}\n"
        ),
        "repos.acme/db.jobs.sql.benchmark.resources.cpu: expected a CPU quantity such as 2",
    ),
    (
        one_job(GOOD_JOB + "        options: {rounds: {type: int, mn: 1}}\n"),
        "repos.acme/db.jobs.sql.options.rounds.mn: unknown key",
    ),
    (
        one_job(GOOD_JOB + "        options: {size: {type: choice}}\n"),
        "repos.acme/db.jobs.sql.options.size: a `choice` option needs `choices`",
    ),
    (
        one_job(GOOD_JOB + "        options: {ref: {parameter: base-ref}}\n"),
        "repos.acme/db.jobs.sql: options.ref.parameter: 'base-ref' is set by perfbot itself",
    ),
    (
        one_job(GOOD_JOB + "        options: {n: {type: int, max: 5, default: '9'}}\n"),
        "repos.acme/db.jobs.sql.options.n: default: expected at most 5, got 9",
    ),
    (
        "repos:\n  acme/db:\n    default_job: nope\n    jobs:\n      sql:\n" + GOOD_JOB,
        "repos.acme/db: default_job: 'nope' is not one of the jobs (sql)",
    ),
    (
        "repos:\n  not-a-repo:\n    default_job: sql\n    jobs:\n      sql:\n" + GOOD_JOB,
        "repos: 'not-a-repo': expected repository names as owner/name",
    ),
    (
        "repos:\n  acme/db:\n    default_job: Bad_Name\n    jobs:\n      Bad_Name:\n" + GOOD_JOB,
        "repos.acme/db.jobs.Bad_Name.name: expected a job name of lowercase letters",
    ),
    (
        "repos:\n  a/one:\n    default_job: sql\n    jobs:\n      sql:\n"
        + GOOD_JOB
        + "  b/two:\n    default_job: sql\n    jobs:\n      sql:\n"
        + GOOD_JOB,
        "repos: job 'sql' is defined in a/one and b/two; job names must be unique",
    ),
    (
        one_job(GOOD_JOB, extra="").replace(
            "acme/db:", "acme/db:\n    clone_url: https://user:pw@git.example/x.git"
        ),
        "repos.acme/db.clone_url: must not carry credentials",
    ),
    (
        one_job(GOOD_JOB, extra="").replace(
            "acme/db:", "acme/db:\n    git_credentials_secret: Git_Creds"
        ),
        "repos.acme/db.git_credentials_secret: expected a Kubernetes Secret name",
    ),
]


@pytest.mark.parametrize(("text", "expected"), ERRORS, ids=[e[1][:50] for e in ERRORS])
def test_config_errors_name_the_file_the_key_path_and_the_expectation(tmp_path, text, expected):
    path = tmp_path / "perfbot.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert f"{path}: {expected}" in str(caught.value)


def test_a_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match=r"perfbot\.yaml: no such file"):
        load_config(tmp_path / "perfbot.yaml")


def test_yaml_syntax_errors_give_line_and_column(tmp_path):
    path = tmp_path / "perfbot.yaml"
    path.write_text("repos:\n  a/b: [unclosed\n")
    with pytest.raises(ConfigError, match=r"not valid YAML \(line \d+, column \d+\)"):
        load_config(path)


def test_several_problems_are_all_listed_and_summarised_in_one_line(tmp_path):
    path = tmp_path / "perfbot.yaml"
    path.write_text(
        one_job(
            "        build: {command: [make], builder_image: gcc, tpyo: 1}\n"
            "        benchmark: {image: b, command: [x], rounds: x}\n"
        )
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert len(str(caught.value).splitlines()) == 2
    assert caught.value.summary().endswith("(and 1 more problem)")
    assert "\n" not in caught.value.summary()
