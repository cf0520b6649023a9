"""The Thai words and sentences a user reads, keyed by the stable codes the program stores.

Files and JSON keep codes ("rise", "in_progress"); only this module knows how they read in
Thai, so rewording a label is a one-line change here and never a file-format migration.
Sentences shared by several outputs (the window, the PDF, Word, Excel) live here too, so
they cannot drift apart. Pure Python: the core, the report and the window all import it.
"""

from __future__ import annotations

# --------------------------------------------------------------------------- stable codes

RISE, FALL, SAME = "rise", "fall", "same"
DIRECTION_LABELS = {RISE: "เพิ่มขึ้น", FALL: "ลดลง", SAME: "คงที่"}


def direction_label(code: str | None, empty: str = "-") -> str:
    """เพิ่มขึ้น / ลดลง / คงที่ for a change's direction code; ``empty`` when there is none."""
    return DIRECTION_LABELS.get(code, empty) if code else empty


# Level of a year's result where the file or JSON keeps one (the NACC's published level):
# a code. The pass scheme's levels (2566 on) read in Thai; the grades of 2563–2565 (AA … F)
# are their own codes. A level a catalog names that is not listed here is kept as named.
EXCELLENT, GOOD, PASS, FAIL = "excellent", "good", "pass", "fail"
LEVEL_LABELS = {EXCELLENT: "ผ่านดีเยี่ยม", GOOD: "ผ่านดี", PASS: "ผ่าน", FAIL: "ไม่ผ่าน"}
_LEVEL_CODES = {label: code for code, label in LEVEL_LABELS.items()}


def level_label(code: str) -> str:
    """The Thai name of a level code (a grade or an unlisted name is shown as it is)."""
    return LEVEL_LABELS.get(code, code)


def level_code(text: str) -> str:
    """The code of a level given as its code or its Thai name (files and JSON written before
    codes, and people, give the Thai name)."""
    text = " ".join(str(text).split())
    return _LEVEL_CODES.get(text, text)


# Status of a plan row, stored in the file (actions.status) and in JSON.
NOT_STARTED, IN_PROGRESS, DONE = "not_started", "in_progress", "done"
STATUS_LABELS = {NOT_STARTED: "ยังไม่เริ่ม", IN_PROGRESS: "กำลังดำเนินการ", DONE: "เสร็จสิ้น"}


def status_label(code: str) -> str:
    """The Thai word of a plan status code (an unknown code is shown as it is)."""
    return STATUS_LABELS.get(code, code)


# --------------------------------------------------------------------------- the rules' own sentences

# What itadesk/ita says to the officer: refused scores and periods, consistency warnings and
# notes on how a level was decided. The rules fill in the figures; the words are here.
CORE = {
    "score_not_number": "คะแนนต้องเป็นตัวเลข",
    "score_decimals": "คะแนนมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง",
    "score_empty": "กรุณากรอกคะแนน",
    "score_format": "คะแนนต้องเป็นตัวเลข 0–100 (เลขอารบิกหรือเลขไทย)",
    "score_range": "คะแนนต้องอยู่ระหว่าง 0 ถึง 100 (กรอก {value})",
    "period_reversed": "ระยะเวลาไม่ถูกต้อง: วันสิ้นสุด ({end}) อยู่ก่อนวันเริ่มต้น ({start})",
    "period_year": "ปี พ.ศ. {year} ไม่น่าจะถูกต้อง กรุณาตรวจสอบปีที่กรอก",
    "completion_before_start": "วันที่แล้วเสร็จ ({completed}) อยู่ก่อนวันเริ่มต้น ({start})",
    "period_far": "วันที่ {day} อยู่นอกช่วงปีงบประมาณที่สมเหตุสมผลของแผน (ปี {first}–{last})",
    "warn_indicator_range": "ตัวชี้วัดที่ {number} มีคะแนน {score} อยู่นอกช่วง 0–100",
    "warn_item_range": "ข้อ {code} มีคะแนน {score} อยู่นอกช่วง 0–100",
    "warn_missing": "ยังไม่ได้กรอกคะแนนตัวชี้วัดที่ {number} {name}",
    "warn_items_mismatch": "คะแนนข้อ {first}–{last} เฉลี่ยได้ {derived} แต่ตัวชี้วัดที่ {number} {name} ได้ {published} "
                           "คะแนน: ตรวจสอบว่ากรอกคะแนนรายข้อถูกตัวชี้วัดหรือไม่",
    "warn_period": "มาตรการ \"{measure}\" มีวันสิ้นสุดก่อนวันเริ่มต้น",
    "warn_duplicate_org": "ชื่อหน่วยงาน \"{name}\" และ \"{other}\" น่าจะเป็นหน่วยงานเดียวกัน "
                          "แต่บันทึกไว้เป็นสองรายการ: ควรรวมเป็นรายการเดียว",
    "level_by_stand_in": "ระดับ \"{level}\" คิดโดยใช้คะแนน {code} รวมแทนคะแนน {code} ส่วนที่ {parts} "
                         "ซึ่งยังกรอกรายข้อไม่ครบ เกณฑ์ปี {year} ใช้คะแนนแยกส่วน ควรกรอกให้ครบเพื่อยืนยันระดับ",
    "level_unconfirmed": "เกณฑ์ระดับ \"{level}\" ยังไม่ได้รับการยืนยัน",
    "and": " และ ",
}

# --------------------------------------------------------------------------- the summary (table 1)

