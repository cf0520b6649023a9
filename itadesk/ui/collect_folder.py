"""ไฟล์ → รวมไฟล์จากหลายหน่วยงาน…: every office file and filled template of a folder, merged in one step.

The merging runs in a worker (:func:`itadesk.ui.busy.run_busy`); the summary says in Thai what
came from which file, names the files that could not be read (the others are merged all the
same) and lists the conflicts, which the conflicts dialog then offers to settle.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from itadesk.interchange.collect import CollectReport, collect_folder
from itadesk.ui import dialogs
from itadesk.ui import settings as prefs
from itadesk.ui.busy import run_busy
from itadesk.ui.pdf_export import default_folder

TITLE = "รวมไฟล์จากหลายหน่วยงาน"
SHOWN_CONFLICTS = 12


def summary_texts(report: CollectReport) -> tuple[str, str]:
    """The dialog's sentence and its details (per file, then the conflicts)."""
    if not report.results:
        return "ไม่พบไฟล์ข้อมูล (.db) หรือแบบฟอร์ม Excel (.xlsx) ในโฟลเดอร์นี้", ""
    lines = report.summary_lines()
    head, details = lines[0], lines[1:]
    conflicts = report.conflicts
    if conflicts:
        details.append("")
        details.append(f"ข้อมูลที่ขัดแย้ง {len(conflicts)} รายการ (ยังใช้ค่าของไฟล์นี้ เลือกได้ที่ ไฟล์ → ข้อมูลขัดแย้งจากการรวมไฟล์…):")
        details += [f"• {c.description}" for c in conflicts[:SHOWN_CONFLICTS]]
        if len(conflicts) > SHOWN_CONFLICTS:
            details.append(f"… และอีก {len(conflicts) - SHOWN_CONFLICTS} รายการ")
    if report.merged:
        details += ["", "การรวมข้อมูลยังไม่ถูกบันทึกลงไฟล์ กด บันทึก เพื่อเก็บไว้"]
    return head, "\n".join(details)


def collect_into_document(parent: QWidget, context, folder: Path | None = None) -> CollectReport | None:
    """Ask for a folder (unless given), merge it into the open document, say what happened."""
    doc = context.document
    if doc is None or doc.readonly:
        return None
    if folder is None:
        start = default_folder(context, prefs.OFFICE_FOLDER)
        chosen = QFileDialog.getExistingDirectory(parent, "เลือกโฟลเดอร์ที่มีไฟล์ของหน่วยงานต่าง ๆ", str(start))
        if not chosen:
            return None
        folder = Path(chosen)
    report = run_busy(parent, "กำลังรวมไฟล์จากหลายหน่วยงาน…",
                      lambda: collect_folder(folder, doc.merge_from, exclude=doc.target))
    if report.merged:
        context.changed_outside_undo()
    text, details = summary_texts(report)
    dialogs.show_info(parent, TITLE, text, details)
    return report
