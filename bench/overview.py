"""How fast the overview tab is on a province's file: first screen from opening, sort, filter, export.

    python bench/overview.py --orgs 8000 [--file orgs8000.db] [--screenshot docs/screenshots/overview.png]

Without ``--file`` the file is built here: generate_orgs.py's organizations × 6 years written
straight into a new document (the program's schema; rows and their versions bulk-inserted in one
transaction, as a fast ``itadesk import`` would leave them) — the import of 8,000 organizations is
another bench's work (bench/scale.py). Times are wall clock in this process, offscreen Qt,
the window at 1366×768; each sort and filter includes the repaint of the table.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_orgs import generate  # noqa: E402


def build_file(path: Path, orgs: int) -> Path:
    """A document of ``orgs`` organizations × 2563–2568 (items in 2568), written in bulk."""
    from itadesk.db.files import new_document
    from itadesk.db.versions import record_versions

    new_document(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    stamp = "2026-11-30T00:00:00+00:00"
    org_ids: dict[str, str] = {}
    for e in generate(orgs, 2563, 2568):
        o = e["organization"]
        org = org_ids.get(o["name"])
        if org is None:
            org = org_ids[o["name"]] = str(uuid.uuid4())
            conn.execute("INSERT INTO organizations(uuid, name, kind, district, province, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?)",
                         (org, o["name"], o["kind"], o["district"].removeprefix("อำเภอ"), o["province"], stamp))
        a = str(uuid.uuid4())
        conn.execute("INSERT INTO assessments(uuid, org_uuid, fiscal_year, updated_at) VALUES (?, ?, ?, ?)",
                     (a, org, e["fiscal_year"], stamp))
        conn.executemany("INSERT INTO indicator_scores(uuid, assessment_uuid, indicator, score, updated_at) "
                         "VALUES (?, ?, ?, ?, ?)",
                         [(str(uuid.uuid4()), a, int(n), s, stamp) for n, s in e["indicators"].items()])
        conn.executemany("INSERT INTO item_scores(uuid, assessment_uuid, code, part, score, updated_at) "
                         "VALUES (?, ?, ?, 0, ?, ?)",
                         [(str(uuid.uuid4()), a, c, s, stamp) for c, s in e.get("items", {}).items()])
    conn.execute("COMMIT")
    record_versions(conn)
    conn.close()
    return path


def _settle(app, rounds: int = 3) -> None:
    for _ in range(rounds):
        app.processEvents()


def timed(label: str, results: dict, call) -> object:
    """Wall-clock and CPU seconds of ``call()`` (CPU time is what to compare on a shared machine)."""
    start, cpu = time.perf_counter(), time.process_time()
    value = call()
    results[label] = (time.perf_counter() - start, time.process_time() - cpu)
    return value


def measure(path: Path, screenshot: Path | None) -> dict:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from itadesk.ui.app import setup_application
    from itadesk.ui.main_window import MainWindow
    from itadesk.ui.overview_tab import SHOWN

    app = QApplication.instance() or QApplication([])
    setup_application(app)
    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    _settle(app)
    r: dict[str, float] = {}
    tab = window.overview_tab

    def first_screen():
        window.open_document(path)
        window.tabs.setCurrentWidget(tab)
        tab.view.viewport().repaint()
        app.processEvents()

    timed("open in the window → overview table drawn", r, first_screen)
    doc = window.document

    def overview_again():
        tab.reload()
        tab.view.viewport().repaint()

    timed("  of which the overview's own first screen (bulk SQL, first rows, drawn)", r, overview_again)
    timed("  of which the overview rows alone (bulk SQL, rows computed when read)", r, lambda: doc.overview(tab.year))
    def chart():
        start = time.perf_counter()
        # Until every row is computed (the slices after the first screen; a chart drawn before
        # the reload above would otherwise end this step at once) and the chart is drawn.
        while tab._compute_timer.isActive() or tab.chart_view is None or tab.chart_view.figure is None:  # noqa: SLF001
            app.processEvents()
            if time.perf_counter() - start > 60:
                break
        _settle(app)

    timed("rest of the rows, counts and level chart after the table (first chart: Matplotlib import)", r, chart)
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(screenshot))

    def repaint():
        """The table drawn again, synchronously (the chart and weak spots follow on a timer)."""
        tab.view.viewport().repaint()

    def side_panel():
        """Let the delayed chart redraw run (not counted in a sort or a filter)."""
        deadline = time.perf_counter() + 0.2
        while time.perf_counter() < deadline:
            app.processEvents()

    for key in ("total", "name", "level", "change"):
        column = SHOWN.index(key)
        timed(f"sort by {key} (table redrawn)", r, lambda: (tab.view.sortByColumn(column, Qt.DescendingOrder), repaint()))
        side_panel()
    province = tab.model.rows[0].province
    for label, filters in (("filter by province", {"province": province}),
                           ("filter by province + kind + level", {"province": province, "kind": "อบต.", "level": "ผ่าน"}),
                           ("search by name", {"text": "ทดสอบที่12"}),
                           ("clear filters", {})):
        timed(f"{label} (table redrawn, counts)", r, lambda: (tab.set_filters(**filters), repaint()))
        side_panel()
    tab.set_filters(province=province)
    timed("level chart redrawn after a filter", r, lambda: (tab._filter_changed(), tab._side_timer.stop(),
                                                           tab._draw_chart(), app.processEvents()))
    tab.clear_filters()
    side_panel()
    tab.side.setCurrentIndex(1)
    tab._weak_stale = True
    timed("weak indicators and OIT items (all offices)", r, lambda: (tab._fill_weak(), app.processEvents()))
    tab.side.setCurrentIndex(0)
    with tempfile.TemporaryDirectory() as folder:
        from itadesk.interchange.overview_table import write_csv, write_xlsx
        from itadesk.report.overview_pdf import build_overview_pdf

        rows = tab.shown_rows()
        timed(f"export CSV ({len(rows)} rows)", r, lambda: write_csv(rows, Path(folder) / "o.csv"))
        timed(f"export xlsx ({len(rows)} rows)", r, lambda: write_xlsx(rows, Path(folder) / "o.xlsx"))
        some = [x for x in rows if x.province == province]
        timed(f"export PDF ({len(some)} rows, one province)", r,
              lambda: build_overview_pdf(some, tab.year, Path(folder) / "o.pdf", place=f"จังหวัด{province}"))
    window.context.document.close(discard=True)
    window.context.set_document(None)
    window.close()
    return r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=8000)
    parser.add_argument("--file", type=Path, help="an existing file (e.g. made by itadesk import)")
    parser.add_argument("--keep", type=Path, help="build the file here and keep it (reuse it with --file)")
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("ITADESK_DATA_DIR", str(Path(folder) / "data"))
        path = args.file
        if path is None:
            start = time.perf_counter()
            path = build_file(args.keep or Path(folder) / f"orgs{args.orgs}.db", args.orgs)
            print(f"built {path.name}: {path.stat().st_size / 2**20:.0f} MB in {time.perf_counter() - start:.1f} s")
        results = measure(path, args.screenshot)
    print(f"{date.today()} · {platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    print(f"| step ({args.orgs if args.file is None else path.name} organizations) | wall s | CPU s |\n|---|---|---|")
    for label, (wall, cpu) in results.items():
        print(f"| {label} | {wall:.3f} | {cpu:.3f} |")


if __name__ == "__main__":
    main()
