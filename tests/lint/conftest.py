"""Argo's validator, built once per session, and a way to hand it manifests as files.

The validator is Go (`tools/argo-validate`); these tests need Go on PATH and fail, with the
message saying how to install it, when it is missing (README: Go is a prerequisite of
`make test`; `make test` builds the tool before the suite starts, so no test waits for it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from workflows import argo_validate
from workflows.argo_validate import Verdict

Manifests = Mapping[str, dict[str, Any] | str]
Validate = Callable[[Manifests], Verdict]


@pytest.fixture(scope="session")
def validator() -> Path:
    try:
        return argo_validate.ensure_built()
    except argo_validate.ValidatorUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture
def validate(validator: Path, tmp_path: Path) -> Validate:
    """file name -> manifest (a dict, or YAML/JSON text): Argo's verdict on all of them at once."""

    def run(manifests: Manifests) -> Verdict:
        paths = []
        for name, manifest in manifests.items():
            path = tmp_path / name
            text = manifest if isinstance(manifest, str) else json.dumps(manifest, indent=1)
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        verdict = argo_validate.validate(paths)
        problems = [line.replace(f"{tmp_path}/", "") for line in verdict.problems]
        return Verdict(problems, verdict.summary, verdict.returncode)

    return run
