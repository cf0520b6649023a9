"""Level rules of a year, read from the catalog's ``levels`` data (never hard-coded per year)."""

from __future__ import annotations

from dataclasses import dataclass

from itadesk.ita.numbers import round2
from itadesk.texts import FALL, RISE, SAME


@dataclass(frozen=True)
class Level:
    name: str
    confirmed: bool = True
    note: str = ""


def level_for(rules: dict, overall: float | None, tools: dict[str, float | None]) -> Level | None:
    """The level for an overall score and the tool scores named by the year's rules.

    Scores are compared as published (rounded to the rule's decimals), so 84.995 counts as 85.00.
    """
    if overall is None:
        return None
    decimals = rules.get("compare_decimals", 2)

    def published(value: float) -> float:
        return round2(value) if decimals == 2 else round(value, decimals)

    total = published(overall)
    scheme = rules.get("scheme")
    if scheme == "grade":
        for grade in rules["grades"]:
            if total >= grade["min"]:
                return Level(grade["name"], grade.get("confirmed", True), grade.get("note", ""))
        return Level(rules["grades"][-1]["name"])
    if scheme == "pass":
        checked = [tools.get(code) for code in rules.get("tools", ())]
        for rule in rules["rules"]:
            if total < rule["overall_min"]:
                continue
            every = rule.get("every_tool_min")
            if every is not None:
                if any(v is None or published(v) < every for v in checked):
                    continue
            return Level(rule["name"], rule.get("confirmed", True), rule.get("note", ""))
        return Level(rules.get("otherwise", "ไม่ผ่าน"))
    raise ValueError(f"unknown level scheme {scheme!r}")


def level_names(rules: dict) -> list[str]:
    """Best to worst, for ordering levels (e.g. to say a level went down)."""
    if rules.get("scheme") == "grade":
        return [g["name"] for g in rules["grades"]]
    return [r["name"] for r in rules["rules"]] + [rules.get("otherwise", "ไม่ผ่าน")]


def compare_levels(previous: str | None, current: str | None, rules: dict) -> str | None:
    """RISE / FALL / SAME (itadesk.texts codes) between two level names of one scheme; None when
    not comparable."""
    order = level_names(rules)
    if previous not in order or current not in order:
        return None
    before, after = order.index(previous), order.index(current)
    return RISE if after < before else FALL if after > before else SAME
