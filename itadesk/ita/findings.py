"""What the analysis must talk about: items and indicators below the threshold.

Items of a tool judged against required elements (the catalog's ``items_must_be_full``,
OIT) are findings whenever they are short of 100.
"""

from __future__ import annotations

from dataclasses import dataclass

from itadesk.ita.catalog import Catalog, Tool, catalog_of
from itadesk.ita.model import Assessment
from itadesk.ita.numbers import is_below

DEFAULT_THRESHOLD = 85.0


@dataclass(frozen=True)
class Finding:
    kind: str  # "item" or "indicator"
    code: str  # an item code, or the indicator number as text
    indicator: int
    tool: str
    score: float
    title: str = ""
    recommendation: str | None = None
    sub_indicator: str = ""


def item_limit(tool: Tool | None, threshold: float = DEFAULT_THRESHOLD) -> float:
    """Below this an item is a finding: 100 for tools judged on full marks, else the threshold."""
    return tool.item_limit(threshold) if tool is not None else threshold


def item_sort_key(code: str):
    digits = "".join(ch for ch in code if ch.isdigit())
    return (code[:1], int(digits) if digits else 0, code)


def findings(
    assessment: Assessment, catalog: Catalog | None = None, threshold: float = DEFAULT_THRESHOLD
) -> list[Finding]:
    from itadesk.ita.recommendations import load_recommendations  # noqa: PLC0415 - not needed by the window's summary

    catalog = catalog or catalog_of(assessment)
    texts = load_recommendations(assessment.fiscal_year)
    out: list[Finding] = []
    for ind in catalog.indicators:
        score = assessment.indicators.get(ind.number)
        if score is not None and is_below(score, threshold):
            out.append(Finding("indicator", str(ind.number), ind.number, ind.tool, score, ind.name))
    for code in sorted(assessment.items, key=item_sort_key):
        score = assessment.item_score(code)
        if score is None:
            continue
        ind = catalog.indicator_of_item(code)
        tool = catalog.tool_of_item(code)
        if not is_below(score, item_limit(tool, threshold)):
            continue
        item = catalog.item(code)
        sub = ind.sub_indicator_of(code) if ind else None
        out.append(
            Finding(
                "item",
                code,
                ind.number if ind else 0,
                tool.code if tool else "",
                score,
                item.title if item else "",
                texts.for_item(code),
                f"{sub.code} {sub.name}" if sub else "",
            )
        )
    return out


@dataclass(frozen=True)
class LostItem:
    code: str
    indicator: int
    tool: str
    score: float
    previous: float | None
    below_limit: bool  # below the threshold (or below 100 for tools judged on full marks)
    dropped: bool  # lower than last year's score of the same item


def lost_items(
    current: Assessment,
    previous: Assessment | None = None,
    catalog: Catalog | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[LostItem]:
    """Items that lost points: below the limit, or lower than last year where last year is known.

    One answer for the analysis tab, the charts and the PDF, so they always list the same items.
    """
    catalog = catalog or catalog_of(current)
    out = []
    for code in sorted(current.items, key=item_sort_key):
        score = current.item_score(code)
        if score is None:
            continue
        ind = catalog.indicator_of_item(code)
        tool = catalog.tool_of_item(code)
        before = previous.item_score(code) if previous is not None else None
        below = is_below(score, item_limit(tool, threshold))
        dropped = before is not None and is_below(score, before)
        if below or dropped:
            out.append(LostItem(code, ind.number if ind else 0, tool.code if tool else "", score, before, below,
                                dropped))
    return out
