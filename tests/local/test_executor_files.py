"""Artifacts, volumes and environment: the pod's files and variables, as local ones."""

from __future__ import annotations

from pathlib import Path

from tests.local.conftest import RunTemplate, dag, git, node, params, py, workflow
from workflows.local.nodes import Phase

CHECKOUT = {
    "name": "checkout",
    "inputs": {
        "parameters": [{"name": "rev"}],
        "artifacts": [
            {
                "name": "src",
                "path": "/perfbot/src",
                "git": {
                    "repo": "https://example.invalid/x.git",
                    "revision": "{{inputs.parameters.rev}}",
                },
            }
        ],
    },
    "container": py(
        "import pathlib; print(pathlib.Path('version.txt').read_text().strip())",
        workingDir="/perfbot/src",
    ),
}


def test_git_artifacts_are_worktrees_of_the_asked_commit(
    run_template: RunTemplate, repo: Path
) -> None:
    result, _ = run_template(
        workflow(
            dag(
                "main",
                {"name": "old", "template": "checkout", "arguments": params(rev="first")},
                {"name": "new", "template": "checkout", "arguments": params(rev="HEAD")},
            ),
            CHECKOUT,
        )
    )
    assert node(result, "old").outputs.result == "v1"
    assert node(result, "new").outputs.result == "v2"
    assert git(repo, "worktree", "list").count("\n") == 0  # only the main worktree is left


def test_a_git_artifact_of_an_unknown_commit_is_an_error(run_template: RunTemplate) -> None:
    result, _ = run_template(
        workflow(
            dag("main", {"name": "x", "template": "checkout", "arguments": params(rev="nope")}),
            CHECKOUT,
        )
    )
    assert node(result, "x").phase == Phase.ERROR
    assert "'nope' is not a commit" in node(result, "x").message


PRODUCE = {
    "name": "produce",
    "container": py(
        "import pathlib; d = pathlib.Path('/perfbot/results/base'); d.mkdir(parents=True); "
        "(d / 'round-1.json').write_text('{}')"
    ),
    "outputs": {"artifacts": [{"name": "results", "path": "/perfbot/results/base"}]},
}
CONSUME = {
    "name": "consume",
    "inputs": {"artifacts": [{"name": "results", "path": "/perfbot/in/base"}]},
    "container": py("import os; print(sorted(os.listdir('/perfbot/in/base')))"),
}


def test_output_artifacts_reach_later_steps_through_from(run_template: RunTemplate) -> None:
    result, _ = run_template(
        workflow(
            dag(
                "main",
                {"name": "p", "template": "produce"},
                {
                    "name": "c",
                    "template": "consume",
                    "depends": "p",
                    "arguments": {
                        "artifacts": [
                            {"name": "results", "from": "{{tasks.p.outputs.artifacts.results}}"}
                        ]
                    },
                },
            ),
            PRODUCE,
            CONSUME,
        )
    )
    assert result.succeeded, result.failed
    assert node(result, "c").outputs.result == "['round-1.json']"


def test_a_workflow_volume_is_shared_by_steps(run_template: RunTemplate) -> None:
    mount = [{"name": "workspace", "mountPath": "/workspace"}]
    write = {
        "name": "write",
        "container": py(
            "import pathlib; pathlib.Path('/workspace/built').write_text('yes')", volumeMounts=mount
        ),
    }
    read = {
        "name": "read",
        "container": py(
            "import pathlib; print(pathlib.Path('/workspace/built').read_text())",
            volumeMounts=mount,
        ),
    }
    result, _ = run_template(
        workflow(
            dag(
                "main",
                {"name": "w", "template": "write"},
                {"name": "r", "template": "read", "depends": "w"},
            ),
            write,
            read,
            volumeClaimTemplates=[{"metadata": {"name": "workspace"}}],
        )
    )
    assert node(result, "r").outputs.result == "yes"


