"""Known failures of the document file, each with one Thai sentence that says what to do.

Anything not recognised here is a bug: it is re-raised with its details, never swallowed.
"""

from __future__ import annotations

import errno
import sqlite3

MESSAGES = {
    "BUSY": "ไฟล์กำลังถูกใช้งานโดยโปรแกรมอื่นอยู่ กรุณารอสักครู่แล้วลองใหม่ หรือปิดโปรแกรมที่เปิดไฟล์นี้อยู่",
    "LOCKED": "ข้อมูลในไฟล์ถูกล็อกไว้ชั่วคราว กรุณาลองบันทึกอีกครั้ง",
    "READONLY": "ไฟล์หรือแฟลชไดรฟ์นี้เขียนไม่ได้ (อ่านได้อย่างเดียว) กรุณาบันทึกเป็นไฟล์ใหม่ในตำแหน่งที่เขียนได้",
    "IOERR": "อ่านหรือเขียนไฟล์ไม่สำเร็จ แฟลชไดรฟ์อาจถูกถอดออกหรือชำรุด กรุณาเสียบกลับแล้วบันทึกอีกครั้ง ข้อมูลที่แก้ไขยังอยู่ครบในเครื่อง",
    "CORRUPT": "ไฟล์นี้เสียหาย เปิดใช้งานไม่ได้ กรุณาใช้ไฟล์สำรอง (.bak) หรือกู้คืนจากสำเนาสำรองในเครื่อง",
    "NOTADB": "ไฟล์นี้ไม่ใช่ไฟล์ฐานข้อมูลของ ITA Desk หรือเสียหาย กรุณาตรวจสอบว่าเลือกไฟล์ถูกต้อง",
    "FULL": "พื้นที่ในดิสก์หรือแฟลชไดรฟ์เต็ม การบันทึกต้องมีที่ว่างเพิ่มอีกประมาณสองเท่าของขนาดไฟล์ (สำหรับสำเนาชั่วคราวและไฟล์สำรอง .bak) กรุณาลบไฟล์ที่ไม่ใช้หรือบันทึกไปยังตำแหน่งอื่น ข้อมูลที่แก้ไขยังอยู่ครบในเครื่อง",
    "CANTOPEN": "เปิดไฟล์ไม่ได้ ไฟล์อาจถูกย้าย ลบ หรือแฟลชไดรฟ์ถูกถอดออก กรุณาตรวจสอบตำแหน่งไฟล์",
    "NEWER": "ไฟล์นี้สร้างจาก ITA Desk รุ่นที่ใหม่กว่า กรุณาปรับปรุงโปรแกรมเป็นรุ่นล่าสุดก่อนเปิดไฟล์นี้ (ไฟล์ไม่ถูกแก้ไข)",
    "FOREIGN": "ไฟล์นี้เป็นฐานข้อมูลของโปรแกรมอื่น ไม่ใช่ไฟล์ของ ITA Desk จึงไม่เปิดเพื่อป้องกันความเสียหาย (ไฟล์ไม่ถูกแก้ไข)",
    "EMPTY": "ไฟล์นี้ว่างเปล่า (ขนาด 0 ไบต์) ไม่มีข้อมูลให้เปิด กรุณาเลือกไฟล์อื่นหรือสร้างไฟล์ใหม่",
    "CRAFTED": "ไฟล์นี้มีส่วนประกอบที่ ITA Desk ไม่ได้สร้าง (เช่น ทริกเกอร์หรือวิว) อาจไม่ปลอดภัย จึงไม่เปิดใช้งาน (ไฟล์ไม่ถูกแก้ไข)",
    "TOOBIG": "ไฟล์นี้มีข้อมูลบางช่องมีขนาดใหญ่ผิดปกติ อาจไม่ปลอดภัย จึงไม่เปิดใช้งาน (ไฟล์ไม่ถูกแก้ไข)",
    "INVALID": "ไฟล์นี้มีข้อมูลที่ ITA Desk ไม่ได้บันทึกไว้และอ่านไม่ได้ จึงไม่เปิดใช้งาน (ไฟล์ไม่ถูกแก้ไข):",
    "DUPLICATE": "จึงรวมไม่ได้ กรุณาเปิดไฟล์นั้นในโปรแกรมแล้วรวมหรือลบรายการที่ซ้ำให้เหลือรายการเดียวก่อน (ไฟล์ที่รับข้อมูลไม่ถูกแก้ไข)",
    "REFUSED": "บันทึกไม่ได้ เพราะค่าที่กรอกไม่ถูกต้องหรือยาวเกินไป (ข้อมูลเดิมไม่ถูกแก้ไข):",
    "NOTFOUND": "ไม่พบไฟล์ที่ระบุ กรุณาตรวจสอบชื่อและตำแหน่งไฟล์",
    # Document layer (open, save, lock, merge). {user}, {host} and {time} are filled in by LockedError.
    "INUSE": "ไฟล์นี้กำลังเปิดใช้งานอยู่โดย {user} ที่เครื่อง {host} ตั้งแต่ {time} เลือกเปิดแบบอ่านอย่างเดียว หรือเปิดต่อไปเฉพาะเมื่อแน่ใจว่าไม่มีใครแก้ไขอยู่",
    "INUSE_STALE": "ไฟล์นี้มีร่องรอยว่าเคยเปิดโดย {user} ที่เครื่อง {host} เมื่อ {time} และน่าจะปิดไปโดยไม่ได้ปลดล็อก ถ้าแน่ใจว่าไม่มีใครใช้อยู่ เลือกเปิดต่อไปได้",
    "CHANGED": "ไฟล์บนแฟลชไดรฟ์ถูกแก้ไขจากที่อื่นหลังจากที่เปิดไว้ จึงยังไม่บันทึกทับ เลือกรวมข้อมูลจากไฟล์นั้น บันทึกเป็นไฟล์ใหม่ หรือยกเลิก",
    "UNTITLED": "เอกสารนี้ยังไม่มีชื่อไฟล์ กรุณาเลือก \"บันทึกเป็น\" เพื่อกำหนดตำแหน่งไฟล์",
    "BACKUP": "สำเนาสำรองนี้เสียหายหรือไม่ใช่ไฟล์ของ ITA Desk จึงกู้คืนไม่ได้ กรุณาเลือกสำเนาอื่น",
    "CONFLICT_GONE": "ไม่พบรายการขัดแย้งนี้ หรือได้เลือกค่าไปแล้ว",
    "CONFLICT_PARENT": "นำรายการนี้กลับมาไม่ได้ เพราะผลการประเมินหรือหน่วยงานที่เป็นเจ้าของถูกลบไปแล้ว กรุณาเลือกค่าของรายการนั้นก่อน",
    "RECOVERY": "สำเนางานที่ยังไม่ได้บันทึกนี้ถูกเปิดอยู่ในโปรแกรมอีกหน้าต่างหนึ่ง หรือถูกลบไปแล้ว",
}

