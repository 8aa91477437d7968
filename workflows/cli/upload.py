"""`perfbot upload REPORT.json`: store a run made earlier in Horreum; and the schema to import.

The report is `perfbot compare --format json`'s or a local run's `perfbot-out/report.json`;
the run's identity (repository, PR, job, refs, SHAs) comes from its provenance unless a flag
says otherwise, and the raw samples from `--base-results`/`--head-results` (a local run's
`perfbot-out/results/base` and `head`). Where to: the job's `horreum:` in perfbot.yaml, or
`--url`, `--test`, `--owner`, `--access`. The API key is read from `HORREUM_API_KEY` only, so
it never lands in a shell history or a process list.

Exit codes: 0 stored; 1 Horreum refused it or could not be reached (after retries); 2 bad input.
`perfbot run --local --horreum` uploads the same way after its report (`upload_local_run`),
and a failed upload there is a line on stderr, not a failed run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from workflows.errors import BadInput

KEY_ENV = "HORREUM_API_KEY"
NO_KEY = f"{KEY_ENV} is not set: export the API key of a user with the team's uploader role"
NO_TARGET = (
    "no Horreum target: give --url, --test and --owner, or a perfbot.yaml whose job has `horreum:`"
)
NO_HORREUM_FOR_JOB = "job {job} has no `horreum:` in {config} (docs/horreum.md)"


class UploadFailed(click.ClickException):
    exit_code = 1


def _target(
    config_path: Path | None, job: str | None, overrides: dict[str, Any]
) -> tuple[Any, str | None]:
    """The HorreumConfig to upload to, and the job it was found under."""
    from pydantic import ValidationError

    from workflows.config import ConfigError, load_config
    from workflows.horreum.config import HorreumConfig

    base: dict[str, Any] = {}
    found_job = job
    path = config_path or (
        Path(os.environ["PERFBOT_CONFIG"]) if os.environ.get("PERFBOT_CONFIG") else None
    )
    if path is None and Path("perfbot.yaml").is_file():
        path = Path("perfbot.yaml")
    if path is not None and not all(overrides.get(k) for k in ("url", "test", "owner")):
        try:
            config = load_config(path)
        except ConfigError as exc:
            raise BadInput(exc.summary()) from None
        repo_name = config.repo_of(job) if job else None
        if job and repo_name is None:
            raise BadInput(f"job {job!r} is not in {path}")
        repo = config.repo(repo_name) if repo_name else next(iter(config.repos.values()), None)
        if repo is not None:
            found_job = job or repo.default_job
            target = repo.horreum_for(found_job)
            if target is None and not overrides.get("url"):
                raise BadInput(NO_HORREUM_FOR_JOB.format(job=found_job, config=path))
            base = target.model_dump() if target is not None else {}
    merged = {**base, **{k: v for k, v in overrides.items() if v}}
    if not all(merged.get(k) for k in ("url", "test", "owner")):
        raise BadInput(NO_TARGET)
    try:
        return HorreumConfig(**merged), found_job
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "horreum"
        raise BadInput(f"--{where}: {first['msg']}") from None


def _api_key() -> str:
    key = os.environ.get(KEY_ENV, "").strip()
    if not key:
        raise BadInput(NO_KEY)
    return key


def _report(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(f"report {path} does not exist") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInput(f"report {path} is not readable JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), list):
        raise BadInput(f"report {path} is not a perfbot JSON report (no `benchmarks` list)")
    return data


def _samples(base: Path | None, head: Path | None, input_format: str | None) -> dict | None:
    if base is None and head is None:
        return None
    if base is None or head is None:
        raise BadInput("give both --base-results and --head-results, or neither")
    from workflows.horreum.samples import collect
    from workflows.results import ResultsError

    try:
        return collect(base, head, input_format)
    except ResultsError as exc:
        raise BadInput(str(exc)) from None


def identity(report: dict[str, Any], **given: Any) -> Any:
    """The run's identity: flags first, the report's provenance second."""
    from workflows.compare.provenance import RunFacts
    from workflows.horreum.document import RunIdentity

    facts = RunFacts.from_provenance(report.get("provenance"))
    return RunIdentity(
        repository=given.get("repo") or facts.repository,
        pr=given["pr"] if given.get("pr") is not None else facts.pr,
        job=given.get("job") or facts.job,
        base_ref=given.get("base_ref") or facts.base_ref,
        base_sha=given.get("base_sha") or facts.base_sha,
        head_sha=given.get("head_sha") or facts.head_sha,
        head_ref=facts.head_ref,
        workflow_name=given.get("workflow_name") or "",
    )


def store(target: Any, report: dict[str, Any], samples: dict | None, run: Any) -> Any:
    from workflows.horreum.client import HorreumClient
    from workflows.horreum.document import build
    from workflows.horreum.upload import upload

    client = HorreumClient(target.url, _api_key())
    return upload(client, target, build(run, report, samples))


def local_config(config_path: Path | None, repo: Path) -> Path:
    """The config a local run reads: --config, else $PERFBOT_CONFIG, else the repo's own."""
    from workflows.local.worktrees import GitError, toplevel

    if config_path is not None:
        return config_path
    if os.environ.get("PERFBOT_CONFIG"):
        return Path(os.environ["PERFBOT_CONFIG"])
    try:
        return toplevel(repo.resolve()) / "perfbot.yaml"
    except (GitError, OSError):  # not a git repository: the run itself says so, with exit 2
        return repo / "perfbot.yaml"


