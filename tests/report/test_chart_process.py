"""Charts drawn by another process while the pages are laid out (``itadesk report``): the
same file as charts drawn in the process, page for page and pixel for pixel.

Every fork happens in a fresh process (the command itself, or a short script): this test
process runs other threads once NumPy or Qt is loaded, where the program never forks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from itadesk.db.files import read_snapshot
from itadesk.db.store import Store
from itadesk.report import chart_cache, chart_sizes
from itadesk.report.chart_jobs import ReportCharts
from itadesk.report.chart_process import can_fork
from itadesk.report.content import build_report_data
from itadesk.report.pdf import build_pdf, render_charts

FIXTURE = Path(__file__).parents[1] / "fixtures" / "chiangphin.json"
ORG = "องค์การบริหารส่วนตำบลเชียงพิณ"

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
forks = pytest.mark.skipif(not hasattr(os, "fork") or (os.cpu_count() or 1) < 2,
                           reason="charts are drawn beside the layout only with fork and two cores")

# Run in a fresh (single-threaded) process: argv[1] the document, argv[2] a work folder.
PRELUDE = r"""
import json, os, sys
from pathlib import Path
from itadesk.db.files import read_snapshot
from itadesk.db.store import Store
from itadesk.report.chart_jobs import ReportCharts
from itadesk.report.chart_process import ChartProcess, can_fork
from itadesk.report.content import build_report_data
from itadesk.report.pdf import BuildCancelled, build_pdf
with read_snapshot(sys.argv[1]) as conn:
    store = Store(conn)
    data = build_report_data(store, store.find_organization(%r).uuid, 2568)
work = Path(sys.argv[2])
assert can_fork()
""" % ORG


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("db") / "ita.db"
    subprocess.run([sys.executable, "-m", "itadesk", "import", str(db), str(FIXTURE)], check=True,
                   capture_output=True, env=dict(os.environ, ITADESK_DATA_DIR=str(db.parent)))
    return db


@pytest.fixture(scope="module")
def data(db):
    with read_snapshot(db) as conn:
        store = Store(conn)
        return build_report_data(store, store.find_organization(ORG).uuid, 2568)


def in_fresh_process(code: str, db: Path, work: Path) -> dict:
    """``code`` after PRELUDE in a new Python; it prints one line of JSON at the end."""
    proc = subprocess.run([sys.executable, "-c", PRELUDE + code, str(db), str(work)], capture_output=True,
                          text=True, env=dict(os.environ, ITADESK_DATA_DIR=str(work / "data")), timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _pages(pdf: Path, folder: Path) -> list[bytes]:
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(folder / "p")], check=True)
    return [p.read_bytes() for p in sorted(folder.glob("*.png"))]


def _text(pdf: Path, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


@forks
def test_charts_from_another_process_give_the_same_pages(db, data, tmp_path):
    here_charts = render_charts(data)  # drawn in this process
    here = build_pdf(data, tmp_path / "here.pdf", charts=here_charts)
    fresh = tmp_path / "fresh"  # nothing kept there: the command draws all four in its other process
    proc = subprocess.run([sys.executable, "-m", "itadesk", "report", str(db), "--org", ORG, "--year", "2568",
                           "-o", str(tmp_path / "elsewhere.pdf")], capture_output=True, text=True,
                          env=dict(os.environ, ITADESK_DATA_DIR=str(fresh)))
    assert proc.returncode == 0, proc.stderr
    elsewhere = tmp_path / "elsewhere.pdf"
    assert elsewhere.read_bytes().count(b"/FormXob.itadeskChart") == 4  # placed before they were drawn
    assert b"/FormXob" not in here.path.read_bytes()
    for options in ((), ("-layout",)):
        assert _text(elsewhere, *options) == _text(here.path, *options)
    assert _pages(elsewhere, tmp_path / "a") == _pages(here.path, tmp_path / "b")
    assert here.pages == 21 and "(21 หน้า)" in proc.stdout
    # the other process kept its drawings for next time: the same drawings as this process's
    charts = ReportCharts(data, _report_font_paths(), 1.0)
    kept = [chart_cache.load(charts.key(job), fresh / "chart-cache") for job in charts.jobs]
    assert kept == [c.drawing for c in here_charts]


def _report_font_paths():
    from itadesk.report.fonts import resolve_font

    return list(resolve_font(None).paths.values())


def test_every_chart_size_is_known_without_matplotlib(data):
    """The box reserved on the page is the drawing's own size (the OIT chart's height follows its rows)."""
    charts = ReportCharts(data, _report_font_paths(), 1.0)
    drawn = render_charts(data)
    sizes = [chart_sizes.size_points(job.name, job.args, job.kwargs) for job in charts.jobs]
    assert sizes == [(c.drawing.width, c.drawing.height) for c in drawn] and len(sizes) == 4
    assert sizes[2][1] > 200  # the OIT chart, taller than its minimum


@forks
def test_a_build_that_stops_early_lets_the_drawing_process_go(db, tmp_path):
    result = in_fresh_process(r"""
charts = ReportCharts(data, [], 1.0).draw_elsewhere()
pid = charts._process._pid

def cancel(fraction, message):
    if fraction >= 0.5:
        raise BuildCancelled

try:
    build_pdf(data, work / "r.pdf", charts_in_parallel=charts, progress=cancel)
except BuildCancelled:
    pass
try:
    os.waitpid(pid, os.WNOHANG)
    reaped = False
except ChildProcessError:
    reaped = True
print(json.dumps({"reaped": reaped, "left": sorted(p.name for p in work.iterdir())}))
""", db, tmp_path)
    assert result == {"reaped": True, "left": ["data"]}  # no PDF, no temp file, the process reaped


@forks
def test_a_chart_the_other_process_cannot_draw_says_so_in_its_place(db, tmp_path):
    """A font file that cannot be read: every chart fails over there, and the page says why
    where the chart would be, as a chart that fails in this process does."""
    result = in_fresh_process(r"""
charts = ReportCharts(data, [work / "missing.ttf"], 1.0).draw_elsewhere()
print(json.dumps({"pages": build_pdf(data, work / "r.pdf", charts_in_parallel=charts).pages}))
""", db, tmp_path)
    text = _text(tmp_path / "r.pdf")
    assert text.count("สร้างแผนภูมินี้ไม่ได้ (FileNotFoundError") == 4 and "ภาพที่ 4" in text
    assert result["pages"] == 21


@forks
def test_a_process_that_dies_answers_nothing(db, tmp_path):
    result = in_fresh_process(r"""
print(json.dumps([ChartProcess(lambda: ["drawn"]).answers(), ChartProcess(lambda: os._exit(3)).answers(),
                  ChartProcess(lambda: 1 / 0).answers()]))
""", db, tmp_path)
    assert result == [["drawn"], None, None]


def test_no_fork_while_another_thread_runs():
    """The window's export runs in a worker thread: there the charts are drawn in the process."""
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        assert not can_fork()
    finally:
        release.set()
        worker.join()
