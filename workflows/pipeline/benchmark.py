"""`benchmark`: all rounds of both sides in one pod, interleaved base, head, base, head ...

One pod on the benchmark nodes runs every round, so both sides meet the same machine in the same
state, and alternating them turns slow drift (thermal, noisy neighbours) into noise on both
sides rather than a false regression. Against a deployed service each round gets the side's URL
in PERFBOT_TARGET; for a command-line benchmark the round runs inside the side's build on the
workspace. Each round writes one file, PERFBOT_RESULT, in the job's result format.
"""

from __future__ import annotations

from hera.workflows import Artifact, Container, Parameter

from workflows.config import JobConfig
from workflows.pipeline import build, common, drivers, paths
from workflows.pipeline.parameters import BASE_SHA, HEAD_SHA, ROUNDS, env_name
from workflows.pipeline.variables import input_parameter, workflow_parameter

NAME = "benchmark"
SIDES = ("base", "head")


def benchmark_template(job: JobConfig, clone_url: str) -> Container:
    bench = job.benchmark
    values = {
        "PERFBOT_ROUNDS": workflow_parameter(ROUNDS),
        "PERFBOT_RESULTS": paths.RESULTS,
        "PERFBOT_RESULT_SUFFIX": bench.result_suffix,
        "PERFBOT_RESULT_FORMAT": bench.format,
        "PERFBOT_BASE_SHA": workflow_parameter(BASE_SHA),
        "PERFBOT_HEAD_SHA": workflow_parameter(HEAD_SHA),
    }
    inputs: list[Parameter | Artifact] = []
    if job.deploy is not None:
        values["PERFBOT_TARGET_KIND"] = "url"
        for side in SIDES:
            for part in ("host", "port"):
                inputs.append(Parameter(name=f"{side}-{part}"))
                values[f"PERFBOT_{side.upper()}_{part.upper()}"] = input_parameter(f"{side}-{part}")
    else:
        values["PERFBOT_TARGET_KIND"] = "dir"
        values["PERFBOT_BASE_DIR"] = paths.side_workspace("base")
        values["PERFBOT_HEAD_DIR"] = paths.side_workspace("head")
    for spec in job.options.values():
        if spec.parameter != ROUNDS:
            values[env_name(spec.parameter)] = workflow_parameter(spec.parameter)
    values.update(bench.env)

    source = job.benchmark_source
    if source != "none":
        sha_parameter = BASE_SHA if source == "base" else HEAD_SHA
        inputs.append(build.source_artifact(clone_url, workflow_parameter(sha_parameter)))

    return Container(
        name=NAME,
        image=bench.image,
        command=["sh", "-c", drivers.load("benchmark"), "perfbot-benchmark", *bench.command],
        env=common.env(values),
        working_dir=paths.SOURCE if source != "none" else None,
        volume_mounts=[common.workspace_mount()] if job.deploy is None else None,
        inputs=inputs or None,
        outputs=[
            Artifact(name=f"{side}-results", path=f"{paths.RESULTS}/{side}") for side in SIDES
        ],
        active_deadline_seconds=bench.timeout,
        node_selector=common.node_selector(job.placement),
        tolerations=common.tolerations(job.placement),
        resources=common.resources(bench.resources),
    )