def test_a_step_cannot_write_outside_its_run(run_template: RunTemplate, tmp_path: Path) -> None:
    result, _ = run_template(workflow(dag("main", {"name": "p", "template": "produce"}), PRODUCE))
    assert result.succeeded
    assert not Path("/perfbot").exists()
    assert node(result, "p").outputs.artifacts["results"].is_relative_to(tmp_path)


def test_env_values_are_substituted_and_expanded(run_template: RunTemplate) -> None:
    template = {
        "name": "env",
        "container": py(
            "import os, sys; "
            "print(os.environ['GREETING'], sys.argv[1], os.environ['PERFBOT_LOCAL'])",
            args=["$(NAME)"],
            env=[
                {"name": "NAME", "value": "{{workflow.parameters.who}}"},
                {"name": "GREETING", "value": "hello $(NAME)"},
            ],
        ),
    }
    result, _ = run_template(
        workflow(
            dag("main", {"name": "e", "template": "env"}), template, arguments=params(who="ann")
        )
    )
    assert node(result, "e").outputs.result == "hello ann ann 1"


def test_secrets_come_from_the_local_secrets_directory(
    run_template: RunTemplate, tmp_path: Path
) -> None:
    secrets = tmp_path / "secrets"
    (secrets / "callback").mkdir(parents=True)
    (secrets / "callback" / "secret").write_text("s3cret\n")
    template = {
        "name": "s",
        "container": py(
            "import os; print(os.environ.get('KNOWN'), os.environ.get('MISSING'))",
            env=[
                {
                    "name": "KNOWN",
                    "valueFrom": {"secretKeyRef": {"name": "callback", "key": "secret"}},
                },
                {"name": "MISSING", "valueFrom": {"secretKeyRef": {"name": "other", "key": "k"}}},
            ],
        ),
    }
    result, recorder = run_template(
        workflow(dag("main", {"name": "s", "template": "s"}), template), secrets=secrets
    )
    assert node(result, "s").outputs.result == "s3cret None"
    assert any("MISSING left unset" in w for w in recorder.warnings)


def test_credentials_of_the_user_do_not_reach_steps(
    run_template: RunTemplate, monkeypatch: object
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret")  # type: ignore[attr-defined]
    monkeypatch.setenv("HARMLESS", "ok")  # type: ignore[attr-defined]
    template = {
        "name": "t",
        "container": py(
            "import os; print(os.environ.get('GITHUB_TOKEN'), os.environ.get('HARMLESS'))"
        ),
    }
    result, _ = run_template(workflow(dag("main", {"name": "t", "template": "t"}), template))
    assert node(result, "t").outputs.result == "None ok"


def test_the_local_command_annotation_replaces_the_container_command(
    run_template: RunTemplate,
) -> None:
    template = {
        "name": "img",
        "metadata": {"annotations": {"perfbot/local-command": '["sh", "-c", "echo local"]'}},
        "container": {"image": "gcr.io/kaniko-project/executor", "command": ["/kaniko/executor"]},
    }
    result, _ = run_template(workflow(dag("main", {"name": "b", "template": "img"}), template))
    assert node(result, "b").outputs.result == "local"


def test_the_workspace_annotation_is_one_directory_for_every_step(
    run_template: RunTemplate,
) -> None:
    write = {
        "name": "write",
        "container": py(
            "import pathlib; p = pathlib.Path('/perfbot/workspace/base'); p.mkdir(parents=True); "
            "(p / 'bin').write_text('built')"
        ),
    }
    read = {
        "name": "read",
        "container": py(
            "import pathlib; print(pathlib.Path('/perfbot/workspace/base/bin').read_text())"
        ),
    }
    document = workflow(
        dag(
            "main",
            {"name": "w", "template": "write"},
            {"name": "r", "template": "read", "depends": "w"},
        ),
        write,
        read,
    )
    document["metadata"]["annotations"] = {"perfbot/local-workspace": "/perfbot/workspace"}
    result, _ = run_template(document)
    assert node(result, "r").outputs.result == "built"
