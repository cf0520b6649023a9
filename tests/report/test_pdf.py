"""The printed report: built from the reference data by the real CLI, checked with poppler.

The reference report (อบต.เชียงพิณ, 2567 and 2568) is imported into a fresh .db with
``itadesk import`` and printed with ``itadesk report``, as an officer or a script would.
"""

from __future__ import annotations

import copy
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, TableStyle

from itadesk.db.files import read_snapshot
from itadesk.db.store import Store
from itadesk.ita.catalog import load_catalog
from itadesk.ita.model import Action
from itadesk.report.content import ReportOptions, build_report_data
from itadesk.report.fonts import register_report_font, report_font
from itadesk.report.pdf import (BuildCancelled, PdfError, build_pdf, plan_column_widths, render_charts,
                                resolve_font)
from itadesk.report.pdf_page import (FOOTER_RULE, LANDSCAPE_MARGINS, PAGE_NUMBER_FROM_TOP,
                                     PORTRAIT_MARGINS)
from itadesk.report.pdf_tables import GroupedTable, continuation_rows, group_label
from itadesk.report.thai_text import ThaiParagraph, paragraph_style

ORG = "องค์การบริหารส่วนตำบลเชียงพิณ"
FIXTURE = Path(__file__).parents[1] / "fixtures" / "chiangphin.json"
REFERENCE = json.loads(FIXTURE.read_text(encoding="utf-8"))
PLAN = REFERENCE[1]["actions"]

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def itadesk(*args, env_dir: Path, check: int | None = 0) -> subprocess.CompletedProcess:
    env = dict(os.environ, ITADESK_DATA_DIR=str(env_dir))
    proc = subprocess.run([sys.executable, "-m", "itadesk", *map(str, args)], capture_output=True,
                          text=True, env=env)
    if check is not None:
        assert proc.returncode == check, proc.stderr
    return proc


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The reference .db and its report, Arabic and Thai digits, made by the real commands."""
    tmp = tmp_path_factory.mktemp("report")
    db = tmp / "ita.db"
    itadesk("import", db, FIXTURE, env_dir=tmp)
    before = sha(db)
    pdf, thai = tmp / "report.pdf", tmp / "report-thai.pdf"
    out = itadesk("report", db, "--org", "อบต.เชียงพิณ", "--year", "2568", "-o", pdf, env_dir=tmp)
    itadesk("report", db, "--org", ORG, "--year", "2568", "-o", thai, "--thai-digits", env_dir=tmp)
    return {"db": db, "pdf": pdf, "thai": thai, "stdout": out.stdout, "db_sha": before, "tmp": tmp}


@pytest.fixture(scope="module")
def text(built) -> str:
    return run("pdftotext", str(built["pdf"]), "-")


@pytest.fixture(scope="module")
def pages(built) -> list[dict]:
    return parse_bbox(built["pdf"])


def parse_bbox(pdf: Path) -> list[dict]:
    """Every page's size and its words (ThaiParagraph lines come out as one word each)."""
    out = []
    for page in re.findall(r"<page (.*?)</page>", run("pdftotext", "-bbox", str(pdf), "-"), re.S):
        width, height = map(float, re.findall(r'(?:width|height)="([\d.]+)"', page)[:2])
        words = [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page)]
        out.append({"width": width, "height": height, "words": words})
    return out


def load(db: Path, year: int = 2568, **options):
    with read_snapshot(db) as conn:
        store = Store(conn)
        org = store.find_organization(ORG)
        return build_report_data(store, org.uuid, year, ReportOptions(**options))


# --- the file ---------------------------------------------------------------------------------

def test_cli_prints_one_line_and_never_writes_the_db(built):
    assert built["stdout"].splitlines()[0].startswith(f"สร้างรายงาน {ORG} ปี 2568")
    assert "3 รายการ" in built["stdout"]  # the three inconsistencies of the reference data
    assert sha(built["db"]) == built["db_sha"]
    assert not list(built["tmp"].glob("*.tmp")) and not list(built["tmp"].glob(".itadesk-*"))


