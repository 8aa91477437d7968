"""Options a PR comment may set: parsed to the parameter string, or refused with a reason."""

from __future__ import annotations

import pytest

from workflows.config import JobConfig, OptionSpec, parse_config
from workflows.pipeline import parameters

# (spec, raw, parsed or None when refused, reason fragment)
CASES = [
    ({"type": "int", "min": 1, "max": 50}, "20", "20", ""),
    ({"type": "int", "min": 1, "max": 50}, "051", None, "at most 50"),
    ({"type": "int", "min": 1, "max": 50}, "0", None, "at least 1"),
    ({"type": "int"}, "2.5", None, "expected an integer"),
    ({"type": "int"}, "1;rm", None, "expected an integer"),
    ({"type": "float", "min": 0, "max": 1}, "0.25", "0.25", ""),
    ({"type": "float"}, "nan", None, "finite"),
    ({"type": "float", "max": 1}, "1.5", None, "at most 1"),
    ({"type": "bool"}, "yes", "true", ""),
    ({"type": "bool"}, "OFF", "false", ""),
    ({"type": "bool"}, "maybe", None, "true or false"),
    ({"type": "choice", "choices": ["small", "large"]}, "large", "large", ""),
    ({"type": "choice", "choices": ["small", "large"]}, "huge", None, "one of small, large"),
    ({"type": "string"}, "v1.2-rc_3", "v1.2-rc_3", ""),
    ({"type": "string"}, "a b", None, "matching"),
    ({"type": "string"}, "$(id)", None, "matching"),
    ({"type": "string", "pattern": "^q[0-9]+$"}, "q12", "q12", ""),
]


@pytest.mark.parametrize(("spec", "raw", "parsed", "reason"), CASES)
def test_an_option_value_is_parsed_or_refused_with_a_reason(spec, raw, parsed, reason):
    option = OptionSpec(**spec)
    if parsed is None:
        with pytest.raises(ValueError, match=reason):
            option.parse(raw)
    else:
        assert option.parse(raw) == parsed


@pytest.fixture
def job() -> JobConfig:
    config = parse_config(
        "repos:\n  a/b:\n    default_job: j\n    jobs:\n      j:\n"
        "        build: {command: [make], builder_image: gcc}\n"
        "        benchmark: {image: b, command: [x], rounds: 7}\n"
        "        options:\n"
        "          rounds: {type: int, min: 1, max: 50, help: rounds per side}\n"
        "          size: {type: choice, choices: [s, m], parameter: data-size}\n"
    )
    return config.job("j")


def test_options_map_comment_keys_to_workflow_parameters(job):
    assert job.parse_options({"rounds": "20", "size": "m"}) == {"rounds": "20", "data-size": "m"}


def test_an_unknown_option_is_refused_naming_the_allowed_ones(job):
    allowed = r"unknown option 'warmup' for job j \(allowed: rounds, size\)"
    with pytest.raises(ValueError, match=allowed):
        job.parse_options({"warmup": "3"})


def test_a_bad_option_value_names_the_option(job):
    with pytest.raises(ValueError, match="option rounds: expected at most 50"):
        job.parse_options({"rounds": "99"})


def test_submit_parameters_fill_every_declared_parameter(job):
    values = parameters.submit_parameters(
        "a/b",
        job,
        head_sha="a" * 40,
        base_sha="b" * 40,
        base_ref="main",
        pr=12,
        rebuild=False,
        callback_url="https://bot/callback",
        options={"data-size": "m"},
    )
    assert values == {
        "repo": "a/b",
        "pr": "12",
        "head-sha": "a" * 40,
        "base-sha": "b" * 40,
        "base-ref": "main",
        "head-ref": "",
        "job": "j",
        "rebuild": "false",
        "callback-url": "https://bot/callback",
        "rounds": "7",
        "benchmarks": "",
        "data-size": "m",
    }


def test_submit_parameters_name_the_benchmarks_to_measure_one_a_line(job):
    values = parameters.submit_parameters(
        "a/b", job, head_sha="a" * 40, base_sha="b" * 40, base_ref="main",
        benchmarks=["GET /search", "GET /items"],
    )  # fmt: skip
    assert values["benchmarks"] == "GET /search\nGET /items"


def test_submit_parameters_refuse_an_undeclared_parameter(job):
    with pytest.raises(ValueError, match="no option parameter 'colour'"):
        parameters.submit_parameters(
            "a/b",
            job,
            head_sha="a" * 7,
            base_sha="b" * 7,
            base_ref="main",
            options={"colour": "red"},
        )


def test_parameters_become_perfbot_environment_variable_names():
    assert parameters.env_name("head-sha") == "PERFBOT_HEAD_SHA"
    assert parameters.env_name("data-size") == "PERFBOT_DATA_SIZE"
