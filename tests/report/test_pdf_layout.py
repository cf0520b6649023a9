"""Layout of the printed report read back from the pages: footer, signatures, page fill, metadata.

The reference report and the long-text document come from ``conftest.report_documents``
(made by the real ``itadesk import`` and ``itadesk report``).
"""

from __future__ import annotations

import re
import shutil

import pytest

from .long_text import LONG_ORG

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def footers(pdf) -> list[tuple[bool, str]]:
    """(landscape, text) of the footer line of every page after the cover (PyMuPDF)."""
    import pymupdf

    out = []
    with pymupdf.open(str(pdf)) as doc:
        for page in list(doc)[1:]:
            h = page.rect.height
            lines = [" ".join(s["text"] for s in line["spans"]).strip()
                     for block in page.get_text("dict")["blocks"] for line in block.get("lines", [])
                     if line["bbox"][1] > h - 40]
            out.append((page.rect.width > h, " ".join(lines)))
    return out


def test_a_long_name_is_printed_short_in_the_portrait_footer(report_documents):
    """Portrait pages are 16 cm wide: the long name becomes "อบต.<place>", whole, no "…";
    landscape pages have room for the full name."""
    short = LONG_ORG.replace("องค์การบริหารส่วนตำบล", "อบต.")
    seen = footers(report_documents["long-text"]["pdf"])
    assert any(not landscape for landscape, _ in seen) and any(landscape for landscape, _ in seen)
    for landscape, text in seen:
        assert "…" not in text, text
        if landscape:
            assert text.endswith(LONG_ORG), text
        else:
            assert text.endswith("· " + short) and "ปีงบประมาณ พ.ศ. 2568" in text, text


def test_a_name_that_fits_is_printed_in_full(report_documents):
    for _, text in footers(report_documents["reference"]["pdf"]):
        assert text.endswith("ประจำปีงบประมาณ พ.ศ. 2568 · องค์การบริหารส่วนตำบลเชียงพิณ"), text


# --- metadata -----------------------------------------------------------------------------------

NS = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "dc": "http://purl.org/dc/elements/1.1/", "pdf": "http://ns.adobe.com/pdf/1.3/",
      "xmp": "http://ns.adobe.com/xap/1.0/"}


def xmp_fields(packet: str) -> dict[str, list[str] | str]:
    """The fields of an XMP packet, parsed as XML (a malformed packet fails here)."""
    import xml.etree.ElementTree as ET

    body = packet[packet.index("<x:xmpmeta"):packet.index("</x:xmpmeta>") + len("</x:xmpmeta>")]
    desc = ET.fromstring(body).find("rdf:RDF/rdf:Description", NS)
    out: dict[str, list[str] | str] = {}
    for child in desc:
        tag = child.tag.split("}")[1]
        prefix = next(k for k, v in NS.items() if child.tag.startswith("{" + v))
        items = child.findall(".//rdf:li", NS)
        out[f"{prefix}:{tag}"] = [li.text for li in items] if items else child.text
    return out


def test_xmp_packet_read_back_by_two_tools_agrees_with_the_info_dictionary(report_documents):
    """PyMuPDF (MuPDF) and poppler's pdfinfo both find the packet; it says what Info says,
    with the organization as creator, the language th-TH and the same creation time."""
    import subprocess
    from datetime import datetime

    import pymupdf

    pdf = report_documents["long-text"]["pdf"]
    with pymupdf.open(str(pdf)) as doc:
        info, mupdf_packet = doc.metadata, doc.get_xml_metadata()
    poppler_packet = subprocess.run(["pdfinfo", "-meta", str(pdf)], check=True, capture_output=True,
                                    text=True).stdout
    assert xmp_fields(mupdf_packet) == xmp_fields(poppler_packet)
    xmp = xmp_fields(mupdf_packet)
    assert xmp["dc:title"] == [info["title"]] * 2 and info["title"].startswith("การนำผลการประเมิน ITA")
    assert xmp["dc:creator"] == [LONG_ORG] == [info["author"]]
    assert xmp["dc:description"] == [info["subject"]] * 2 and "คุณธรรมและความโปร่งใส" in info["subject"]
    assert xmp["pdf:Keywords"] == info["keywords"] and LONG_ORG in xmp["dc:subject"]
    assert xmp["dc:language"] == ["th-TH"]
    assert xmp["xmp:CreatorTool"] == info["creator"].strip() and xmp["dc:format"] == "application/pdf"
    created = datetime.fromisoformat(xmp["xmp:CreateDate"])
    stamp = info["creationDate"]  # D:YYYYMMDDHHmmSS+HH'mm'
    assert created.strftime("%Y%m%d%H%M%S") == stamp[2:16]
    assert created.utcoffset().total_seconds() == (1 if stamp[16] == "+" else -1) * (
        int(stamp[17:19]) * 3600 + int(stamp[20:22]) * 60)
    assert b"/Lang (th-TH)" in pdf.read_bytes()


