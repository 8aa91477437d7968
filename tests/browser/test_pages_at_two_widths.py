"""Every page a reviewer reads, as Chromium lays it out at a desktop and a phone width: the
dashboard's pages (on a store with main-branch pushes, an A/A run, a tag run and a pull request
that regressed) and the HTML reports (the golden run's, and one whose outliers are 400 times
its rounds). Each is kept as a screenshot in test-artifacts/pages/ (PERFBOT_TEST_ARTIFACTS
overrides the folder) for a person to look at; the checks here are what a layout must never do:
a page wider than the window (a phone reader scrolling sideways), or a chart that did not draw.

Skipped without Chromium (`tests/browser/install-chromium.sh`) except where PERFBOT_REQUIRE_BROWSER
or CI=true is set.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from werkzeug.serving import make_server

from bot.dashboard import standalone
from tests.browser.png import pixels
from tests.history.builders import comparison, payload
from workflows.compare import compare, render_html
from workflows.compare.provenance import RunFacts
from workflows.history import Store
from workflows.history.sources import from_callback
from workflows.results import ResultSet, load_results, make_benchmark

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NO_BROWSER = "no chromium on PATH: run tests/browser/install-chromium.sh (as root)"
WIDTHS = {"desktop": 1280, "phone": 390}
HEIGHT = 1800
SEARCH = "GET /search"
MAIN_RUNS = 12
GOLDEN = Path(__file__).parents[1] / "compare" / "golden" / "inputs" / "rounds"


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"]
    return subprocess.run(
        [CHROMIUM, *flags, "--virtual-time-budget=2000", *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def shots(project_root: Path) -> Path:
    if CHROMIUM is None:
        if os.environ.get("PERFBOT_REQUIRE_BROWSER") or os.environ.get("CI") == "true":
            pytest.fail(NO_BROWSER)
        pytest.skip(NO_BROWSER)
    where = Path(os.environ.get("PERFBOT_TEST_ARTIFACTS") or project_root / "test-artifacts")
    target = where / "pages"
    target.mkdir(parents=True, exist_ok=True)
    return target


def _sha(number: int) -> str:
    """A commit id whose short form differs from its neighbours' (the chart's labels)."""
    return f"{number * 0x9E3779B1 % 0xFFFFFFF:07x}".ljust(40, "0")


def _fill(store: Store) -> int:
    """Main-branch pushes (recorded out of order once), an A/A run and a tag run that must not
    be trend points, then a pull request that slows GET /search by 30 %."""
    for number in range(MAIN_RUNS):
        report, _, _ = comparison(
            {SEARCH: 10.0, "GET /items": 1.0},
            {SEARCH: 10.0 * (1 + 0.02 * (number % 3)), "GET /items": 1.0},
            seed=number,
        )
        sent = payload(report, pr=0, workflow=f"push-{number}", head_sha=_sha(number + 1))
        store.record(replace(from_callback(sent), base_sha=_sha(number), branch="main"))
    report, _, _ = comparison({SEARCH: 10.0, "GET /items": 1.0}, {SEARCH: 10.0, "GET /items": 1.0})
    aa = from_callback(payload(report, pr=0, workflow="a-a", head_sha=_sha(MAIN_RUNS)))
    store.record(replace(aa, kind="local", base_sha=aa.head_sha, branch="main"))
    tag = from_callback(payload(report, pr=0, workflow="tag", head_sha="f" * 40))
    store.record(replace(tag, kind="local", branch=None))
    report, _, _ = comparison({SEARCH: 10.0, "GET /items": 1.0}, {SEARCH: 13.0, "GET /items": 1.0})
    return store.record(from_callback(payload(report, pr=1, workflow="pr-1")))


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory, shots: Path) -> Iterator[dict[str, str]]:
    """The dashboard's pages, served from a filled store: name -> URL."""
    store = Store.open(str(tmp_path_factory.mktemp("history") / "history.sqlite"))
    run_id = _fill(store)
    server = make_server("127.0.0.1", 0, standalone(store), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url, query = f"http://127.0.0.1:{server.server_port}", "repo=Codertocat/Hello-World&job=api"
    try:
        yield {
            "dashboard-index": f"{url}/",
            "dashboard-job": f"{url}/job?{query}",
            "dashboard-run": f"{url}/runs/{run_id}",
            "dashboard-benchmark": f"{url}/benchmark?{query}&name=GET%20/search",
            "dashboard-changes": f"{url}/changes?{query}",
        }
    finally:
        server.shutdown()
        store.close()


def _outlying(source: str, level: float, rng: np.random.Generator) -> ResultSet:
    """10 rounds of 20 samples around `level` seconds; two samples 400 times slower."""
    samples = level * np.exp(0.02 * rng.standard_normal(200))
    samples[[13, 117]] *= 400
    rounds = np.repeat(np.arange(1, 11), 20)
    bench = make_benchmark("test_parse_a_rather_long_benchmark_name[large-input-utf8]", "s",
                           samples=samples, rounds=rounds)  # fmt: skip
    return ResultSet.build(source, "perfbot", [bench])


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    where = tmp_path_factory.mktemp("reports")
    rng = np.random.default_rng(7)
    facts = RunFacts(repository="acme/widgets", job="api", pr=42, base_ref="main",
                     base_sha="3f9c2e1a7b4d5e6f", head_sha="8d41b07c9e20aa11")  # fmt: skip
    made = {
        "report-golden": compare(load_results(GOLDEN / "base"), load_results(GOLDEN / "head")),
        "report-outliers": compare(_outlying("b", 177e-6, rng), _outlying("h", 230e-6, rng)),
    }
    urls = {}
    for name, found in made.items():
        path = where / f"{name}.html"
        path.write_text(render_html(found, facts), encoding="utf-8")
        urls[name] = path.as_uri()
    return urls


def _cut_off_rows(path: Path, below: int = 60, margin: int = 6) -> int:
    """Rows (under the header bar) with anything drawn in the last `margin` columns: a page
    wider than the window runs into its right edge, where a page that fits has its padding."""
    width, _, rows, step = pixels(path)
    cut = 0
    for row in rows[below:]:
        edge = row[(width - margin) * step : width * step]
        if any(min(edge[i : i + 3]) < 200 for i in range(0, len(edge), step)):
            cut += 1
    return cut


PAGES = ["dashboard-index", "dashboard-job", "dashboard-run", "dashboard-benchmark",
         "dashboard-changes", "report-golden", "report-outliers"]  # fmt: skip


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_a_page_fits_the_window_and_is_kept_as_a_screenshot(
    dashboard: dict[str, str], reports: dict[str, str], shots: Path, name: str, width: str
) -> None:
    shot = shots / f"{name}-{width}.png"
    shot.unlink(missing_ok=True)
    url = {**dashboard, **reports}[name]
    done = _chromium(f"--window-size={WIDTHS[width]},{HEIGHT}", f"--screenshot={shot}", url)
    assert shot.is_file(), done.stderr[-2000:]
    assert _cut_off_rows(shot) == 0  # see the screenshot: rows running into the right edge


def test_the_run_page_draws_the_trend_of_main_branch_points_only(
    dashboard: dict[str, str],
) -> None:
    page = _chromium("--dump-dom", dashboard["dashboard-run"]).stdout
    rendered = re.search(r'data-rendered-points="(\d+)"', page)
    assert rendered is not None
    assert rendered[1] == str(MAIN_RUNS + 1)  # the pushes and this run's head; no A/A, no tag