# What a merge says about a row both offices changed ({what} names the row, {source} the other file).
MERGE_MESSAGES = {
    "both_changed": "{what} ถูกแก้ไขทั้งในไฟล์นี้ ({mine}) และในไฟล์ {source} ({theirs}) ยังคงใช้ค่าของไฟล์นี้ และเก็บค่าของอีกไฟล์ไว้ให้เลือก",
    "deleted_here": "{what} ถูกลบในไฟล์นี้ แต่ถูกแก้ไขในไฟล์ {source} ({theirs}) ยังไม่นำกลับมา และเก็บค่าของอีกไฟล์ไว้ให้เลือก",
    "deleted_there": "{what} ถูกลบในไฟล์ {source} แต่ถูกแก้ไขในไฟล์นี้ ({mine}) ยังคงเก็บไว้ในไฟล์นี้ กรุณาตรวจสอบว่าควรลบหรือไม่",
    "organizations": "ข้อมูลหน่วยงาน {org}",
    "assessments": "ผลการประเมินของ {org} ปี {year}",
    "indicator_scores": "คะแนนตัวชี้วัดที่ {indicator} ของ {org} ปี {year}",
    "item_scores": "คะแนนข้อ {code}{part} ของ {org} ปี {year}",
    "recommendations": "ข้อเสนอแนะ {tool} ของ {org} ปี {year}",
    "analyses": "บทวิเคราะห์ตัวชี้วัดที่ {indicator} ของ {org} ปี {year}",
    "actions": "มาตรการ \"{measure}\" ในแผนของ {org} ปี {year}",
    "units": "หน่วยงานผู้รับผิดชอบ {name}",
    "published_figures": "ผลที่ ป.ป.ช. ประกาศ ({figure}) ของ {org} ปี {year}",
    "draft_bases": "คะแนนที่ใช้ร่างบทวิเคราะห์ตัวชี้วัดที่ {indicator} ของ {org} ปี {year}",
    "catalogs": "เกณฑ์การประเมินปี {fiscal_year}",
    "catalog_version": "แก้ไขเมื่อ {when} UTC",
    "part": " ส่วนที่ {part}",
    "deleted": "ลบแล้ว",
    "unknown_org": "หน่วยงานที่ไม่ทราบชื่อ",
    "duplicate_row": "ไฟล์ {source} มี{what} ซ้ำกันสองรายการ",
    "crossed_rows": "ไฟล์ {source} มี{what} สองรายการที่ตรงกับรายการเดียวกันในไฟล์นี้ (เช่น หน่วยงานถูกเปลี่ยนชื่อในไฟล์นั้นหลังการรวมครั้งก่อน แล้วเพิ่มหน่วยงานชื่อเดิมอีกครั้ง)",
    "crossed_advice": "จึงรวมโดยอัตโนมัติไม่ได้ กรุณาตรวจชื่อหน่วยงานในทั้งสองไฟล์ให้ตรงกันแล้วรวมใหม่ (ไฟล์ที่รับข้อมูลไม่ถูกแก้ไข)",
    "summary": "รวมข้อมูลจาก {source}: เพิ่ม {added} แก้ไขตาม {updated} ลบ {deleted} เหมือนเดิม {unchanged} ใช้ค่าของไฟล์นี้ {kept} ขัดแย้ง {conflicts} รายการ",
}

