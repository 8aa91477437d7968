"""`when` and `depends`: Argo's condition languages, parsed by hand (never `eval`)."""

from __future__ import annotations

import pytest

from workflows.local.expressions import (
    ExpressionError,
    depends_results,
    depends_tasks,
    evaluate_depends,
    evaluate_when,
)

WHEN_CASES = [
    ("true == true", True),
    ("false == true", False),
    ("true", True),
    ("'a' == 'a'", True),
    ('"a" != "b"', True),
    ("heads == heads", True),  # bare words are strings, as in Argo
    ("heads == 'heads'", True),
    ("true == 'true'", False),  # a boolean is not a string
    ("2 > 10", False),
    ("2.5 <= 2.5", True),
    ("!(1 == 2)", True),
    ("true && false || true", True),
    ("true && (false || false)", False),
    ("'main;curl x|sh' == main", False),  # hostile text stays a string
    ("'it\\'s' == \"it's\"", True),  # backslash escapes inside quotes
]


@pytest.mark.parametrize(("text", "expected"), WHEN_CASES)
def test_when_expressions_evaluate_like_argo(text: str, expected: bool) -> None:
    assert evaluate_when(text) is expected


@pytest.mark.parametrize(
    "text",
    ["", "a ==", "(true", "true)", "'a' < 'b'", "1 == 1 ==", "&& true", "'unterminated"],
)
def test_malformed_when_expressions_are_errors(text: str) -> None:
    with pytest.raises(ExpressionError):
        evaluate_when(text)


def test_a_when_expression_that_is_not_boolean_is_an_error() -> None:
    with pytest.raises(ExpressionError, match="true or false"):
        evaluate_when("'just a string'")


def test_a_when_expression_cannot_call_python() -> None:
    with pytest.raises(ExpressionError):
        evaluate_when("__import__('os').system('true')")


FINISHED = {"a": "Succeeded", "b": "Failed", "c": "Skipped", "d": "Omitted"}


def result_of(task: str, result: str) -> bool:
    return FINISHED[task] == result


DEPENDS_CASES = [
    ("a", True),
    ("b", False),
    ("c", True),  # a skipped dependency counts as done
    ("d", False),
    ("a && c", True),
    ("a && b", False),
    ("a || b", True),
    ("b.Failed", True),
    ("!b.Failed", False),
    ("a.Succeeded && (b.Failed || b.Errored)", True),
    ("c.Skipped", True),
    ("d.Omitted", True),
]


@pytest.mark.parametrize(("text", "expected"), DEPENDS_CASES)
def test_depends_expressions_evaluate_like_argo(text: str, expected: bool) -> None:
    assert evaluate_depends(text, result_of) is expected


def test_depends_lists_the_tasks_in_order_of_mention() -> None:
    assert depends_tasks("build-base && (build-head.Succeeded || x.Skipped)") == [
        "build-base",
        "build-head",
        "x",
    ]


def test_depends_reports_explicit_results() -> None:
    assert depends_results("a && b.Failed || c.Errored") == {("b", "Failed"), ("c", "Errored")}


@pytest.mark.parametrize("text", ["a.Exploded", "a == b", "a &&", "'a'"])
def test_bad_depends_expressions_are_errors(text: str) -> None:
    with pytest.raises(ExpressionError):
        depends_tasks(text)
