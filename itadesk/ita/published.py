"""The NACC's published figures against the ones this program computes.

The NACC computes from unrounded values, so a total recomputed from the published
two-decimal indicators can miss the published one by 0.01 (indicators 67.5346 → 67.53, the
NACC published 67.54). The published figure is the official one: within that rounding step
it is shown, and why they differ is said; a larger difference is a typing error somewhere,
and it is warned of rather than printed as if sound.
"""

from __future__ import annotations

from dataclasses import dataclass

from itadesk.ita.numbers import fmt2, round2
from itadesk.texts import level_code, level_label

# What an officer can copy from the NACC's results page: each tool of the year's catalog
# (by its code), the total and the level.
TOTAL, LEVEL = "total", "level"
# In JSON the level is its code (itadesk.texts.level_code); this key beside it gives the Thai name.
LEVEL_LABEL = "level_label"
# One rounding step of a two-decimal result (a hair more, for binary floats).
ROUNDING_STEP = 0.01 + 1e-9

_LABELS = {TOTAL: "คะแนนรวม", LEVEL: "ระดับผลการประเมิน"}


def figures(tool_codes) -> tuple[str, ...]:
    """The figures of a year whose catalog has these tools, in the order a form shows them."""
    return (*tool_codes, TOTAL, LEVEL)


def label(figure: str) -> str:
    return _LABELS.get(figure, f"คะแนน {figure}")

ROUNDING_NOTE = (
    "{label} ใช้ค่าที่ ป.ป.ช. ประกาศ ({published}) ซึ่งต่างจากค่าที่คำนวณจากคะแนนตัวชี้วัดทศนิยมสองตำแหน่ง "
    "({computed}) {diff} คะแนน เพราะ ป.ป.ช. คำนวณจากค่าที่ไม่ได้ปัดเศษ"
)
TYPO_WARNING = (
    "{label} ที่กรอกตามประกาศ ({published}) ต่างจากค่าที่คำนวณจากคะแนนตัวชี้วัด ({computed}) {diff} คะแนน "
    "มากกว่าการปัดเศษ (0.01): ตรวจสอบว่าพิมพ์คะแนนผิดหรือไม่ รายงานใช้ค่าที่คำนวณไว้ก่อน"
)
LEVEL_WARNING = (
    "ระดับที่กรอกตามประกาศ ({published}) ต่างจากระดับที่คำนวณได้ ({computed}): ตรวจสอบว่ากรอกถูกต้องหรือไม่ "
    "รายงานใช้ระดับที่ ป.ป.ช. ประกาศ"
)
LEVEL_UNKNOWN = "ระดับที่กรอกตามประกาศ ({published}) ไม่ใช่ระดับของเกณฑ์ปีนี้ ({names}): ตรวจสอบการพิมพ์"


@dataclass(frozen=True)
class FigureCheck:
    figure: str  # a tool code, TOTAL or LEVEL
    computed: float | str | None
    published: float | str
    status: str  # "same", "rounding" (published shown), "typo" (computed shown, warned), "level_differs", "level_unknown"
    message: str = ""  # Thai: a note ("rounding") or a warning (the others); "" when the same

    @property
    def warning(self) -> bool:
        return self.status in ("typo", "level_differs", "level_unknown")


def check_figure(figure: str, computed: float | None, published: float) -> FigureCheck:
    """One tool score or the total: published within a rounding step wins; beyond it, a typo."""
    if computed is None:
        return FigureCheck(figure, None, published, "rounding",
                           f"{label(figure)} ใช้ค่าที่ ป.ป.ช. ประกาศ ({fmt2(published)}) เพราะยังคำนวณเองไม่ได้")
    shown = round2(computed)
    diff = abs(round2(published) - shown)
    if diff == 0:
        return FigureCheck(figure, computed, published, "same")
    args = dict(label=label(figure), published=fmt2(published), computed=fmt2(shown), diff=fmt2(diff))
    if diff <= ROUNDING_STEP:
        return FigureCheck(figure, computed, published, "rounding", ROUNDING_NOTE.format(**args))
    return FigureCheck(figure, computed, published, "typo", TYPO_WARNING.format(**args))


def check_level(computed: str | None, published: str, names: list[str]) -> FigureCheck:
    if names and published not in names:
        return FigureCheck(LEVEL, computed, published, "level_unknown",
                           LEVEL_UNKNOWN.format(published=published, names=", ".join(names)))
    if computed is not None and computed != published:
        return FigureCheck(LEVEL, computed, published, "level_differs",
                           LEVEL_WARNING.format(published=published, computed=computed))
    return FigureCheck(LEVEL, computed, published, "same")


def published_out(published: dict[str, float | str]) -> dict[str, float | str]:
    """Published figures for JSON: the level as its code, with its Thai name beside it."""
    out = dict(published)
    if out.get(LEVEL):
        out[LEVEL], out[LEVEL_LABEL] = level_code(out[LEVEL]), level_label(level_code(out[LEVEL]))
    return out


def parse_published(data: dict, tool_codes) -> dict[str, float | str]:
    """Published figures from outside (JSON, a form): the scores of the year's tools and the
    total, 0–100 with at most two decimals; the level as text. Raises ValueError in Thai."""
    from itadesk.ita.numbers import ScoreError, parse_score  # noqa: PLC0415

    if not isinstance(data, dict):
        raise ValueError("ผลที่ประกาศ (published) ต้องเป็นรายการ เช่น {\"total\": 67.54, \"level\": \"ผ่าน\"}")
    out: dict[str, float | str] = {}
    known = figures(tool_codes)
    for key, value in data.items():
        if key == LEVEL_LABEL:
            continue  # what the code reads as, written for people: the code decides
        if key not in known:
            raise ValueError(f"ผลที่ประกาศไม่มีหัวข้อ \"{key}\" (ใช้ได้: {', '.join(known)})")
        if value is None or value == "":
            continue
        if key == LEVEL:
            text = " ".join(str(value).split())
            if not text or len(text) > 40:
                raise ValueError("ระดับผลการประเมินที่ประกาศต้องเป็นข้อความสั้น ๆ เช่น pass หรือ ผ่าน")
            out[key] = level_label(level_code(text))  # a code or the Thai name; held as the name
            continue
        try:
            out[key] = parse_score(value if isinstance(value, (int, float, str)) else repr(value))
        except ScoreError as exc:
            raise ValueError(f"{label(key)} ที่ประกาศ: {exc}") from exc
    return out