def test_fonts_are_embedded_subsets_and_nothing_else_is_used(built):
    for pdf in (built["pdf"], built["thai"]):
        rows = [line.split() for line in run("pdffonts", str(pdf)).splitlines()[2:]]
        names = {r[0].split("+")[-1] for r in rows}
        assert {"Sarabun-Regular", "Sarabun-Bold"} <= names
        for r in rows:
            assert re.fullmatch(r"[A-Z]{6}\+Sarabun-\w+", r[0]), r  # no Helvetica, nothing unembedded
            assert r[-5:-2] == ["yes", "yes", "yes"], r  # emb, sub, uni


def test_page_count_sizes_and_metadata(built, pages):
    assert 8 <= len(pages) <= 30
    sizes = [(round(p["width"]), round(p["height"])) for p in pages]
    assert sizes[0] == (595, 842)  # A4 portrait cover
    landscape = [i for i, s in enumerate(sizes) if s == (842, 595)]
    # the plan on landscape pages, then one portrait page with the signatures
    assert landscape and landscape == list(range(landscape[0], len(pages) - 1))
    assert sizes[-1] == (595, 842)
    assert set(sizes) == {(595, 842), (842, 595)}
    info = dict(line.split(":", 1) for line in run("pdfinfo", str(built["pdf"])).splitlines() if ":" in line)
    info = {k: v.strip() for k, v in info.items()}
    assert info["Title"] == "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร ประจำปีงบประมาณ พ.ศ. 2568"
    assert info["Author"] == ORG and info["Subject"].startswith("การประเมินคุณธรรมและความโปร่งใส")
    assert info["Keywords"].startswith("ITA,") and ORG in info["Keywords"] and "2568" in info["Keywords"]
    assert info["CreationDate"]
    assert b"/Lang (th-TH)" in built["pdf"].read_bytes()


def test_page_numbers_from_page_two_official_style(pages):
    assert not any(re.fullmatch(r"- \d+ -", w[4]) for w in pages[0]["words"])
    for number, page in enumerate(pages[1:], start=2):
        assert any(w[4] == f"- {number} -" for w in page["words"]), number


# --- what it says ---------------------------------------------------------------------------

def test_the_names_and_codes_are_all_there(text):
    f = flat(text)
    for needle in (ORG, "อำเภอเมืองอุดรธานี จังหวัดอุดรธานี", "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร",
                   "ประจำปีงบประมาณ พ.ศ. 2568", "o5", "o12", "o23", "แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน"):
        assert flat(needle) in f, needle
    for ind in load_catalog(2568).indicators:
        assert flat(ind.name) in f, ind.name
    for tool in load_catalog(2568).tools:
        assert flat(f"{tool.name_en}: {tool.code}") in f  # the assessors' recommendations, per tool
    # the reference report's slips cannot appear
    for wrong in ("อุตรดิตถ์", "กลางใหญ่", "ETT", "ร้อยละ -4.74", "ร้อยละ 4.74", "1 ตุลาคม 2569 – 30 กันยายน 2569"):
        assert wrong not in text, wrong
    assert not re.search("[\u25a1\ufffd\uffff\ue000-\uf8ff]", text)  # no boxes, no private-use glyph codes


def test_overall_change_in_points_and_percent_labelled_apart(text):
    f = flat(text)
    assert flat("ระดับ ผ่าน (90.42 คะแนน)") in f and flat("ระดับ ผ่านดี (95.16 คะแนน)") in f
    assert flat("คะแนนรวมลดลง 4.74 คะแนน คิดเป็นการลดลงร้อยละ 4.98") in f
    assert flat("ผลต่าง (คะแนน)") in f


def test_summary_rows_pair_each_indicator_with_its_own_scores(pages):
    """The reference report paired scores with the wrong names; here each row is read back."""
    words = pages[1]["words"]
    expected = {
        "การปฏิบัติหน้าที่": ["100.00", "100.00", "0.00", "คงที่"],
        "การใช้งบประมาณ": ["93.33", "100.00", "+6.67", "เพิ่มขึ้น"],
        "การใช้ทรัพย์สินของราชการ": ["97.78", "91.18", "−6.60", "ลดลง"],
        "การเปิดเผยข้อมูล": ["79.29", "80.00", "+0.71", "เพิ่มขึ้น"],
        "การป้องกันการทุจริต": ["100.00", "75.00", "−25.00", "ลดลง"],
        "คะแนน OIT": ["89.65", "77.50", "−12.15", "ลดลง"],
        "คะแนนรวม (ITA)": ["95.16", "90.42", "−4.74", "ลดลง"],
        "ระดับผลการประเมิน": ["ผ่านดี", "ผ่าน", "-", "ลดลง"],
    }
    for name, values in expected.items():
        label = next(w for w in words if w[4] == name)
        row = sorted((w for w in words if abs(w[1] - label[1]) < 3 and w[0] > label[0]), key=lambda w: w[0])
        assert [w[4] for w in row] == values, name


