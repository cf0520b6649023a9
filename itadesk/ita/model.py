"""Domain objects handed out by the store and read by the rules, the GUI, the CLI and the PDF."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field
from datetime import date

from itadesk.texts import DONE, EXCELLENT, FAIL, GOOD, IN_PROGRESS, NOT_STARTED, PASS, STATUS_LABELS

ORG_KINDS = ("อบต.", "เทศบาลตำบล", "เทศบาลเมือง", "เทศบาลนคร", "อบจ.")
# Plan status codes, first to last; itadesk.texts.status_label gives the Thai word.
ACTION_STATUSES = (NOT_STARTED, IN_PROGRESS, DONE)
# The order a follow-up report counts and lists them: what was done first.
FOLLOW_UP_ORDER = (DONE, IN_PROGRESS, NOT_STARTED)
# The words files and JSON held before codes (schema version 2), frozen: they are read
# back as codes whatever the labels say today.
LEGACY_STATUS = {"ยังไม่เริ่ม": NOT_STARTED, "กำลังดำเนินการ": IN_PROGRESS, "เสร็จสิ้น": DONE}


def status_code(text) -> str | None:
    """The status code of what a person or an older file wrote: a code, today's Thai label or a
    version-2 word; None when it is none of them."""
    value = str(text or "").strip()
    if value in ACTION_STATUSES:
        return value
    by_label = {label: code for code, label in STATUS_LABELS.items()}
    return by_label.get(value) or LEGACY_STATUS.get(value)


# The level names published figures held before codes, frozen likewise (itadesk.texts.level_code).
LEGACY_LEVEL = {"ผ่านดีเยี่ยม": EXCELLENT, "ผ่านดี": GOOD, "ผ่าน": PASS, "ไม่ผ่าน": FAIL}


def status_counts(actions: list["Action"]) -> dict[str, int]:
    """How many plan rows are in each state, in :data:`FOLLOW_UP_ORDER` (a zero is kept)."""
    return {code: sum(1 for a in actions if a.status == code) for code in FOLLOW_UP_ORDER}


def new_uuid() -> str:
    """A new row id: 16 random bytes (as many as a UUID4 has) in URL-safe base64, 22 characters.

    Not the 36-character text form: every score row stores its own id and its year's, and
    each is indexed and recorded with its versions, so a district's file of 900,000 scores
    is about a quarter smaller. Ids are opaque everywhere (files read, merged and checked by
    :func:`itadesk.ita.fields.check_uuid`); files with the old form keep it."""
    return base64.urlsafe_b64encode(os.urandom(16)).decode("ascii").rstrip("=")  # uuid.UUID() cost 4 of 34 s


@dataclass
class Organization:
    name: str
    kind: str = ""
    district: str = ""
    province: str = ""
    code: str = ""
    preparer_name: str = ""
    preparer_position: str = ""
    approver_name: str = ""
    approver_position: str = ""
    uuid: str = field(default_factory=new_uuid)

    @property
    def place(self) -> str:
        """"อำเภอ… จังหวัด…" as it stands under the organization's name on a cover."""
        parts = []
        if self.district:
            parts.append(f"อำเภอ{self.district}")
        if self.province:
            parts.append(f"จังหวัด{self.province}")
        return " ".join(parts)


# Everything about an organization besides its name and identity, in the order forms show it.
ORG_DETAILS = (
    "kind", "district", "province", "code",
    "preparer_name", "preparer_position", "approver_name", "approver_position",
)


@dataclass
class Action:
    """One row of part 2, the action plan."""

    indicator: int | None = None
    measure: str = ""
    owner: str = ""
    steps: str = ""
    start: date | None = None
    end: date | None = None
    status: str = ACTION_STATUSES[0]
    progress_note: str = ""
    # The follow-up a year later: what shows the measure was carried out (a text or a link)
    # and the day it was completed (never before ``start``: ita.thai_dates.check_completion).
    evidence: str = ""
    completed: date | None = None
    uuid: str = field(default_factory=new_uuid)


# An item score is a number, or for items of a tool with parts (the catalog says) a {part: score} dict.
ItemValue = float | dict[int, float]


@dataclass
class Assessment:
    """One organization's ITA results for one fiscal year, with the office's analysis and plan."""

    fiscal_year: int
    indicators: dict[int, float] = field(default_factory=dict)
    items: dict[str, ItemValue] = field(default_factory=dict)
    recommendations: dict[str, str] = field(default_factory=dict)
    analysis: dict[int, str] = field(default_factory=dict)
    actions: list[Action] = field(default_factory=list)
    # The NACC's published figures as typed: "IIT", "EIT", "OIT", "total" (scores), "level" (text).
    published: dict[str, float | str] = field(default_factory=dict)
    # The figures each drafted analysis text was built from (indicator -> label -> score as printed).
    draft_basis: dict[int, dict[str, str]] = field(default_factory=dict)
    org_uuid: str = ""
    uuid: str = field(default_factory=new_uuid)
    # The year's catalog as the document it was read from resolves it (its own catalogs over the
    # bundled ones); None: the bundled one (ita.catalog.catalog_of). Not content: never compared.
    catalog: object = field(default=None, compare=False, repr=False)

    def item_score(self, code: str) -> float | None:
        """The item's single score: a plain score, or the mean of its parts."""
        value = self.items.get(code)
        if value is None:
            return None
        if isinstance(value, dict):
            parts = [v for v in value.values() if v is not None]
            return sum(parts) / len(parts) if parts else None
        return value
