"""A stand-in Argo Server: real HTTP on 127.0.0.1, Argo's REST shapes, strict about bodies.

Tests of `perfbot submit`, of the bot and a load benchmark talk to it through the real client
(`requests`), so what they send is checked against Argo's published swagger.json
(`tests/contracts/argo/swagger.json`), with unknown fields refused too (the published definitions
allow any extra key, which would let a misspelt `submitOptions` through).

    with ArgoStandIn(token="s3cret", templates=["perf-sql"]) as argo:
        client = ArgoClient(argo.url, argo.namespace, "s3cret")
        client.submit("perf-sql", {"head-sha": "abc"}, name="perf-1")
        assert argo.workflows["perf-1"]["metadata"]["labels"][...]
        argo.fail_next(500)       # the next request answers 500
        argo.hang_next(2.0)       # the next request waits 2 s before answering
        argo.measuring("perf-1", done=7, total=20, started="2024-05-01T10:00:00Z")
        argo.queued("perf-2", lock="perfbot/ConfigMap/perfbot-semaphores/benchmark-nodes")

Behaviour, as the real server: submit -> 200 with the Workflow (named as asked, or from
`generateName`); 409 when the name exists; 404 for an unknown template; 401 without or with a
wrong bearer token; 403 for another namespace; list with `listOptions.labelSelector`; get;
stop. Bodies that do not match their swagger definition -> 400 with the reason.

Where a run is, as Argo's controller records it (v4.0.5): `measuring` gives the workflow the
nodes of a run in its benchmark (builds done, deploys running as daemons, the benchmark pod
with its self-reported `progress`), `queued` those of a run whose `measure` template waits for
its semaphore (the node `Pending` with `synchronizationStatus.waiting` and the controller's
"Waiting for <lock> lock. Lock status: 0/<n>" message, the lock in
`status.synchronization.semaphore.waiting`), `finish(..., started=, finished=)` a finished
run with its times. The workflow's `progress` is the sum of its pods' progress, as the
controller computes it. Every such workflow is checked against swagger.json's `Workflow`
definition (strict) before it is stored, so the bot is tested against the shape it will get.

Run alone (for a manual try or another process): `python -m tests.standins.argo_server`.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
import secrets
import threading
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import jsonschema

from tests.standins.serving import KeepAliveHandler, ServedStandIn
from workflows.labels import run_labels

SWAGGER = Path(__file__).resolve().parents[1] / "contracts" / "argo" / "swagger.json"
PREFIX = "io.argoproj.workflow.v1alpha1."

COMPLETED = "workflows.argoproj.io/completed"
PHASE = "workflows.argoproj.io/phase"
FROM_TEMPLATE = "workflows.argoproj.io/workflow-template"

# grpc status codes Argo puts in its error bodies (grpc.gateway.runtime.Error)
GRPC = {400: 3, 401: 16, 403: 7, 404: 5, 409: 6, 500: 13, 503: 14}


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any  # parsed JSON, or None
    status: int = 0  # what the stand-in answered


@dataclass
class _Fault:
    status: int | None = None
    message: str = ""
    delay: float = 0.0
    method: str | None = None  # only requests with this method
    path: str | None = None  # only requests whose path ends with this
    selector: str | None = None  # only listings with this `listOptions.labelSelector`

    def applies(self, request: RecordedRequest) -> bool:
        selectors = request.query.get("listOptions.labelSelector") or [""]
        return (
            (self.method is None or request.method == self.method)
            and (self.path is None or request.path.endswith(self.path))
            and (self.selector is None or selectors[0] == self.selector)
        )


@dataclass
class _State:
    workflows: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)
    faults: list[_Fault] = field(default_factory=list)


@lru_cache(maxsize=4)
def _definitions(path: str) -> dict[str, Any]:
    """Swagger definitions with `additionalProperties: false` wherever properties are listed."""
    definitions = copy.deepcopy(json.loads(Path(path).read_text())["definitions"])

    def strict(node: Any) -> None:
        if isinstance(node, dict):
            if "properties" in node and "additionalProperties" not in node:
                node["additionalProperties"] = False
            for value in node.values():
                strict(value)
        elif isinstance(node, list):
            for value in node:
                strict(value)

    strict(definitions)
    return definitions


def validate(definition: str, body: Any, *, swagger: Path = SWAGGER) -> list[str]:
    """Reasons `body` does not match `#/definitions/<definition>`; empty when it does."""
    schema = {"$ref": f"#/definitions/{definition}", "definitions": _definitions(str(swagger))}
    validator = jsonschema.Draft4Validator(schema)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(body)'}: {error.message}"
        for error in sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    ]


def matches_selector(labels: dict[str, str], selector: str) -> bool:
    """Kubernetes label selector: `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a)`."""
    for term in _split_selector(selector):
        if m := re.fullmatch(r"([^\s!=,()]+)\s+(in|notin)\s+\(([^)]*)\)", term):
            key, op, values = m.group(1), m.group(2), {v.strip() for v in m.group(3).split(",")}
            inside = key in labels and labels[key] in values
            if (op == "in") != inside:
                return False
        elif m := re.fullmatch(r"([^\s!=]+)\s*(!=|==|=)\s*([^\s]*)", term):
            key, op, value = m.groups()
            equal = labels.get(key) == value
            if (op == "!=" and equal) or (op != "!=" and not equal):
                return False
        elif term.startswith("!"):
            if term[1:].strip() in labels:
                return False
        elif term not in labels:
            return False
    return True


def _split_selector(selector: str) -> list[str]:
    terms, depth, current = [], 0, ""
    for char in selector:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            terms.append(current.strip())
            current = ""
        else:
            current += char
    terms.append(current.strip())
    return [t for t in terms if t]


class ArgoStandIn(ServedStandIn):
    """A context manager running the stand-in on a free port in a background thread."""

    def __init__(
        self,
        *,
        token: str | None = "test-token",  # noqa: S107 - a stand-in's fixed test token
        templates: Iterable[str] = (),
        namespace: str = "perfbot",
        latency: float = 0.0,
        swagger: Path = SWAGGER,
    ) -> None:
        self.token = token
        self.templates = set(templates)
        self.namespace = namespace
        self.latency = latency
        self.swagger = swagger
        self._state = _State()
        self._lock = threading.Lock()
        self._closing = threading.Event()

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> ArgoStandIn:
        _definitions(str(self.swagger))  # load once, before the first request waits on it
        self._serve(type("Handler", (_Handler,), {"standin": self}))
        return self

    def stop(self) -> None:
        self._closing.set()
        super().stop()

    # -- what tests look at and steer -------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._state.requests)

    @property
    def workflows(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(self._state.workflows)

    def fail_next(
        self,
        status: int,
        message: str = "injected failure",
        *,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
        selector: str | None = None,
    ) -> None:
        """The next `times` requests (with `method`, a path ending in `path`, a listing's
        label `selector`, if given) answer `status`, after being recorded."""
        with self._lock:
            self._state.faults.extend(
                _Fault(status, message, method=method, path=path, selector=selector)
                for _ in range(times)
            )

    def hang_next(
        self,
        seconds: float,
        *,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        """Delay the next requests (longer than a client's timeout reads as a hang)."""
        with self._lock:
            self._state.faults.extend(
                _Fault(delay=seconds, method=method, path=path) for _ in range(times)
            )

    def add_workflow(self, name: str, labels: dict[str, str], phase: str = "Running") -> None:
        """A workflow that exists already (e.g. a run a new command should supersede)."""
        with self._lock:
            self._state.workflows[name] = self._workflow(name, "", labels, [], phase)

    def forget(self, name: str) -> None:
        """The workflow is gone, as after its `ttlStrategy` deleted it."""
        with self._lock:
            self._state.workflows.pop(name, None)

    def add_run_of(self, payload: Any, created: str | None = None) -> None:
        """The workflow a callback `payload` reports on, labelled as the bot submits it, unless
        the stand-in has it already (a test's callbacks then reach a run the bot knows)."""
        run = payload.run
        with self._lock:
            known = payload.workflow_name in self._state.workflows
        if not known:
            labels = run_labels(run.repo, run.pr, run.job, run.head_sha)
            self.add_workflow(payload.workflow_name, labels)
        if created is not None:
            self.created_at(payload.workflow_name, created)

    def finish(
        self,
        name: str,
        phase: str = "Succeeded",
        *,
        started: str | None = None,
        finished: str | None = None,
        benchmark: tuple[str, str, int] | None = None,
    ) -> None:
        """`benchmark`: (startedAt, finishedAt, rounds) of its benchmark pod, all sides done."""
        with self._lock:
            workflow = copy.deepcopy(self._state.workflows[name])
            self._set_phase(workflow, phase)
            status = workflow["status"]
            if started:
                status["startedAt"] = started
            if finished:
                status["finishedAt"] = finished
            if benchmark is not None:
                begun, ended, rounds = benchmark
                nodes = [
                    _node(name, "", "DAG", "pipeline", phase, started=started, finished=finished),
                    _node(
                        name,
                        "measure.benchmark",
                        "Pod",
                        "benchmark",
                        "Succeeded",
                        started=begun,
                        finished=ended,
                        progress=f"{2 * rounds}/{2 * rounds}",
                    ),
                ]
                _set_nodes(status, nodes)
            self._store(workflow)

    def measuring(
        self, name: str, *, done: int, total: int, started: str, deploy: bool = True
    ) -> None:
        """A run in its benchmark: `done` of `total` sides measured since `started`."""
        with self._lock:
            workflow = copy.deepcopy(self._state.workflows[name])
            status = workflow["status"]
            status.setdefault("startedAt", workflow["metadata"]["creationTimestamp"])
            nodes = [
                _node(name, "", "DAG", "pipeline", "Running", started=status["startedAt"]),
                *(
                    _node(name, f"build-{side}", "Pod", "build", "Succeeded", progress="1/1")
                    for side in ("base", "head")
                ),
                _node(name, "measure", "DAG", "measure", "Running", started=started),
                _node(
                    name,
                    "measure.benchmark",
                    "Pod",
                    "benchmark",
                    "Running",
                    started=started,
                    progress=f"{done}/{total}",
                ),
            ]
            if deploy:
                nodes += [
                    _node(
                        name,
                        f"measure.deploy-{side}",
                        "Pod",
                        "deploy",
                        "Running",
                        progress="0/1",
                        daemoned=True,
                    )
                    for side in ("base", "head")
                ]
            _set_nodes(status, nodes)
            self._store(workflow)

    def queued(self, name: str, *, lock: str, holders: Iterable[str] = (), limit: int = 1) -> None:
        """A run whose `measure` waits for the semaphore `lock`, held by `holders`."""
        with self._lock:
            workflow = copy.deepcopy(self._state.workflows[name])
            status = workflow["status"]
            status.setdefault("startedAt", workflow["metadata"]["creationTimestamp"])
            message = f"Waiting for {lock} lock. Lock status: 0/{limit}"
            measure = _node(name, "measure", "DAG", "measure", "Pending", message=message)
            measure["synchronizationStatus"] = {"waiting": lock}
            nodes = [
                _node(name, "", "DAG", "pipeline", "Running", started=status["startedAt"]),
                *(
                    _node(name, f"build-{side}", "Pod", "build", "Succeeded", progress="1/1")
                    for side in ("base", "head")
                ),
                measure,
            ]
            _set_nodes(status, nodes)
            waiting = [{"semaphore": lock, "holders": list(holders)}]
            status["synchronization"] = {"semaphore": {"waiting": waiting}}
            self._store(workflow)

    def created_at(self, name: str, timestamp: str) -> None:
        """Set `metadata.creationTimestamp` (the order in which Argo serves a semaphore)."""
        with self._lock:
            workflow = copy.deepcopy(self._state.workflows[name])
            workflow["metadata"]["creationTimestamp"] = timestamp
            self._store(workflow)

    def _store(self, workflow: dict[str, Any]) -> None:
        """Keep `workflow` if it matches swagger.json's `Workflow`; the caller holds the lock."""
        problems = validate(PREFIX + "Workflow", workflow, swagger=self.swagger)
        if problems:
            raise ValueError("not an Argo Workflow: " + "; ".join(problems))
        self._state.workflows[workflow["metadata"]["name"]] = workflow

    # -- request handling (called from the server's threads) ---------------------------------

    def handle(self, request: RecordedRequest) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self._state.requests.append(request)
            fault = self._take_fault(request)
        delay = self.latency + (fault.delay if fault else 0.0)
        if delay:
            self._closing.wait(delay)
        if fault and fault.status:
            return _error(fault.status, fault.message)
        expected = f"Bearer {self.token}"
        if self.token is not None and request.headers.get("authorization") != expected:
            return _error(401, "token not valid. see https://argo-workflows.readthedocs.io/")
        return self._route(request)

    def _take_fault(self, request: RecordedRequest) -> _Fault | None:
        for index, fault in enumerate(self._state.faults):
            if fault.applies(request):
                return self._state.faults.pop(index)
        return None

    def _route(self, request: RecordedRequest) -> tuple[int, dict[str, Any]]:
        parts = [unquote(p) for p in request.path.strip("/").split("/")]
        if parts[:3] != ["api", "v1", "workflows"] or len(parts) < 4:
            return _error(404, f"no route for {request.method} {request.path}")
        namespace = parts[3]
        if namespace != self.namespace:
            return _error(403, f'workflows.argoproj.io is forbidden in namespace "{namespace}"')
        rest = parts[4:]
        if request.method == "POST" and rest == ["submit"]:
            return self._submit(namespace, request.body)
        if request.method == "GET" and rest == []:
            selector = (request.query.get("listOptions.labelSelector") or [""])[0]
            return self._list(selector)
        if request.method == "GET" and len(rest) == 1:
            return self._get(rest[0])
        if request.method == "PUT" and len(rest) == 2 and rest[1] == "stop":
            return self._stop(namespace, rest[0], request.body)
        return _error(404, f"no route for {request.method} {request.path}")

    def _submit(self, namespace: str, body: Any) -> tuple[int, dict[str, Any]]:
        problems = validate(PREFIX + "WorkflowSubmitRequest", body, swagger=self.swagger)
        if problems:
            return _error(400, "invalid WorkflowSubmitRequest: " + "; ".join(problems))
        if body.get("namespace") not in (None, namespace):
            return _error(400, "namespace in the body differs from the path")
        if body.get("resourceKind") != "WorkflowTemplate":
            return _error(400, f"resourceKind {body.get('resourceKind')!r} is not supported here")
        template = body.get("resourceName", "")
        if template not in self.templates:
            return _error(404, f'workflowtemplates.argoproj.io "{template}" not found')
        options = body.get("submitOptions") or {}
        parameters = options.get("parameters") or []
        bad = [p for p in parameters if "=" not in p]
        if bad:
            return _error(400, f"parameters must be key=value, got {bad}")
        labels = _parse_labels(options.get("labels", ""))
        if labels is None:
            return _error(400, f"labels must be k=v,k2=v2, got {options.get('labels')!r}")
        name = options.get("name") or (options.get("generateName") or f"{template}-")
        if not options.get("name"):
            name += secrets.token_hex(3)[:5]
        with self._lock:
            if name in self._state.workflows:
                return _error(409, f'workflows.argoproj.io "{name}" already exists')
            workflow = self._workflow(name, template, labels, parameters, "Running")
            self._state.workflows[name] = workflow
            return 200, copy.deepcopy(workflow)

    def _list(self, selector: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            items = [
                copy.deepcopy(wf)
                for wf in self._state.workflows.values()
                if matches_selector(wf["metadata"]["labels"], selector)
            ]
        # as the real server: `items` is null, not [], when nothing matches
        return 200, {"metadata": {"resourceVersion": "1"}, "items": items or None}

    def _get(self, name: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            workflow = self._state.workflows.get(name)
            if workflow is None:
                return _error(404, f'workflows.argoproj.io "{name}" not found')
            return 200, copy.deepcopy(workflow)

    def _stop(self, namespace: str, name: str, body: Any) -> tuple[int, dict[str, Any]]:
        problems = validate(PREFIX + "WorkflowStopRequest", body, swagger=self.swagger)
        if problems:
            return _error(400, "invalid WorkflowStopRequest: " + "; ".join(problems))
        with self._lock:
            workflow = self._state.workflows.get(name)
            if workflow is None:
                return _error(404, f'workflows.argoproj.io "{name}" not found')
            self._set_phase(workflow, "Failed")
            workflow["status"]["message"] = body.get("message") or "Stopped with strategy 'Stop'"
            return 200, copy.deepcopy(workflow)

    def _workflow(
        self, name: str, template: str, labels: dict[str, str], parameters: list[str], phase: str
    ) -> dict[str, Any]:
        all_labels = {**labels, COMPLETED: "false", PHASE: phase}
        if template:
            all_labels[FROM_TEMPLATE] = template
        params = [dict(zip(("name", "value"), p.split("=", 1), strict=True)) for p in parameters]
        workflow = {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Workflow",
            "metadata": {
                "name": name,
                "namespace": self.namespace,
                "labels": all_labels,
                "creationTimestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            },
            "spec": {
                "arguments": {"parameters": params},
                "workflowTemplateRef": {"name": template},
            },
            "status": {"phase": phase},
        }
        self._set_phase(workflow, phase)
        return workflow

    @staticmethod
    def _set_phase(workflow: dict[str, Any], phase: str) -> None:
        workflow["status"]["phase"] = phase
        labels = workflow["metadata"]["labels"]
        labels[PHASE] = phase
        labels[COMPLETED] = "false" if phase in ("Pending", "Running") else "true"


def _node(
    workflow: str,
    path: str,
    kind: str,
    template: str,
    phase: str,
    *,
    started: str | None = None,
    finished: str | None = None,
    progress: str | None = None,
    message: str | None = None,
    daemoned: bool = False,
) -> dict[str, Any]:
    """A `NodeStatus` as the controller writes it: named `<workflow>.<task>.<task>`, its id
    derived from the name (the controller hashes it; any stable digest serves here)."""
    name = f"{workflow}.{path}" if path else workflow
    display = path.rsplit(".", 1)[-1] if path else workflow
    node: dict[str, Any] = {
        "id": workflow if not path else f"{workflow}-{zlib.crc32(name.encode())}",
        "name": name,
        "displayName": display,
        "type": kind,
        "templateName": template,
        "phase": phase,
    }
    for key, value in (
        ("startedAt", started),
        ("finishedAt", finished),
        ("progress", progress),
        ("message", message),
    ):
        if value:
            node[key] = value
    if daemoned:
        node["daemoned"] = True
    return node


def _set_nodes(status: dict[str, Any], nodes: list[dict[str, Any]]) -> None:
    """The nodes, and the workflow's progress as the controller sums it over its pods."""
    status["nodes"] = {node["id"]: node for node in nodes}
    done = total = 0
    for node in nodes:
        if node["type"] == "Pod" and "progress" in node:
            n, m = node["progress"].split("/")
            done, total = done + int(n), total + int(m)
    if total:
        status["progress"] = f"{done}/{total}"


def _parse_labels(text: str) -> dict[str, str] | None:
    labels: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        if "=" not in item:
            return None
        key, value = item.split("=", 1)
        labels[key] = value
    return labels


def _error(status: int, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"code": GRPC.get(status, 2), "message": message}


class _Handler(KeepAliveHandler):
    standin: ArgoStandIn

    def _serve(self, method: str) -> None:
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        request = RecordedRequest(
            method=method,
            path=split.path,
            query=parse_qs(split.query),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=None,
        )
        try:
            request.body = json.loads(raw) if raw else None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            status, answer = _error(400, f"body is not JSON: {exc}")
        else:
            status, answer = self.standin.handle(request)
        request.status = status
        data = json.dumps(answer).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test); nothing to tell it

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests read `.requests` instead of a log."""


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--token", default="test-token")
    parser.add_argument("--namespace", default="perfbot")
    parser.add_argument("--template", action="append", default=[])
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    standin = ArgoStandIn(
        token=args.token or None,
        templates=args.template,
        namespace=args.namespace,
        latency=args.latency,
    )
    with standin:
        print(standin.url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
