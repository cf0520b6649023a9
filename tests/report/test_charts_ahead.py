"""The window's charts drawn ahead (``chart_jobs.ChartsAhead``): what the build then finds in the
chart cache, and a stop that really stops."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from itadesk.db.files import read_snapshot
from itadesk.db.store import Store
from itadesk.report import chart_cache
from itadesk.report.chart_jobs import ChartsAhead, report_charts
from itadesk.report.content import ReportOptions, build_report_data

FIXTURE = Path(__file__).parents[1] / "fixtures" / "chiangphin.json"
ORG = "องค์การบริหารส่วนตำบลเชียงพิณ"


@pytest.fixture(scope="module")
def reference_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("ahead") / "ita.db"
    subprocess.run([sys.executable, "-m", "itadesk", "import", str(db), str(FIXTURE)], check=True, capture_output=True)
    return db


def load(db: Path, **options):
    with read_snapshot(db) as conn:
        store = Store(conn)
        return build_report_data(store, store.find_organization(ORG).uuid, 2568, ReportOptions(**options))


def kept() -> list[Path]:
    return sorted(chart_cache.folder().glob("*.json"))


def test_the_build_finds_every_chart_drawn_ahead_for_the_same_options(reference_db):
    data = load(reference_db)
    ahead = ChartsAhead(data)
    assert ahead.wait(300)
    charts, _ = report_charts(load(reference_db))  # what build_pdf asks for, from a fresh read
    assert len(charts.jobs) == 4 and len(kept()) == 4
    assert all(chart_cache.load(charts.key(job)) is not None for job in charts.jobs)
    other, _ = report_charts(load(reference_db, thai_digits=True))  # other options: none of them
    assert all(chart_cache.load(other.key(job)) is None for job in other.jobs)


def test_a_stop_leaves_at_most_the_chart_being_drawn(reference_db):
    ahead = ChartsAhead(load(reference_db))
    ahead.stop()
    assert ahead.wait(300)
    assert len(kept()) <= 1
