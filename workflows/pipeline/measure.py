"""`measure`: base and head deployed side by side, then the interleaved benchmark, as one DAG.

The semaphore sits on this template, so it is held from the first deploy to the last round, and
nothing before it (builds) waits for it. Its size is the number of benchmark nodes (an overlay
setting): that many runs measure at once, each on a node of its own, which the measure pods'
affinity rules (`placement`) guarantee whatever the jobs. Its outputs are the two sides' result
artifacts.

Its inputs `rounds` and `benchmarks` go to the benchmark as they are, and so does the input
artifact `source` when the benchmark runs in a side's checkout (the `fetch` step's, taken with
`from:`, not cloned again): the pipeline calls it once
for the measurement and, when the first comparison flags something, once more for the
confirmation run. That second call deploys both sides again and takes the semaphore again
rather than keeping the first call's deploys alive through the comparison: the node is not held
while nothing is measured, and the same placement rules put the confirmation's pods together
on one node (possibly another one: a change that repeats on another machine is the stronger
evidence, and each comparison only ever compares rounds measured side by side).
"""

from __future__ import annotations

from hera.workflows import DAG, Artifact, Container, Parameter
from hera.workflows.models import ConfigMapKeySelector, SemaphoreRef, Synchronization

from workflows.config import JobConfig, PerfbotConfig
from workflows.pipeline import fetch, local
from workflows.pipeline.benchmark import BENCHMARKS_INPUT, ROUNDS_INPUT, SIDES
from workflows.pipeline.parameters import BASE_SHA, HEAD_SHA
from workflows.pipeline.variables import (
    input_parameter,
    task_artifact,
    task_ip,
    workflow_parameter,
)

NAME = "measure"


def synchronization(config: PerfbotConfig, job: JobConfig) -> Synchronization:
    ref = ConfigMapKeySelector(name=config.argo.semaphore_config_map, key=job.placement.semaphore)
    return Synchronization(semaphores=[SemaphoreRef(config_map_key_ref=ref)])


def measure_dag(
    config: PerfbotConfig,
    job: JobConfig,
    deploy: Container | None,
    benchmark: Container,
    reserve: Container,
) -> DAG:
    with DAG(
        name=NAME,
        synchronization=synchronization(config, job),
        inputs=_inputs(job),
        annotations={local.FREE_PORTS: "base-port,head-port"} if deploy else None,
        outputs=[
            Artifact(
                name=f"{side}-results",
                from_=task_artifact("benchmark", f"{side}-results"),
            )
            for side in SIDES
        ],
    ) as dag:
        passed = {name: input_parameter(name) for name in (ROUNDS_INPUT, BENCHMARKS_INPUT)}
        source = [fetch.passed_on()] if job.benchmark_source != "none" else []
        reserved = reserve(name="reserve")  # first: a run that cannot be placed fails fast
        if deploy is None:
            reserved >> benchmark(name="benchmark", arguments=[*_parameters(passed), *source])
            return dag
        shas = {"base": BASE_SHA, "head": HEAD_SHA}
        deployed = [
            deploy(
                name=f"deploy-{side}",
                arguments={
                    "side": side,
                    "sha": workflow_parameter(shas[side]),
                    "port": input_parameter(f"{side}-port"),
                },
            )
            for side in SIDES
        ]
        arguments = dict(passed)
        for side in SIDES:
            arguments[f"{side}-host"] = task_ip(f"deploy-{side}")
            arguments[f"{side}-port"] = input_parameter(f"{side}-port")
        reserved >> deployed
        deployed >> benchmark(name="benchmark", arguments=[*_parameters(arguments), *source])
    return dag


def _parameters(values: dict[str, str]) -> list[Parameter]:
    return [Parameter(name=name, value=value) for name, value in values.items()]


def _inputs(job: JobConfig) -> list[Parameter | Artifact]:
    passed: list[Parameter | Artifact] = [
        Parameter(name=ROUNDS_INPUT),
        Parameter(name=BENCHMARKS_INPUT),
    ]
    if job.benchmark_source != "none":
        passed.append(Artifact(name=fetch.OUTPUT))
    if job.deploy is None:
        return passed
    port = str(job.deploy.port)
    return [*passed, *(Parameter(name=f"{side}-port", value=port) for side in SIDES)]
