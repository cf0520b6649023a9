"""Year-over-year change, always in points; a percent change is a separate, labelled figure.

The reference report calls a 4.74-point drop "ร้อยละ -4.74"; here the two can't be confused.
"""

from __future__ import annotations

from dataclasses import dataclass

from itadesk.ita.catalog import Catalog, catalog_of
from itadesk.ita.levels import compare_levels
from itadesk.ita.model import Assessment
from itadesk.ita.numbers import round2
from itadesk.ita.scoring import Evaluation, evaluate
from itadesk.texts import FALL, RISE, SAME  # direction codes; texts.direction_label gives the Thai word

__all__ = ["FALL", "RISE", "SAME", "Change", "Comparison", "compare"]


@dataclass(frozen=True)
class Change:
    previous: float | None
    current: float | None

    @property
    def points(self) -> float | None:
        """Difference of the published (two-decimal) figures, so the table adds up as printed."""
        if self.previous is None or self.current is None:
            return None
        return round2(round2(self.current) - round2(self.previous))

    @property
    def percent(self) -> float | None:
        if self.points is None or not self.previous:
            return None
        return round2(self.points / round2(self.previous) * 100)

    @property
    def direction(self) -> str | None:
        pts = self.points
        if pts is None:
            return None
        return RISE if pts > 0 else FALL if pts < 0 else SAME


@dataclass
class Comparison:
    previous: Evaluation | None
    current: Evaluation
    indicators: dict[int, Change]
    tools: dict[str, Change]
    overall: Change
    parts: dict[str, Change]  # "EIT.1", "EIT.2" where the year has tool parts
    level: str | None  # RISE / FALL / SAME between the two years' levels, when comparable


def compare(current: Assessment, previous: Assessment | None, catalog: Catalog | None = None,
            previous_catalog: Catalog | None = None) -> Comparison:
    """Both years evaluated, each by its own year's catalog (loaded by year unless given)."""
    catalog = catalog or catalog_of(current)
    cur_eval = evaluate(current, catalog)
    prev_eval = evaluate(previous, previous_catalog) if previous is not None else None
    numbers = sorted(set(current.indicators) | set(previous.indicators if previous else ()))
    indicators = {
        n: Change(previous.indicators.get(n) if previous else None, current.indicators.get(n)) for n in numbers
    }
    tools = {
        code: Change(prev_eval.tools.get(code) if prev_eval else None, value)
        for code, value in cur_eval.tools.items()
    }
    overall = Change(prev_eval.overall if prev_eval else None, cur_eval.overall)
    parts = {
        key: Change(prev_eval.parts.get(key) if prev_eval else None, value)
        for key, value in cur_eval.parts.items()
    }
    level = None
    if prev_eval and prev_eval.level and cur_eval.level:
        level = compare_levels(prev_eval.level.name, cur_eval.level.name, catalog.levels)
    return Comparison(prev_eval, cur_eval, indicators, tools, overall, parts, level)
