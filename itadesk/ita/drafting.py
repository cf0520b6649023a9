"""First drafts of the analysis text (part 1) and of the action plan (part 2).

Officers spend days in Word writing "ข้อบกพร่อง/ข้อแก้ไข/ปรับปรุง/รักษาระดับ" and the plan rows
by hand, copying the assessors' standard recommendations item by item. The rules here write
that first draft from the findings and the shipped texts, so every officer's draft names the
same items with the same words; the officer then edits it. Nothing here touches Qt or SQL.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import replace
from datetime import date

from itadesk.ita.catalog import Catalog, catalog_of
from itadesk.ita.comparison import FALL, compare
from itadesk.ita.findings import DEFAULT_THRESHOLD, Finding, findings
from itadesk.ita.model import FOLLOW_UP_ORDER, Action, Assessment, new_uuid
from itadesk.ita.numbers import round2
from itadesk.ita.recommendations import Measure, load_measures, load_recommendations
from itadesk.ita.thai_words import shorten
from itadesk.texts import FOLLOW_UP, join_thai
from itadesk.ita.thai_dates import default_plan_period, format_thai_date

# The phrases the draft is built from, in one place (the standard texts themselves are data
# under resources/recommendations; these only join them into sentences).
# An item below the limit with no standard text, keyed by the tool's items_must_be_full:
# such items (OIT) are published documents, the others what staff and service users perceive.
ITEM_NO_TEXT = {
    True: (
        "{code} ได้ {score} คะแนน ข้อมูลที่เผยแพร่ยังไม่ครบถ้วนตามหลักเกณฑ์ หน่วยงานควรตรวจสอบข้อเสนอแนะของผู้ตรวจประเมิน "
        "และปรับปรุงข้อมูลให้มีเนื้อหาและองค์ประกอบถูกต้องครบถ้วนตามหลักเกณฑ์การประเมิน"
    ),
    False: (
        "{code} ได้ {score} คะแนน ต่ำกว่าเกณฑ์ {threshold} คะแนน หน่วยงานควรวิเคราะห์สาเหตุจากประเด็นข้อคำถาม "
        "และกำหนดแนวทางปรับปรุงการดำเนินงานในเรื่องดังกล่าว"
    ),
}
INDICATOR_BELOW = "ตัวชี้วัดที่ {number} {name} ได้ {score} คะแนน ต่ำกว่าเกณฑ์ {threshold} คะแนน ควรปรับปรุงการดำเนินงาน"
CHANGE_FALL = "เมื่อเทียบกับปี {year} คะแนนลดลง {points} คะแนน ควรทบทวนสาเหตุและปรับปรุงการดำเนินงาน"
SCORE_LABEL = "{score} คะแนน"


def format_score(value: float) -> str:
    """A score the way the report prints it: 0, 50, 100, 91.18, 94.60."""
    value = round2(value)
    return str(int(value)) if value == int(value) else f"{value:.2f}"


def weak_indicators(
    assessment: Assessment, catalog: Catalog | None = None, threshold: float = DEFAULT_THRESHOLD
) -> list[int]:
    """Indicators the plan must address: below the threshold, or with an item that is."""
    catalog = catalog or catalog_of(assessment)
    numbers = {f.indicator for f in findings(assessment, catalog, threshold) if f.indicator}
    return [n for n in catalog.indicator_numbers if n in numbers]


def _item_paragraphs(item_findings: list[Finding], threshold: float, catalog: Catalog) -> list[str]:
    """One paragraph per standard text; items sharing a text are named together ("e4, e5 …").

    Items are named as the catalog knows them ("o7 <title>" or "o7 (ยังไม่ระบุชื่อข้อ)"), so the
    council can tell what was missing."""
    groups: OrderedDict[str, list[Finding]] = OrderedDict()
    lone: list[Finding] = []
    for f in item_findings:
        if f.recommendation:
            groups.setdefault(f.recommendation, []).append(f)
        else:
            lone.append(f)
    out = []
    for text, group in groups.items():
        if len(group) == 1:
            f = group[0]
            head = f"{catalog.item_label(f.code)} ({SCORE_LABEL.format(score=format_score(f.score))})"
        else:
            scores = ", ".join(f"{f.code} {SCORE_LABEL.format(score=format_score(f.score))}" for f in group)
            head = f"{catalog.items_label([f.code for f in group])} ({scores})"
        out.append(f"{head}\n{text}")
    for f in lone:
        full = f.tool in catalog.tool_codes and catalog.tool(f.tool).items_must_be_full
        template = ITEM_NO_TEXT[full]
        out.append(template.format(code=catalog.item_label(f.code), score=format_score(f.score), threshold=f"{threshold:g}"))
    return out


def draft_analysis_text(
    assessment: Assessment,
    previous: Assessment | None = None,
    catalog: Catalog | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> dict[int, str]:
    """The draft "ข้อบกพร่อง/ข้อแก้ไข/ปรับปรุง/รักษาระดับ" text of every indicator that has a score.

    An indicator with findings gets, per sub-indicator, each item below the threshold with its
    standard recommendation; findings of items judged on full marks (OIT) end with the general
    advice for them once (``oit_general`` of the texts). An indicator
    with no findings gets the standard "ผ่านตามหลักเกณฑ์ … ควรรักษามาตรฐานไว้ …" text. A drop
    from the previous year is said in points.
    """
    catalog = catalog or catalog_of(assessment)
    texts = load_recommendations(assessment.fiscal_year)
    found = findings(assessment, catalog, threshold)
    changes = compare(assessment, previous).indicators if previous is not None else {}
    general_said = False
    drafts: dict[int, str] = {}
    for ind in catalog.indicators:
        score = assessment.indicators.get(ind.number)
        items = [f for f in found if f.kind == "item" and f.indicator == ind.number]
        below = next((f for f in found if f.kind == "indicator" and f.indicator == ind.number), None)
        if score is None and not items:
            continue
        paragraphs: list[str] = []
        if below is not None:
            paragraphs.append(
                INDICATOR_BELOW.format(
                    number=ind.number, name=ind.name, score=format_score(below.score),
                    threshold=f"{threshold:g}",
                )
            )
        if items:
            by_sub: OrderedDict[str, list[Finding]] = OrderedDict()
            for f in items:
                by_sub.setdefault(f.sub_indicator, []).append(f)
            for sub, group in by_sub.items():
                block = _item_paragraphs(group, threshold, catalog)
                if sub:
                    block[0] = f"ตัวชี้วัดย่อย {sub}\n{block[0]}"
                paragraphs.extend(block)
            if catalog.tool(ind.tool).items_must_be_full and texts.oit_general and not general_said:
                paragraphs.append(texts.oit_general)
                general_said = True
        elif below is None:
            paragraphs.append(texts.maintain)
        change = changes.get(ind.number)
        if change is not None and change.direction == FALL and previous is not None:
            paragraphs.append(CHANGE_FALL.format(year=previous.fiscal_year, points=format_score(abs(change.points))))
        drafts[ind.number] = "\n".join(paragraphs)
    return drafts


def action_from_measure(measure: Measure, period: tuple[date, date]) -> Action:
    return Action(
        indicator=measure.indicator, measure=measure.measure, owner=measure.owner, steps=measure.steps,
        start=period[0], end=period[1],
    )


def propose_actions(
    assessment: Assessment, catalog: Catalog | None = None, threshold: float = DEFAULT_THRESHOLD
) -> list[Action]:
    """Plan rows for every weak indicator from the measure library, over the default period.

    The period is the fiscal year after the assessment (1 ต.ค. 2568 – 30 ก.ย. 2569 for 2568).
    """
    catalog = catalog or catalog_of(assessment)
    library = load_measures(assessment.fiscal_year)
    period = default_plan_period(assessment.fiscal_year)
    return [
        action_from_measure(m, period)
        for number in weak_indicators(assessment, catalog, threshold)
        for m in library.for_indicator(number)
    ]


def carry_over(actions: list[Action], from_year: int, to_year: int) -> list[Action]:
    """Last year's plan as new rows for this year: new ids, not started, dates moved by the gap.

    A row with no dates gets the default period of ``to_year``.
    """
    shift = to_year - from_year
    default = default_plan_period(to_year)
    out = []
    for a in actions:
        start = _shift_year(a.start, shift) if a.start else default[0]
        end = _shift_year(a.end, shift) if a.end else default[1]
        out.append(replace(a, uuid=new_uuid(), start=start, end=end, status=Action().status, progress_note="",
                           evidence="", completed=None))
    return out


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


# -- which figures a draft was built from, so a later correction shows the draft is stale ----------

def draft_basis(assessment: Assessment, previous: Assessment | None, catalog: Catalog, number: int) -> dict[str, str]:
    """The figures the draft of indicator ``number`` says, as printed: its score, its items'
    scores and last year's score (label -> score). Kept beside the drafted text."""
    ind = catalog.indicator(number)
    score = assessment.indicators.get(number)
    out = {f"ตัวชี้วัดที่ {number}": format_score(score) if score is not None else "-"}
    for item in ind.items:
        value = assessment.item_score(item.code)
        if value is not None:
            out[item.code] = format_score(value)
    if previous is not None and previous.indicators.get(number) is not None:
        out[f"ตัวชี้วัดที่ {number} ปี {previous.fiscal_year}"] = format_score(previous.indicators[number])
    return out


