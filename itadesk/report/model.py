"""The report's content as plain data, built once from domain objects and drawn by every output.

The window's summary table, the PDF, and the Word and Excel exports all render these
objects; none of them builds a row, a sentence or a figure of its own. Two builders of the
same table disagree sooner or later (the PDF once lacked the EIT part rows the window
showed), so there is one builder here. No ReportLab, no Qt, no SQL.

How to use it::

    data = build_report_data(store, org_uuid, year)      # domain objects (report.content)
    report = build_report(data)                          # this module: plain data
    for row in report.summary.table.rows: ...            # table 1, in printed order

Conventions every renderer follows:

* Scores are floats (or None when unknown); the renderer formats them (two decimals,
  Arabic or Thai digits, "-" for None) with ``itadesk.ita.numbers`` (fmt2, fmt_signed).
* Sentences are finished Thai text with Arabic digits; a renderer that prints Thai digits
  passes them through ``itadesk.ita.numbers.thai_digits_in_text`` (item codes stay Latin).
* Directions are codes (``itadesk.texts.RISE/FALL/SAME``); ``direction_label`` is the word.
* ``low`` marks a score below the threshold (OIT items: below 100); renderers shade it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from itadesk import texts
from itadesk.ita.catalog import Catalog, Indicator, catalog_of
from itadesk.ita.comparison import Change, Comparison, compare
from itadesk.ita.consistency import Warning, assessment_warnings
from itadesk.ita.findings import DEFAULT_THRESHOLD, Finding
from itadesk.ita.levels import Level
from itadesk.ita.model import Action, Assessment
from itadesk.ita.numbers import fmt2, is_below

if TYPE_CHECKING:  # the window's summary table needs none of what reads a whole report
    from itadesk.report.content import ReportData

# Kinds of table-1 rows, in the order they are printed.
INDICATOR, TOOL, PART, OVERALL, LEVEL = "indicator", "tool", "part", "overall", "level"


# --------------------------------------------------------------------------- table 1

@dataclass(frozen=True)
class SummaryRow:
    """One row of table 1.

    ``previous``/``current`` are scores, except on the level row where they are the level
    names (with "*" when the year's rule for that level is not confirmed).
    """

    kind: str  # INDICATOR, TOOL, PART, OVERALL or LEVEL
    label: str  # indicator name, "คะแนน IIT", "EIT ส่วนที่ 1", "คะแนนรวม (ITA)", "ระดับผลการประเมิน"
    tool: str = ""  # tool code of indicator, tool and part rows
    number: int = 0  # indicator number, or part number of a part row
    previous: float | str | None = None
    current: float | str | None = None
    points: float | None = None  # current minus previous, of the published (two-decimal) figures
    percent: float | None = None  # the change as a percent of the previous figure (labelled apart)
    direction: str | None = None  # texts.RISE / FALL / SAME, None when not comparable
    low: bool = False  # current score below the threshold: shaded
    note: str = ""  # what the row means or why it is empty (a tooltip, a footnote)

    @property
    def direction_label(self) -> str:
        return texts.direction_label(self.direction)

    @property
    def is_total(self) -> bool:
        """Rows whose label spans the tool, number and name columns."""
        return self.kind != INDICATOR


@dataclass(frozen=True)
class SummaryTable:
    current_year: int
    previous_year: int | None
    rows: tuple[SummaryRow, ...]
    weights: str  # "คะแนนรวม = 0.3 × IIT + 0.3 × EIT + 0.4 × OIT"

    def tool_spans(self) -> list[tuple[int, int]]:
        """(first row, row count) of each tool's block of indicator rows, for merged tool cells."""
        spans: list[tuple[int, int]] = []
        for i, row in enumerate(self.rows):
            if row.kind != INDICATOR:
                continue
            if spans and spans[-1][0] + spans[-1][1] == i and self.rows[spans[-1][0]].tool == row.tool:
                spans[-1] = (spans[-1][0], spans[-1][1] + 1)
            else:
                spans.append((i, 1))
        return spans


@dataclass(frozen=True)
class Summary:
    """Table 1 with what is said around it: the change sentence, notes and warnings."""

    table: SummaryTable
    total: float | None
    level: Level | None
    change: str  # the overall-change sentence ("" without a previous year to compare with)
    notes: tuple[str, ...]  # the evaluation's notes (a level decided by a stand-in score, ...)
    warnings: tuple[Warning, ...]  # consistency warnings, including missing indicators
    missing: tuple[int, ...]  # indicators without a score this year

    def check_lines(self) -> list[str]:
        """Everything the officer should check, one line each (missing scores first)."""
        lines = []
        if self.missing:
            rows = sum(1 for r in self.table.rows if r.kind == INDICATOR)
            if len(self.missing) >= rows:
                lines.append(texts.SUMMARY["missing_all"])
            else:
                lines.append(texts.SUMMARY["missing_some"].format(numbers=", ".join(map(str, self.missing))))
        lines += [w.message for w in self.warnings if w.code != "missing"]
        lines += list(self.notes)
        return lines


def _level_text(level: Level | None) -> str | None:
    if level is None:
        return None
    return level.name + ("" if level.confirmed else texts.SUMMARY["unconfirmed_mark"])


def _row(kind: str, label: str, change: Change | None, threshold: float, **kw) -> SummaryRow:
    if change is None:
        return SummaryRow(kind, label, **kw)
    low = change.current is not None and is_below(change.current, threshold)
    return SummaryRow(kind, label, previous=change.previous, current=change.current, points=change.points,
                      percent=change.percent, direction=change.direction, low=low, **kw)


def _number_range(numbers: tuple[int, ...]) -> str:
    return f"{numbers[0]}–{numbers[-1]}" if len(numbers) > 1 else str(numbers[0]) if numbers else ""


def summary_table(catalog: Catalog, comparison: Comparison, threshold: float = DEFAULT_THRESHOLD,
                  previous_year: int | None = None) -> SummaryTable:
    """Table 1: indicators by tool, then each tool with its parts, the overall score, the level."""
    t = texts.SUMMARY
    rows: list[SummaryRow] = []
    for tool in catalog.tools:
        for number in tool.indicators:
            try:
                name = catalog.indicator(number).name
            except KeyError:
                name = ""
            rows.append(_row(INDICATOR, name, comparison.indicators.get(number), threshold,
                             tool=tool.code, number=number))
    for tool in catalog.tools:
        detail = t["row_tool_detail"].format(numbers=_number_range(tool.indicators))
        rows.append(_row(TOOL, t["row_tool"].format(code=tool.code), comparison.tools.get(tool.code), threshold,
                         tool=tool.code, note=detail))
        for part, name in tool.parts:
            change = comparison.parts.get(tool.part_key(part))
            note = name if change is not None and change.current is not None else \
                t["row_part_incomplete"].format(code=tool.code)
            rows.append(_row(PART, t["row_part"].format(code=tool.code, part=part), change, threshold,
                             tool=tool.code, number=part, note=note))
    weights = t["weights"].format(weights=" + ".join(f"{tool.weight:g} × {tool.code}" for tool in catalog.tools))
    rows.append(_row(OVERALL, t["row_total"], comparison.overall, threshold, note=weights))
    prev_level = comparison.previous.level if comparison.previous else None
    cur_level = comparison.current.level
    level_note = (cur_level.note if cur_level is not None and not cur_level.confirmed
                  else catalog.levels.get("source", ""))
    rows.append(SummaryRow(LEVEL, t["row_level"], previous=_level_text(prev_level), current=_level_text(cur_level),
                           direction=comparison.level, note=level_note))
    return SummaryTable(catalog.fiscal_year, previous_year, tuple(rows), weights)


def overall_change(comparison: Comparison, previous_year: int | None) -> str:
    """The one sentence saying how the overall score changed, in points and, apart, in percent."""
    change = comparison.overall
    prev = comparison.previous
    if prev is None or prev.total is None or change.points is None or previous_year is None:
        return ""
    percent = fmt2(abs(change.percent)) if change.percent is not None else "-"
    return texts.OVERALL["change"][change.direction].format(
        points=fmt2(abs(change.points)), percent=percent, py=previous_year,
        plevel=prev.level.name if prev.level else "-", ptotal=fmt2(prev.total))


def build_summary(current: Assessment, previous: Assessment | None, catalog: Catalog | None = None,
                  threshold: float = DEFAULT_THRESHOLD, comparison: Comparison | None = None) -> Summary:
    """Table 1 and its sentences for one assessment (and the previous year's, when known)."""
    catalog = catalog or catalog_of(current)
    comparison = comparison or compare(current, previous, catalog)
    previous_year = previous.fiscal_year if previous is not None else None
    ev = comparison.current
    return Summary(
        table=summary_table(catalog, comparison, threshold, previous_year),
        total=ev.total,
        level=ev.level,
        change=overall_change(comparison, previous_year),
        notes=tuple(ev.notes),
        warnings=tuple(assessment_warnings(current, catalog)),
        missing=tuple(ev.missing_indicators),
    )


# --------------------------------------------------------------------------- part 1

@dataclass(frozen=True)
class ItemScore:
    """One item of an indicator: its score, or its scores by part (``parts`` order)."""

    code: str
    title: str
    values: tuple[float | None, ...]  # one value per part of the section, or one value
    low: bool  # a finding: below the threshold (or below the tool's item rule)


@dataclass(frozen=True)
class IndicatorSection:
    number: int
    name: str
    tool: str
    score: float | None
    previous: float | None
    previous_year: int | None
    change: Change | None
    low: bool
    parts: tuple[int, ...]  # part numbers of the item grid's rows; () for one score row
    items: tuple[ItemScore, ...]  # () when no item has a score
    findings: tuple[Finding, ...]  # items that are findings, in item order
    items_must_be_full: bool  # the tool's items are judged against 100 (their findings say "not full")
    warnings: tuple[str, ...]  # consistency warnings about this indicator
    analysis: str  # the officer's text ("" when not written yet)

    @property
    def direction_label(self) -> str:
        return texts.direction_label(self.change.direction if self.change else None)


@dataclass(frozen=True)
class ToolSection:
    code: str
    name: str
    name_en: str
    items_must_be_full: bool  # its items are findings below 100 (OIT), not below the threshold
    part_names: tuple[tuple[int, str], ...]  # named parts only
    indicators: tuple[IndicatorSection, ...]
    recommendation: str  # the assessors' recommendation for this tool ("" when not recorded)


def _item_grid(ind: Indicator, current: Assessment, flagged: set[str]) -> tuple[tuple[int, ...], tuple[ItemScore, ...]]:
    values = {it.code: current.items.get(it.code) for it in ind.items}
    if not ind.items or all(v is None for v in values.values()):
        return (), ()
    parts = tuple(sorted({p for it in ind.items for p in it.parts} |
                         {p for v in values.values() if isinstance(v, dict) for p in v}))
    items = []
    for it in ind.items:
        value = values[it.code]
        if parts:
            if isinstance(value, dict):
                row = tuple(value.get(p) for p in parts)
            else:  # a single score typed for a two-part item sits in the first row
                row = (value,) + (None,) * (len(parts) - 1)
        else:
            row = (value,)
        items.append(ItemScore(it.code, it.title, row, it.code in flagged))
    return parts, tuple(items)


def _indicator_section(ind: Indicator, data: ReportData, comparison: Comparison) -> IndicatorSection:
    d = data
    items = tuple(f for f in d.findings if f.kind == "item" and f.indicator == ind.number)
    parts, grid = _item_grid(ind, d.current, {f.code for f in items})
    change = comparison.indicators.get(ind.number)
    tool = d.catalog.tool(ind.tool) if ind.tool in {t.code for t in d.catalog.tools} else None
    return IndicatorSection(
        number=ind.number, name=ind.name, tool=ind.tool,
        score=d.current.indicators.get(ind.number),
        previous=d.previous.indicators.get(ind.number) if d.previous else None,
        previous_year=d.previous.fiscal_year if d.previous else None,
        change=change,
        low=any(f.kind == "indicator" and f.indicator == ind.number for f in d.findings),
        parts=parts, items=grid, findings=items,
        items_must_be_full=bool(tool and tool.items_must_be_full),
        warnings=tuple(w.message for w in d.warnings if w.subject == str(ind.number) and w.code != "missing"),
        analysis=(d.current.analysis.get(ind.number) or "").strip(),
    )


# --------------------------------------------------------------------------- part 2 and signatures

@dataclass(frozen=True)
class PlanGroup:
    """The plan rows of one indicator (``indicator`` None: rows about no indicator of the year)."""

    indicator: int | None
    label: str  # "2. การใช้งบประมาณ" or "ประเด็นอื่น ๆ"
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Signature:
    role: str  # ผู้จัดทำ / ผู้อนุมัติ
    name: str
    position: str


def plan_groups(catalog: Catalog, actions: list[Action]) -> tuple[PlanGroup, ...]:
    """Plan rows grouped by indicator in catalog order, rows about no known indicator last."""
    order = {num: i for i, num in enumerate(catalog.indicator_numbers)}
    groups: dict[int | None, list[Action]] = {}
    for action in actions:
        groups.setdefault(action.indicator if action.indicator in order else None, []).append(action)
    keys = sorted((k for k in groups if k is not None), key=order.get) + ([None] if None in groups else [])
    out = []
    for key in keys:
        label = texts.PLAN["other"] if key is None else \
            texts.PLAN["issue_label"].format(number=key, name=catalog.indicator(key).name)
        out.append(PlanGroup(key, label, tuple(groups[key])))
    return tuple(out)


# --------------------------------------------------------------------------- the whole report

@dataclass(frozen=True)
class Report:
    """Everything the printed report says, in reading order."""

    organization: str
    place: str  # "อำเภอ… จังหวัด…" or ""
    fiscal_year: int
    previous_year: int | None
    threshold: float
    summary: Summary
    overall: tuple[str, ...]  # the overall analysis: first sentence, then the points listed under it
    tools: tuple[ToolSection, ...]  # part 1 by tool and indicator, with the recommendations
    plan: tuple[PlanGroup, ...]
    plan_period: tuple[date, date] | None  # earliest start and latest end of the plan rows
    signatures: tuple[Signature, Signature]
    warnings: tuple[Warning, ...]  # consistency warnings, printed in a note

    @property
    def history_years(self) -> tuple[int, ...]:
        return tuple(y for y in (self.previous_year, self.fiscal_year) if y is not None)


def _overall_sentences(data: ReportData, comparison: Comparison, summary: Summary) -> tuple[str, ...]:
    t, d = texts.OVERALL, data
    ev, prev_ev = comparison.current, comparison.previous
    threshold = f"{d.options.threshold:g}"
    out = []
    if ev.total is None or ev.level is None:
        missing = texts.join_thai([t["missing_indicator"].format(number=m) for m in ev.missing_indicators])
        out.append(t["incomplete"].format(year=d.current.fiscal_year, missing=missing or t["missing_some"]))
    else:
        text = t["level"].format(org=d.organization.name, level=ev.level.name, total=fmt2(ev.total))
        if summary.change:
            text += t["vs_previous"][comparison.overall.direction].format(
                py=prev_ev.fiscal_year, plevel=prev_ev.level.name if prev_ev.level else "-",
                ptotal=fmt2(prev_ev.total)) + summary.change
        else:
            text += t["no_previous"]
        out.append(text)
    tools = [(code, v) for code, v in ev.tools.items() if v is not None]
    low_tools = [t["score_item"].format(name=code, score=fmt2(v)) for code, v in tools
                 if is_below(v, d.options.threshold)]
    if low_tools:
        out.append(t["tools_low"].format(threshold=threshold, items=texts.join_thai(low_tools)))
    elif tools:
        out.append(t["tools_ok"].format(codes=", ".join(c for c, _ in tools), threshold=threshold))
    low_ind = [f for f in d.findings if f.kind == "indicator"]
    if low_ind:
        items = [t["score_item"].format(name=t["indicator_name"].format(number=f.indicator, name=f.title),
                                        score=fmt2(f.score)) for f in low_ind]
        out.append(t["indicators_low"].format(threshold=threshold, items=texts.join_thai(items)))
    elif d.current.indicators:
        out.append(t["indicators_ok"].format(threshold=threshold))
    for tool in d.catalog.tools:
        items = [f for f in d.findings if f.kind == "item" and f.tool == tool.code]
        if not items:
            continue
        listed = texts.join_thai([f"{d.catalog.item_label(f.code)} ({fmt2(f.score)})" for f in items])
        key = "items_full" if tool.items_must_be_full else "items_low"
        out.append(t[key].format(tool=tool.code, threshold=threshold, items=listed))
    return tuple(out)


def build_report(data: ReportData) -> Report:
    """The report's content for one organization and year, from the domain objects in ``data``."""
    d = data
    org = d.organization
    comparison = compare(d.current, d.previous, d.catalog)  # of exactly the assessments in ``data``
    summary = build_summary(d.current, d.previous, d.catalog, d.options.threshold, comparison)
    tools = []
    for tool in d.catalog.tools:
        sections = []
        for number in tool.indicators:
            try:
                ind = d.catalog.indicator(number)
            except KeyError:
                continue
            sections.append(_indicator_section(ind, d, comparison))
        tools.append(ToolSection(
            code=tool.code, name=tool.name, name_en=tool.name_en, items_must_be_full=tool.items_must_be_full,
            part_names=tuple((p, name) for p, name in tool.parts if name),
            indicators=tuple(sections),
            recommendation=(d.current.recommendations.get(tool.code) or "").strip(),
        ))
    starts = [a.start for a in d.current.actions if a.start]
    ends = [a.end for a in d.current.actions if a.end]
    return Report(
        organization=org.name,
        place=org.place,
        fiscal_year=d.current.fiscal_year,
        previous_year=d.previous.fiscal_year if d.previous else None,
        threshold=d.options.threshold,
        summary=summary,
        overall=_overall_sentences(d, comparison, summary),
        tools=tuple(tools),
        plan=plan_groups(d.catalog, d.current.actions),
        plan_period=(min(starts), max(ends)) if starts and ends else None,
        signatures=(Signature(texts.SIGNATURES["preparer"], org.preparer_name.strip(), org.preparer_position.strip()),
                    Signature(texts.SIGNATURES["approver"], org.approver_name.strip(), org.approver_position.strip())),
        warnings=tuple(d.warnings),
    )


@dataclass(frozen=True)
class Gaps:
    """What the officer has not written yet, said before a report is made."""

    no_recommendations: bool  # no assessor's text for any tool: the section is left out
    missing_analysis: tuple[int, ...]  # indicators printed with "not recorded yet"
    no_analysis: bool  # not one indicator has the office's analysis
    no_plan: bool  # part 2 prints "no measures yet"


def gaps(report: Report) -> Gaps:
    sections = [sec for tool in report.tools for sec in tool.indicators]
    missing = tuple(sec.number for sec in sections if not sec.analysis)
    return Gaps(no_recommendations=not any(tool.recommendation for tool in report.tools),
                missing_analysis=missing, no_analysis=len(missing) == len(sections),
                no_plan=not any(group.actions for group in report.plan))


__all__ = ["INDICATOR", "LEVEL", "OVERALL", "PART", "TOOL", "IndicatorSection", "ItemScore", "PlanGroup",
           "Report", "Signature", "Summary", "SummaryRow", "SummaryTable", "ToolSection", "build_report",
           "build_summary", "Gaps", "gaps", "overall_change", "plan_groups", "summary_table"]
