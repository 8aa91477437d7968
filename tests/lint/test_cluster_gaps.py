"""`perfbot lint` and `perfbot render` agree: a job render refuses is never "accepted"."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.local.test_local_only_jobs import LOCAL_ONLY, WITH_DEPLOY
from workflows.cli import main

COMPLETE = """\
repos:
  acme/tool:
    default_job: cli
    jobs:
      cli:
        build: {command: [make], builder_image: "builder:1"}
        benchmark: {image: "bench:1", command: [bench]}
"""


@pytest.mark.parametrize(
    ("config", "lint_exit", "render_exit", "lines"),
    [
        (LOCAL_ONLY, 1, 2, ["job cli has no builder_image", "job cli has no benchmark.image"]),
        (WITH_DEPLOY, 1, 2, ["job svc has no builder_image", "job svc has no deploy.image"]),
        (COMPLETE, 0, 0, []),
    ],
)
def test_lint_refuses_what_render_refuses(validator, tmp_path, config, lint_exit, render_exit,
                                         lines):  # fmt: skip
    path = tmp_path / "perfbot.yaml"
    path.write_text(config)

    linted = CliRunner().invoke(main, ["lint", "--config", str(path)])
    rendered = CliRunner().invoke(main, ["render", "--config", str(path), "--out",
                                         str(tmp_path / "t")])  # fmt: skip

    assert (linted.exit_code, rendered.exit_code) == (lint_exit, render_exit), linted.output
    for line in lines:
        assert f"{path}: {line}: it cannot run on Argo" in linted.stdout
    if lines:
        assert "Argo accepts" not in linted.stderr
        assert f"Argo would not get {len(lines)} of it" in linted.stderr
        assert "perfbot run --local can run it" in linted.stderr
    else:
        assert "Argo accepts all of it" in linted.stderr