# --- the signatures -----------------------------------------------------------------------------

@pytest.mark.parametrize("document", ["reference", "long-text"])
def test_signatures_whole_on_a_portrait_page_after_the_plan_with_what_they_approve(report_documents, document):
    """Both signature blocks, each with its date line, on one portrait page that follows the
    landscape plan and also says what is approved: never a page of signatures alone."""
    import pymupdf

    with pymupdf.open(str(report_documents[document]["pdf"])) as doc:
        pages = [(page.rect.width > page.rect.height, page.get_text()) for page in doc]
    signed = [i for i, (_, text) in enumerate(pages) if "ลงชื่อ" in text]
    assert signed == [len(pages) - 1], signed  # one page, the last
    landscape, text = pages[-1]
    assert not landscape and pages[-2][0]  # portrait, right after a landscape plan page
    assert text.count("ลงชื่อ") == 2 and "ผู้จัดทำ" in text and "ผู้อนุมัติ" in text
    assert text.count("ตำแหน่ง") == 2 and len(re.findall(r"วันที่ \.+ เดือน \.+ พ\.ศ\. \.+", text)) == 2
    flat = re.sub(r"\s+", "", text)
    assert "การเสนอและอนุมัติรายงาน" in flat
    assert re.search(r"จัดทำแผนการดำเนินงาน\d+มาตรการใน\d+ประเด็น", flat)
    assert "ระยะเวลาดำเนินงาน1ตุลาคม2568–30กันยายน2569" in flat
    assert "จึงเสนอรายงานฉบับนี้ต่อผู้บริหารเพื่อพิจารณาอนุมัติ" in flat


# --- page breaks ------------------------------------------------------------------------------


def _part_headings() -> tuple[str, ...]:
    from itadesk.report.pdf import TEXT

    return tuple(re.sub(r"\s+", "", TEXT[k]).split("{")[0] for k in ("part1", "recommendations", "part2",
                                                                     "closing_heading"))


def underfilled_pages(pdf) -> list[str]:
    """Pages less than 60 % filled that are neither the last page of a section (the next page
    turns or starts a part) nor followed by a block whose start could not have fitted: a
    chart, or a table's header and first row, reaching further down the next page than the
    room left."""
    from itadesk.report.pdf_page import LANDSCAPE_MARGINS, PORTRAIT_MARGINS
    from .page_geometry import page_fill

    pages = page_fill(pdf, {False: (PORTRAIT_MARGINS.top, PORTRAIT_MARGINS.bottom),
                            True: (LANDSCAPE_MARGINS.top, LANDSCAPE_MARGINS.bottom)})
    heads = _part_headings()
    found = []
    for number, (page, after) in enumerate(zip(pages[1:-1], pages[2:]), start=2):
        if page["fill"] >= 0.6 or after["landscape"] != page["landscape"] or after["first"].startswith(heads):
            continue
        if after["start"] is not None and after["start"] > page["room"] - page["used"]:
            continue  # what the next page starts with could not start here
        found.append(f"page {number}: {page['fill']:.0%} filled, next begins {after['first'][:30]}")
    return found


@pytest.mark.parametrize("document", ["reference", "long-text"])
def test_no_page_is_left_mostly_empty(report_documents, document):
    assert underfilled_pages(report_documents[document]["pdf"]) == []


@pytest.fixture(scope="module")
def th_sarabun_reports(report_documents, tmp_path_factory):
    """The reference in a stand-in TH Sarabun New (Sarabun files under its name: text 1.5x
    larger on paper), with its full and with shortened analysis texts: other page breaks."""
    import copy
    from dataclasses import replace

    from itadesk.db.files import read_snapshot
    from itadesk.db.store import Store
    from itadesk.report.content import ReportOptions, build_report_data
    from itadesk.report.fonts import register_report_font, report_font
    from itadesk.report.pdf import build_pdf, render_charts
    tmp = tmp_path_factory.mktemp("th")
    fonts = tmp / "fonts"
    fonts.mkdir()
    src = report_font().paths
    shutil.copy(src["regular"], fonts / "THSarabunNew.ttf")
    shutil.copy(src["bold"], fonts / "THSarabunNew Bold.ttf")
    register_report_font("THSarabunNew", [fonts])
    db = report_documents["reference"]["pdf"].with_suffix(".db")
    with read_snapshot(db) as conn:
        store = Store(conn)
        org = store.find_organization("องค์การบริหารส่วนตำบลเชียงพิณ")
        data = build_report_data(store, org.uuid, 2568, ReportOptions(font="TH Sarabun New"))
    charts = render_charts(data, font_dirs=[fonts])
    out = {}
    for share in (1.0, 0.6, 0.0):
        current = copy.deepcopy(data.current)
        current.analysis = {k: v[: int(len(v) * share)] for k, v in data.current.analysis.items()}
        path = tmp / f"th-{int(share * 100)}.pdf"
        build_pdf(replace(data, current=current), path, charts=charts, font_dirs=[fonts])
        out[share] = path
    return out


