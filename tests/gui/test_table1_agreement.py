"""Table 1 in the window and in the PDF: the same rows with the same figures, in the same order.

Both render the one report model (itadesk.report.model); this reads what each one shows, the
window through its Qt model and the PDF through poppler, and compares them cell by cell.
Before the report model the PDF left out the EIT part rows of 2568, on which the level
depends, while the window showed them.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import _open_reference  # tests/gui/conftest.py
from itadesk.report.content import build_report_data
from itadesk.report.pdf import build_pdf
from itadesk.ui.score_models import AssessmentSource, SummaryModel

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def window_rows(context) -> list[tuple[str, list[str]]]:
    """(label, [previous, current, change, direction]) of every row the window's table 1 shows."""
    model = SummaryModel(AssessmentSource(context))
    out = []
    for r, row in enumerate(model.rows):
        label = model.index(r, 2 if row.kind == "indicator" else 0).data()
        values = [model.index(r, c).data() for c in (model.PREV, model.CUR, model.CHANGE, model.DIRECTION)]
        out.append((label, [v or "-" for v in values]))  # the window leaves the level's change blank
    return out


def pdf_rows(pdf: Path) -> list[tuple[str, list[str]]]:
    """The rows of table 1 on the PDF's summary page, top to bottom, read back with poppler."""
    bbox = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-bbox", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    words = [(float(x0), float(y0), html.unescape(t)) for x0, y0, t in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(.*?)</word>', bbox)]
    head = next(w for w in words if w[2] == "ทิศทาง")
    end = next(w for w in words if w[2].startswith("หมายเหตุ") and w[1] > head[1])
    names_x = next(w for w in words if w[2] == "ชื่อตัวชี้วัด")[0] - 20
    scores_x = next(w for w in words if w[2].startswith("ปี ") and w[1] > head[1] - 30)[0] - 20
    lines: dict[int, list] = {}
    for x, y, text in words:
        if head[1] + 5 < y < end[1] - 2:
            lines.setdefault(round(y), []).append((x, text))
    out = []
    for _y, cells in sorted(lines.items()):
        cells.sort()
        label = [t for x, t in cells if x < scores_x and (x >= names_x or not re.fullmatch(r"\w{3}|\d+", t))]
        if not label:  # the tool code of a merged cell sits alone on a line of its own
            continue
        out.append((" ".join(label), [t for x, t in cells if x >= scores_x]))
    return out


def complete_parts(reference_json: Path, tmp_path: Path) -> Path:
    """The reference data with the EIT items the published report left out (e1–e3), so the
    2568 EIT part scores, and with them the level, can be computed."""
    data = json.loads(reference_json.read_text(encoding="utf-8"))
    data[1]["items"].update({f"e{n}": {"1": 98.5, "2": 100} for n in (1, 2, 3)})
    path = tmp_path / "complete.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("parts", ["as published", "complete"])
def test_window_and_pdf_show_the_same_table_1(tmp_path, reference_json, qtbot, parts):
    source = reference_json if parts == "as published" else complete_parts(reference_json, tmp_path)
    opened_gen = _open_reference(tmp_path, source, scores_only=False)
    opened = next(opened_gen)
    try:
        shown = window_rows(opened.context)
        data = build_report_data(opened.document, opened.org_uuid, 2568)
        pdf = tmp_path / "report.pdf"
        build_pdf(data, pdf, charts=[])
    finally:
        next(opened_gen, None)
    printed = pdf_rows(pdf)
    assert printed == shown
    labels = [label for label, _ in shown]
    assert labels[10:] == ["คะแนน IIT", "คะแนน EIT", "EIT ส่วนที่ 1", "EIT ส่วนที่ 2", "คะแนน OIT",
                           "คะแนนรวม (ITA)", "ระดับผลการประเมิน"]
    rows = dict(printed)
    assert rows["คะแนนรวม (ITA)"] == ["95.16", "90.42", "−4.74", "ลดลง"]
    if parts == "complete":
        assert rows["EIT ส่วนที่ 1"][1] == "99.24"  # (98.50 + 99.61 + 99.61) / 3: indicators 6-8
        assert rows["EIT ส่วนที่ 2"][1] == "100.00"
    else:
        assert rows["EIT ส่วนที่ 1"] == ["-", "-", "-", "-"]
