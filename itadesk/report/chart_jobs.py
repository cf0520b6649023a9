"""The report's charts as plain jobs: which chart functions, with which arguments and font,
drawn here, taken from the chart cache, drawn by another process, or drawn ahead.

Nothing here loads ReportLab or Matplotlib (they load with the first chart really drawn), so
``itadesk report`` can start the other process (:mod:`itadesk.report.chart_process`) right
after reading the file, and lay the pages out meanwhile. The window cannot fork (Qt runs
threads; Windows has no fork): it draws the charts ahead (:class:`ChartsAhead`) while the
officer is still in the export dialog.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from itadesk.report.chart_drawing import ChartDrawing, ChartFailed
from itadesk.report.content import ReportData

if TYPE_CHECKING:
    from itadesk.report.fonts import ReportFont


@dataclass(frozen=True)
class ChartJob:
    """``charts.<name>(*args, **kwargs)``; ``caption`` is a key of ``pdf.TEXT``, formatted
    with ``caption_args`` (its numbers written in the report's digits, its words as they are)."""

    name: str
    args: tuple
    kwargs: dict
    caption: str
    caption_args: dict


def chart_jobs(data: ReportData) -> list[ChartJob]:
    """The report's charts in order: indicators, tools, the OIT items (when the year has items
    of the tool judged on full marks), the trend (with two years or more)."""
    td = data.options.thai_digits
    cur, prev = data.current, data.previous
    target = data.options.threshold
    jobs = [ChartJob("indicator_comparison", (cur, prev, data.catalog), {"thai_digits": td},
                     "chart_indicators" if prev else "chart_indicators_single",
                     {"year": cur.fiscal_year, **({"py": prev.fiscal_year} if prev else {})}),
            ChartJob("tool_scores", (data.evaluation, data.previous_evaluation), {"target": target, "thai_digits": td},
                     "chart_tools", {"threshold": target})]
    from itadesk.report.chart_sizes import full_items_tool  # noqa: PLC0415 - as the other chart modules

    full_tool = full_items_tool(data.catalog)
    if full_tool and any(getattr(data.catalog.tool_of_item(code), "code", None) == full_tool for code in cur.items):
        jobs.append(ChartJob("oit_items_lost", (cur, prev, data.catalog), {"thai_digits": td},
                             "chart_oit", {"tool": full_tool, "year": cur.fiscal_year}))
    years = sorted({a.fiscal_year for a in data.history})
    if len(years) >= 2:
        jobs.append(ChartJob("overall_trend", (data.history,), {"target": target, "thai_digits": td},
                             "chart_trend", {"first": years[0], "last": years[-1]}))
    return jobs


class ReportCharts:
    """The charts of one report in one typeface (the report font's files and size factor):
    each drawn once per content (:mod:`itadesk.report.chart_cache`), here or elsewhere."""

    def __init__(self, data: ReportData, font_paths, size_factor: float):
        self.jobs = chart_jobs(data)
        self.font_paths, self.size_factor = list(font_paths), size_factor
        self._elsewhere: dict[int, Callable[[], ChartDrawing]] = {}
        self._sizes: dict[int, tuple[float, float]] = {}
        self._process = None

    def figure(self, job: ChartJob):
        """A fresh Matplotlib figure of the job (loads Matplotlib)."""
        from itadesk.report import charts

        typeface = charts.chart_font(self.font_paths, self.size_factor)
        return getattr(charts, job.name)(*job.args, typeface=typeface, **job.kwargs)

    def key(self, job: ChartJob) -> str:
        from itadesk.report import chart_cache

        return chart_cache.key(job.name, job.args, job.kwargs, self.font_paths, self.size_factor)

    def drawing(self, job: ChartJob) -> ChartDrawing:
        """The job's vector drawing: kept from an earlier export, or drawn now and kept."""
        from itadesk.report import chart_cache

        def draw():
            from itadesk.report import chart_recorder

            return chart_recorder.record(self.figure(job))

        return chart_cache.cached(self.key(job), draw)

    def draw_elsewhere(self) -> ReportCharts:
        """Start another process drawing the charts not kept yet, where that is possible."""
        from itadesk.report import chart_cache, chart_process, chart_sizes

        if self._elsewhere or not chart_process.can_fork():
            return self
        missing = [i for i, job in enumerate(self.jobs) if chart_cache.load(self.key(job)) is None]
        try:  # the sizes first: the layout needs them, and the words of their labels are then known to both
            self._sizes = {i: chart_sizes.size_points(self.jobs[i].name, self.jobs[i].args, self.jobs[i].kwargs)
                           for i in missing}
        except Exception:  # noqa: BLE001 - a chart whose size cannot be known is drawn here
            return self
        if not missing:
            return self

        def work() -> list:
            answers = []
            for i in missing:
                try:
                    answers.append(self.drawing(self.jobs[i]))
                except Exception as exc:  # noqa: BLE001 - said in the chart's place
                    answers.append(f"{type(exc).__name__}: {exc}")
            return answers

        process = self._process = chart_process.ChartProcess(work)

        def answer(position: int, job: ChartJob) -> Callable[[], ChartDrawing]:
            def get() -> ChartDrawing:
                answers = process.answers()
                if answers is None:  # the other process failed: draw it here
                    return self.drawing(job)
                if isinstance(answers[position], str):
                    raise ChartFailed(answers[position])
                return answers[position]
            return get

        self._elsewhere = {i: answer(position, self.jobs[i]) for position, i in enumerate(missing)}
        return self

    def close(self) -> None:
        """Wait for the other process (if any) and let it go: a build that stopped early
        must not leave it waiting to hand over drawings nobody reads."""
        if self._process is not None:
            self._process.close()

    def size_points(self, index: int) -> tuple[float, float]:
        """The size of a chart another process draws (known before its drawing)."""
        return self._sizes[index]

    def elsewhere(self, index: int) -> Callable[[], ChartDrawing] | None:
        """For a chart another process draws, the call that waits for its drawing (it raises
        :class:`ChartFailed` if the chart could not be drawn)."""
        return self._elsewhere.get(index)


def report_font_or_none(data: ReportData, font_dirs=None) -> ReportFont | None:
    """The report's font (``data.options.font``); None if it is not found (``build_pdf`` says so;
    the charts are still drawn, in Sarabun)."""
    from itadesk.report.fonts import PdfError, resolve_font  # noqa: PLC0415 - it loads part of ReportLab

    try:
        return resolve_font(data.options.font, font_dirs)
    except PdfError:
        return None


def report_charts(data: ReportData, font_dirs=None) -> tuple[ReportCharts, ReportFont | None]:
    """The charts of the report of ``data``, in its font, and that font (None if not found)."""
    font = report_font_or_none(data, font_dirs)
    return (ReportCharts(data, font.paths.values() if font else [], font.size_factor if font else 1.0), font)


class ChartsAhead:
    """The charts of a report drawn in a background thread before the report is asked for,
    into the chart cache (:mod:`itadesk.report.chart_cache`), where the build then finds them.

    Why: the window's export cannot draw them in another process (see the module's text), and a
    first export spends more time on them (loading Matplotlib, drawing four charts) than on the
    layout; the officer spends longer than that reading the export dialog. ``data`` carries the
    options the dialog proposes; if the officer changes them, the build draws what differs.
    Call :meth:`wait` before building, so that the build never draws at the same time, or
    :meth:`stop` when no build follows (no chart is begun after it). A chart that fails here is
    drawn again by the build, which says what went wrong.
    """

    def __init__(self, data: ReportData):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._draw, args=(data,), name="itadesk-charts-ahead", daemon=True)
        self._thread.start()

    def _draw(self, data: ReportData) -> None:
        try:
            charts, _ = report_charts(data)
            for job in charts.jobs:
                if self._stop.is_set():
                    return
                charts.drawing(job)
        except Exception:  # noqa: BLE001 - the build draws it again and reports the failure
            return

    def stop(self) -> None:
        self._stop.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the thread (at most ``timeout`` seconds); True once it has finished."""
        self._thread.join(timeout)
        return not self._thread.is_alive()