def test_every_plan_measure_and_step_is_printed_in_its_column(pages):
    """Read the landscape pages column by column (pdftotext's reading order mixes table
    columns), drop the repeated header, and find every measure and every step line whole."""
    left = LANDSCAPE_MARGINS.left
    edges = [left]
    for w in plan_column_widths():
        edges.append(edges[-1] + w)
    columns = ["", "", "", "", ""]
    for page in pages:
        if page["width"] < page["height"]:
            continue
        top = min(w[1] for w in page["words"] if w[4] == "ขั้นตอน/วิธีปฏิบัติ") - 12  # the header row
        bottom = min([w[1] for w in page["words"] if w[4].startswith("ลงชื่อ")]
                     + [page["height"] - FOOTER_RULE])  # signatures or footer
        for x0, y0, x1, y1, word in sorted(page["words"], key=lambda w: (round(w[1]), w[0])):
            if not top <= y0 < bottom:
                continue
            col = next((i for i in range(5) if edges[i] - 0.5 <= x0 < edges[i + 1]), None)
            if col is not None:
                assert x1 <= edges[col + 1] + 0.5, word  # never runs into the next column
                columns[col] += word
    measures = flat(columns[1]).replace("มาตรการ/โครงการ/กิจกรรม", "")
    steps = flat(columns[3]).replace("ขั้นตอน/วิธีปฏิบัติ", "")
    owners = flat(columns[2])
    for action in PLAN:
        assert flat(action["measure"]) in measures, action["measure"][:40]
        for line in action["steps"].split("\n"):
            assert flat(line) in steps, line[:40]
        assert flat(action["owner"]) in owners
    assert columns[4].count("1 ตุลาคม 2568 –") == len(PLAN) and columns[4].count("30 กันยายน 2569") == len(PLAN)
    assert "(ต่อ)" in columns[0]  # a page that starts inside a group names the group


def test_no_word_outside_the_margins(pages):
    for number, page in enumerate(pages, start=1):
        w, h = page["width"], page["height"]
        m = LANDSCAPE_MARGINS if w > h else PORTRAIT_MARGINS
        for x0, y0, x1, y1, word in page["words"]:
            assert x0 >= m.left - 0.5 and x1 <= w - m.right + 0.5, (number, word)
            in_body = y0 >= m.top - 0.5 and y1 <= h - m.bottom + 0.5
            page_number = y1 <= PAGE_NUMBER_FROM_TOP + 6 and re.fullmatch(r"- \d+ -", word)
            footer = y0 >= h - FOOTER_RULE
            assert in_body or page_number or footer, (number, word, y0, y1)


def test_thai_digits_everywhere_except_latin_codes(built):
    text = run("pdftotext", str(built["thai"]), "-")
    assert "๙๐.๔๒" in text and "๙๕.๑๖" in text and "−๔.๗๔" in text
    assert "ร้อยละ ๔.๙๘" in text and "- ๒ -" in text and "๑ ตุลาคม ๒๕๖๘" in text
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๘" in text and "o5" in text and "o23" in text
    stray = re.findall(r"(?<![A-Za-z0-9])[0-9]+", text)
    assert stray == [], stray[:10]


def test_consistency_warnings_are_printed_in_a_note(text):
    assert "หมายเหตุ: ข้อมูลที่ไม่สอดคล้องกัน" in text
    f = flat(text)
    assert flat("คะแนนข้อ i4–i6 เฉลี่ยได้ 97.02 แต่ตัวชี้วัดที่ 2 การใช้งบประมาณ ได้ 100.00 คะแนน") in f


