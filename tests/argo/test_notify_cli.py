"""`perfbot notify` as the report step and the exit handler run it: env in, signed POST out."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.results.report import outcome_for
from tests.pipeline.conftest import env_of, templates_by_name
from workflows import callback
from workflows.cli import main, notify
from workflows.config import load_config
from workflows.pipeline.render import template_dicts

SECRET = "callback-secret"
# What Argo v4.0.5 substitutes for `{{workflow.parameters.json}}`: json.Marshal of the
# workflow's parameter list (tests/argo/test_argo_values.py has the encoding rules).
ARGO_PARAMETERS = (
    '[{"name":"repo","value":"datafuselabs/databend","description":"owner/name"},'
    '{"name":"pr","value":"42"},{"name":"rounds","value":"10"}]'
)


class Receiver:
    """A bot's /callback stand-in: records bodies and headers, answers the queued statuses."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self.signatures: list[str | None] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.bodies.append(body)
                receiver.signatures.append(self.headers.get(callback.SIGNATURE_HEADER))
                status = receiver.statuses.pop(0) if receiver.statuses else 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/callback"

    def payloads(self) -> list[callback.CallbackPayload]:
        return [callback.CallbackPayload.from_json(body) for body in self.bodies]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    thread = threading.Thread(target=r.server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield r
    r.server.shutdown()
    r.server.server_close()


@pytest.fixture(autouse=True)
def no_retry_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notify, "RETRY_DELAYS", (0.0, 0.0, 0.0))


@pytest.fixture(scope="module")
def steps(project_root: Path) -> dict[str, dict]:
    """The rendered example template's steps, by name."""
    config = load_config(project_root / "examples" / "perfbot.yaml")
    return templates_by_name(template_dicts(config)["perf-databend-sql.yaml"])


def step_env(steps, step: str, receiver_url: str, tmp_path: Path, **extra: str):
    """The env the rendered template gives the step, with Argo's substitutions done."""
    values = {
        "{{workflow.parameters.callback-url}}": receiver_url,
        "{{workflow.parameters.repo}}": "datafuselabs/databend",
        "{{workflow.parameters.pr}}": "42",
        "{{workflow.parameters.job}}": "databend-sql",
        "{{workflow.parameters.head-sha}}": "a" * 40,
        "{{workflow.parameters.base-sha}}": "b" * 40,
        "{{workflow.parameters.base-ref}}": "main;curl x|sh",
        "{{workflow.name}}": "perf-abc",
        "{{workflow.namespace}}": "perfbot",
        "{{inputs.parameters.verdict}}": "regressed",
        "{{workflow.status}}": "Failed",
        "{{workflow.failures}}": '"null"',  # Argo's strconv.Quote of json.Marshal(nil)
        "{{workflow.parameters.json}}": ARGO_PARAMETERS,
    }
    env = {}
    for name, value in env_of(steps[step]).items():
        if isinstance(value, dict):  # the secretKeyRef: Kubernetes fills it in
            env[name] = SECRET
        else:
            env[name] = values.get(value, value.replace("/perfbot/in", str(tmp_path)))
    return {**env, **extra}


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    (tmp_path / "report.json").write_text(json.dumps({"summary": {"verdict": "regressed"}}))
    (tmp_path / "report.md").write_text("## perfbot\n| q1 | +12% |\n")
    return tmp_path


def test_the_report_step_sends_a_signed_result_with_both_reports(steps, receiver, reports):
    env = step_env(steps, "report", receiver.url, reports)
    result = CliRunner().invoke(main, ["notify", "--kind", "result"], env=env)
    assert result.exit_code == 0, result.output
    assert callback.verify(receiver.bodies[0], receiver.signatures[0], SECRET)
    (payload,) = receiver.payloads()
    assert payload.kind == "result"
    assert payload.run == callback.RunRef(
        "datafuselabs/databend", 42, "databend-sql", "a" * 40, "b" * 40, "main;curl x|sh"
    )
    assert (payload.workflow_name, payload.namespace) == ("perf-abc", "perfbot")
    assert payload.verdict == "regressed"
    assert payload.report == {"summary": {"verdict": "regressed"}}
    assert payload.report_markdown.startswith("## perfbot")


def argo_failures(failures: list[dict]) -> str:
    """`{{workflow.failures}}` as Argo v4.0.5 fills it: strconv.Quote(json.Marshal(list))."""
    return json.dumps(json.dumps(failures, separators=(",", ":")))


@pytest.mark.parametrize(
    ("status", "encoded"),
    [
        ("Failed", argo_failures),  # Argo v3.4 and later
        ("Error", argo_failures),
        ("Failed", lambda f: json.dumps(f)),  # the plain list, as older Argo and tests sent it
    ],
)
def test_the_exit_handler_sends_status_and_failures(steps, receiver, tmp_path, status, encoded):
    failures = [{"displayName": "build-head", "message": "exit code 2", "templateName": "build"}]
    env = step_env(
        steps,
        "notify-exit",
        receiver.url,
        tmp_path,
        PERFBOT_FAILURES=encoded(failures),
        PERFBOT_STATUS=status,
    )
    result = CliRunner().invoke(main, ["notify", "--kind", "exit"], env=env)
    assert result.exit_code == 0, result.output
    (payload,) = receiver.payloads()
    assert (payload.kind, payload.status, payload.failures) == ("exit", status, failures)