def basis_changes(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """What changed since the draft was built, one line each: "i3: 80 → 85.5"."""
    lines = []
    for key in dict.fromkeys([*old, *new]):
        before, after = old.get(key, "-"), new.get(key, "-")
        if before != after:
            lines.append(f"{key}: {before} → {after}")
    return lines


def stale_drafts(assessment: Assessment, previous: Assessment | None, catalog: Catalog | None = None) -> dict[int, list[str]]:
    """Indicators whose drafted text (still there) was built from figures that have changed since,
    with what changed. Text written without drafting has no basis and is never flagged."""
    catalog = catalog or catalog_of(assessment)
    out: dict[int, list[str]] = {}
    for number, basis in sorted(assessment.draft_basis.items()):
        if not (assessment.analysis.get(number) or "").strip():
            continue
        try:
            changes = basis_changes(basis, draft_basis(assessment, previous, catalog, number))
        except KeyError:  # the indicator is no longer in the year's catalog
            continue
        if changes:
            out[number] = changes
    return out


# -- last year's plan, followed up, in this year's analysis ------------------------------------

OUTCOME_MEASURE_CHARS = 80  # a measure is named by its first line, cut between words


def _measure_name(action: Action) -> str:
    """“…”: the measure's first line without its "1." (a list of one), cut between words."""
    first = re.sub(r"^\s*[0-9๐-๙]+[.)]\s*", "", (action.measure.strip().splitlines() or ["-"])[0]).strip()
    return f"“{shorten(first, lambda text: len(text) <= OUTCOME_MEASURE_CHARS)}”"


def outcome_summary(previous: Assessment | None, number: int) -> str | None:
    """What became of last year's measures for indicator ``number``, in a few Thai lines for this
    year's analysis: which were done (with the day), which are under way, which never started.

    Last year's plan is the one made from ``previous``'s results; it ran in the fiscal year after
    it, which is the year now analysed. None when there is no such plan row for the indicator.
    """
    if previous is None:
        return None
    rows = [a for a in previous.actions if a.indicator == number]
    if not rows:
        return None
    lines = [FOLLOW_UP["outcome_intro"].format(year=previous.fiscal_year + 1)]
    for code in FOLLOW_UP_ORDER:
        names = [FOLLOW_UP["outcome_done_on"].format(measure=_measure_name(a), day=format_thai_date(a.completed, short=True))
                 if a.completed else _measure_name(a) for a in rows if a.status == code]
        if names:
            lines.append(FOLLOW_UP[f"outcome_{code}"].format(count=len(names), items=join_thai(names)))
    return "\n".join(lines)


def insert_outcomes(text: str, summary: str) -> str:
    """``text`` with the outcome summary after it (a blank line between); unchanged when it is
    already there, so pressing the button twice adds nothing."""
    if summary in text:
        return text
    body = text.rstrip()
    return f"{body}\n\n{summary}" if body else summary
