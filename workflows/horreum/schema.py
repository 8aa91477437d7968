"""The Horreum schema of perfbot's run document: labels for repo, PR, job and benchmark values.

An operator imports it once (`perfbot upload --import-schema`, or `POST /api/schema/import`
with `perfbot upload --print-schema`'s output) and Horreum then computes these labels for every
run that names `SCHEMA_URI` in its `$schema`. Filtering labels (repository, job, kind, PR, base
branch, verdict) make the fingerprint, so a pull request's runs are never compared with the
main branch's; metric labels (the suite's geometric-mean change, each benchmark's head median
and change) are what Horreum's change detection variables watch. The `schema` field is a JSON
Schema Horreum validates every upload against: the keys perfbot's readers rely on.
"""

from __future__ import annotations

import json
from typing import Any

from workflows.horreum.document import SCHEMA_URI

NAME = "perfbot run"
DESCRIPTION = "A perfbot run: base against head, per-benchmark verdicts and raw samples"
# Pairs of (name, value) arrays into one object, so a label holds every benchmark at once.
BY_NAME = "value => Object.fromEntries(value.name.map((n, i) => [n, value.value[i]]))"

# (label, [(extractor, jsonpath, isarray)], function, filtering, metrics)
LABELS: tuple[tuple[str, list[tuple[str, str, bool]], str | None, bool, bool], ...] = (
    ("perfbot.repository", [("repository", "$.repository", False)], None, True, False),
    ("perfbot.job", [("job", "$.job", False)], None, True, False),
    ("perfbot.kind", [("kind", "$.kind", False)], None, True, False),
    ("perfbot.pr", [("pr", "$.pr", False)], None, True, False),
    ("perfbot.base_ref", [("base_ref", "$.base.ref", False)], None, True, False),
    ("perfbot.head_sha", [("head_sha", "$.head.sha", False)], None, False, False),
    ("perfbot.workflow", [("workflow", "$.workflow.name", False)], None, False, False),
    ("perfbot.verdict", [("verdict", "$.verdict", False)], None, True, False),
    ("perfbot.geomean_change", [("g", "$.summary.geomean_change", False)], None, False, True),
    ("perfbot.regressed", [("n", "$.summary.counts.regressed", False)], None, False, True),
    (
        "perfbot.head_median",
        [("name", "$.benchmarks[*].name", True), ("value", "$.benchmarks[*].head.median", True)],
        BY_NAME,
        False,
        True,
    ),
    (
        "perfbot.change",
        [("name", "$.benchmarks[*].name", True), ("value", "$.benchmarks[*].change", True)],
        BY_NAME,
        False,
        True,
    ),
)

_SIDE = {"type": ["object", "null"], "properties": {"samples": {"type": "array"}}}
VALIDATION: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_URI,
    "title": NAME,
    "type": "object",
    "required": ["$schema", "repository", "pr", "job", "base", "head", "verdict", "benchmarks"],
    "properties": {
        "repository": {"type": "string"},
        "pr": {"type": "integer", "minimum": 0},
        "kind": {"enum": ["pull_request", "branch"]},
        "job": {"type": "string"},
        "base": {"type": "object", "required": ["ref", "sha"]},
        "head": {"type": "object", "required": ["sha"]},
        "verdict": {"type": "string"},
        "benchmarks": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "unit", "verdict"],
                "properties": {"base": _SIDE, "head": _SIDE},
            },
        },
    },
}


def schema_export(*, owner: str, access: str = "PUBLIC", schema_id: int = 0) -> dict[str, Any]:
    """A `SchemaExport` (Horreum's import format); `schema_id` 0 for a first import, the id
    Horreum gave for `PUT /api/schema/import` (an update)."""
    return {
        "id": schema_id,
        "uri": SCHEMA_URI,
        "name": NAME,
        "description": DESCRIPTION,
        "owner": owner,
        "access": access,
        "schema": json.dumps(VALIDATION, sort_keys=True),
        "labels": [
            {
                "id": 0,
                "schemaId": schema_id,
                "name": name,
                "extractors": [
                    {"name": ex, "jsonpath": path, "isarray": isarray}
                    for ex, path, isarray in extractors
                ],
                **({"function": function} if function else {}),
                "filtering": filtering,
                "metrics": metrics,
                "owner": owner,
                "access": access,
            }
            for name, extractors, function, filtering, metrics in LABELS
        ],
        "transformers": [],
    }