def test_a_stopped_run_reaches_the_bot_as_cancelled(steps, receiver, tmp_path):
    failures = [
        {"displayName": "benchmark", "message": "workflow shutdown with strategy:  Stop"},
        {"displayName": "measure", "message": "child 'benchmark' failed"},
    ]
    env = step_env(
        steps, "notify-exit", receiver.url, tmp_path, PERFBOT_FAILURES=argo_failures(failures)
    )
    result = CliRunner().invoke(main, ["notify", "--kind", "exit"], env=env)
    assert result.exit_code == 0, result.output
    (payload,) = receiver.payloads()
    assert outcome_for(payload, None).conclusion == "cancelled"


@pytest.mark.parametrize("raw", ["{oops", '"[{\\"message', "42", '"{}"'])
def test_unreadable_failures_never_fail_the_exit_handler(steps, receiver, tmp_path, raw):
    env = step_env(steps, "notify-exit", receiver.url, tmp_path, PERFBOT_FAILURES=raw)
    result = CliRunner().invoke(main, ["notify", "--kind", "exit"], env=env)
    assert result.exit_code == 0, result.output
    assert "workflow.failures" in result.stderr
    (payload,) = receiver.payloads()
    assert len(payload.failures) == 1
    assert outcome_for(payload, None).conclusion == "failure"


def test_the_report_step_sends_the_workflow_parameters_from_argos_list(steps, receiver, reports):
    env = step_env(steps, "report", receiver.url, reports)
    assert env["PERFBOT_PARAMETERS"] == ARGO_PARAMETERS
    result = CliRunner().invoke(main, ["notify", "--kind", "result"], env=env)
    assert result.exit_code == 0, result.output
    (payload,) = receiver.payloads()
    assert payload.parameters == {"repo": "datafuselabs/databend", "pr": "42", "rounds": "10"}


@pytest.mark.parametrize("raw", ['"null"', "null", "", "{{workflow.failures}}"])
def test_no_failures_read_as_none(steps, receiver, tmp_path, raw):
    env = step_env(steps, "notify-exit", receiver.url, tmp_path, PERFBOT_FAILURES=raw)
    result = CliRunner().invoke(main, ["notify", "--kind", "exit"], env=env)
    assert result.exit_code == 0, result.output
    assert receiver.payloads()[0].failures == []


def test_without_a_callback_url_nothing_is_sent(steps, receiver, tmp_path):
    env = step_env(steps, "notify-exit", "", tmp_path)
    result = CliRunner().invoke(main, ["notify", "--kind", "exit"], env=env)
    assert result.exit_code == 0
    assert notify.NO_CALLBACK in result.output
    assert receiver.bodies == []


def test_a_transient_bot_error_is_retried(steps, receiver, tmp_path):
    receiver.statuses = [503, 502]
    env = step_env(steps, "notify-exit", receiver.url, tmp_path)
    result = CliRunner().invoke(main, ["notify", "--kind", "exit"], env=env)
    assert result.exit_code == 0, result.output
    assert len(receiver.bodies) == 3


def test_a_refused_callback_fails_the_step_without_retrying(steps, receiver, tmp_path):
    receiver.statuses = [401]
    env = step_env(steps, "notify-exit", receiver.url, tmp_path)
    result = CliRunner().invoke(main, ["notify", "--kind", "exit"], env=env)
    assert result.exit_code == 1
    assert "the bot answered 401" in result.output
    assert len(receiver.bodies) == 1


def test_a_missing_secret_is_bad_input(steps, receiver, tmp_path):
    env = step_env(steps, "notify-exit", receiver.url, tmp_path, PERFBOT_CALLBACK_SECRET="")
    result = CliRunner().invoke(main, ["notify", "--kind", "exit"], env=env)
    assert result.exit_code == 2
    assert "PERFBOT_CALLBACK_SECRET is empty" in result.output


def test_a_bad_pr_number_is_bad_input(steps, receiver, tmp_path):
    env = step_env(steps, "notify-exit", receiver.url, tmp_path, PERFBOT_PR="x")
    result = CliRunner().invoke(main, ["notify", "--kind", "exit"], env=env)
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("report", "verdict"),
    [
        ({"verdict": "improved"}, "improved"),
        ({"summary": {"verdict": "no significant change"}}, "no significant change"),
        ({"overall": {"verdict": "regressed"}}, "regressed"),
        ({"benchmarks": []}, "unknown"),
    ],
)
def test_verdict_of_prints_the_overall_verdict_of_a_report(tmp_path, report, verdict):
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report))
    result = CliRunner().invoke(main, ["notify", "--verdict-of", str(path)])
    assert result.exit_code == 0
    assert result.stdout == verdict + "\n"


@pytest.mark.parametrize(
    ("template", "message", "explained"),
    [
        ("reserve", "timeout", True),
        ("reserve", "workflow shutdown with strategy: Stop", False),  # a stop stays a stop
        ("deploy", "timeout", False),
    ],
)
def test_a_reservation_that_timed_out_is_explained_with_the_sizes(
    steps, receiver, tmp_path, template, message, explained
):
    failures = [{"displayName": "reserve", "templateName": template, "message": message}]
    env = step_env(
        steps, "notify-exit", receiver.url, tmp_path, PERFBOT_FAILURES=argo_failures(failures)
    )
    result = CliRunner().invoke(main, ["notify", "--kind", "exit"], env=env)
    assert result.exit_code == 0, result.output
    (payload,) = receiver.payloads()
    sent = payload.failures[0]["message"]
    assert sent.startswith(message)
    assert ("cpu 9, memory 17Gi" in sent) is explained
