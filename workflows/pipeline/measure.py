"""`measure`: base and head deployed side by side, then the interleaved benchmark, as one DAG.

The semaphore sits on this template, so it is held from the first deploy to the last round, and
nothing before it (builds) waits for it. Its size is the number of benchmark nodes (an overlay
setting): that many runs measure at once, each on a node of its own, which the measure pods'
affinity rules (`placement`) guarantee whatever the jobs. Its outputs are the two sides' result
artifacts.
"""

from __future__ import annotations

from hera.workflows import DAG, Artifact, Container, Parameter
from hera.workflows.models import ConfigMapKeySelector, SemaphoreRef, Synchronization

from workflows.config import JobConfig, PerfbotConfig
from workflows.pipeline import local
from workflows.pipeline.benchmark import SIDES
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
    config: PerfbotConfig, job: JobConfig, deploy: Container | None, benchmark: Container
) -> DAG:
    with DAG(
        name=NAME,
        synchronization=synchronization(config, job),
        inputs=_port_inputs(job),
        annotations={local.FREE_PORTS: "base-port,head-port"} if deploy else None,
        outputs=[
            Artifact(
                name=f"{side}-results",
                from_=task_artifact("benchmark", f"{side}-results"),
            )
            for side in SIDES
        ],
    ) as dag:
        if deploy is None:
            benchmark(name="benchmark")
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
        arguments = {}
        for side in SIDES:
            arguments[f"{side}-host"] = task_ip(f"deploy-{side}")
            arguments[f"{side}-port"] = input_parameter(f"{side}-port")
        deployed >> benchmark(name="benchmark", arguments=arguments)
    return dag


def _port_inputs(job: JobConfig) -> list[Parameter] | None:
    if job.deploy is None:
        return None
    port = str(job.deploy.port)
    return [Parameter(name=f"{side}-port", value=port) for side in SIDES]
