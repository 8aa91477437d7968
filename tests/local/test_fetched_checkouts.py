"""A checkout handed on with `from:` (the `fetch` step's) reaches each consumer as its own.

In Argo the fetch step's output artifact is a tarball of the clone, unpacked afresh into every
pod that takes it: each consumer gets a private checkout, `.git` included. Locally the fetch
step's git artifact is a worktree, and an unchanged worktree handed on becomes a new worktree
of the same commit for each consumer (a copy of a worktree would share git's bookkeeping and,
with hard links, its files). A checkout the producer changed is handed on as a copy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.local.conftest import RunTemplate, dag, git, node, params, py, workflow

FETCH = {
    "name": "fetch",
    "inputs": {
        "parameters": [{"name": "sha"}],
        "artifacts": [
            {
                "name": "source",
                "path": "/perfbot/src",
                "git": {
                    "repo": "https://example.invalid/x.git",
                    "revision": "{{inputs.parameters.sha}}",
                },
            }
        ],
    },
    "container": {"image": "x", "command": ["true"]},
    "outputs": {"artifacts": [{"name": "source", "path": "/perfbot/src"}]},
}
# Reads the checkout (and git's idea of it), then overwrites a file in place.
USE = {
    "name": "use",
    "inputs": {"artifacts": [{"name": "source", "path": "/perfbot/src"}]},
    "container": py(
        "import pathlib, subprocess; p = pathlib.Path('version.txt'); "
        "head = subprocess.run(['git', 'rev-parse', 'HEAD'], capture_output=True, text=True); "
        "clean = subprocess.run(['git', 'status', '--porcelain'], capture_output=True, text=True); "
        "print(p.read_text().strip(), head.stdout.strip(), repr(clean.stdout)); "
        "open(p, 'r+').write('XX')",
        workingDir="/perfbot/src",
    ),
}
FROM_FETCH = {"artifacts": [{"name": "source", "from": "{{tasks.f.outputs.artifacts.source}}"}]}
# A DAG that hands the checkout it received to a step, as `measure` does for the benchmark.
INNER = dag(
    "inner",
    {
        "name": "u",
        "template": "use",
        "arguments": {"artifacts": [{"name": "source", "from": "{{inputs.artifacts.source}}"}]},
    },
    inputs={"artifacts": [{"name": "source"}]},
)


def _pipeline() -> list[dict[str, Any]]:
    return [
        dag(
            "main",
            {"name": "f", "template": "fetch", "arguments": params(sha="first")},
            {"name": "a", "template": "use", "depends": "f", "arguments": FROM_FETCH},
            {"name": "b", "template": "inner", "depends": "a", "arguments": FROM_FETCH},
        ),
        FETCH,
        USE,
        INNER,
    ]


def test_each_consumer_gets_a_clean_checkout_of_the_fetched_commit(
    run_template: RunTemplate, repo: Path
) -> None:
    first = git(repo, "rev-parse", "first")
    result, _ = run_template(workflow(*_pipeline()))
    assert result.succeeded, result.failed
    for consumer in ("a", "b.u"):  # `a` overwrote its version.txt; `b.u` still reads v1
        assert node(result, consumer).outputs.result == f"v1 {first} ''"
    assert git(repo, "worktree", "list").count("\n") == 0  # only the main worktree is left


def test_a_checkout_the_producer_changed_is_handed_on_as_it_was_left(
    run_template: RunTemplate,
) -> None:
    changing = {
        **FETCH,
        "container": py(
            "import pathlib; pathlib.Path('version.txt').write_text('v9')",
            workingDir="/perfbot/src",
        ),
    }
    templates = _pipeline()
    templates[1] = changing
    result, _ = run_template(workflow(*templates))
    assert result.succeeded, result.failed
    assert node(result, "a").outputs.result.startswith("v9 ")
