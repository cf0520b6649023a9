"""What a text field, an item code or a stored time may hold: one set of rules for every way in and out.

The importer, the editor (through the store) and the reader of a file from elsewhere
(:mod:`itadesk.db.validate`) all call these, so the program never writes what it would
later refuse to read, and never reads what the editor could not have typed.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

# Lengths in characters. A Thai character is 3 bytes in UTF-8 (4 at most for any character),
# so the longest text is well under the 4 MB cell limit of the file reader
# (itadesk.db.files.MAX_CELL_BYTES): nothing typed or imported can make a file unreadable.
MAX_NAME_CHARS = 300  # one-line fields: names, positions, places, codes, the measure, the owner
MAX_TEXT_CHARS = 100_000  # free text: analyses, recommendations, steps, progress notes

# Characters that change how text is shown without being text: they can make a name read
# as something else (U+202E turns "abc" into "cba"), so no field may hold them.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Invisible characters Thai text does use (word breaks); a name made only of them is empty.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_MULTILINE_OK = frozenset("\n\r\t")

# Item and tool codes come from the year's catalog (itadesk.ita.catalog); a stored row is only
# held to their shape, since a file holds several years: "i1", "e4", "o12", "IIT", "STAFF".
ITEM_CODE = re.compile(r"^[a-z][a-z0-9_.-]{0,15}$")
TOOL_CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,15}$")
# Row ids are opaque keys: UUIDs in everything the program writes, but only their shape as a
# key matters (short printable ASCII), so files made by scripts stay readable.
ROW_ID = re.compile(r"^[0-9A-Za-z_.:-]{1,64}$")


class FieldError(ValueError):
    """A value no field may hold; ``str()`` is the Thai reason (the caller says where)."""


def check_text(value, *, multiline: bool = False, required: bool = False) -> str:
    """``value`` as stored text, or :class:`FieldError`.

    Refused: anything but a string, control characters (line breaks and tabs only in free
    text), direction overrides, unpaired surrogates, more than the field's length, and for
    a required field (a name) nothing but spaces and invisible characters.
    """
    if not isinstance(value, str):
        raise FieldError("ต้องเป็นข้อความ")
    limit = MAX_TEXT_CHARS if multiline else MAX_NAME_CHARS
    if len(value) > limit:
        raise FieldError(f"ข้อความยาว {len(value):,} ตัวอักษร เกินที่รับได้ ({limit:,} ตัวอักษร)")
    for ch in value:
        if ch in BIDI_CONTROLS:
            raise FieldError(f"มีอักขระควบคุมทิศทางข้อความ (U+{ord(ch):04X}) ซึ่งทำให้ข้อความแสดงผิดไปจากที่เก็บไว้ กรุณาลบออก")
        category = unicodedata.category(ch)
        if category == "Cs":
            raise FieldError(f"มีอักขระที่ไม่สมบูรณ์ (U+{ord(ch):04X}) กรุณาพิมพ์ข้อความใหม่")
        if category == "Cc" and not (multiline and ch in _MULTILINE_OK):
            raise FieldError(f"มีอักขระควบคุมที่มองไม่เห็น (U+{ord(ch):04X}) กรุณาลบออก")
    if required and not "".join(ch for ch in value if ch not in ZERO_WIDTH).strip():
        raise FieldError("ว่างเปล่า (มีแต่ช่องว่างหรืออักขระที่มองไม่เห็น)")
    return value


def check_item_code(value) -> str:
    if not isinstance(value, str) or not ITEM_CODE.match(value):
        raise FieldError(f"รหัสข้อคำถาม {str(value)[:40]!r} ไม่ถูกต้อง (ต้องเป็นรหัสข้อคำถามตามเกณฑ์การประเมิน)")
    return value


def check_tool_code(value) -> str:
    if not isinstance(value, str) or not TOOL_CODE.match(value):
        raise FieldError(f"รหัสเครื่องมือ {str(value)[:40]!r} ไม่ถูกต้อง (ต้องเป็นรหัสเครื่องมือตามเกณฑ์การประเมิน)")
    return value


def check_uuid(value) -> str:
    if not isinstance(value, str) or not ROW_ID.match(value):
        raise FieldError(f"รหัสประจำแถว {str(value)[:40]!r} ไม่ถูกต้อง")
    return value


def check_timestamp(value) -> str:
    """A stored time (``updated_at``, a deletion time): ISO 8601 as :func:`itadesk.db.store.now` writes it."""
    if not isinstance(value, str) or len(value) > 40:
        raise FieldError("เวลาที่บันทึกไม่ถูกต้อง")
    try:
        datetime.fromisoformat(value)
    except ValueError as exc:
        raise FieldError(f"เวลาที่บันทึก {value[:40]!r} ไม่ถูกต้อง") from exc
    return value


def check_day(value) -> date | None:
    """A plan date as stored and as imported: None, or ``YYYY-MM-DD`` (Christian era)."""
    if value is None:
        return None
    shown = str(value)[:40]
    if not isinstance(value, str) or len(value) != 10:
        raise FieldError(f"วันที่ {shown!r} ต้องอยู่ในรูปแบบ ปปปป-ดด-วว (ค.ศ.) เช่น 2025-10-01")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise FieldError(f"วันที่ {shown!r} ต้องอยู่ในรูปแบบ ปปปป-ดด-วว (ค.ศ.) เช่น 2025-10-01") from exc
