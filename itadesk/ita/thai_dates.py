"""Buddhist Era dates and the Thai fiscal year (1 ต.ค. of BE N−1 to 30 ก.ย. of BE N).

Dates are stored as Gregorian ISO strings and only shown in BE, so arithmetic stays plain.
"""

from __future__ import annotations

from datetime import date, datetime

from itadesk.ita.numbers import to_thai_digits
from itadesk.texts import CORE

BE_OFFSET = 543
THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)


def to_be(year_ce: int) -> int:
    return year_ce + BE_OFFSET


def to_ce(year_be: int) -> int:
    return year_be - BE_OFFSET


def fiscal_year_range(year_be: int) -> tuple[date, date]:
    """Gregorian start and end dates of fiscal year ``year_be``."""
    ce = to_ce(year_be)
    return date(ce - 1, 10, 1), date(ce, 9, 30)


def fiscal_year_of(day: date) -> int:
    """The BE fiscal year a date falls in."""
    return to_be(day.year + 1 if day.month >= 10 else day.year)


def format_thai_date(day: date | None, short: bool = False, thai_digits: bool = False) -> str:
    if day is None:
        return ""
    months = THAI_MONTHS_SHORT if short else THAI_MONTHS
    text = f"{day.day} {months[day.month - 1]} {to_be(day.year)}"
    return to_thai_digits(text) if thai_digits else text


def format_thai_datetime(moment: datetime, short: bool = True, thai_digits: bool = False) -> str:
    """"24 พ.ย. 2569 22:01 น.": when a file was saved, locked or backed up, as officers read it."""
    text = f"{format_thai_date(moment.date(), short)} {moment:%H:%M} น."
    return to_thai_digits(text) if thai_digits else text


def format_period(start: date | None, end: date | None, short: bool = False, thai_digits: bool = False) -> str:
    if start is None and end is None:
        return ""
    return f"{format_thai_date(start, short, thai_digits)} – {format_thai_date(end, short, thai_digits)}".strip(" –")


class PeriodError(ValueError):
    """A plan period that cannot be right; the message is Thai, for the officer."""


def check_period(start: date | None, end: date | None, fiscal_year: int | None = None) -> None:
    """Refuse a period that ends before it starts or lies far from the plan's year."""
    if start and end and end < start:
        raise PeriodError(
            CORE["period_reversed"].format(end=format_thai_date(end), start=format_thai_date(start))
        )
    for day in (start, end):
        if day is None:
            continue
        be = to_be(day.year)
        if not 2500 <= be <= 2700:
            raise PeriodError(CORE["period_year"].format(year=be))
        if fiscal_year is not None and not (fiscal_year - 1 <= fiscal_year_of(day) <= fiscal_year + 3):
            raise PeriodError(
                CORE["period_far"].format(day=format_thai_date(day), first=fiscal_year, last=fiscal_year + 3)
            )


def check_completion(start: date | None, completed: date | None) -> None:
    """Refuse a completion date before the measure started, or in an impossible year."""
    if completed is None:
        return
    if start and completed < start:
        raise PeriodError(CORE["completion_before_start"].format(
            completed=format_thai_date(completed), start=format_thai_date(start)))
    if not 2500 <= to_be(completed.year) <= 2700:
        raise PeriodError(CORE["period_year"].format(year=to_be(completed.year)))


def default_plan_period(assessment_year_be: int) -> tuple[date, date]:
    """The plan for year N's results runs through fiscal year N+1."""
    return fiscal_year_range(assessment_year_be + 1)
