"""Daemon steps: background services that must be ready first, each on its own local port."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.local.conftest import PYTHON, RunTemplate, dag, node, params, workflow
from workflows.local import processes
from workflows.local.nodes import Phase

# A tiny HTTP service on $PORT that becomes ready after READY_AFTER seconds.
SERVICE = (
    "import http.server, os, time\n"
    "time.sleep(float(os.environ.get('READY_AFTER', '0')))\n"
    "class H(http.server.BaseHTTPRequestHandler):\n"
    "    def do_GET(self):\n"
    "        body = os.environ['SIDE'].encode()\n"
    "        self.send_response(200); self.send_header('Content-Length', str(len(body)))\n"
    "        self.end_headers(); self.wfile.write(body)\n"
    "    def log_message(self, *a): pass\n"
    "http.server.HTTPServer(('127.0.0.1', int(os.environ['PORT'])), H).serve_forever()\n"
)


def service(probe: dict[str, object], port_env: str = "8080", ready_after: str = "0") -> dict:
    return {
        "name": "service",
        "daemon": True,
        "inputs": {"parameters": [{"name": "side"}]},
        "container": {
            "image": "x",
            "command": [PYTHON, "-c", SERVICE],
            "env": [
                {"name": "PORT", "value": port_env},
                {"name": "SIDE", "value": "{{inputs.parameters.side}}"},
                {"name": "READY_AFTER", "value": ready_after},
            ],
            "ports": [{"containerPort": 8080}],
            "readinessProbe": probe,
        },
    }


CLIENT = {
    "name": "client",
    "inputs": {"parameters": [{"name": "url"}]},
    "container": {
        "image": "x",
        "command": [
            PYTHON,
            "-c",
            "import sys, urllib.request; "
            "print(urllib.request.urlopen(sys.argv[1]).read().decode())",
            "{{inputs.parameters.url}}",
        ],
    },
}
HTTP_PROBE = {"httpGet": {"path": "/", "port": 8080}, "periodSeconds": 1, "failureThreshold": 20}


def two_services(probe: dict[str, object], **service_options: str) -> dict:
    return workflow(
        dag(
            "main",
            {"name": "base", "template": "service", "arguments": params(side="base")},
            {"name": "head", "template": "service", "arguments": params(side="head")},
            {
                "name": "ask-base",
                "template": "client",
                "depends": "base && head",
                "arguments": params(url="http://{{tasks.base.ip}}:8080/"),
            },
            {
                "name": "ask-head",
                "template": "client",
                "depends": "base && head",
                "arguments": params(url="http://{{tasks.head.ip}}:8080/"),
            },
        ),
        service(probe, **service_options),
        CLIENT,
    )


@pytest.mark.parametrize(
    "probe",
    [
        HTTP_PROBE,
        {"tcpSocket": {"port": 8080}, "periodSeconds": 1, "failureThreshold": 20},
    ],
    ids=["httpGet", "tcpSocket"],
)
def test_two_daemons_on_one_container_port_each_get_their_own(
    run_template: RunTemplate, probe: dict[str, object]
) -> None:
    result, _ = run_template(two_services(probe))
    assert result.succeeded, result.failed
    assert node(result, "ask-base").outputs.result == "base"
    assert node(result, "ask-head").outputs.result == "head"
    base_port, head_port = node(result, "base").ports[8080], node(result, "head").ports[8080]
    assert base_port != head_port


def test_dependants_wait_until_the_daemon_is_ready(run_template: RunTemplate) -> None:
    result, recorder = run_template(two_services(HTTP_PROBE, ready_after="0.7"))
    assert result.succeeded, result.failed
    ready = recorder.events.index(("Succeeded", "base"))
    assert recorder.events.index(("started", "ask-base")) > ready


def test_an_exec_probe_decides_readiness(run_template: RunTemplate, tmp_path: Path) -> None:
    flag = tmp_path / "ready"
    daemon = {
        "name": "d",
        "daemon": True,
        "container": {
            "image": "x",
            "command": [
                PYTHON,
                "-c",
                f"import pathlib, time; time.sleep(0.4); pathlib.Path({str(flag)!r}).touch(); "
                "time.sleep(60)",
            ],
            "readinessProbe": {"exec": {"command": ["test", "-e", str(flag)]}},
        },
    }
    after = {"name": "after", "container": {"image": "x", "command": ["test", "-e", str(flag)]}}
    result, _ = run_template(
        workflow(
            dag(
                "main",
                {"name": "d", "template": "d"},
                {"name": "after", "template": "after", "depends": "d"},
            ),
            daemon,
            after,
        )
    )
    assert result.succeeded, result.failed


def test_daemons_stop_when_their_dag_ends(run_template: RunTemplate) -> None:
    result, _ = run_template(two_services(HTTP_PROBE))
    assert result.succeeded
    assert node(result, "base").message.startswith("stopped when main ended")


def test_a_daemon_that_never_gets_ready_fails_its_step(run_template: RunTemplate) -> None:
    probe = {"httpGet": {"path": "/", "port": 8080}, "periodSeconds": 1, "failureThreshold": 1}
    result, _ = run_template(two_services(probe, ready_after="30"))
    assert result.phase == Phase.FAILED
    assert result.failed is not None
    assert result.failed.id in ("base", "head")
    assert "not ready after 1 s" in result.failed.message
    assert node(result, "ask-base").phase == Phase.OMITTED


def test_a_daemon_that_dies_before_it_is_ready_fails_with_its_exit_code(
    run_template: RunTemplate,
) -> None:
    crash = {
        "name": "crash",
        "daemon": True,
        "container": {
            "image": "x",
            "command": [PYTHON, "-c", "import sys; print('bind failed'); sys.exit(4)"],
            "readinessProbe": HTTP_PROBE,
        },
    }
    result, _ = run_template(workflow(dag("main", {"name": "c", "template": "crash"}), crash))
    assert result.failed is not None
    assert result.failed.message == "daemon exited with code 4 before it was ready"


def test_a_daemon_that_dies_while_needed_fails_the_dag(run_template: RunTemplate) -> None:
    short = {
        "name": "short",
        "daemon": True,
        "container": {"image": "x", "command": [PYTHON, "-c", "import time; time.sleep(0.5)"]},
    }
    slow = {
        "name": "slow",
        "container": {"image": "x", "command": [PYTHON, "-c", "import time; time.sleep(20)"]},
    }
    started = time.monotonic()
    result, _ = run_template(
        workflow(
            dag(
                "main",
                {"name": "svc", "template": "short"},
                {"name": "use", "template": "slow", "depends": "svc"},
            ),
            short,
            slow,
        )
    )
    assert time.monotonic() - started < 10
    assert result.failed is not None
    assert result.failed.id == "svc"
    assert "while still needed" in result.failed.message
    assert node(result, "use").stopped


def test_free_port_inputs_are_handed_to_the_daemon_and_its_probe(run_template: RunTemplate) -> None:
    measure = dag(
        "main",
        {
            "name": "svc",
            "template": "service",
            "arguments": {
                "parameters": [
                    {"name": "side", "value": "base"},
                    {"name": "port", "value": "{{inputs.parameters.port}}"},
                ]
            },
        },
        {
            "name": "ask",
            "template": "client",
            "depends": "svc",
            "arguments": params(url="http://{{tasks.svc.ip}}:{{inputs.parameters.port}}/"),
        },
        inputs={"parameters": [{"name": "port", "value": "8080"}]},
        metadata={"annotations": {"perfbot/local-free-ports": "port"}},
    )
    daemon = service(HTTP_PROBE, port_env="{{inputs.parameters.port}}")
    daemon["inputs"]["parameters"].append({"name": "port"})
    result, _ = run_template(workflow(measure, daemon, CLIENT))
    assert result.succeeded, result.failed
    assert node(result, "ask").outputs.result == "base"
    assert node(result, "svc").ports[8080] != 8080


def test_no_daemon_process_outlives_the_run(run_template: RunTemplate) -> None:
    seen: list[int] = []

    def remember(executor: object) -> None:
        table = executor.run_context.table  # type: ignore[attr-defined]
        original = table.add

        def add(process: processes.LocalProcess) -> None:
            seen.append(process.pgid)
            original(process)

        table.add = add

    result, _ = run_template(two_services(HTTP_PROBE), before=remember)
    assert result.succeeded
    assert len(seen) == 4
    assert not [pgid for pgid in seen if processes.group_alive(pgid)]
