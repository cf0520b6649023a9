"""What the analysis must talk about: items and indicators below the threshold.

OIT items are judged against required elements, so any OIT item short of 100 is a finding.
"""

from __future__ import annotations

from dataclasses import dataclass

from itadesk.ita.catalog import Catalog, load_catalog
from itadesk.ita.model import Assessment
from itadesk.ita.recommendations import load_recommendations

DEFAULT_THRESHOLD = 85.0


@dataclass(frozen=True)
class Finding:
    kind: str  # "item" or "indicator"
    code: str  # "o5" or the indicator number as text
    indicator: int
    tool: str
    score: float
    title: str = ""
    recommendation: str | None = None
    sub_indicator: str = ""


def _item_sort_key(code: str):
    digits = "".join(ch for ch in code if ch.isdigit())
    return (code[:1], int(digits) if digits else 0, code)


def findings(
    assessment: Assessment, catalog: Catalog | None = None, threshold: float = DEFAULT_THRESHOLD
) -> list[Finding]:
    catalog = catalog or load_catalog(assessment.fiscal_year)
    texts = load_recommendations(assessment.fiscal_year)
    out: list[Finding] = []
    for ind in catalog.indicators:
        score = assessment.indicators.get(ind.number)
        if score is not None and score < threshold:
            out.append(Finding("indicator", str(ind.number), ind.number, ind.tool, score, ind.name))
    for code in sorted(assessment.items, key=_item_sort_key):
        score = assessment.item_score(code)
        if score is None:
            continue
        ind = catalog.indicator_of_item(code)
        tool = ind.tool if ind else {"i": "IIT", "e": "EIT", "o": "OIT"}.get(code[:1], "")
        limit = 100.0 if tool == "OIT" else threshold
        if score >= limit:
            continue
        item = catalog.item(code)
        sub = ind.sub_indicator_of(code) if ind else None
        out.append(
            Finding(
                "item",
                code,
                ind.number if ind else 0,
                tool,
                score,
                item.title if item else "",
                texts.for_item(code),
                f"{sub.code} {sub.name}" if sub else "",
            )
        )
    return out