def test_signature_block_has_dotted_lines_when_names_are_missing(text):
    assert re.search(r"ลงชื่อ \.{20,} ผู้จัดทำ", text) and re.search(r"ลงชื่อ \.{20,} ผู้อนุมัติ", text)
    assert re.search(r"\(\.{20,}\)", text) and re.search(r"ตำแหน่ง \.{20,}", text)
    assert len(re.findall(r"วันที่ \.{5,} เดือน \.{10,} พ\.ศ\. \.{5,}", text)) == 2  # a date line under each


def test_render_every_page(built, tmp_path):
    """Every page renders; nothing is blank (the renders are what a human looks at)."""
    run("pdftoppm", "-r", "40", "-png", str(built["pdf"]), str(tmp_path / "p"))
    files = sorted(tmp_path.glob("p-*.png"))
    assert len(files) == len(parse_bbox(built["pdf"]))
    assert all(f.stat().st_size > 3_000 for f in files)


# --- building from data directly ------------------------------------------------------------

@pytest.fixture
def data(built):
    return load(built["db"])


def test_names_positions_and_no_previous_year(data, tmp_path):
    org = data.organization
    org.preparer_name, org.preparer_position = "นางสาวสมใจ ใจดี", "นักวิเคราะห์นโยบายและแผน"
    org.approver_name, org.approver_position = "นายสมชาย รักษ์ถิ่น", "นายกองค์การบริหารส่วนตำบลเชียงพิณ"
    data = replace(data, previous=None, previous_evaluation=None, history=[data.current],
                   comparison=replace(data.comparison, previous=None,
                                      indicators={n: replace(c, previous=None) for n, c in data.comparison.indicators.items()},
                                      tools={k: replace(c, previous=None) for k, c in data.comparison.tools.items()},
                                      overall=replace(data.comparison.overall, previous=None)))
    out = build_pdf(data, tmp_path / "single.pdf", charts=[])
    text = run("pdftotext", str(out.path), "-")
    for needle in ("(นางสาวสมใจ ใจดี)", "ตำแหน่ง นักวิเคราะห์นโยบายและแผน", "(นายสมชาย รักษ์ถิ่น)",
                   "ไม่มีผลการประเมินของปีก่อนในไฟล์ให้เปรียบเทียบ", "ปีก่อน"):
        assert needle in text, needle
    assert "95.16" not in text


def test_a_step_list_taller_than_a_page_prints_completely(data, tmp_path):
    steps = "\n".join(f"{i}. ขั้นตอนที่ {i} ผู้รับผิดชอบต้องป้องกันการทุจริตและจัดทำรายงานผลการดำเนินงาน"
                      f"ต่อผู้บริหารท้องถิ่นทุกเดือน พร้อมเผยแพร่บนเว็บไซต์หลักของหน่วยงาน" for i in range(1, 121))
    current = copy.deepcopy(data.current)
    current.actions = [Action(indicator=9, measure="มาตรการทดสอบที่มีขั้นตอนยาวมาก", owner="สำนักปลัด",
                              steps=steps, start=date(2025, 10, 1), end=date(2026, 9, 30))]
    out = build_pdf(replace(data, current=current), tmp_path / "long.pdf", charts=[])
    pages = parse_bbox(out.path)
    plan = [p for p in pages if p["width"] > p["height"]]
    assert len(plan) >= 5  # 120 long steps do not fit one page: the row went on over pages
    test_no_word_outside_the_margins(pages)
    lines = "".join(w[4] for p in plan for w in sorted(p["words"], key=lambda w: (round(w[1]), w[0])))
    for i in range(1, 121):
        assert f"{i}. ขั้นตอนที่ {i} " in lines, i
    assert lines.count("(ต่อ)") == len(plan) - 1  # every new page names the group again


def test_no_warnings_no_note_and_an_empty_plan(data, tmp_path):
    current = copy.deepcopy(data.current)
    current.actions = []
    out = build_pdf(replace(data, current=current, warnings=[]), tmp_path / "clean.pdf", charts=[])
    text = run("pdftotext", str(out.path), "-")
    assert "ข้อมูลที่ไม่สอดคล้องกัน" not in text
    assert "ยังไม่ได้บันทึกมาตรการในแผนการดำเนินงาน" in text
    closing = flat(text[text.index("การเสนอและอนุมัติรายงาน"):])  # says so, and promises no follow-up
    assert "และยังไม่ได้บันทึกมาตรการในแผนการดำเนินงานจึงเสนอรายงาน" in closing and "ติดตามผล" not in closing


