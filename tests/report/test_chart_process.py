"""Charts drawn by another process while the pages are laid out (``itadesk report``): the
same file as charts drawn in the process, page for page and pixel for pixel."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from itadesk.db.files import read_snapshot
from itadesk.db.store import Store
from itadesk.report import chart_cache, chart_sizes
from itadesk.report.chart_flowable import LaterChart
from itadesk.report.chart_process import ChartProcess, can_fork
from itadesk.report.content import build_report_data
from itadesk.report.chart_jobs import ReportCharts
from itadesk.report.pdf import BuildCancelled, build_pdf, render_charts

FIXTURE = Path(__file__).parents[1] / "fixtures" / "chiangphin.json"
ORG = "องค์การบริหารส่วนตำบลเชียงพิณ"

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")


@pytest.fixture
def forking():
    """Charts are drawn in another process only where this process can fork (no other thread)."""
    if not can_fork():
        pytest.skip("this process cannot fork safely here (another thread runs, or no fork)")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    db = tmp_path_factory.mktemp("db") / "ita.db"
    subprocess.run([sys.executable, "-m", "itadesk", "import", str(db), str(FIXTURE)], check=True,
                   capture_output=True, env=dict(os.environ, ITADESK_DATA_DIR=str(db.parent)))
    with read_snapshot(db) as conn:
        store = Store(conn)
        return build_report_data(store, store.find_organization(ORG).uuid, 2568)


def _pages(pdf: Path, folder: Path) -> list[bytes]:
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(folder / "p")], check=True)
    return [p.read_bytes() for p in sorted(folder.glob("*.png"))]


def _text(pdf: Path, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def test_charts_from_another_process_give_the_same_pages(data, tmp_path, monkeypatch, forking):
    here_charts = render_charts(data)  # drawn in this process
    here = build_pdf(data, tmp_path / "here.pdf", charts=here_charts)
    monkeypatch.setenv("ITADESK_DATA_DIR", str(tmp_path / "fresh"))  # nothing kept: all four drawn elsewhere
    later = render_charts(data, in_parallel=True)
    assert [type(c.drawing) for c in later] == [LaterChart] * 4
    assert [(c.width_cm, c.height_cm) for c in later] == [(c.width_cm, c.height_cm) for c in here_charts]
    assert [c.drawing._get() for c in later] == [c.drawing for c in here_charts]

    monkeypatch.setenv("ITADESK_DATA_DIR", str(tmp_path / "fresh2"))
    elsewhere = build_pdf(data, tmp_path / "elsewhere.pdf", charts_in_parallel=True)
    assert elsewhere.path.read_bytes().count(b"/FormXob.itadeskChart") == 4  # placed before they were drawn
    assert b"/FormXob" not in here.path.read_bytes()
    assert elsewhere.pages == here.pages == 21
    for options in ((), ("-layout",)):
        assert _text(elsewhere.path, *options) == _text(here.path, *options)
    assert _pages(elsewhere.path, tmp_path / "a") == _pages(here.path, tmp_path / "b")
    assert len(list(chart_cache.folder().glob("*.json"))) == 4  # kept by the other process for next time
    assert all(type(c.drawing) is not LaterChart for c in render_charts(data, in_parallel=True))


def test_the_oit_chart_size_is_known_without_matplotlib(data):
    """The reserved box is the drawing's own size (the OIT chart's height follows its rows)."""
    charts = render_charts(data)
    oit = charts[2]
    width, height = chart_sizes.size_points("oit_items_lost", (data.current, data.previous, data.catalog), {})
    assert (width, height) == (oit.drawing.width, oit.drawing.height) and height > 200


def test_a_build_that_stops_early_lets_the_drawing_process_go(data, tmp_path, forking):
    charts = ReportCharts(data, [], 1.0).draw_elsewhere()
    pid = charts._process._pid

    def cancel(fraction, message):
        if fraction >= 0.5:
            raise BuildCancelled

    with pytest.raises(BuildCancelled):
        build_pdf(data, tmp_path / "r.pdf", charts_in_parallel=charts, progress=cancel)
    assert not list(tmp_path.iterdir())
    with pytest.raises(ChildProcessError):  # reaped, not left waiting to hand its drawings over
        os.waitpid(pid, os.WNOHANG)


def test_a_process_that_dies_answers_nothing(forking):
    assert ChartProcess(lambda: ["drawn"]).answers() == ["drawn"]
    assert ChartProcess(lambda: os._exit(3)).answers() is None
    assert ChartProcess(lambda: 1 / 0).answers() is None


def test_a_chart_the_other_process_cannot_draw_says_so_in_its_place(data, tmp_path, forking):
    """A font file that cannot be read: every chart fails over there, and the page says why
    where the chart would be, as a chart that fails in this process does."""
    charts = ReportCharts(data, [tmp_path / "missing.ttf"], 1.0).draw_elsewhere()
    result = build_pdf(data, tmp_path / "r.pdf", charts_in_parallel=charts)
    text = _text(result.path)
    assert text.count("สร้างแผนภูมินี้ไม่ได้") == 4 and "missing.ttf" in text
    assert "ภาพที่ 4" in text and result.pages == 21
