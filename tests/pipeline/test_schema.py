"""Every generated WorkflowTemplate is valid for Argo and survives Hera's models unchanged."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hera.workflows import WorkflowTemplate

from workflows.pipeline.render import to_yaml


def test_every_template_validates_against_argos_schema(all_templates, template_validator):
    for name, template in all_templates.items():
        problems = [e.message for e in template_validator.iter_errors(template)]
        assert problems == [], name


def test_every_template_survives_a_round_trip_through_heras_models(all_templates):
    for name, template in all_templates.items():
        assert WorkflowTemplate.from_dict(template).to_dict() == template, name


def test_the_yaml_text_reads_back_as_the_same_template(all_templates):
    for name, template in all_templates.items():
        assert yaml.safe_load(to_yaml(template)) == template, name


def test_scripts_are_written_as_readable_yaml_blocks(example_templates):
    text = to_yaml(example_templates["perf-databend-sql.yaml"])
    lines = [line.strip() for line in text.splitlines()]
    assert "- |" in lines
    assert "set -eu" in lines


def _strings(node: Any):
    if isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


@pytest.mark.parametrize("forbidden", ["/work/", "pypi.org", "files.pythonhosted"])
def test_no_template_names_a_path_or_registry_of_this_machine(all_templates, forbidden):
    for template in all_templates.values():
        assert not any(forbidden in s for s in _strings(template))
