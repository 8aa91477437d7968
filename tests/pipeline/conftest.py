"""Rendered templates of the example config and of variants that cover the other code paths."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from workflows.config import PerfbotConfig, load_config, parse_config
from workflows.pipeline.render import template_dicts

WORKFLOW_TEMPLATE = "io.argoproj.workflow.v1alpha1.WorkflowTemplate"

# Jobs the example does not have: an image build with no local commands, a command build
# with a deploy, an exec readiness probe, options of every type, and a private repository
# fetched with a git credential (a command-line job that benchmarks in the head's checkout).
VARIANTS = """
argo: {namespace: perf}
repos:
  acme/server:
    default_job: image-only
    jobs:
      image-only:
        build: {dockerfile: Dockerfile, registry: r.example/acme, image: srv}
        deploy: {port: 9000}
        benchmark: {image: bench:1, command: [bench], source: base}
      command-server:
        build: {command: [make, all], builder_image: gcc:13, keep: [bin/server]}
        deploy:
          port: 7000
          command: [./bin/server]
          readiness: {exec: [./bin/server, --ping]}
        benchmark: {image: bench:1, command: [bench], format: go-bench, rounds: 3}
        options:
          rounds: {type: int, min: 1, max: 9}
          ratio: {type: float, min: 0, max: 1}
          warm: {type: bool, default: "false"}
          suite: {type: choice, choices: [small, large]}
          tag: {type: string}
  acme/private:
    default_job: private-cli
    clone_url: https://git.example.com/acme/private.git
    git_credentials_secret: perfbot-git-acme
    jobs:
      private-cli:
        build: {command: [make], builder_image: gcc:13, keep: [bin]}
        benchmark: {image: bench:1, command: [bench], source: head}
"""


@pytest.fixture(scope="session")
def example_config(project_root: Path) -> PerfbotConfig:
    return load_config(project_root / "examples" / "perfbot.yaml")


@pytest.fixture(scope="session")
def variant_config() -> PerfbotConfig:
    return parse_config(VARIANTS, source="variants.yaml")


@pytest.fixture(scope="session")
def example_templates(example_config: PerfbotConfig) -> dict[str, dict[str, Any]]:
    return template_dicts(example_config)


@pytest.fixture(scope="session")
def all_templates(
    example_templates: dict[str, dict[str, Any]], variant_config: PerfbotConfig
) -> dict[str, dict[str, Any]]:
    return {**example_templates, **template_dicts(variant_config)}


@pytest.fixture(scope="session")
def template_validator(contracts_dir: Path) -> jsonschema.protocols.Validator:
    schema = json.loads((contracts_dir / "argo" / "schema.json").read_text())
    wrapper = {"$ref": f"#/definitions/{WORKFLOW_TEMPLATE}", "definitions": schema["definitions"]}
    return jsonschema.Draft202012Validator(wrapper)


def templates_by_name(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in template["spec"]["templates"]}


def tasks_by_name(template: dict[str, Any], dag: str) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in templates_by_name(template)[dag]["dag"]["tasks"]}


def env_of(step: dict[str, Any]) -> dict[str, Any]:
    """name -> value (or valueFrom) of a container template's env."""
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in step["container"].get("env", [])}
