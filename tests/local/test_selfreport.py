"""A step's self-reported progress: read as Argo reads it, shown with an honest time left."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.local.conftest import RunTemplate, node, py, workflow
from workflows.local.selfreport import Progress, about, describe, parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3/10\n", (3, 10)),
        ("0/4", (0, 4)),
        ("1/4\n2/4\n", (2, 4)),  # the last line counts
        ("10/10\n\n", (10, 10)),
        (" 5/8 \n", (5, 8)),
        ("", None),
        ("3/", None),  # half-written
        ("11/10", None),
        ("0/0", None),
        ("-1/4", None),
        ("a/b", None),
        ("50%", None),
    ],
)
def test_progress_is_parsed_like_argos_executor(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.2, "about 1 s left"),
        (42.4, "about 42 s left"),
        (70, "about 1 min 10 s left"),
        (124, "about 2 min left"),
        (3725, "about 1 h 2 min left"),
        (7200, "about 2 h left"),
    ],
)
def test_the_time_left_reads_as_a_rough_figure(seconds, text):
    assert about(seconds) == text


def progress_file(tmp_path: Path, text: str) -> Progress:
    path = tmp_path / "progress"
    path.write_text(text)
    return Progress(path)


def test_the_time_left_comes_from_the_pace_of_the_sides_measured_so_far(tmp_path):
    progress = progress_file(tmp_path, "0/20\n")
    assert progress.poll(now=100.0)
    assert progress.seconds_left(now=101.0) is None  # nothing measured yet
    (tmp_path / "progress").write_text("4/20\n")
    assert progress.poll(now=120.0)  # 5 s a side
    assert progress.seconds_left(now=120.0) == 80.0
    assert progress.seconds_left(now=130.0) == 70.0
    assert describe("benchmark", progress, now=130.0) == "round 3/10 base, about 1 min 10 s left"


def test_an_unchanged_or_unparsable_file_is_not_a_change(tmp_path):
    progress = progress_file(tmp_path, "2/8\n")
    assert progress.poll()
    assert not progress.poll()
    (tmp_path / "progress").write_text("2/")
    assert not progress.poll()
    assert (progress.done, progress.total) == (2, 8)


@pytest.mark.parametrize(
    ("template", "text", "shown"),
    [
        ("benchmark", "0/6", "round 1/3 base"),
        ("benchmark", "1/6", "round 1/3 head"),
        ("benchmark", "2/6", "round 2/3 head"),
        ("benchmark", "3/6", "round 2/3 base"),
        ("benchmark", "6/6", "round 3/3 done"),
        ("benchmark", "1/5", "1/5"),  # not a count of sides
        ("train", "7/20", "7/20"),
    ],
)
def test_the_benchmark_names_its_round_and_side(tmp_path, template, text, shown):
    progress = progress_file(tmp_path, text)
    progress.poll()
    assert describe(template, progress) == shown


REPORTS = (
    "import os, time\n"
    "path = os.environ['ARGO_PROGRESS_FILE']\n"
    "for n in range(3):\n"
    "    open(path, 'w').write(f'{n}/2\\n')\n"
    "    time.sleep(0.3)\n"
)


def test_a_step_reports_progress_through_a_file_of_its_own(run_template: RunTemplate, tmp_path):
    document = workflow({"name": "main", "container": py(REPORTS)})
    result, recorder = run_template(document)
    assert result.succeeded
    events = [event for event, _ in recorder.events if event.startswith("progress")]
    assert events == ["progress 0/2", "progress 1/2", "progress 2/2"]
    reported = node(result, "main").progress
    assert reported is not None
    assert (tmp_path / "work") in reported.path.parents