SUMMARY = {
    "row_tool": "คะแนน {code}",
    "row_tool_detail": "ค่าเฉลี่ยของตัวชี้วัดที่ {numbers}",
    "row_part": "{code} ส่วนที่ {part}",
    "row_part_incomplete": "ต้องกรอกคะแนนส่วนนี้ของทุกข้อ {code} จึงจะคำนวณได้",
    "row_total": "คะแนนรวม (ITA)",
    "row_level": "ระดับผลการประเมิน",
    "unconfirmed_mark": "*",
    "weights": "คะแนนรวม = {weights}",
    "missing_all": "ยังไม่ได้กรอกคะแนนตัวชี้วัดของปีนี้",
    "missing_some": "ยังไม่ได้กรอกคะแนนตัวชี้วัดที่ {numbers}",
}

# --------------------------------------------------------------------------- the overall analysis

OVERALL = {
    "level": "{org} ได้รับผลการประเมินอยู่ในระดับ {level} ({total} คะแนน)",
    "vs_previous": {
        RISE: " เพิ่มขึ้นจากปีงบประมาณ พ.ศ. {py} ที่ได้รับผลการประเมินอยู่ในระดับ {plevel} ({ptotal} คะแนน) โดย",
        FALL: " ลดลงจากปีงบประมาณ พ.ศ. {py} ที่ได้รับผลการประเมินอยู่ในระดับ {plevel} ({ptotal} คะแนน) โดย",
        SAME: " ",
    },
    # The one sentence that says how the overall score changed: in points, and the percent apart.
    "change": {
        RISE: "คะแนนรวมเพิ่มขึ้น {points} คะแนน คิดเป็นการเพิ่มขึ้นร้อยละ {percent} เมื่อเทียบกับคะแนนรวมของปี พ.ศ. {py}",
        FALL: "คะแนนรวมลดลง {points} คะแนน คิดเป็นการลดลงร้อยละ {percent} เมื่อเทียบกับคะแนนรวมของปี พ.ศ. {py}",
        SAME: "คะแนนรวมเท่ากับปีงบประมาณ พ.ศ. {py} ที่ได้รับผลการประเมินอยู่ในระดับ {plevel} ({ptotal} คะแนน)",
    },
    "no_previous": " ไม่มีผลการประเมินของปีก่อนในไฟล์ให้เปรียบเทียบ",
    "incomplete": "ยังคำนวณคะแนนรวมของปีงบประมาณ พ.ศ. {year} ไม่ได้ เพราะยังไม่มีคะแนน{missing}",
    "missing_indicator": "ตัวชี้วัดที่ {number}",
    "missing_some": "บางตัวชี้วัด",
    "tools_low": "เครื่องมือที่ได้คะแนนต่ำกว่า {threshold} คะแนน ได้แก่ {items}",
    "tools_ok": "ทุกเครื่องมือ ({codes}) ได้คะแนนตั้งแต่ {threshold} คะแนนขึ้นไป",
    "indicators_low": "ตัวชี้วัดที่ได้คะแนนต่ำกว่า {threshold} คะแนน ได้แก่ {items}",
    "indicators_ok": "ทุกตัวชี้วัดได้คะแนนตั้งแต่ {threshold} คะแนนขึ้นไป",
    "items_full": "ข้อคำถามของแบบวัด {tool} ที่ไม่ได้คะแนนเต็ม ได้แก่ {items}",
    "items_low": "ข้อคำถามของแบบวัด {tool} ที่ได้คะแนนต่ำกว่า {threshold} คะแนน ได้แก่ {items}",
    "score_item": "{name} ({score} คะแนน)",
    "indicator_name": "ตัวชี้วัดที่ {number} {name}",
    "and": " และ ",
}

# --------------------------------------------------------------------------- the plan and signatures

PLAN = {
    "issue_label": "{number}. {name}",
    "other": "ประเด็นอื่น ๆ",
}

SIGNATURES = {"preparer": "ผู้จัดทำ", "approver": "ผู้อนุมัติ"}

# --------------------------------------------------------------------------- the plan followed up a year later

FOLLOW_UP = {
    "title": "ผลการดำเนินการตามแผน ปีงบประมาณ พ.ศ. {year}",
    "subtitle": "ตามแผนปฏิบัติการที่จัดทำจากผลการประเมิน ITA ปีงบประมาณ พ.ศ. {assessed}",
    "as_of": "ข้อมูล ณ วันที่ {day}",
    "counts": "มาตรการทั้งหมด {total} มาตรการ: {counts}",
    "count": "{label} {count}",
    "done_share": "ดำเนินการแล้วเสร็จร้อยละ {percent}",
    "no_progress": "ยังไม่ได้บันทึกผลการดำเนินการ",
    "no_evidence": "-",
    "empty": "ยังไม่มีมาตรการในแผนของปีนี้",
    # The sentence next year's analysis takes in (ita.drafting.outcome_summary).
    "outcome_intro": "ผลการดำเนินการตามแผนปีงบประมาณ พ.ศ. {year} ในประเด็นนี้:",
    "outcome_done": "ดำเนินการแล้วเสร็จ {count} มาตรการ ได้แก่ {items}",
    "outcome_in_progress": "อยู่ระหว่างดำเนินการ {count} มาตรการ ได้แก่ {items}",
    "outcome_not_started": "ยังไม่ได้ดำเนินการ {count} มาตรการ ได้แก่ {items}",
    "outcome_done_on": "{measure} (แล้วเสร็จ {day})",
}


def join_thai(items: list[str]) -> str:
    """"ก, ข และ ค": a Thai list with "และ" before the last item."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + OVERALL["and"] + items[-1]
