"""Run labels are valid Kubernetes label values, whatever the repository or ref looks like."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflows.labels import label_value, run_labels, selector

LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


def test_run_labels_name_repo_pr_job_and_head():
    assert run_labels("DataFuseLabs/databend", 12, "databend-sql", "a" * 40) == {
        "perfbot/repo": "datafuselabs.databend",
        "perfbot/pr": "12",
        "perfbot/job": "databend-sql",
        "perfbot/head-sha": "a" * 40,
    }


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("owner.name", "owner.name"),
        ("-lead-and-trail-", "lead-and-trail"),
        ("a b/c", "a.b.c"),
        ("x" * 80, "x" * 63),
        ("", ""),
    ],
)
def test_label_value_keeps_what_is_allowed_and_replaces_the_rest(text, value):
    assert label_value(text) == value


@given(st.text(max_size=200))
def test_label_value_is_always_a_valid_kubernetes_label_value(text):
    value = label_value(text)
    assert len(value) <= 63
    assert LABEL_VALUE.match(value)


def test_selectors_are_stable_whatever_the_order():
    assert selector({"b": "2", "a": "1"}) == "a=1,b=2"