def test_an_assessment_without_scores_still_prints(built, tmp_path):
    with read_snapshot(built["db"]) as conn:
        store = Store(conn)
        org = store.find_organization(ORG)
        data = build_report_data(store, org.uuid, 2568)
    empty = copy.deepcopy(data.current)
    empty.indicators, empty.items, empty.analysis, empty.recommendations = {}, {}, {}, {}
    from itadesk.ita.comparison import compare
    from itadesk.ita.scoring import evaluate
    data = replace(data, current=empty, evaluation=evaluate(empty), comparison=compare(empty, data.previous),
                   findings=[], history=[data.previous, empty])
    out = build_pdf(data, tmp_path / "empty.pdf")
    text = run("pdftotext", str(out.path), "-")
    assert "ยังคำนวณคะแนนรวมของปีงบประมาณ พ.ศ. 2568 ไม่ได้" in text
    assert "ยังไม่ได้บันทึกผลการวิเคราะห์ของตัวชี้วัดนี้" in text
    assert "สร้างแผนภูมินี้ไม่ได้" not in text


def test_charts_are_vector_drawings_in_the_pdf(data, tmp_path):
    charts = render_charts(data)
    assert len(charts) == 4 and all(c.drawing and not c.png and not c.error for c in charts)
    build_pdf(data, tmp_path / "r.pdf", charts=charts)
    listed = subprocess.run(["pdfimages", "-list", str(tmp_path / "r.pdf")], capture_output=True, text=True,
                            check=True).stdout.splitlines()
    assert len(listed) == 2, listed  # the header lines only: no picture in the report


def test_charts_for_word_are_sharp_png(data):
    charts = render_charts(data, raster=True)
    assert len(charts) == 4 and all(c.png and not c.error for c in charts)
    for chart in charts:
        width_px = int.from_bytes(chart.png[16:20], "big")
        assert width_px / (chart.width_cm / 2.54) >= 200  # dots per inch as placed on the page


def test_progress_and_cancel_leave_no_file(data, tmp_path):
    seen = []
    build_pdf(data, tmp_path / "ok.pdf", progress=lambda f, m: seen.append((f, m)))
    assert seen[-1][0] == 1.0 and all(0 <= f <= 1 for f, _ in seen)
    assert [f for f, _ in seen] == sorted(f for f, _ in seen)

    def cancel(fraction, message):
        if fraction >= 0.5:
            raise BuildCancelled()

    with pytest.raises(BuildCancelled):
        build_pdf(data, tmp_path / "cancelled.pdf", progress=cancel)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.pdf"]


def test_a_cancel_after_the_file_is_saved_is_too_late_not_a_lie(data, tmp_path):
    def cancel_at_the_end(fraction, message):
        if fraction >= 1.0:
            raise BuildCancelled()

    result = build_pdf(data, tmp_path / "late.pdf", progress=cancel_at_the_end, charts=[])
    assert result.path == tmp_path / "late.pdf" and result.path.stat().st_size > 0


def test_unwritable_target_is_a_thai_message(data, tmp_path):
    (tmp_path / "folder.pdf").mkdir()
    with pytest.raises(PdfError, match="บันทึกไฟล์ folder.pdf ไม่ได้"):
        build_pdf(data, tmp_path / "folder.pdf", charts=[])
    with pytest.raises(PdfError, match="ไม่พบโฟลเดอร์"):
        build_pdf(data, tmp_path / "missing" / "x.pdf", charts=[])
    assert [p.name for p in tmp_path.iterdir()] == ["folder.pdf"]


