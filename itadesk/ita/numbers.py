"""Rounding and number parsing the way the NACC publishes and officers type scores."""

from __future__ import annotations

import functools
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from itadesk.texts import CORE

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)


@functools.lru_cache(maxsize=1 << 16)
def round2(value: float) -> float:
    """Half-up to two decimals, as published (float ``round`` gives 95.15 for 95.155).

    Cached: a district's summary rounds the same few thousand scores again and again."""
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def fmt2(value: float | None, thai_digits: bool = False) -> str:
    if value is None:
        return "-"
    text = f"{round2(value):.2f}"
    return to_thai_digits(text) if thai_digits else text


def fmt_signed(value: float | None, thai_digits: bool = False) -> str:
    """A change in points: "+6.67", "−6.60", and "0.00" with no sign when nothing changed."""
    if value is None:
        return "-"
    rounded = round2(value)
    text = "0.00" if rounded == 0 else f"{rounded:+.2f}".replace("-", "−")
    return to_thai_digits(text) if thai_digits else text


def is_below(value: float, limit: float) -> bool:
    """Below a limit as published: an item printed as 85.00 is not below 85."""
    return round2(value) < limit


def to_thai_digits(text: str) -> str:
    return text.translate(_TO_THAI)


# A free-standing number, not the digits of a code written with Latin letters (o5, e12, i10).
_FREE_DIGITS = re.compile(r"(?<![A-Za-z0-9])[0-9]+")


# A web address (a plan row's evidence, a link in an analysis): its digits are part of it.
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def thai_digits_in_text(text: str) -> str:
    """Free-standing digits of a sentence in Thai digits; NACC item codes stay as written,
    because officers search for "o5", never "o๕", and so do links, which must still open."""
    def words(part: str) -> str:
        return _FREE_DIGITS.sub(lambda m: to_thai_digits(m.group()), part)

    text = text or ""
    out, last = [], 0
    for link in _LINK.finditer(text):
        out += [words(text[last:link.start()]), link.group()]
        last = link.end()
    return "".join(out) + words(text[last:])


def to_arabic_digits(text: str) -> str:
    return text.translate(_TO_ARABIC)


class ScoreError(ValueError):
    """A typed score that cannot be accepted; ``str(error)`` is the Thai message for the user."""


_SCORE_RE = re.compile(r"^\d{1,3}(\.\d{1,2})?$")


def parse_score(text: str | float | int) -> float:
    """A score from what an officer typed: 0–100, at most two decimals, Arabic or Thai digits."""
    if isinstance(text, bool):
        raise ScoreError(CORE["score_not_number"])
    if isinstance(text, (int, float)):
        value = float(text)
        if value != value:  # NaN
            raise ScoreError(CORE["score_not_number"])
        check_score_range(value)
        # round(), not round2(): only "is it already two decimals" is asked, and a tie
        # (x.xx5) is refused either way; Decimal made this the cost of checking a file.
        if abs(round(value, 2) - value) > 1e-9:
            raise ScoreError(CORE["score_decimals"])
        return value
    raw = to_arabic_digits(str(text).strip().replace(",", "."))
    if not raw:
        raise ScoreError(CORE["score_empty"])
    if not re.fullmatch(r"[0-9.]+", raw):
        raise ScoreError(CORE["score_format"])
    if not _SCORE_RE.fullmatch(raw):
        if re.fullmatch(r"\d+\.\d{3,}", raw):
            raise ScoreError(CORE["score_decimals"])
        raise ScoreError(CORE["score_format"])
    try:
        value = float(Decimal(raw))
    except InvalidOperation as exc:  # pragma: no cover - regex already guards
        raise ScoreError(CORE["score_not_number"]) from exc
    check_score_range(value)
    return value


def check_score_range(value: float) -> None:
    if not 0 <= value <= 100:
        raise ScoreError(CORE["score_range"].format(value=f"{value:g}"))
