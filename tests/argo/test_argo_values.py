"""`workflow.failures` and `workflow.parameters.json` as Argo hands them to a step, both ways.

The expected texts are what Argo v4.0.5's controller computes (workflow/controller/operator.go):
`strconv.Quote(json.Marshal(failures))` and `json.Marshal(spec.arguments.parameters)`, written
out by hand here from Go's documented rules, not produced by the code under test.
"""

from __future__ import annotations

import pytest

from workflows import argo_values

BUILD_FAILED = {
    "displayName": "build-head",
    "message": "exit code 2",
    "templateName": "build",
    "phase": "Failed",
    "podName": "perf-abc-build-123",
    "finishedAt": "2025-01-02T03:04:05Z",
}
ARGO_FAILURES = (
    r'"[{\"displayName\":\"build-head\",\"message\":\"exit code 2\",'
    r"\"templateName\":\"build\",\"phase\":\"Failed\",\"podName\":\"perf-abc-build-123\","
    r'\"finishedAt\":\"2025-01-02T03:04:05Z\"}]"'
)
STOPPED = {"displayName": "benchmark", "message": "workflow shutdown with strategy:  Stop"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (ARGO_FAILURES, [BUILD_FAILED]),  # Argo v3.4+: a Go-quoted string holding the list
        (argo_values.go_json([BUILD_FAILED]), [BUILD_FAILED]),  # older Argo: the list itself
        ('"null"', []),  # nothing failed: json.Marshal(nil), quoted
        ("null", []),
        ("", []),
        ("   ", []),
        (None, []),
        ("{{workflow.failures}}", []),  # left unresolved
        ('"[]"', []),
        (
            r'"[{\"displayName\":\"a\",\"message\":\"x \\u003c y\"}]"',
            [{"displayName": "a", "message": "x < y"}],
        ),
        (r'"[{\"message\":\"caf\u00e9 \x7f\"}]"', [{"message": "caf\u00e9 \x7f"}]),
        ('"[1, \\"x\\", {\\"message\\": \\"m\\"}]"', [{"message": "m"}]),  # non-objects dropped
    ],
)
def test_failures_are_read_in_every_encoding_argo_uses(raw, expected):
    assert argo_values.read_failures(raw) == (expected, None)


@pytest.mark.parametrize(
    "raw",
    ['"[{\\"displayName\\":', "{not json", '"{\\"a\\": 1}"', '"\\q"', "42", '"unterminated'],
)
def test_unreadable_failures_become_one_failure_that_quotes_them(raw):
    failures, note = argo_values.read_failures(raw)
    assert note is not None
    assert "workflow.failures" in note
    assert len(failures) == 1
    assert raw.strip()[:50] in failures[0]["message"]


def test_an_unreadable_stop_still_reads_as_a_stop():
    raw = '"[{\\"message\\":\\"workflow shutdown with strategy:  Stop\\"'  # cut short
    (failure,), _ = argo_values.read_failures(raw)
    assert "shutdown with strategy" in failure["message"]


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([BUILD_FAILED], ARGO_FAILURES),
        ([], '"null"'),
        ([{"message": 'a<b & "c"\n'}], r'"[{\"message\":\"a\\u003cb \\u0026 \\\"c\\\"\\n\"}]"'),
        ([{"message": "caf\u00e9"}], '"[{\\"message\\":\\"caf\u00e9\\"}]"'),
        ([{"message": "\x7f"}], r'"[{\"message\":\"\x7f\"}]"'),
    ],
)
def test_failures_are_written_as_argo_writes_them(items, expected):
    assert argo_values.failures_value(items) == expected


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("plain", '"plain"'),
        ('say "hi"\\', r'"say \"hi\"\\"'),
        ("\a\b\f\n\r\t\v", r'"\a\b\f\n\r\t\v"'),
        ("\x00\x1f", r'"\x00\x1f"'),
        ("\u00ad", r'"\u00ad"'),  # not printable in Go
        ("\U000e0001", r'"\U000e0001"'),
        ("\u00e9\u4e16", '"\u00e9\u4e16"'),
    ],
)
def test_go_quote_and_unquote_are_inverse(text, quoted):
    assert argo_values.go_quote(text) == quoted
    assert argo_values.go_unquote(quoted) == text


@pytest.mark.parametrize("bad", ["plain", '"open', 'x"', r'"\q"', r'"\x4"', r'"\u12"', '"a"b"'])
def test_go_unquote_refuses_what_go_refuses(bad):
    with pytest.raises(ValueError, match=r"quoted|unescaped|escape"):
        argo_values.go_unquote(bad)


ARGO_PARAMETERS = (
    '[{"name":"repo","value":"datafuselabs/databend","description":"owner/name"},'
    '{"name":"pr","value":"42"},'
    '{"name":"rebuild","value":"true","enum":["true","false"]},'
    '{"name":"base-ref","value":"main;curl x|sh \\u0026 \\u003cb\\u003e"}]'
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            ARGO_PARAMETERS,
            {
                "repo": "datafuselabs/databend",
                "pr": "42",
                "rebuild": "true",
                "base-ref": "main;curl x|sh & <b>",
            },
        ),
        ('{"repo": "a/b", "pr": 7}', {"repo": "a/b", "pr": "7"}),  # the object form
        ('"[{\\"name\\":\\"pr\\",\\"value\\":\\"3\\"}]"', {"pr": "3"}),  # quoted once more
        ('[{"name": "x"}, {"value": "y"}, 5, {"name": "z", "value": "1"}]', {"z": "1"}),
        ("[]", {}),
        ("", {}),
        ("null", {}),
        ("{{workflow.parameters.json}}", {}),
        ("{not json", {}),
        ('"just text"', {}),
    ],
)
def test_parameters_are_read_as_a_list_or_an_object(raw, expected):
    assert argo_values.read_parameters(raw) == expected


def test_parameters_are_written_as_argo_writes_them():
    declared = [
        {"name": "repo", "value": "x", "description": "owner/name"},
        {"name": "rebuild", "value": "true", "enum": ["true", "false"]},
        {"name": "base-ref", "value": "a&b"},
    ]
    given = {"repo": "datafuselabs/databend", "rebuild": "false", "base-ref": "<main>"}
    assert argo_values.parameters_value(declared, given) == (
        '[{"name":"repo","value":"datafuselabs/databend","description":"owner/name"},'
        '{"name":"rebuild","value":"false","enum":["true","false"]},'
        '{"name":"base-ref","value":"\\u003cmain\\u003e"}]'
    )