def test_th_sarabun_option_uses_the_same_layout_rules(data, tmp_path):
    """Stand-in TH Sarabun New (Sarabun files under its name, so 1.5x as large on paper):
    the layout still fits every word inside the margins and the name resolves either way."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    src = report_font().paths
    shutil.copy(src["regular"], fonts / "THSarabunNew.ttf")
    shutil.copy(src["bold"], fonts / "THSarabunNew Bold.ttf")
    assert resolve_font("TH Sarabun New", [fonts]).name == "THSarabunNew"
    assert resolve_font("thsarabunnew", [fonts]).display_name == "TH Sarabun New"
    with pytest.raises(PdfError, match="ไม่พบแบบอักษร"):
        resolve_font("TH SarabunIT๙", [fonts])
    register_report_font("THSarabunNew", [fonts])
    out = build_pdf(replace(data, options=ReportOptions(font="TH Sarabun New")), tmp_path / "th.pdf",
                    charts=[], font_dirs=[fonts])
    pages = parse_bbox(out.path)
    assert len(pages) > 20
    test_no_word_outside_the_margins(pages)


# --- the table pieces -----------------------------------------------------------------------

def test_continuation_rows_keep_every_line_once_in_order():
    st = paragraph_style("t", 10)
    text = "ผู้รับผิดชอบการปฏิบัติหน้าที่ต้องป้องกันการทุจริตและประพฤติมิชอบ ที่นี่เราใช้งบประมาณ " * 12
    cells = [[ThaiParagraph("สั้น", st)], [ThaiParagraph(text, st), ThaiParagraph(text[:80], st)], []]
    width = 150

    def lines(flowables):
        out = []
        for f in flowables:
            f.wrap(width, 1e9)
            out += [f.text[a:b] for a, b in f._spans]
        return out

    whole = [lines(copy.deepcopy(c)) for c in cells]
    rows = continuation_rows(cells, [width] * 3, 4 * st.leading)
    assert len(rows) > 3
    for col in range(3):
        assert [ln for row in rows for ln in lines(row[col])] == whole[col]
    for row in rows:
        assert max(sum(f.wrap(width, 1e9)[1] for f in c) for c in row) <= 4 * st.leading + 1e-6


def test_grouped_table_names_the_group_on_a_new_page(tmp_path):
    st = paragraph_style("t", 12)
    rows = [[ThaiParagraph("ประเด็น", st), ThaiParagraph("รายละเอียด", st)]]
    for group in ("ก. การปฏิบัติหน้าที่", "ข. การใช้งบประมาณ"):
        for i in range(30):
            rows.append([group_label(group, st, group) if i == 0 else [], [ThaiParagraph(f"แถว {i}", st)]])
    table = GroupedTable(rows, colWidths=[200, 200], repeatRows=1)
    table.continued_style = st
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    pdf = tmp_path / "grouped.pdf"
    SimpleDocTemplate(str(pdf), topMargin=20 * mm, bottomMargin=20 * mm).build([table])
    pages = [run("pdftotext", "-f", str(p), "-l", str(p), str(pdf), "-") for p in range(1, 4)]
    assert "ก. การปฏิบัติหน้าที่ (ต่อ)" in pages[1]
    assert all(page.count("ประเด็น") == 1 for page in pages)


@pytest.mark.parametrize("which", ["pdf", "thai"])
def test_table_words_are_never_cut_across_lines(built, which):
    """Narrow columns wrap between words only: "เครื่องมื|อ" must never happen, with Thai
    digits (wider) either."""
    text = run("pdftotext", str(built[which]), "-")
    words = ["เครื่องมือ", "ตัวชี้วัด", "การเปลี่ยนแปลง", "ทิศทาง", "ผลต่าง", "ผู้รับผิดชอบ", "ประเด็น",
             "ระยะเวลา", "ดำเนินงาน", "ตุลาคม", "กันยายน", "สำนักปลัด", "กองคลัง", "คะแนน", "ผ่านดี",
             "100.00", "๑๐๐.๐๐", "เพิ่มขึ้น"]
    for word in words:
        for k in range(1, len(word)):
            assert not re.search(re.escape(word[:k]) + r"\n" + re.escape(word[k:]), text), (word, k)


def test_bookmarks_lead_to_every_part_and_indicator(built):
    xml = run("pdftohtml", "-xml", "-i", "-stdout", str(built["pdf"]))
    items = re.findall(r'<item page="(\d+)">(.*?)</item>', xml)
    titles = [html.unescape(t) for _, t in items]
    for needle in ("สรุปผลการประเมิน", "ส่วนที่ 1 การวิเคราะห์ผลการประเมินรายตัวชี้วัด",
                   "ข้อเสนอแนะจากผู้ตรวจประเมิน", "ส่วนที่ 2 การนำผลการวิเคราะห์แต่ละประเด็นไปสู่การปฏิบัติ"):
        assert needle in titles
    for ind in load_catalog(2568).indicators:
        assert f"ตัวชี้วัดที่ {ind.number} {ind.name}" in titles
    pages = [int(p) for p, _ in items]
    assert pages == sorted(pages)


@pytest.mark.parametrize("size", [7.0, 7.5, 8.0, 8.5, 9.0, 9.5, 10.0, 11.0, 12.0])
def test_a_long_footer_is_shortened_between_words(size, monkeypatch):
    """A footer too wide for the page ends in "…" after a whole word: never a consonant
    without its tone mark or upper vowel, never a dangling leading vowel."""
    from reportlab.pdfgen.canvas import Canvas

    from itadesk.ita.thai_words import is_mark, thai_words
    from itadesk.report import pdf_page

    font = register_report_font()
    footer = "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร · " + "ที่นี่น้ำใจผู้ใช้เจ้าหน้าที่ป้องกันซึ่งที่นี่" * 4  # ends in a tone mark
    drawn: list[str] = []
    monkeypatch.setattr(pdf_page, "draw_line", lambda canv, x, y, text, align="left": drawn.append(text))
    canv = Canvas(os.devnull, pagesize=pdf_page.PORTRAIT)
    deco = pdf_page.PageDecoration(font_name=font, font_size=size, footer=footer, page_number=str)
    deco.page(canv, None)
    shown = drawn[-1]
    assert shown.endswith("…") and footer.startswith(shown[:-1])
    kept = shown[:-1]
    assert not is_mark(footer[len(kept)]), shown
    boundaries = {sum(map(len, thai_words(footer)[:i])) for i in range(len(thai_words(footer)) + 1)}
    assert len(kept) in boundaries or len(kept.rstrip()) in boundaries, shown


def test_level_direction_uses_the_comparison_words(data):
    """เพิ่มขึ้น / ลดลง / คงที่, as for every score in the table (levels.compare_levels)."""
    from itadesk.report.model import LEVEL, build_summary
    from itadesk.report.pdf import TEXT

    def level_row(current, previous):
        return next(r for r in build_summary(current, previous, data.catalog).table.rows if r.kind == LEVEL)

    before, now = replace(data.previous, fiscal_year=2568), data.current
    assert level_row(now, data.previous).direction_label == "ลดลง"
    assert level_row(before, replace(now, fiscal_year=2567)).direction_label == "เพิ่มขึ้น"
    assert level_row(now, replace(now, fiscal_year=2567)).direction_label == "คงที่"
    assert level_row(now, None).direction is None and level_row(now, None).direction_label == "-"
    assert not {"สูงขึ้น", "คงเดิม"} & set(TEXT.values())


def test_tool_and_total_shading_use_the_published_value(data):
    """84.995 prints as 85.00 and is not below 85 (numbers.is_below), like every finding."""
    from itadesk.report.model import OVERALL, TOOL, build_summary

    def low(value):
        a = replace(data.current, indicators={n: value for n in data.catalog.indicator_numbers})
        rows = build_summary(a, None, data.catalog).table.rows
        return {r.kind: r.low for r in rows if r.kind in (TOOL, OVERALL)}

    assert low(84.995) == {TOOL: False, OVERALL: False}
    assert low(84.994) == {TOOL: True, OVERALL: True}


LAKSAMAN = Path("/usr/share/fonts/truetype/tlwg/Laksaman.ttf")  # TLWG's TH Sarabun New


@pytest.mark.skipif(not LAKSAMAN.is_file(), reason="fonts-tlwg-laksaman not installed")
def test_charts_are_drawn_in_the_report_font(data, tmp_path, monkeypatch):
    """A report in "TH Sarabun New" (Laksaman installed under that name) gets charts in it too."""
    from matplotlib import font_manager
    from matplotlib.text import Text

    from itadesk.report import charts

    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(LAKSAMAN, fonts / "THSarabunNew.ttf")
    from itadesk.report import chart_recorder

    figures = []
    record = chart_recorder.record
    monkeypatch.setattr(chart_recorder, "record", lambda fig: figures.append(fig) or record(fig))
    images = render_charts(replace(data, options=ReportOptions(font="TH Sarabun New")), font_dirs=[fonts])
    assert len(images) == len(figures) == 4 and all(i.drawing and not i.error for i in images)
    for fig in figures:
        for text in fig.findobj(Text):
            if text.get_visible() and text.get_text():
                path = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
                assert Path(path).name in ("Laksaman.ttf", "THSarabunNew.ttf"), (text.get_text(), path)
    figures.clear()
    render_charts(data)  # the default report font: Sarabun
    assert all(Path(font_manager.findfont(t.get_fontproperties())).name.startswith("Sarabun")
               for fig in figures for t in fig.findobj(Text) if t.get_visible() and t.get_text())


@pytest.mark.parametrize("room_mm", [8, 12, 16, 22, 28])
def test_warnings_box_title_is_never_left_alone_at_a_page_foot(data, tmp_path, room_mm):
    """The box may run over pages between warnings, but its title, intro and first warning
    stay together (it was split after the title when a page had just room for it)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Spacer

    from itadesk.report.pdf import TEXT, ReportBuilder

    register_report_font()
    builder = ReportBuilder(data, resolve_font(None), [])
    pdf = tmp_path / "box.pdf"
    doc = SimpleDocTemplate(str(pdf), pagesize=A4, topMargin=20 * mm, bottomMargin=20 * mm)
    doc.build([Spacer(1, A4[1] - 40 * mm - room_mm * mm - 1), builder.warnings_box()])
    pages = [run("pdftotext", "-f", str(p), "-l", str(p), str(pdf), "-") for p in (1, 2)]
    on = next(i for i, page in enumerate(pages) if TEXT["warnings_title"] in page)
    assert flat(data.warnings[0].message)[:30] in flat(pages[on]), room_mm


