"""A stand-in Horreum: real HTTP on 127.0.0.1, checked against Horreum's published openapi.yaml.

Every request is matched to an operation of `tests/contracts/horreum/openapi.yaml`: an unknown
method or path is a 404, an unknown query parameter, a missing required one, a value outside its
enum (`access`) or a path id that is not an integer a 400, as a client bug should be. Requests
need the stand-in's `X-Horreum-API-Key` (401 otherwise; 403 for a team the key cannot upload
for). Answers use the documented status codes and bodies:

    with HorreumStandIn(api_key="k", tests={"perf-api": "perf-team"}) as horreum:
        POST /api/run/data?test=perf-api&start=..&stop=..&owner=perf-team  -> 202 "101"
        horreum.runs[101]["data"]            # the uploaded document
        horreum.fire(bot_url, "change/new", run_id=101, description="...")
        horreum.fail_next(500)               # the next request answers 500

`fire` posts an `http` action's payload the way Horreum does: plain JSON, no signature. The
payloads follow Horreum's classes (a `Run` for run/new, a `Dataset` for
dataset_labels/computed, a change event for change/new), which the spec does not describe;
the run/new and change/new shapes are the ones a real Horreum 0.20 sent (tests/horreum_real
compares them key by key and type by type).
Operations the spec has and the stand-in does not implement answer 501, so a test that reaches
one fails loudly.
"""

from __future__ import annotations

import calendar
import copy
import json
import re
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import jsonschema
import requests
import yaml

from tests.standins.serving import KeepAliveHandler, ServedStandIn

OPENAPI = Path(__file__).resolve().parents[1] / "contracts" / "horreum" / "openapi.yaml"
API_KEY_HEADER = "x-horreum-api-key"
FIRST_RUN_ID = 101
FIRST_DATASET_ID = 201


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    status: int = 0
    operation: str = ""  # the spec's operationId


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    pattern: re.Pattern[str]
    spec: dict[str, Any]

    @property
    def operation_id(self) -> str:
        return str(self.spec.get("operationId", ""))

    def parameters(self, where: str) -> list[dict[str, Any]]:
        return [p for p in self.spec.get("parameters", []) if p.get("in") == where]


@lru_cache(maxsize=2)
def load_spec(path: str = str(OPENAPI)) -> dict[str, Any]:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


@lru_cache(maxsize=2)
def operations(path: str = str(OPENAPI)) -> tuple[Operation, ...]:
    """Literal paths before templated ones, as JAX-RS matches (`/api/run/list` before `{id}`)."""
    found = []
    for template, item in load_spec(path)["paths"].items():
        regex = re.sub(r"\\\{([^}]+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        for method, spec in item.items():
            if method in ("get", "post", "put", "delete", "patch"):
                found.append(Operation(method.upper(), template, re.compile(f"^{regex}$"), spec))
    return tuple(sorted(found, key=lambda op: (op.template.count("{"), -len(op.template))))


def schema_errors(name: str, value: Any, path: str = str(OPENAPI)) -> list[str]:
    """Reasons `value` does not match `#/components/schemas/<name>`; empty when it does."""
    root = {"$ref": f"#/components/schemas/{name}", "components": load_spec(path)["components"]}
    validator = jsonschema.Draft202012Validator(root)
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(body)'}: {e.message}"
        for e in validator.iter_errors(value)
    ]


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        return spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return schema


def _value_errors(name: str, raw: str, schema: dict[str, Any], spec: dict[str, Any]) -> str | None:
    schema = _resolve(schema, spec)
    if "enum" in schema and raw not in schema["enum"]:
        return f"{name}: {raw!r} is not one of {schema['enum']}"
    if schema.get("type") == "integer" and not re.fullmatch(r"-?\d+", raw):
        return f"{name}: {raw!r} is not an integer"
    return None


