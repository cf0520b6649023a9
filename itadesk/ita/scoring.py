"""Tool scores, the overall score and the level of one assessment.

Verified against published results: a tool's score is the plain mean of its indicators
and the overall score is the weighted sum of the tools, with the catalog's weights.
A plain mean of the indicators does not reproduce published scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from itadesk.ita.catalog import Catalog, load_catalog
from itadesk.ita.levels import Level, level_for
from itadesk.ita.model import Assessment
from itadesk.ita.numbers import round2
from itadesk.texts import CORE


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


@dataclass
class Evaluation:
    fiscal_year: int
    tools: dict[str, float | None]
    overall: float | None
    level: Level | None
    missing_indicators: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Scores of tool parts by Tool.part_key (two EIT parts in 2568); None where items are incomplete.
    parts: dict[str, float | None] = field(default_factory=dict)

    @property
    def total(self) -> float | None:
        """The overall score as published (two decimals)."""
        return None if self.overall is None else round2(self.overall)

    @property
    def complete(self) -> bool:
        return not self.missing_indicators


def tool_score(catalog: Catalog, code: str, indicators: dict[int, float]) -> float | None:
    numbers = catalog.tool(code).indicators
    values = [indicators.get(n) for n in numbers]
    if any(v is None for v in values):
        return None
    return _mean(values)


def part_score(catalog: Catalog, assessment: Assessment, tool: str, part: int) -> float | None:
    """A tool's part N: mean over the tool's indicators of the mean of their items' part-N scores.

    Known only when every item of the tool in the catalog has that part; otherwise None.
    """
    per_indicator = []
    for number in catalog.tool(tool).indicators:
        ind = catalog.indicator(number)
        scores = []
        for item in ind.items:
            value = assessment.items.get(item.code)
            if not isinstance(value, dict) or value.get(part) is None:
                return None
            scores.append(value[part])
        if not scores:
            return None
        per_indicator.append(_mean(scores))
    return _mean(per_indicator) if per_indicator else None


def evaluate(assessment: Assessment, catalog: Catalog | None = None) -> Evaluation:
    catalog = catalog or load_catalog(assessment.fiscal_year)
    indicators = assessment.indicators
    tools: dict[str, float | None] = {t.code: tool_score(catalog, t.code, indicators) for t in catalog.tools}
    missing = [n for n in catalog.indicator_numbers if indicators.get(n) is None]
    notes: list[str] = []
    overall = None
    if all(v is not None for v in tools.values()):
        overall = sum(catalog.tool(code).weight * value for code, value in tools.items())

    checked: dict[str, float | None] = dict(tools)
    parts: dict[str, float | None] = {}
    unknown: list[tuple[str, list[str]]] = []
    for tool in catalog.tools:
        unknown_parts = []
        for part, _name in tool.parts:
            key = tool.part_key(part)
            value = part_score(catalog, assessment, tool.code, part)
            parts[key] = value
            if value is None:
                value = tools.get(tool.code)
                if key in catalog.levels.get("tools", ()) and value is not None:
                    unknown_parts.append(str(part))
            checked[key] = value
        if unknown_parts:
            unknown.append((tool.code, unknown_parts))
    level = level_for(catalog.levels, overall, checked)
    if unknown and level is not None:
        # Say so only when the stand-in decided the level (e.g. ผ่านดี rather than ผ่าน).
        strict = dict(checked, **{f"{code}.{p}": None for code, ps in unknown for p in ps})
        if level_for(catalog.levels, overall, strict).name != level.name:
            for code, ps in unknown:
                notes.append(CORE["level_by_stand_in"].format(
                    level=level.name, code=code, parts=CORE["and"].join(ps), year=catalog.fiscal_year))
    if level is not None and not level.confirmed:
        notes.append(f"{CORE['level_unconfirmed'].format(level=level.name)}: {level.note}".rstrip(": "))
    return Evaluation(assessment.fiscal_year, tools, overall, level, missing, notes, parts)