# One sentence for the banner of a document opened read-only, by reason.
READONLY_REASONS = {
    "chosen": "เปิดแบบอ่านอย่างเดียวตามที่เลือกไว้ แก้ไขไม่ได้ หากต้องการแก้ไขให้ \"บันทึกเป็น\" ไฟล์ใหม่",
    "media": "แฟลชไดรฟ์หรือโฟลเดอร์นี้เขียนไม่ได้ จึงเปิดแบบอ่านอย่างเดียว หากต้องการแก้ไขให้ \"บันทึกเป็น\" ไปยังตำแหน่งที่เขียนได้",
    "file": "ไฟล์นี้ถูกตั้งค่าเป็นอ่านอย่างเดียว จึงเปิดแบบอ่านอย่างเดียว หากต้องการแก้ไขให้ \"บันทึกเป็น\" ไฟล์ใหม่",
}


class DocumentError(Exception):
    """A failure the officer can understand and act on."""

    def __init__(self, kind: str, detail: str = "", path: str | None = None):
        self.kind = kind
        self.detail = detail
        self.path = path
        super().__init__(MESSAGES[kind])

    @property
    def message(self) -> str:
        return MESSAGES[self.kind]

    def __str__(self) -> str:
        return MESSAGES[self.kind]


_PRIMARY = {
    5: "BUSY",
    6: "LOCKED",
    8: "READONLY",
    10: "IOERR",
    11: "CORRUPT",
    13: "FULL",
    14: "CANTOPEN",
    18: "TOOBIG",
    26: "NOTADB",
}


def kind_of(exc: BaseException) -> str | None:
    """The known kind of an sqlite3 or OS error, or None when it is not a known one."""
    if isinstance(exc, DocumentError):
        return exc.kind
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if code is not None:
            return _PRIMARY.get(code & 0xFF)
        text = str(exc).lower()
        for needle, kind in (
            ("database is locked", "BUSY"),
            ("readonly", "READONLY"),
            ("disk i/o", "IOERR"),
            ("malformed", "CORRUPT"),
            ("not a database", "NOTADB"),
            ("database or disk is full", "FULL"),
            ("unable to open", "CANTOPEN"),
            ("string or blob too big", "TOOBIG"),
            ("could not decode", "CORRUPT"),
            ("malformed database schema", "CORRUPT"),
        ):
            if needle in text:
                return kind
        return None
    if isinstance(exc, OSError):
        if getattr(exc, "winerror", None) in (32, 33):  # sharing or lock violation: someone has it open
            return "BUSY"
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
            return "FULL"
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return "READONLY"
        if exc.errno == errno.ENOENT:
            return "NOTFOUND"
        if exc.errno in (errno.EIO, errno.ENXIO, errno.ENODEV):
            return "IOERR"
        return None
    return None


def translate(exc: BaseException, path: str | None = None) -> DocumentError:
    """A DocumentError for a known failure; re-raises anything else unchanged (it is a bug)."""
    kind = kind_of(exc)
    if kind is None:
        raise exc
    if isinstance(exc, DocumentError):
        return exc
    return DocumentError(kind, f"{type(exc).__name__}: {exc}", path)
