"""The executor walks DAGs and steps with Argo's semantics: order, conditions, parameters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.local.conftest import RunTemplate, dag, node, params, py, workflow
from workflows.local.executor import InvalidRun
from workflows.local.nodes import Phase

ECHO = {
    "name": "echo",
    "inputs": {"parameters": [{"name": "text"}]},
    "container": py(
        "import os, pathlib; p = pathlib.Path('/perfbot/out/text'); "
        "p.parent.mkdir(parents=True, exist_ok=True); p.write_text(os.environ['TEXT']); "
        "print(os.environ['TEXT'])",
        env=[{"name": "TEXT", "value": "{{inputs.parameters.text}}"}],
    ),
    "outputs": {"parameters": [{"name": "text", "valueFrom": {"path": "/perfbot/out/text"}}]},
}
FAIL = {"name": "fail", "container": py("import sys; print('broken build'); sys.exit(3)")}


def echo(name: str, text: str, **task: object) -> dict[str, object]:
    return {"name": name, "template": "echo", "arguments": params(text=text), **task}


def started_order(recorder: object) -> list[str]:
    return [n for event, n in recorder.events if event == "started"]  # type: ignore[attr-defined]


def test_tasks_run_after_their_dependencies(run_template: RunTemplate) -> None:
    result, recorder = run_template(
        workflow(
            dag(
                "main",
                echo("c", "3", depends="a && b"),
                echo("a", "1"),
                echo("b", "2", depends="a"),
            ),
            ECHO,
        )
    )
    assert result.succeeded
    order = started_order(recorder)
    assert order.index("a") < order.index("b") < order.index("c")


def test_output_parameters_flow_to_dependants(run_template: RunTemplate) -> None:
    result, _ = run_template(
        workflow(
            dag(
                "main",
                echo("first", "{{workflow.parameters.greeting}}"),
                echo("second", "{{tasks.first.outputs.parameters.text}} again", depends="first"),
            ),
            ECHO,
            arguments=params(greeting="hello"),
        )
    )
    assert node(result, "second").outputs.parameters["text"] == "hello again"
    assert node(result, "first").outputs.result == "hello"


def test_given_parameters_override_the_templates_defaults(run_template: RunTemplate) -> None:
    document = workflow(
        dag("main", echo("a", "{{workflow.parameters.x}}")), ECHO, arguments=params(x="default")
    )
    result, _ = run_template(document, {"x": "given"})
    assert node(result, "a").outputs.parameters["text"] == "given"


def test_an_unknown_workflow_parameter_is_refused(run_template: RunTemplate) -> None:
    with pytest.raises(InvalidRun, match="no parameter nope"):
        run_template(workflow(dag("main", echo("a", "x")), ECHO), {"nope": "1"})


def test_a_parameter_outside_its_enum_is_refused(run_template: RunTemplate) -> None:
    document = workflow(
        dag("main", echo("a", "x")),
        ECHO,
        arguments={"parameters": [{"name": "rebuild", "value": "true", "enum": ["true", "false"]}]},
    )
    with pytest.raises(InvalidRun, match="rebuild"):
        run_template(document, {"rebuild": "maybe"})


@pytest.mark.parametrize(
    ("when", "phase"),
    [
        ("{{workflow.parameters.rebuild}} == true", Phase.SUCCEEDED),
        ("{{workflow.parameters.rebuild}} == false", Phase.SKIPPED),
        ("'{{workflow.parameters.ref}}' == 'main'", Phase.SKIPPED),
    ],
)
def test_when_decides_whether_a_task_runs(
    run_template: RunTemplate, when: str, phase: Phase
) -> None:
    document = workflow(
        dag("main", echo("maybe", "x", when=when)),
        ECHO,
        arguments=params(rebuild="true", ref="main;curl x|sh"),
    )
    result, _ = run_template(document)
    assert node(result, "maybe").phase == phase
    assert result.succeeded


def test_a_skipped_dependency_lets_dependants_run(run_template: RunTemplate) -> None:
    result, _ = run_template(
        workflow(
            dag("main", echo("build", "x", when="false"), echo("use", "y", depends="build")),
            ECHO,
        )
    )
    assert node(result, "build").phase == Phase.SKIPPED
    assert node(result, "use").phase == Phase.SUCCEEDED


def test_a_failure_omits_dependants_and_fails_the_run(run_template: RunTemplate) -> None:
    result, _ = run_template(
        workflow(
            dag("main", {"name": "build", "template": "fail"}, echo("use", "y", depends="build")),
            ECHO,
            FAIL,
        )
    )
    assert result.phase == Phase.FAILED
    assert result.failed is not None
    assert result.failed.id == "build"
    assert result.failed.message == "exited with code 3"
    assert node(result, "use").phase == Phase.OMITTED


def test_a_failure_handled_by_depends_does_not_fail_the_run(run_template: RunTemplate) -> None:
    result, _ = run_template(
        workflow(
            dag(
                "main",
                {"name": "try", "template": "fail"},
                echo("fallback", "y", depends="try.Failed"),
                echo("happy", "z", depends="try.Succeeded"),
            ),
            ECHO,
            FAIL,
        )
    )
    assert result.succeeded
    assert node(result, "fallback").phase == Phase.SUCCEEDED
    assert node(result, "happy").phase == Phase.OMITTED


def test_continue_on_failed_keeps_the_dag_going(run_template: RunTemplate) -> None:
    result, _ = run_template(
        workflow(
            dag(
                "main",
                {"name": "flaky", "template": "fail", "continueOn": {"failed": True}},
                echo("after", "x", dependencies=["flaky"]),
            ),
            ECHO,
            FAIL,
        )
    )
    assert result.succeeded
    assert node(result, "after").phase == Phase.SUCCEEDED


def test_with_items_runs_one_child_per_item(run_template: RunTemplate) -> None:
    result, _ = run_template(
        workflow(
            dag(
                "main",
                echo(
                    "each",
                    "{{item.side}}-{{item.n}}",
                    withItems=[{"side": "base", "n": 1}, {"side": "head", "n": 2}],
                ),
                echo("after", "{{tasks.each.outputs.parameters}}", depends="each"),
            ),
            ECHO,
        )
    )
    texts = [c.outputs.parameters["text"] for c in node(result, "each").children]
    assert texts == ["base-1", "head-2"]
    aggregated = json.loads(node(result, "after").outputs.parameters["text"])
    assert aggregated == [{"text": "base-1"}, {"text": "head-2"}]


def test_with_sequence_counts_from_start(run_template: RunTemplate) -> None:
    result, _ = run_template(
        workflow(
            dag("main", echo("n", "{{item}}", withSequence={"start": "5", "count": "3"})), ECHO
        )
    )
    assert [c.outputs.parameters["text"] for c in node(result, "n").children] == ["5", "6", "7"]


def test_nested_dags_pass_outputs_up(run_template: RunTemplate) -> None:
    inner = dag(
        "inner",
        echo("leaf", "{{inputs.parameters.word}}!"),
        inputs={"parameters": [{"name": "word"}]},
        outputs={
            "parameters": [
                {
                    "name": "said",
                    "valueFrom": {"parameter": "{{tasks.leaf.outputs.parameters.text}}"},
                }
            ]
        },
    )
    result, _ = run_template(
        workflow(
            dag(
                "main",
                {"name": "sub", "template": "inner", "arguments": params(word="hi")},
                echo("top", "{{tasks.sub.outputs.parameters.said}}", depends="sub"),
            ),
            inner,
            ECHO,
        )
    )
    assert node(result, "sub.leaf").depth == node(result, "sub").depth + 1
    assert node(result, "top").outputs.parameters["text"] == "hi!"


def test_steps_run_group_by_group(run_template: RunTemplate) -> None:
    steps = {
        "name": "main",
        "steps": [
            [echo("one", "1"), echo("two", "2")],
            [
                echo(
                    "three",
                    "{{steps.one.outputs.parameters.text}}+{{steps.two.outputs.parameters.text}}",
                )
            ],
        ],
    }
    result, recorder = run_template(workflow(steps, ECHO))
    assert node(result, "three").outputs.parameters["text"] == "1+2"
    order = started_order(recorder)
    assert order.index("three") > max(order.index("one"), order.index("two"))


def test_an_unknown_variable_fails_the_step_that_uses_it(run_template: RunTemplate) -> None:
    result, _ = run_template(
        workflow(dag("main", echo("a", "{{tasks.nothing.outputs.result}}")), ECHO)
    )
    failed = node(result, "a")
    assert failed.phase == Phase.ERROR
    assert "step a: unknown variable {{tasks.nothing.outputs.result}}" in failed.message


def test_a_missing_output_file_is_an_error(run_template: RunTemplate) -> None:
    template = {
        "name": "quiet",
        "container": py("pass"),
        "outputs": {"parameters": [{"name": "v", "valueFrom": {"path": "/perfbot/out/v"}}]},
    }
    result, _ = run_template(workflow(dag("main", {"name": "q", "template": "quiet"}), template))
    assert node(result, "q").phase == Phase.ERROR
    assert "output parameter 'v'" in node(result, "q").message


def test_parameters_reach_the_process_as_argv_items_unchanged(
    run_template: RunTemplate, tmp_path: Path
) -> None:
    hostile = "main;touch pwned|sh $(touch pwned2) `touch pwned3`"
    template = {
        "name": "argv",
        "inputs": {"parameters": [{"name": "ref"}]},
        "container": py(
            "import sys, pathlib; pathlib.Path(sys.argv[2]).write_text(sys.argv[1])",
            args=["{{inputs.parameters.ref}}", str(tmp_path / "seen")],
        ),
    }
    result, _ = run_template(
        workflow(
            dag("main", {"name": "a", "template": "argv", "arguments": params(ref=hostile)}),
            template,
        )
    )
    assert result.succeeded
    assert (tmp_path / "seen").read_text() == hostile
    assert not list(tmp_path.rglob("pwned*"))