def test_a_2569_report_says_whose_rules_and_names_the_items(tmp_path):
    """2569 has no catalog of its own: the report says it used 2568's rules, and items that
    lost points are named ("o6 (ยังไม่ระบุชื่อข้อ)", never a bare "o6")."""
    entry = copy.deepcopy(REFERENCE[1])
    entry["fiscal_year"] = 2569
    entry["actions"] = []
    source = tmp_path / "2569.json"
    source.write_text(json.dumps([REFERENCE[1], entry], ensure_ascii=False), encoding="utf-8")
    db, pdf = tmp_path / "ita.db", tmp_path / "2569.pdf"
    itadesk("import", db, source, env_dir=tmp_path)
    itadesk("report", db, "--org", ORG, "--year", "2569", "-o", pdf, env_dir=tmp_path)
    text = flat(run("pdftotext", str(pdf), "-"))
    assert flat("ปี 2569 ใช้เกณฑ์ของปี 2568 เพราะยังไม่มีเกณฑ์การประเมินของปี 2569") in text
    assert flat("o6 (ยังไม่ระบุชื่อข้อ)") in text
    assert flat("o5 แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน") in text
    assert not re.search(r"o6\(\d", text)  # no bare "o6 (50)" left


def test_a_chart_is_drawn_once_per_content(data, tmp_path, monkeypatch):
    """The second export of the same figures takes its charts from the cache, without
    Matplotlib; a changed score draws that chart afresh; an unreadable entry is redrawn."""
    from itadesk.report import chart_cache, chart_recorder

    recorded = []
    record = chart_recorder.record
    monkeypatch.setattr(chart_recorder, "record", lambda fig: recorded.append(fig) or record(fig))
    first = render_charts(data)
    assert len(recorded) == 4
    again = render_charts(data)
    assert len(recorded) == 4 and [c.drawing for c in again] == [c.drawing for c in first]
    changed = copy.deepcopy(data)
    changed.current.indicators[1] = 55.0
    redrawn = render_charts(changed)
    assert 4 < len(recorded) < 8  # the charts of this year's assessment, not the tools' (same evaluation)
    assert redrawn[0].drawing != first[0].drawing and redrawn[1].drawing == first[1].drawing
    for entry in chart_cache.folder().glob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    count = len(recorded)
    assert [c.drawing for c in render_charts(data)] == [c.drawing for c in first]
    assert len(recorded) == count + 4