@pytest.mark.parametrize("share", [1.0, 0.6, 0.0])
def test_no_page_is_left_mostly_empty_in_a_larger_font(th_sarabun_reports, share):
    """With a greedy break, the summary table jumped whole to page 3 (page 2 34 % filled) and
    an analysis label with its long first paragraph left a page half empty."""
    assert underfilled_pages(th_sarabun_reports[share]) == []


# the lines of an indicator's header: its bar (name, score) and the line under it
INDICATOR_HEADER = [re.compile(r"ตัวชี้วัดที่\d+[^\d.].*"), re.compile(r"[\d.]+คะแนน(\(.*\))?|ไม่มีคะแนน"),
                    re.compile(r"แบบวัด[A-Z]+·.*")]


def stranded_headings(pdf) -> list[str]:
    """Pages whose last line of text is a heading, a caption, a label or an indicator's
    header without its item scores (PyMuPDF)."""
    import pymupdf

    from itadesk.report.pdf import TEXT
    from itadesk.report.pdf_page import LANDSCAPE_MARGINS, PORTRAIT_MARGINS

    def pattern(template: str) -> re.Pattern:
        parts = re.split(r"(\{\w+\})", re.sub(r"\s+", "", template))
        return re.compile("".join("[A-Za-z]+" if p == "{code}" else "[^•]+?" if p.startswith("{")
                                  else re.escape(p) for p in parts))

    headings = [pattern(TEXT[k]) for k in (
        "summary_title", "table1", "overall_heading", "charts_title", "part1", "tool_heading",
        "analysis_label", "findings_full", "findings_low", "recommendations", "recommendation_tool",
        "part2", "closing_heading")]
    found = []
    with pymupdf.open(str(pdf)) as doc:
        for number, page in enumerate(doc, start=1):
            margins = LANDSCAPE_MARGINS if page.rect.width > page.rect.height else PORTRAIT_MARGINS
            lines = [(line["bbox"][3], "".join(s["text"] for s in line["spans"]))
                     for block in page.get_text("dict")["blocks"] for line in block.get("lines", [])
                     if line["bbox"][3] < page.rect.height - margins.bottom + 2]
            if not lines:
                continue
            lines.sort()
            last = re.sub(r"\s+", "", lines[-1][1])
            two = re.sub(r"\s+", "", "".join(text for _, text in lines[-2:]))  # a heading on two lines
            if any(h.fullmatch(last) or h.fullmatch(two) for h in headings):
                found.append(f"page {number} ends with {last[:40]}")
            elif any(h.fullmatch(last) for h in INDICATOR_HEADER):
                found.append(f"page {number} ends with an indicator's header: {last[:40]}")
    return found


@pytest.mark.parametrize("document", ["reference", "long-text"])
def test_no_heading_is_left_at_a_page_foot(report_documents, document):
    assert stranded_headings(report_documents[document]["pdf"]) == []


@pytest.mark.parametrize("share", [1.0, 0.6, 0.0])
def test_no_heading_is_left_at_a_page_foot_in_a_larger_font(th_sarabun_reports, share):
    assert stranded_headings(th_sarabun_reports[share]) == []


@pytest.mark.parametrize("rows_left, heading_page", [(6, 1), (2, 2)])
def test_a_heading_stays_where_its_tables_start_fits(tmp_path, rows_left, heading_page):
    """A heading before a long table stays at the page foot when the table's header and its
    first rows fit there (the table goes on with its header repeated), and moves with the
    table when they do not: the table's own split decides (repeatRows, NOSPLIT)."""
    import pymupdf
    from reportlab.platypus import Spacer, Table, TableStyle

    from itadesk.report.fonts import register_report_font
    from itadesk.report.pdf_page import PORTRAIT, PORTRAIT_MARGINS, PageDecoration, ReportDocTemplate
    from itadesk.report.thai_text import ThaiParagraph, paragraph_style

    font = register_report_font()
    heading = ThaiParagraph("ตารางทดสอบ", paragraph_style("h", 12, font=font, bold=True, keepWithNext=1))
    row_h = 20
    table = Table([["หัวตาราง"]] + [[f"แถว {i}"] for i in range(1, 41)], rowHeights=row_h, repeatRows=1)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("NOSPLIT", (0, 0), (-1, 3))]))
    frame = PORTRAIT[1] - PORTRAIT_MARGINS.top - PORTRAIT_MARGINS.bottom
    _, head_h = heading.wrap(400, 1000)
    # the room left under the spacer: the heading, the table's header and ``rows_left`` rows
    room = head_h + row_h * (1 + rows_left) + 2
    deco = PageDecoration(font_name=font, font_size=8, footer="", page_number=str)
    path = tmp_path / "flow.pdf"
    doc = ReportDocTemplate(str(path), deco)
    doc.build([Spacer(1, frame - room), heading, table])
    with pymupdf.open(str(path)) as pdf:
        pages = [page.get_text() for page in pdf]
    assert [i for i, text in enumerate(pages, start=1) if "ตารางทดสอบ" in text] == [heading_page]
    assert "แถว 1\n" in pages[heading_page - 1] and all("หัวตาราง" in text for text in pages[heading_page - 1:])


