"""How fast the overview tab is on a province's file: first screen from opening, sort, filter, export.

    python bench/overview.py --orgs 8000 [--file orgs8000.db] [--screenshot docs/screenshots/overview.png]
    python bench/overview.py --file orgs8000.db --openings 3 [--old older.db] [--screenshots docs/screenshots]

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


def _window():
    """The application and the main window at 1366×768, shown."""
    from PySide6.QtWidgets import QApplication

    from itadesk.ui.app import setup_application
    from itadesk.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    setup_application(app)
    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    _settle(app)
    return app, window


def measure(path: Path, screenshot: Path | None) -> dict:
    from PySide6.QtCore import Qt

    from itadesk.ui.overview_tab import SHOWN

    app, window = _window()
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


def _open_once(app, window, path: Path, wait_check: bool, warm: bool = False) -> dict:
    """Open ``path`` in the window: the overview's first screen drawn (wall and CPU seconds of
    this process, every thread), whether the "being checked" bar shows then, and, with
    ``wait_check``, when the check of every row has ended (the bar gone)."""
    tab = window.overview_tab
    start, cpu = time.perf_counter(), time.process_time()
    window.open_document(path)
    window.tabs.setCurrentWidget(tab)
    tab.view.viewport().repaint()
    app.processEvents()
    bar = getattr(window, "check_bar", None)  # None: a version that checks before showing (main)
    out = {"first": (time.perf_counter() - start, time.process_time() - cpu),
           "marked": bar is not None and bar.checking, "rows": len(tab.model.rows)}
    if wait_check and bar is not None:
        while bar.checking:  # the event loop as a window idles: woken by its timers, not spinning
            app.processEvents()
            time.sleep(0.1)
        out["checked"] = (time.perf_counter() - start, time.process_time() - cpu)
    if warm:  # everything after the first screen too (the rest of the rows, the chart: Matplotlib)
        deadline = time.perf_counter() + 120
        while (tab._compute_timer.isActive() or tab.chart_view is None  # noqa: SLF001
               or tab.chart_view.figure is None) and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.02)
    window.context.document.close(discard=True)
    window.context.set_document(None)
    return out


def measure_openings(path: Path, old: Path | None, runs: int, folder: Path,
                     screenshots: Path | None = None, seen_only: bool = False) -> list[tuple[str, dict, float]]:
    """Each run: a data folder that never saw ``path`` (open: first screen, check ended), then
    the same file again (checked now); ``old``, a file of an older schema: its first opening
    (checked and migrated) and its second (the kept upgrade). (label, result, load) rows."""
    app, window = _window()
    out = []
    os.environ["ITADESK_DATA_DIR"] = str(folder / "warm-up")
    _open_once(app, window, path, wait_check=True, warm=True)  # imports, the tab built: not counted
    for run in range(runs):
        if seen_only:  # the warm-up's data folder checked it
            out.append(("a file this computer checked", _open_once(app, window, path, wait_check=False),
                        os.getloadavg()[0]))
            continue
        os.environ["ITADESK_DATA_DIR"] = str(folder / f"unseen-{run}")
        if screenshots is not None and run == 0:
            tab = window.overview_tab
            window.open_document(path)
            window.tabs.setCurrentWidget(tab)
            _settle(app)
            window.grab().save(str(screenshots / "first-open-checking.png"))
            while window.check_bar.checking:
                app.processEvents()
                time.sleep(0.01)
            _settle(app)
            window.grab().save(str(screenshots / "first-open-checked.png"))
            window.context.document.close(discard=True)
            window.context.set_document(None)
            os.environ["ITADESK_DATA_DIR"] = str(folder / f"unseen-{run}-again")
        out.append(("never seen on this computer", _open_once(app, window, path, wait_check=True), os.getloadavg()[0]))
        out.append(("the same file again (checked)", _open_once(app, window, path, wait_check=False), os.getloadavg()[0]))
        if old is not None:
            os.environ["ITADESK_DATA_DIR"] = str(folder / f"old-{run}")
            out.append(("older schema, first opening", _open_once(app, window, old, wait_check=True), os.getloadavg()[0]))
            out.append(("older schema, second opening", _open_once(app, window, old, wait_check=True), os.getloadavg()[0]))
    window.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=8000)
    parser.add_argument("--file", type=Path, help="an existing file (e.g. made by itadesk import)")
    parser.add_argument("--keep", type=Path, help="build the file here and keep it (reuse it with --file)")
    parser.add_argument("--screenshot", type=Path)
    parser.add_argument("--openings", type=int, metavar="RUNS",
                        help="only the openings: never seen / seen / (--old) older schema, RUNS times")
    parser.add_argument("--old", type=Path, help="with --openings: a file of an older schema")
    parser.add_argument("--seen-only", action="store_true", help="with --openings: only a file already checked")
    parser.add_argument("--screenshots", type=Path, help="with --openings: grab the window during and after the check")
    args = parser.parse_args()
    if args.openings:
        with tempfile.TemporaryDirectory() as folder:
            rows = measure_openings(args.file, args.old, args.openings, Path(folder), args.screenshots,
                                    args.seen_only)
        print(f"{date.today()} · {platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()}")
        print("| opening | load | first screen wall s | CPU s | marked | check ended wall s | CPU s |\n|---|---|---|---|---|---|---|")
        for label, r, load in rows:
            checked = r.get("checked")
            ended = f"{checked[0]:.2f} | {checked[1]:.2f}" if checked and r["marked"] else "– | –"
            print(f"| {label} | {load:.1f} | {r['first'][0]:.2f} | {r['first'][1]:.2f} | "
                  f"{'yes' if r['marked'] else 'no'} | {ended} |")
        return
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
