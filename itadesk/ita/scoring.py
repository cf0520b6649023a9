"""Tool scores, the overall score and the level of one assessment.

Verified against published results: a tool's score is the plain mean of its indicators
and the overall score is the weighted sum of the tools, with the catalog's weights.
A plain mean of the indicators does not reproduce published scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from itadesk.ita.catalog import Catalog, catalog_of
from itadesk.ita.levels import Level, level_for, level_names
from itadesk.ita.model import Assessment
from itadesk.ita.numbers import round2
from itadesk.ita.published import LEVEL, TOTAL, FigureCheck, check_figure, check_level
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
    # The year whose rules were used (differs from fiscal_year when the year has no catalog).
    rules_year: int = 0
    # The NACC's published figures against the computed ones (ita.published); where a published
    # figure is shown, ``tools`` / ``overall`` / ``level`` hold it and ``computed`` keeps ours.
    checks: list[FigureCheck] = field(default_factory=list)
    computed: dict[str, float | str | None] = field(default_factory=dict)

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
    catalog = catalog or catalog_of(assessment)
    indicators = assessment.indicators
    tools: dict[str, float | None] = {t.code: tool_score(catalog, t.code, indicators) for t in catalog.tools}
    missing = [n for n in catalog.indicator_numbers if indicators.get(n) is None]
    notes: list[str] = [catalog.rules_note()] if catalog.rules_note() else []  # borrowed or not confirmed
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
    published = getattr(assessment, "published", None) or {}
    checks, computed = _apply_published(published, tools, catalog)
    if TOTAL in published:
        check = check_figure(TOTAL, overall, float(published[TOTAL]))
        checks.append(check)
        computed[TOTAL] = overall
        if check.status == "rounding":
            overall = float(published[TOTAL])
    if LEVEL in published:
        check = check_level(level.name if level else None, str(published[LEVEL]), level_names(catalog.levels))
        checks.append(check)
        computed[LEVEL] = level.name if level else None
        if check.status != "level_unknown":
            level = Level(str(published[LEVEL]))  # the NACC's own word: official, so confirmed
    notes += [c.message for c in checks if c.status == "rounding"]
    if level is not None and not level.confirmed:
        notes.append(f"{CORE['level_unconfirmed'].format(level=level.name)}: {level.note}".rstrip(": "))
    return Evaluation(assessment.fiscal_year, tools, overall, level, missing, notes, parts, catalog.rules_from,
                      checks, computed)


def _apply_published(published: dict, tools: dict[str, float | None], catalog: Catalog):
    """Published tool scores within a rounding step replace the computed ones (in place)."""
    checks: list[FigureCheck] = []
    computed: dict[str, float | str | None] = {}
    for tool in catalog.tools:
        if tool.code not in published:
            continue
        check = check_figure(tool.code, tools.get(tool.code), float(published[tool.code]))
        checks.append(check)
        computed[tool.code] = tools.get(tool.code)
        if check.status == "rounding":
            tools[tool.code] = float(published[tool.code])
    return checks, computed
