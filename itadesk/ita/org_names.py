"""Short forms of the names of Thai local government organizations.

An office's full name ("องค์การบริหารส่วนตำบลเชียงพิณ") is long; where room is short (the
footer of a portrait page) the form everyone in local government writes is its kind's
abbreviation and the place name ("อบต.เชียงพิณ"). The abbreviations are those of the
Department of Local Administration's own lists (อบจ., อบต., ทต., ทม., ทน., กทม.).
"""

from __future__ import annotations

# The kinds an officer chooses from (ita.model.ORG_KINDS): the kind as written in front of a
# place name, its abbreviation, and the kind's label in ORG_KINDS. The one list the name key
# (ita.consistency), the kind guessed from a typed name (ui.org_dialog) and short names use.
KINDS = (
    ("องค์การบริหารส่วนจังหวัด", "อบจ.", "อบจ."),
    ("องค์การบริหารส่วนตำบล", "อบต.", "อบต."),
    ("เทศบาลตำบล", "ทต.", "เทศบาลตำบล"),
    ("เทศบาลเมือง", "ทม.", "เทศบาลเมือง"),
    ("เทศบาลนคร", "ทน.", "เทศบาลนคร"),
)

# Full kind -> abbreviation, longest first where one starts another.
KIND_ABBREVIATIONS = tuple((full, short) for full, short, _ in KINDS) + (("กรุงเทพมหานคร", "กทม."),)


def kind_prefixes() -> tuple[tuple[str, str], ...]:
    """(what a name may start with, the kind's label): full kinds first, then abbreviations."""
    return tuple((full, label) for full, _, label in KINDS) + tuple((short, label) for _, short, label in KINDS)


def short_name(name: str) -> str:
    """"อบต.เชียงพิณ" for "องค์การบริหารส่วนตำบลเชียงพิณ" (spaces after the kind dropped);
    a name of another kind, or already short, is returned as written (spaces tidied)."""
    text = " ".join((name or "").split())
    for full, short in KIND_ABBREVIATIONS:
        if text.startswith(full):
            place = text[len(full):].strip()
            return short + place if place else short
    return text


__all__ = ["KINDS", "KIND_ABBREVIATIONS", "kind_prefixes", "short_name"]
