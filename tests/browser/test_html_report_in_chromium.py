"""The HTML report as a browser shows it: Debian's headless Chromium, started by the test, with
no emoji font installed (`install-chromium.sh`), renders the golden run's page; its screenshot
is kept in `test-artifacts/report/` (PERFBOT_TEST_ARTIFACTS overrides the folder, as for the
other browser tests) and the rendered DOM is checked for what a reader needs.

Skipped, with the reason, only on a developer machine without Chromium; on CI (`CI=true`) a
missing Chromium fails the test, so the check cannot silently stop running.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.png import has_color
from workflows.compare import compare, render_html
from workflows.compare import provenance as provenance_module
from workflows.compare.provenance import RunFacts
from workflows.results import load_results

ROOT = Path(__file__).resolve().parents[2]
INPUTS = ROOT / "tests" / "compare" / "golden" / "inputs" / "rounds"
ARTIFACTS = Path(os.environ.get("PERFBOT_TEST_ARTIFACTS") or ROOT / "test-artifacts") / "report"
WINDOW = (1200, 2400)
REGRESSED_RED = (0xD1, 0x24, 0x2F)
ICON_BOX = (0, 40, 140, 140)  # the verdict line's icon, top left of the page
MISSING = "chromium is not installed: run tests/browser/install-chromium.sh (as root)"
FACTS = RunFacts(
    repository="acme/widgets", job="api", pr=42, base_ref="main",
    base_sha="3f9c2e1a7b4d5e6f", head_sha="8d41b07c9e20aa11",
)  # fmt: skip


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    return found


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(provenance_module, "perfbot_version", lambda: "browser-test")
        comparison = compare(load_results(INPUTS / "base"), load_results(INPUTS / "head"))
        html = render_html(comparison, FACTS)
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(html, encoding="utf-8")
    return path


def _chromium(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    argv = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--no-first-run", f"--user-data-dir={profile}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
        *args,
    ]  # fmt: skip
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def screenshot(chromium, page, tmp_path_factory) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / "report-rounds.png"
    target.unlink(missing_ok=True)
    profile = tmp_path_factory.mktemp("profile")
    done = _chromium(chromium, profile, f"--screenshot={target}", page.as_uri())
    assert target.is_file(), done.stderr[-2000:]
    return target


@pytest.fixture(scope="module")
def dom(chromium, page, tmp_path_factory) -> str:
    done = _chromium(chromium, tmp_path_factory.mktemp("profile"), "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_rendered_page_opens_with_the_provenance_line(dom):
    line = re.search(r'<p class="meta provenance">(.*?)</p>', dom, re.S)
    assert line is not None
    text = re.sub(r"<[^>]+>", "", line.group(1))
    assert "acme/widgets · job api · PR #42 · base main → 3f9c2e1 · head 8d41b07" in text
    assert "10 rounds, 50 samples per benchmark and side" in text


def test_every_chart_in_the_rendered_page_has_one_mark_per_round_and_side(dom):
    charts = re.findall(r'<figure class="benchmark">.*?</figure>', dom, re.S)
    assert len(charts) == 6
    for chart in charts:
        assert len(re.findall(r'class="round base"', chart)) == 10
        assert len(re.findall(r'class="round head"', chart)) == 10


def test_the_verdict_icon_is_drawn_without_an_emoji_font(screenshot):
    assert has_color(screenshot, REGRESSED_RED, ICON_BOX)
