"""Short forms of the names of Thai local government organizations.

An office's full name ("องค์การบริหารส่วนตำบลเชียงพิณ") is long; where room is short (the
footer of a portrait page) the form everyone in local government writes is its kind's
abbreviation and the place name ("อบต.เชียงพิณ"). The abbreviations are those of the
Department of Local Administration's own lists (อบจ., อบต., ทต., ทม., ทน., กทม.).
"""

from __future__ import annotations

# Full kind -> abbreviation, longest first where one starts another.
KIND_ABBREVIATIONS = (
    ("องค์การบริหารส่วนจังหวัด", "อบจ."),
    ("องค์การบริหารส่วนตำบล", "อบต."),
    ("เทศบาลตำบล", "ทต."),
    ("เทศบาลเมือง", "ทม."),
    ("เทศบาลนคร", "ทน."),
    ("กรุงเทพมหานคร", "กทม."),
)


def short_name(name: str) -> str:
    """"อบต.เชียงพิณ" for "องค์การบริหารส่วนตำบลเชียงพิณ" (spaces after the kind dropped);
    a name of another kind, or already short, is returned as written (spaces tidied)."""
    text = " ".join((name or "").split())
    for full, short in KIND_ABBREVIATIONS:
        if text.startswith(full):
            place = text[len(full):].strip()
            return short + place if place else short
    return text


__all__ = ["KIND_ABBREVIATIONS", "short_name"]
