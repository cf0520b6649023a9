"""Standard recommendation texts and standard measures, shipped as data under ``resources/``.

Texts are keyed by year and item; a year with no file of its own uses the latest earlier
year's texts, because the NACC repeats most recommendations from year to year.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

from itadesk.resources import resource_path


@dataclass(frozen=True)
class Recommendations:
    fiscal_year: int | None
    items: dict[str, str] = field(default_factory=dict)
    tools: dict[str, str] = field(default_factory=dict)
    maintain: str = "ผ่านตามหลักเกณฑ์ที่กำหนด ควรรักษามาตรฐานไว้ และควรพัฒนาประสิทธิภาพของการทำงานอย่างต่อเนื่อง"
    oit_general: str = ""

    def for_item(self, code: str) -> str | None:
        return self.items.get(code.lower())


def _latest_file(folder: str, year: int):
    directory = resource_path(folder)
    years = sorted(int(p.stem) for p in directory.glob("*.json") if p.stem.isdigit())
    usable = [y for y in years if y <= year]
    if not usable:
        return None, None
    chosen = max(usable)
    return chosen, directory / f"{chosen}.json"


@lru_cache(maxsize=None)
def load_recommendations(year: int) -> Recommendations:
    chosen, path = _latest_file("recommendations", year)
    if path is None:
        return Recommendations(None)
    data = json.loads(path.read_text(encoding="utf-8"))
    kwargs = {}
    if data.get("maintain"):
        kwargs["maintain"] = data["maintain"]
    return Recommendations(
        chosen,
        items={k.lower(): v for k, v in data.get("items", {}).items()},
        tools=dict(data.get("tools", {})),
        oit_general=data.get("oit_general", ""),
        **kwargs,
    )


@dataclass(frozen=True)
class Measure:
    indicator: int
    measure: str
    owner: str = ""
    steps: str = ""


@dataclass(frozen=True)
class MeasureLibrary:
    measures: dict[int, tuple[Measure, ...]]
    owners: tuple[str, ...]

    def for_indicator(self, number: int) -> tuple[Measure, ...]:
        return self.measures.get(number, ())


@lru_cache(maxsize=None)
def load_measures(year: int) -> MeasureLibrary:
    _chosen, path = _latest_file("measures", year)
    if path is None:
        return MeasureLibrary({}, ())
    data = json.loads(path.read_text(encoding="utf-8"))
    measures = {
        int(n): tuple(Measure(int(n), m["measure"], m.get("owner", ""), m.get("steps", "")) for m in rows)
        for n, rows in data.get("measures", {}).items()
    }
    return MeasureLibrary(measures, tuple(data.get("owners", ())))
