"""`{{workflow.failures}}` and `{{workflow.parameters.json}}` exactly as Argo hands them to a step.

Argo v4.0.5's controller (workflow/controller/operator.go) fills them in as:

- `workflow.failures` = `strconv.Quote(json.Marshal(failedNodes))`: a Go-quoted string whose
  content is the JSON list, so a step's env value reads `"[{\\"displayName\\":...}]"`, quotes
  included; when nothing failed the list is Go's nil slice, so the value is `"null"`. Older
  Argo versions passed the bare list text; both are read.
- `workflow.parameters.json` = `json.Marshal(spec.arguments.parameters)`: a list of
  `{"name", "value", ...}` objects (Parameter's other fields ride along), not an object.

The exit handler reads the first (`perfbot notify`), the report step the second; the local
interpreter (`perfbot run --local`) writes both with the same functions, so the two executors
cannot drift apart again. Reading never raises: the exit handler is the only way the bot hears
of a failed run, so unreadable failures become one failure that quotes them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

UNRESOLVED = "{{"  # a variable Argo left as it was
# encoding/json escapes these even with HTML escaping's other characters (Go's default).
_GO_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}
_GO_JSON_ESCAPES |= {"\u2028": "\\u2028", "\u2029": "\\u2029"}
_GO_SHORT_ESCAPES = {7: "a", 8: "b", 12: "f", 10: "n", 13: "r", 9: "t", 11: "v"}
_GO_UNESCAPES = {v: chr(k) for k, v in _GO_SHORT_ESCAPES.items()} | {"\\": "\\", '"': '"'}
_GO_UNESCAPES["'"] = "'"
# Go's Parameter struct field order, which json.Marshal keeps.
PARAMETER_FIELDS = ("name", "default", "value", "valueFrom", "globalName", "enum", "description")
MAX_QUOTED = 500  # characters of unreadable failures quoted in the failure that replaces them


def go_json(value: Any) -> str:
    """`json.Marshal(value)`: compact, non-ASCII kept, `<`, `>`, `&`, U+2028/9 escaped."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return "".join(_GO_JSON_ESCAPES.get(ch, ch) for ch in text)


def go_quote(text: str) -> str:
    """`strconv.Quote(text)`: printable runes as they are, the rest as Go escapes."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        elif code in _GO_SHORT_ESCAPES:
            out.append("\\" + _GO_SHORT_ESCAPES[code])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def go_unquote(quoted: str) -> str:
    """`strconv.Unquote` of a double-quoted Go string; ValueError where Go refuses it."""
    if len(quoted) < 2 or quoted[0] != '"' or quoted[-1] != '"':
        raise ValueError("not a double-quoted Go string")
    body, data, i = quoted[1:-1], bytearray(), 0
    while i < len(body):
        ch = body[i]
        if ch == '"' or ch == "\n":
            raise ValueError(f"unescaped {ch!r} at {i}")
        if ch != "\\":
            data += ch.encode("utf-8", "surrogatepass")
            i += 1
            continue
        kind = body[i + 1 : i + 2]
        if kind in _GO_UNESCAPES:
            data += _GO_UNESCAPES[kind].encode()
            i += 2
        elif kind in ("x", "u", "U"):
            width = {"x": 2, "u": 4, "U": 8}[kind]
            digits = body[i + 2 : i + 2 + width]
            if len(digits) != width or any(c not in "0123456789abcdefABCDEF" for c in digits):
                raise ValueError(f"bad \\{kind} escape at {i}")
            value = int(digits, 16)
            data += bytes([value]) if kind == "x" else chr(value).encode("utf-8", "surrogatepass")
            i += 2 + width
        elif kind and kind in "01234567":
            digits = body[i + 1 : i + 4]
            if len(digits) != 3 or any(c not in "01234567" for c in digits) or int(digits, 8) > 255:
                raise ValueError(f"bad octal escape at {i}")
            data.append(int(digits, 8))
            i += 4
        else:
            raise ValueError(f"unknown escape \\{kind} at {i}")
    return data.decode("utf-8", "replace")


def failures_value(failures: Sequence[Mapping[str, Any]]) -> str:
    """What Argo puts in `{{workflow.failures}}` for these failed nodes (`"null"` for none)."""
    return go_quote(go_json(list(failures) or None))


def parameters_value(declared: Sequence[Mapping[str, Any]], values: Mapping[str, str]) -> str:
    """What Argo puts in `{{workflow.parameters.json}}`: the declared parameters, in Go's field
    order, each with the run's value."""
    listed = []
    for parameter in declared:
        entry = {**parameter}
        if parameter.get("name") in values:
            entry["value"] = values[parameter["name"]]
        listed.append({key: entry[key] for key in PARAMETER_FIELDS if key in entry})
    return go_json(listed)


def _unset(raw: str | None) -> bool:
    """Empty, or left as `{{...}}` by Argo (a message quoting `{{` inside the list is data)."""
    return raw is None or not raw.strip() or raw.strip().startswith(UNRESOLVED)


def _decoded(raw: str) -> Any:
    """The JSON inside `raw`, through as many string layers (Go-quoted or JSON) as it has."""
    value: Any = raw.strip()
    for _ in range(3):
        if not isinstance(value, str):
            return value
        text = value.strip()
        if text.startswith('"'):
            try:
                value = go_unquote(text)
                continue
            except ValueError:
                pass
        value = json.loads(text)
    return value


def read_failures(raw: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """The failed nodes in `{{workflow.failures}}`, and a note when they could not be read.

    Unreadable text becomes one failure that quotes it, so the bot still reports a failed run
    (and still sees a stop: the quoted text keeps Argo's "shutdown with strategy" message)."""
    if _unset(raw):
        return [], None
    try:
        data = _decoded(raw)
    except (json.JSONDecodeError, ValueError) as exc:
        return _unreadable(raw, f"not JSON ({exc})")
    if data is None or data == "":
        return [], None
    if not isinstance(data, list):
        return _unreadable(raw, f"a JSON {type(data).__name__}, not a list")
    return [item for item in data if isinstance(item, dict)], None


def _unreadable(raw: str, why: str) -> tuple[list[dict[str, Any]], str]:
    quoted = raw.strip()[:MAX_QUOTED]
    note = f"workflow.failures is {why}; sent as one failure quoting it"
    return [{"displayName": "?", "message": f"unreadable workflow.failures: {quoted}"}], note


def read_parameters(raw: str | None) -> dict[str, str]:
    """`{{workflow.parameters.json}}` as name -> value: Argo's list of `{"name", "value"}`, or
    an object; empty when unset, unresolved or not JSON (the parameters only enrich a result)."""
    if _unset(raw):
        return {}
    try:
        data = _decoded(raw)
    except (json.JSONDecodeError, ValueError):
        return {}
    if isinstance(data, dict):
        return {str(k): _text(v) for k, v in data.items()}
    if not isinstance(data, list):
        return {}
    return {
        str(item["name"]): _text(item["value"])
        for item in data
        if isinstance(item, dict) and item.get("name") and "value" in item
    }


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