@dataclass
class _State:
    tests: dict[str, dict[str, Any]] = field(default_factory=dict)  # by name
    runs: dict[int, dict[str, Any]] = field(default_factory=dict)
    datasets: dict[int, dict[str, Any]] = field(default_factory=dict)
    schemas: dict[int, dict[str, Any]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    faults: list[int] = field(default_factory=list)
    next_run: int = FIRST_RUN_ID
    next_dataset: int = FIRST_DATASET_ID


class HorreumStandIn(ServedStandIn):
    def __init__(
        self,
        *,
        api_key: str = "horreum-test-key",
        tests: dict[str, str] | None = None,  # test name -> owning team
        uploader_teams: tuple[str, ...] | None = None,  # default: every test's team
        openapi: Path = OPENAPI,
    ) -> None:
        self.api_key = api_key
        self.openapi = str(openapi)
        self._state = _State()
        self._lock = threading.Lock()
        for index, (name, team) in enumerate((tests or {}).items()):
            self._state.tests[name] = {"id": 11 + index, "name": name, "owner": team}
        teams = {t["owner"] for t in self._state.tests.values()}
        self.uploader_teams = set(uploader_teams if uploader_teams is not None else teams)

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> HorreumStandIn:
        operations(self.openapi)  # parse the spec once, before the first request waits on it
        self._serve(type("Handler", (_Handler,), {"standin": self}))
        return self

    # -- what tests look at and steer -------------------------------------------------------

    @property
    def runs(self) -> dict[int, dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(self._state.runs)

    @property
    def schemas(self) -> dict[int, dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(self._state.schemas)

    @property
    def requests(self) -> list[Recorded]:
        with self._lock:
            return list(self._state.requests)

    def fail_next(self, status: int, *, times: int = 1) -> None:
        with self._lock:
            self._state.faults.extend([status] * times)

    def add_run(self, test: str, data: dict[str, Any]) -> int:
        """A run someone else uploaded (a foreign run, for tests of what the bot ignores)."""
        with self._lock:
            return self._store(self._state.tests[test], data, 0, 0, "PUBLIC", "")

    def dataset_of(self, run_id: int) -> int:
        with self._lock:
            return self._state.runs[run_id]["datasets"][0]

    def payload(self, event: str, *, run_id: int, description: str = "") -> dict[str, Any]:
        """What Horreum's `http` action posts for `event`, about run `run_id`."""
        with self._lock:
            run = self._state.runs[run_id]
            dataset = self._state.datasets[run["datasets"][0]]
            test = next(t for t in self._state.tests.values() if t["id"] == run["testid"])
            info = {"id": dataset["id"], "runId": run_id, "ordinal": 0, "testId": test["id"]}
            if event == "run/new":
                return _action_run(run)
            if event == "dataset_labels/computed":
                return copy.deepcopy(dataset)
            if event == "change/new":
                # As Horreum 0.20 posts it (recorded by tests/horreum_real): the dataset only
                # inside `change`, its `timestamp` in epoch seconds (a float), the variable whole.
                change = {
                    "id": 7000 + run_id,
                    "variable": {
                        "id": 31,
                        "testId": test["id"],
                        "name": "geomean change",
                        "group": None,
                        "order": 0,
                        "labels": ["perfbot.geomean_change"],
                        "calculation": "value => value",
                        "changeDetection": [
                            {"id": 41, "model": "relativeDifference", "config": {
                                "model": "relativeDifference", "filter": "mean", "window": 1,
                                "threshold": 0.1, "minPrevious": 3}},
                        ],
                    },
                    "timestamp": run["stop"] / 1000,
                    "confirmed": False,
                    "description": description,
                    "dataset": info,
                }  # fmt: skip
                return {
                    "change": change,
                    "testId": test["id"],
                    "testName": test["name"],
                    "notify": True,
                }
        raise ValueError(f"unknown event {event!r}")

    def fire(self, url: str, event: str, *, run_id: int, description: str = "") -> int:
        """POST the action's payload to `url` as Horreum's http action does; the status."""
        body = self.payload(event, run_id=run_id, description=description)
        response = requests.post(
            url, data=json.dumps(body), headers={"Content-Type": "application/json"}, timeout=10
        )
        return response.status_code

    # -- request handling -------------------------------------------------------------------

    def handle(self, request: Recorded) -> tuple[int, str, bytes]:
        with self._lock:
            self._state.requests.append(request)
            fault = self._state.faults.pop(0) if self._state.faults else None
        operation, params = self._match(request)
        if operation is None:
            return _text(404, f"no operation {request.method} {request.path} in openapi.yaml")
        request.operation = operation.operation_id
        if fault:
            return _text(fault, "injected failure")
        if request.headers.get(API_KEY_HEADER) != self.api_key:
            return _text(401, "missing or wrong X-Horreum-API-Key")
        problem = self._check(operation, params, request)
        if problem:
            return _text(400, problem)
        handler = {
            "addRunFromData": self._upload,
            "getRun": self._get_run,
            "getDataset": self._get_dataset,
            "getByNameOrId": self._get_test,
            "addSchemaWithImport": self._import_schema,
        }.get(operation.operation_id)
        if handler is None:
            return _text(501, f"the stand-in does not implement {operation.operation_id}")
        return handler(request, params)

    def _match(self, request: Recorded) -> tuple[Operation | None, dict[str, str]]:
        for operation in operations(self.openapi):
            if operation.method == request.method and (m := operation.pattern.match(request.path)):
                return operation, {k: unquote(v) for k, v in m.groupdict().items()}
        return None, {}

    def _check(self, operation: Operation, params: dict[str, str], request: Recorded) -> str:
        spec = load_spec(self.openapi)
        for parameter in operation.parameters("path"):
            problem = _value_errors(
                parameter["name"], params[parameter["name"]], parameter.get("schema", {}), spec
            )
            if problem:
                return problem
        known = {p["name"]: p for p in operation.parameters("query")}
        unknown = sorted(set(request.query) - set(known))
        if unknown:
            return f"unknown query parameter(s) {', '.join(unknown)} for {operation.operation_id}"
        for name, parameter in known.items():
            values = request.query.get(name)
            if values is None:
                if parameter.get("required"):
                    return f"query parameter {name} is required"
                continue
            problem = _value_errors(name, values[0], parameter.get("schema", {}), spec)
            if problem:
                return problem
        body = operation.spec.get("requestBody")
        if body and body.get("required") and not request.body:
            return "a request body is required"
        sent = request.headers.get("content-type", "")
        wants_json = bool(body) and "application/json" in body.get("content", {})
        if request.body and wants_json and not sent.startswith("application/json"):
            return "Content-Type must be application/json"
        return ""

    def _upload(self, request: Recorded, params: dict[str, str]) -> tuple[int, str, bytes]:
        query = {k: v[0] for k, v in request.query.items()}
        try:
            data = json.loads(request.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return _text(400, f"Cannot parse the body as JSON: {exc}")
        if not isinstance(data, dict):
            return _text(400, "The uploaded data must be a JSON object")
        start, stop = _timestamp(query["start"], data), _timestamp(query["stop"], data)
        if start is None or stop is None:
            return _text(400, "Cannot parse start or stop time")
        with self._lock:
            test = self._state.tests.get(query["test"]) or next(
                (t for t in self._state.tests.values() if str(t["id"]) == query["test"]), None
            )
            if test is None:
                return _text(400, f"Cannot identify test name or id: {query['test']}")
            owner = query.get("owner") or test["owner"]
            if owner not in self.uploader_teams:
                return _text(403, f"This user does not have the {owner[:-5]}-uploader role")
            schema = query.get("schema") or data.get("$schema") or ""
            run_id = self._store(
                test,
                data,
                start,
                stop,
                query.get("access", "PUBLIC"),
                schema,
                owner=owner,
                description=query.get("description"),
            )
        return 202, "text/plain", str(run_id).encode()

    def _store(
        self,
        test: dict[str, Any],
        data: dict[str, Any],
        start: int,
        stop: int,
        access: str,
        schema: str,
        *,
        owner: str | None = None,
        description: str | None = None,
    ) -> int:
        run_id = self._state.next_run
        self._state.next_run += 1
        dataset_id = self._state.next_dataset
        self._state.next_dataset += 1
        owner = owner or test["owner"]
        common = {
            "access": access,
            "owner": owner,
            "start": start,
            "stop": stop,
            "testid": test["id"],
        }
        self._state.datasets[dataset_id] = {
            **common,
            "id": dataset_id,
            "runId": run_id,
            "ordinal": 0,
            "data": [data],
            "description": description or "",
        }
        self._state.runs[run_id] = {
            **common,
            "id": run_id,
            "data": data,
            "trashed": False,
            "testname": test["name"],
            "description": description or "",
            "schema": schema,
            "datasets": [dataset_id],
        }
        return run_id

    def _get_run(self, request: Recorded, params: dict[str, str]) -> tuple[int, str, bytes]:
        with self._lock:
            run = self._state.runs.get(int(params["id"]))
            if run is None:
                return _json(404, {})
            schemas = (
                [
                    {
                        "id": 1,
                        "uri": run["schema"],
                        "name": run["schema"],
                        "source": 0,
                        "type": 0,
                        "key": "$schema",
                        "hasJsonSchema": False,
                    }
                ]
                if run["schema"]
                else []
            )
            extended = {
                **_public_run(run),
                "schemas": schemas,
                "testname": run["testname"],
                "datasets": list(run["datasets"]),
            }
        return _json(200, extended)

    def _get_dataset(self, request: Recorded, params: dict[str, str]) -> tuple[int, str, bytes]:
        with self._lock:
            dataset = self._state.datasets.get(int(params["id"]))
            return _json(200, dataset) if dataset is not None else _json(404, {})

    def _get_test(self, request: Recorded, params: dict[str, str]) -> tuple[int, str, bytes]:
        with self._lock:
            test = self._state.tests.get(params["name"])
        if test is None:
            return _json(404, {})
        return _json(
            200, {**test, "access": "PUBLIC", "datastoreId": 1, "notificationsEnabled": True}
        )

    def _import_schema(self, request: Recorded, params: dict[str, str]) -> tuple[int, str, bytes]:
        try:
            export = json.loads(request.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return _text(400, f"body is not JSON: {exc}")
        problems = schema_errors("SchemaExport", export, self.openapi)
        if problems:
            return _text(400, "invalid SchemaExport: " + "; ".join(problems[:5]))
        with self._lock:
            schema_id = len(self._state.schemas) + 1
            self._state.schemas[schema_id] = export
        return _json(201, schema_id)


def _public_run(run: dict[str, Any]) -> dict[str, Any]:
    keys = ("access", "owner", "start", "stop", "id", "testid", "data", "trashed", "description")
    return copy.deepcopy({k: run[k] for k in keys})


def _action_run(run: dict[str, Any]) -> dict[str, Any]:
    """A `Run` as Horreum's actions serialize it (recorded by tests/horreum_real): unlike its
    REST answers, `start` and `stop` in epoch seconds (floats), no datasets, no test name."""
    found = _public_run(run)
    return {
        **found,
        "start": run["start"] / 1000,
        "stop": run["stop"] / 1000,
        "description": run["description"] or None,
        "metadata": None,
        "validationErrors": None,
    }


def _timestamp(value: str, data: dict[str, Any]) -> int | None:
    """Epoch ms, ISO 8601, or a `$.key` into the document, as Horreum accepts."""
    if value.startswith("$."):
        found = data.get(value[2:])
        value = str(found) if found is not None else ""
    if re.fullmatch(r"\d+", value):
        return int(value)
    try:
        return calendar.timegm(time.strptime(value[:19], "%Y-%m-%dT%H:%M:%S")) * 1000
    except ValueError:
        return None


def _text(status: int, message: str) -> tuple[int, str, bytes]:
    return status, "text/plain", message.encode()


def _json(status: int, body: Any) -> tuple[int, str, bytes]:
    return status, "application/json", json.dumps(body).encode()


class _Handler(KeepAliveHandler):
    standin: HorreumStandIn

    def _serve(self, method: str) -> None:
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = Recorded(
            method=method,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
        )
        status, content_type, data = self.standin.handle(request)
        request.status = status
        try:
            self.send_response(status)
            if status != 204:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests read `.requests`."""
