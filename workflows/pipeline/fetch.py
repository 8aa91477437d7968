"""`fetch`: one side's source, cloned once per run and handed on as an artifact.

The run's only git artifact is here. Argo's init container clones the commit (after `check`
has validated its id) and the step itself runs `true` in perfbot's image: no code of the PR
runs in this pod. Its output artifact `source` is the checkout (with `.git`, for builds that
read their version from it); `build` and the benchmark take it with `from:` instead of cloning
again, so a large repository crosses the network once per side.

A private repository names a git credential Secret (`git_credentials_secret` in perfbot.yaml,
type `kubernetes.io/basic-auth`: `username`, and a read-only token as `password`). Argo mounts a
git artifact's Secrets into the pod's init and wait containers only (v4.0.5,
`workflowpod.go`, `createSecretVolumesAndMounts`), never into the main container, and this is
the only template that names it. go-git keeps the credential out of the clone's `.git/config`
(the remote is the plain https URL, which may not carry credentials), so the checkout handed
on holds none.
"""

from __future__ import annotations

from hera.workflows import Artifact, Container, GitArtifact, Parameter
from hera.workflows.models import SecretKeySelector

from workflows.config import JobConfig, PerfbotConfig
from workflows.pipeline import common, paths
from workflows.pipeline.variables import input_artifact, input_parameter, task_artifact

NAME = "fetch"
OUTPUT = "source"
# go-git fetches these too, so a fork's PR head (only under refs/pull/) can be checked out.
PULL_REFSPECS = ["+refs/pull/*/head:refs/remotes/origin/pull/*"]
# The keys of a Secret of type kubernetes.io/basic-auth.
USERNAME_KEY, PASSWORD_KEY = "username", "password"


def source_artifact(clone_url: str, sha: str, secret: str | None) -> GitArtifact:
    """The checkout of one commit; with `secret`, authenticated as that Secret's user."""
    return GitArtifact(
        name=OUTPUT,
        path=paths.SOURCE,
        repo=clone_url,
        revision=sha,
        fetch=PULL_REFSPECS,
        username_secret=SecretKeySelector(name=secret, key=USERNAME_KEY) if secret else None,
        password_secret=SecretKeySelector(name=secret, key=PASSWORD_KEY) if secret else None,
    )


def fetch_template(config: PerfbotConfig, job: JobConfig, clone_url: str) -> Container:
    repo_name = config.repo_of(job.name)
    repo = config.repo(repo_name) if repo_name else None
    secret = repo.git_credentials_secret if repo is not None else None
    return Container(
        name=NAME,
        image=config.perfbot_image,
        command=["true"],
        inputs=[
            Parameter(name="sha"),
            source_artifact(clone_url, input_parameter("sha"), secret),
        ],
        outputs=[Artifact(name=OUTPUT, path=paths.SOURCE)],
        retry_strategy=common.retry(job.build.retries),
    )


def fetched(side: str) -> Artifact:
    """A task argument: the checkout `fetch-<side>` produced, as the input `source`."""
    return Artifact(name=OUTPUT, from_=task_artifact(f"{NAME}-{side}", OUTPUT))


def passed_on() -> Artifact:
    """A DAG task argument: the checkout its DAG received, handed to one of its steps."""
    return Artifact(name=OUTPUT, from_=input_artifact(OUTPUT))


def source_input() -> Artifact:
    """The input of a step that works in the checkout, at the path the clone used to have."""
    return Artifact(name=OUTPUT, path=paths.SOURCE)
