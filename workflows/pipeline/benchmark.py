"""`benchmark`: all rounds of both sides in one pod, interleaved AB BA AB BA ...

One pod on the benchmark nodes runs every round, so both sides meet the same machine in the same
state, and alternating them turns slow drift (thermal, noisy neighbours) into noise on both
sides rather than a false regression. Against a deployed service each round gets the side's URL
in PERFBOT_TARGET; for a command-line benchmark the round runs inside the side's build on the
workspace. Each round writes one file, PERFBOT_RESULT, in the job's result format. In a
confirmation run PERFBOT_BENCHMARKS names the benchmarks to measure again, one a line; a
command may ignore it (the comparison then judges what it measured).

What the rounds ran on is recorded beside the results, so a comparison can refuse to judge
across machines: PERFBOT_NODE_NAME is the pod's node (downward API, `spec.nodeName`), and
PERFBOT_IMAGE, PERFBOT_BASE_IMAGE, PERFBOT_HEAD_IMAGE the image references of the client and of
what each side runs. They are references as rendered (an image build's tag is its commit), not
digests: the downward API does not expose `imageID`, and the pod has no Kubernetes token to
read its own status. The CPU model and kernel come from the node itself (`/proc/cpuinfo`,
`uname`), which the pod sees directly.
"""

from __future__ import annotations

from hera.workflows import Artifact, Container, Env, FieldEnv, Parameter
from hera.workflows.models import Capabilities, SecurityContext

from workflows.config import JobConfig
from workflows.pipeline import common, drivers, fetch, paths, placement
from workflows.pipeline.deploy import deploy_image
from workflows.pipeline.parameters import BASE_SHA, HEAD_SHA, ROUNDS, env_name
from workflows.pipeline.variables import input_parameter, workflow_parameter

NAME = "benchmark"
SIDES = ("base", "head")
NODE_NAME_ENV = "PERFBOT_NODE_NAME"
# Inputs of the benchmark and of `measure`: the first measurement passes the `rounds` and
# `benchmarks` workflow parameters (no names, except in a bisection's step); the confirmation
# run its `confirm_rounds` and the flagged benchmarks.
ROUNDS_INPUT = "rounds"
BENCHMARKS_INPUT = "benchmarks"
BENCHMARKS_ENV = "PERFBOT_BENCHMARKS"


def benchmark_template(job: JobConfig) -> Container:
    bench = job.benchmark
    values = {
        "PERFBOT_ROUNDS": input_parameter(ROUNDS_INPUT),
        BENCHMARKS_ENV: input_parameter(BENCHMARKS_INPUT),
        "PERFBOT_RESULTS": paths.RESULTS,
        "PERFBOT_RESULT_SUFFIX": bench.result_suffix,
        "PERFBOT_RESULT_FORMAT": bench.format,
        "PERFBOT_BASE_SHA": workflow_parameter(BASE_SHA),
        "PERFBOT_HEAD_SHA": workflow_parameter(HEAD_SHA),
        "PERFBOT_IMAGE": bench.image,
        "PERFBOT_BASE_IMAGE": side_image(job, workflow_parameter(BASE_SHA)),
        "PERFBOT_HEAD_IMAGE": side_image(job, workflow_parameter(HEAD_SHA)),
        "PERFBOT_MEASURE": " ".join(dict.fromkeys(bench.measure)),
        "PERFBOT_PROCESSES": str(bench.processes),
    }
    inputs: list[Parameter | Artifact] = [
        Parameter(name=ROUNDS_INPUT),
        Parameter(name=BENCHMARKS_INPUT),
    ]
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
    if source != "none":  # the `fetch` step's checkout of that side, through `measure`
        inputs.append(fetch.source_input())

    env: list[Env | FieldEnv] = [*common.env(values)]
    env.append(FieldEnv(name=NODE_NAME_ENV, field_path="spec.nodeName"))
    return Container(
        termination_message_policy=common.TERMINATION_MESSAGE_POLICY,
        name=NAME,
        image=bench.image,
        command=["sh", "-c", drivers.load("benchmark"), "perfbot-benchmark", *bench.command],
        env=env,
        working_dir=paths.SOURCE if source != "none" else None,
        volume_mounts=[common.workspace_mount()] if job.deploy is None else None,
        inputs=inputs,
        outputs=[
            Artifact(name=f"{side}-results", path=f"{paths.RESULTS}/{side}") for side in SIDES
        ],
        active_deadline_seconds=bench.timeout,
        node_selector=common.node_selector(job.placement),
        tolerations=common.tolerations(job.placement),
        affinity=placement.measure_affinity(),
        labels=placement.measure_labels(),
        resources=common.resources(bench.resources),
        security_context=perf_context(job),
    )


def perf_context(job: JobConfig) -> SecurityContext | None:
    """CAP_PERFMON for `perf stat -e instructions:u` when the job allows it: the default
    seccomp profile of most runtimes refuses perf_event_open without it. The node must also
    expose hardware counters (many VMs do not) and allow them (kernel.perf_event_paranoid); the
    driver says when it could not count."""
    if not job.benchmark.perf_events:
        return None
    return SecurityContext(capabilities=Capabilities(add=["PERFMON"]))


def side_image(job: JobConfig, sha: str) -> str:
    """What one side runs: its deployed service's image, or the client's own for a build dir."""
    if job.deploy is not None:
        return deploy_image(job, sha)
    return job.benchmark.image