def upload_local_run(
    out: Path, config_path: Path | None, job: str | None, repo: Path
) -> tuple[bool, str]:
    """After `perfbot run --local --horreum`: (stored, the line to print)."""
    target, found_job = _target(local_config(config_path, repo), job, {})
    report = _report(out / "report.json")
    results = out / "results"
    samples = _samples(results / "base", results / "head", None) if results.is_dir() else None
    result = store(target, report, samples, identity(report, job=found_job))
    return result.ok, result.note(target)


def check_local_run(config_path: Path | None, job: str | None, repo: Path) -> None:
    """Before a local run that will upload: a target and a key exist (BadInput otherwise)."""
    _target(local_config(config_path, repo), job, {})
    _api_key()


@click.command(name="upload")
@click.argument("report", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--base-results", type=click.Path(path_type=Path), help="Base's result files.")
@click.option("--head-results", type=click.Path(path_type=Path), help="Head's result files.")
@click.option("--input-format", default=None, help="Format of the result files (default: detect).")
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="perfbot.yaml with the job's `horreum:` (default: $PERFBOT_CONFIG, ./perfbot.yaml).",
)
@click.option("--job", default=None, help="The job (default: the report's, else the default job).")
@click.option("--url", default=None, help="Horreum's URL (overrides the config).")
@click.option("--test", default=None, help="Horreum test name or id (overrides the config).")
@click.option("--owner", default=None, help="Owning team role, e.g. perf-team.")
@click.option("--access", type=click.Choice(["PUBLIC", "PROTECTED", "PRIVATE"]), default=None)
@click.option("--repo", default=None, help="owner/name (default: the report's provenance).")
@click.option("--pr", type=int, default=None, help="Pull request number (0: none).")
@click.option("--base-ref", default=None)
@click.option("--base-sha", default=None)
@click.option("--head-sha", default=None)
@click.option("--workflow-name", default=None, help="The Argo workflow that made the run.")
@click.option("--print-schema", is_flag=True, help="Print the Horreum schema to import; exit.")
@click.option("--import-schema", is_flag=True, help="Import the Horreum schema into Horreum; exit.")
def command(
    report: Path | None,
    base_results: Path | None,
    head_results: Path | None,
    input_format: str | None,
    config: Path | None,
    job: str | None,
    url: str | None,
    test: str | None,
    owner: str | None,
    access: str | None,
    repo: str | None,
    pr: int | None,
    base_ref: str | None,
    base_sha: str | None,
    head_sha: str | None,
    workflow_name: str | None,
    print_schema: bool,
    import_schema: bool,
) -> None:
    """Store a perfbot JSON report (and its raw samples) as a run in Horreum."""
    from workflows.horreum.schema import schema_export

    overrides = {"url": url, "test": test, "owner": owner, "access": access}
    if print_schema:
        if not owner:
            raise BadInput("--print-schema needs --owner (the team that will own the schema)")
        click.echo(json.dumps(schema_export(owner=owner, access=access or "PUBLIC"), indent=2))
        return
    if import_schema:
        _import_schema(url, owner, access)
        return
    if report is None:
        raise BadInput("give the JSON report to upload (perfbot-out/report.json)")
    data = _report(report)
    samples = _samples(base_results, head_results, input_format)
    run_job = job or str((data.get("provenance") or {}).get("job") or "") or None
    target, found_job = _target(config, run_job, overrides)
    run = identity(data, repo=repo, pr=pr, job=found_job, base_ref=base_ref,
                   base_sha=base_sha, head_sha=head_sha, workflow_name=workflow_name)  # fmt: skip
    if not run.repository or not run.job:
        raise BadInput("the report names no repository or job: give --repo and --job")
    result = store(target, data, samples, run)
    note = result.note(target)
    if not result.ok:
        raise UploadFailed(note)
    click.echo(note)


def _import_schema(url: str | None, owner: str | None, access: str | None) -> None:
    from workflows.horreum.client import HorreumClient, HorreumError
    from workflows.horreum.schema import schema_export

    if not url or not owner:
        raise BadInput("--import-schema needs --url and --owner")
    client = HorreumClient(url, _api_key())
    try:
        schema_id = client.import_schema(schema_export(owner=owner, access=access or "PUBLIC"))
    except HorreumError as exc:
        raise UploadFailed(f"schema not imported: {exc.reason}") from None
    click.echo(f"Horreum schema imported: id {schema_id}")