def test_running_text_leaves_no_single_line_at_a_page_foot_or_head():
    """BodyParagraph: with room for one line it moves whole; with room for all but one line
    it gives the next page two; every line is kept once, in order."""
    from itadesk.report.fonts import register_report_font
    from itadesk.report.pdf_flow import BodyParagraph
    from itadesk.report.thai_text import paragraph_style

    style = paragraph_style("body", 11, font=register_report_font())
    text = "หน่วยงานมีการเผยแพร่ข้อมูลต่อสาธารณะผ่านเว็บไซต์หลักของหน่วยงาน " * 8
    para = BodyParagraph(text, style)
    _, height = para.wrap(300, 1e6)
    lines = round(height / style.leading)
    assert lines >= 5
    assert para.split(300, style.leading * 1.5) == []  # one line would be an orphan
    head, tail = para.split(300, style.leading * (lines - 1))  # one line would be a widow
    assert round(head.wrap(300, 1e6)[1] / style.leading) == lines - 2
    assert round(tail.wrap(300, 1e6)[1] / style.leading) == 2
    assert (head.text + " " + tail.text).split() == text.split()
    head, tail = para.split(300, style.leading * 3)
    assert round(head.wrap(300, 1e6)[1] / style.leading) == 3 and isinstance(tail, BodyParagraph)


def test_a_plan_cell_piece_ends_where_a_phrase_ends_if_one_line_allows():
    """take_lines cuts a cell into pieces of four lines, or three where the third line ends a
    phrase the officer typed (here: the end of the first of two lines of input)."""
    from itadesk.report.fonts import register_report_font
    from itadesk.report.pdf_flow import clean_cut, phrase_end
    from itadesk.report.pdf_tables import take_lines
    from itadesk.report.thai_text import ThaiParagraph, paragraph_style

    style = paragraph_style("td", 10, font=register_report_font())
    width = 200
    first = next(t for n in range(2, 40) if len(ThaiParagraph(t := "ประชาสัมพันธ์" * n, style)._layout(width)) == 3)
    second = "จัดทำคู่มือการปฏิบัติงาน" * 12  # several lines, no space anywhere
    para = ThaiParagraph(first + "\n" + second, style)
    assert len(para._layout(width)) >= 6
    assert phrase_end(para, width, 3) and not phrase_end(para, width, 4) and not phrase_end(para, width, 2)
    assert clean_cut(para, width, 4, 3) == 3 and clean_cut(para, width, 5, 4) == 5
    cells = [para]
    piece = take_lines(cells, width, 4 * style.leading)
    assert len(piece) == 1 and piece[0].text == first  # three lines, not four
    assert cells[0].text == second


def test_a_trial_split_leaves_the_grouped_table_as_it_was():
    """pdf_flow asks a table whether it can start by splitting it; the parts share rows and
    cell styles with it, so GroupedTable writes its "(ต่อ)" label and its padding into copies."""
    from itadesk.report.fonts import register_report_font
    from itadesk.report.pdf_tables import GroupedTable, group_label
    from itadesk.report.thai_text import ThaiParagraph, paragraph_style

    style = paragraph_style("td", 10, font=register_report_font())
    rows = [[ThaiParagraph("ประเด็น", style), ThaiParagraph("มาตรการ", style)]]
    rows += [[group_label("1. การปฏิบัติหน้าที่", style, "1. การปฏิบัติหน้าที่") if i == 0 else [],
              [ThaiParagraph(f"มาตรการที่ {i}", style)]] for i in range(12)]
    table = GroupedTable(rows, colWidths=[150, 250], repeatRows=1)
    table.continued_style = style
    table.wrap(400, 1000)
    before = [list(row) for row in table._cellvalues], [[(cs.topPadding, cs.bottomPadding) for cs in row]
                                                          for row in table._cellStyles]
    parts = table.split(400, 120)
    assert len(parts) == 2 and "(ต่อ)" in parts[1]._cellvalues[1][0][0].text
    after = [list(row) for row in table._cellvalues], [[(cs.topPadding, cs.bottomPadding) for cs in row]
                                                         for row in table._cellStyles]
    assert after == before
