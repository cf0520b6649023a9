"""Consistency warnings: shown to the officer, never fixed silently.

Hand-written reports copy item scores from other indicators and paste other offices'
names; these checks find such slips without ever changing what was entered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from itadesk.ita.catalog import Catalog, catalog_of
from itadesk.ita.model import Assessment, Organization
from itadesk.ita.numbers import fmt2, round2
from itadesk.ita.org_names import KINDS, kind_prefixes
from itadesk.texts import CORE

# Items are published to two decimals, so their mean may miss the indicator by a rounding step.
TOLERANCE = 0.015


@dataclass(frozen=True)
class Warning:
    code: str  # machine-readable kind: "items_mismatch", "out_of_range", "period", "duplicate_org", "missing", "published"
    message: str  # Thai, for the officer
    subject: str = ""  # indicator number, item code or organization uuid


def _items_value(assessment: Assessment, ind) -> tuple[float | None, list[str]]:
    codes = [item.code for item in ind.items]
    if not codes or any(assessment.items.get(c) is None for c in codes):
        return None, codes
    if ind.combine == "mean":
        values = [assessment.item_score(c) for c in codes]
        return sum(values) / len(values), codes
    if ind.combine == "mean_of_parts":
        values = []
        for item in ind.items:
            value = assessment.items[item.code]
            parts = item.parts or (1, 2)
            if not isinstance(value, dict) or any(value.get(p) is None for p in parts):
                return None, codes
            values.append(sum(value[p] for p in parts) / len(parts))
        return sum(values) / len(values), codes
    return None, codes


def assessment_warnings(assessment: Assessment, catalog: Catalog | None = None) -> list[Warning]:
    catalog = catalog or catalog_of(assessment)
    out: list[Warning] = []
    for number, score in sorted(assessment.indicators.items()):
        if score is not None and not 0 <= score <= 100:
            out.append(Warning("out_of_range", CORE["warn_indicator_range"].format(number=number, score=f"{score:g}"), str(number)))
    for code, value in sorted(assessment.items.items()):
        values = value.values() if isinstance(value, dict) else [value]
        for v in values:
            if v is not None and not 0 <= v <= 100:
                out.append(Warning("out_of_range", CORE["warn_item_range"].format(code=code, score=f"{v:g}"), code))
    for ind in catalog.indicators:
        if assessment.indicators.get(ind.number) is None:
            out.append(Warning("missing", CORE["warn_missing"].format(number=ind.number, name=ind.name), str(ind.number)))
            continue
        if ind.combine is None:
            continue
        derived, codes = _items_value(assessment, ind)
        if derived is None:
            continue
        published = assessment.indicators[ind.number]
        if abs(derived - published) > TOLERANCE:
            out.append(
                Warning(
                    "items_mismatch",
                    CORE["warn_items_mismatch"].format(first=codes[0], last=codes[-1], derived=fmt2(derived),
                                                       number=ind.number, name=ind.name, published=fmt2(published)),
                    str(ind.number),
                )
            )
    if assessment.published:
        from itadesk.ita.scoring import evaluate  # noqa: PLC0415 - scoring reads this module's neighbours

        for check in evaluate(assessment, catalog).checks:
            if check.warning:
                out.append(Warning("published", check.message, check.figure))
    for action in assessment.actions:
        if action.start and action.end and action.end < action.start:
            out.append(Warning("period", CORE["warn_period"].format(measure=action.measure[:40]), action.uuid))
    return out


# Each way of writing a kind -> one key for it ("อบต." for both "องค์การบริหารส่วนตำบล" and "อบต.").
_KEY_OF_KIND = {label: short.rstrip(".") for _, short, label in KINDS}
_PREFIXES = tuple((prefix, _KEY_OF_KIND[label]) for prefix, label in kind_prefixes())


def name_key(name: str) -> str:
    """A spelling-independent key: "อบต. เชียงพิณ" and "องค์การบริหารส่วนตำบลเชียงพิณ" match."""
    text = re.sub(r"\s+", "", name or "")
    for long, short in _PREFIXES:
        if text.startswith(long):
            return short + ":" + text[len(long):]
    return text


def organization_warnings(organizations: list[Organization]) -> list[Warning]:
    out: list[Warning] = []
    seen: dict[tuple[str, str], Organization] = {}
    for org in organizations:
        key = (name_key(org.name), (org.province or "").strip())
        other = seen.get(key)
        if other is None:
            seen[key] = org
            continue
        out.append(
            Warning(
                "duplicate_org",
                CORE["warn_duplicate_org"].format(name=org.name, other=other.name),
                org.uuid,
            )
        )
    return out


__all__ = ["Warning", "assessment_warnings", "organization_warnings", "name_key", "round2"]
