"""The report as Word: built from the report model, checked as LibreOffice renders it (PDF text
and fonts), and its styles, fonts, sections and fields read back from the .docx itself."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document

from itadesk.interchange.json_format import read_file
from tests.test_cli import run

ORG = "องค์การบริหารส่วนตำบลเชียงพิณ"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def reference_docx(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docx")
    db = folder / "ita.db"
    fixture = Path(__file__).parents[1] / "fixtures" / "chiangphin.json"
    run("import", db, fixture, check=0)
    out = folder / "รายงาน ITA.docx"
    proc = run("report", db, "--org", "อบต.เชียงพิณ", "--year", 2568, "-o", out, check=0)
    assert "Word" in proc.stdout
    return out


@pytest.fixture(scope="module")
def converted(reference_docx):
    """The .docx as LibreOffice lays it out: the PDF and its text."""
    if SOFFICE is None:
        pytest.fail("LibreOffice (soffice) is needed: apt-get install libreoffice-writer-nogui (.ci/run does)")
    folder = reference_docx.parent
    profile = folder / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(reference_docx)], check=True, capture_output=True, timeout=240)
    pdf = reference_docx.with_suffix(".pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return pdf, text


def _squash(text: str) -> str:
    return "".join(text.split())


def _letters(text: str) -> str:
    """Text without spaces and Thai marks: LibreOffice's PDF puts stray spaces around marks."""
    import unicodedata

    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Mn")


def test_libreoffice_shows_everything_the_report_must_say(converted):
    from itadesk.ita.catalog import load_catalog

    pdf, text = converted
    flat = _squash(text)
    assert _squash(ORG) in flat
    for ind in load_catalog(2568).indicators:
        assert _squash(ind.name) in flat, ind.name
    for code in ("o5", "o12", "o23"):
        assert code in text
    _org, a = read_file(Path(__file__).parents[1] / "fixtures" / "chiangphin.json")[1]
    for action in a.actions:
        # a measure's cell wraps and pdftotext reads table rows across the columns, so each
        # measure is found by its first and its last words
        measure, letters = _letters(action.measure), _letters(text)
        assert measure[:15] in letters and measure[-8:] in letters, action.measure[:40]
    assert "90.42" in text and "95.16" in text and "ผ่าน" in text and "4.74" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "Laksaman" in fonts or "Sarabun" in fonts  # fontconfig's stand-in for TH Sarabun New


def test_pages_render_and_part_two_is_landscape(converted, tmp_path):
    pdf, _text = converted
    info = subprocess.run(["pdfinfo", "-l", "100", str(pdf)], capture_output=True, text=True).stdout
    sizes = [line.split("size:")[1].split("pts")[0].split(" x ") for line in info.splitlines() if "size:" in line
             and line.startswith("Page")]
    sizes = [(float(w), float(h)) for w, h in sizes]
    assert sizes[0][0] < sizes[0][1]  # portrait A4 first
    assert sizes[-1][0] > sizes[-1][1]  # part 2 on landscape pages
    assert abs(sizes[0][0] - 595.3) < 2 and abs(sizes[0][1] - 841.9) < 2
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "3", str(pdf), str(tmp_path / "p")], check=True)
    assert len(list(tmp_path.glob("p-*.png"))) == 3


def test_styles_fonts_margins_header_row_and_page_field(reference_docx):
    doc = Document(reference_docx)
    normal = doc.styles["Normal"]
    assert normal.font.name == "TH Sarabun New" and normal.font.size.pt == 16
    rfonts = normal.element.rPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rFonts")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert {rfonts.get(w + a) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {"TH Sarabun New"}
    assert normal.element.rPr.find(w + "szCs").get(w + "val") == "32"
    assert normal.element.rPr.find(w + "lang").get(w + "bidi") == "th-TH"
    for name in ("Heading 1", "Heading 2", "Heading 3", "Table Text", "Table Grid", "Caption"):
        assert name in [s.name for s in doc.styles]
    first, last = doc.sections[0], doc.sections[-1]
    assert round(first.left_margin.cm, 1) == 3.0 and round(first.right_margin.cm, 1) == 2.0
    assert last.page_width > last.page_height
    plan = doc.tables[-2]  # the plan table, then the signature block
    assert plan.rows[0]._tr.trPr.find(w + "tblHeader") is not None
    assert "มาตรการ" in plan.rows[0].cells[1].text
    with zipfile.ZipFile(reference_docx) as zf:
        footers = "".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("word/footer"))
        images = [n for n in zf.namelist() if n.startswith("word/media/")]
    assert "PAGE" in footers
    assert len(images) == 4  # the four charts, as images
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "ผู้จัดทำ" in "\n".join(c.text for c in doc.tables[-1]._cells)
    assert "ส่วนที่ 1" in body and "ส่วนที่ 2" in body


def test_run_properties_keep_the_schema_order_word_requires(reference_docx):
    import re

    from itadesk.report.docx_report import _RPR_ORDER

    with zipfile.ZipFile(reference_docx) as zf:
        xml = zf.read("word/styles.xml").decode("utf-8") + zf.read("word/document.xml").decode("utf-8")
    checked = 0
    for rpr in re.findall(r"<w:rPr>(.*?)</w:rPr>", xml, flags=re.S):
        tags = [t for t in re.findall(r"<w:(\w+)", rpr) if t in _RPR_ORDER]
        positions = [_RPR_ORDER.index(t) for t in tags]
        assert positions == sorted(positions), tags
        checked += 1
    assert checked > 20


def test_recommendations_of_tools_without_any_are_left_out(reference_docx, tmp_path):
    """A tool without assessors' recommendations has no heading; none at all, no section (as
    in the PDF). Before, a missing one raised KeyError: the sentence it printed was gone."""
    import copy
    from dataclasses import replace

    from itadesk.db.files import read_snapshot
    from itadesk.db.store import Store
    from itadesk.report.content import build_report_data
    from itadesk.report.docx_report import build_docx

    with read_snapshot(reference_docx.parent / "ita.db") as conn:
        store = Store(conn)
        data = build_report_data(store, store.find_organization(ORG).uuid, 2568)
    texts = {}
    for name, kept in (("some", {"IIT"}), ("none", set())):
        current = copy.deepcopy(data.current)
        current.recommendations = {k: v for k, v in current.recommendations.items() if k in kept}
        out = build_docx(replace(data, current=current), tmp_path / f"{name}.docx", charts=[]).path
        texts[name] = "\n".join(p.text for p in Document(out).paragraphs)
    assert "ข้อเสนอแนะจากผู้ตรวจประเมิน" in texts["some"]
    headings = [line for line in texts["some"].splitlines() if line.startswith("ข้อเสนอแนะสำหรับการประเมินตาม")]
    assert len(headings) == 1 and headings[0].endswith(": IIT)"), headings
    assert "ข้อเสนอแนะจากผู้ตรวจประเมิน" not in texts["none"]


def test_each_signature_has_a_date_line(reference_docx):
    signatures = Document(reference_docx).tables[-1]
    texts = [cell.text for row in signatures.rows for cell in row.cells]
    assert sum(t.startswith("ลงชื่อ") for t in texts) == 2
    assert sum(t.startswith("วันที่ ....") and "เดือน ...." in t and "พ.ศ. ...." in t for t in texts) == 2
