"""Thai text in ReportLab: segmentation, line breaking, and a real PDF checked with poppler."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from itadesk.report.fonts import (DEFAULT_FONT, available_report_fonts, register_report_font,
                                  report_font)
from itadesk.report.thai_text import (COMBINING, LEADING_VOWELS, ThaiParagraph, break_lines, cell,
                                      clusters, draw_shaped, is_mark, line_spans, paragraph_style,
                                      text_width, thai_words)

FONT = register_report_font()
SIZE = 14

# Words a line break must never cut (when the word fits on a line at all).
MUST_NOT_SPLIT = [
    "ผู้รับผิดชอบ", "ปฏิบัติ", "หน้าที่", "ป้องกัน", "ทุจริต", "ประสิทธิภาพ", "สำนักปลัด", "ที่นี่",
    "น้ำ", "งบประมาณ", "การประเมิน", "คุณธรรม", "โปร่งใส", "องค์การบริหารส่วนตำบล",
    "เจ้าหน้าที่", "ข้อมูล", "สาธารณะ", "เปิดเผย", "ประพฤติมิชอบ", "ผลประโยชน์", "ทับซ้อน",
    "ตัวชี้วัด", "ข้อร้องเรียน", "กองคลัง", "กองช่าง", "ร้อยละ", "ไม่", "ได้", "ซึ่ง", "เพื่อ",
    "90.42", "ITA", "e-Service", "12/05/2567", "๒๕๖๗",
]
TONE_WORDS = ["ที่", "นี้", "ผู้", "ป้อง", "น้ำ", "ซึ่ง"]
SENTENCE = ("ผู้รับผิดชอบการปฏิบัติหน้าที่ต้องป้องกันการทุจริตและประพฤติมิชอบ ที่นี่เราใช้งบประมาณอย่างมี"
            "ประสิทธิภาพ สำนักปลัดองค์การบริหารส่วนตำบลได้จัดทำแผนปฏิบัติการป้องกันการทุจริต "
            "น้ำประปาหมู่บ้านได้รับการปรับปรุงแล้ว ผลคะแนน ITA ปีงบประมาณ ๒๕๖๗ ได้ 90.42 คะแนน "
            "ซึ่งผ่านเกณฑ์ ข้อมูลนี้เปิดเผยต่อสาธารณะ")
TABLE_TEXTS = ["การเปิดเผยข้อมูลสาธารณะเพื่อป้องกันการทุจริต", "ที่นี่น้ำใสป้องกันผลประโยชน์ทับซ้อน",
               "การปฏิบัติหน้าที่อย่างมีประสิทธิภาพตามตัวชี้วัด",
               "การจัดการข้อร้องเรียนซึ่งผู้รับผิดชอบดำเนินการ นี้เป็น e-Service วันที่ 12/05/2567"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


# --- segmentation ---------------------------------------------------------------------------

def test_thai_words_keeps_every_character_and_the_listed_words():
    text = "ผลคะแนน ITA ปี 2567 ได้ 90.42 คะแนน (ระดับ A) ผ่าน e-Service\nวันที่ 12/05/2567 สำนักปลัด"
    words = thai_words(text)
    assert "".join(words) == text
    for word in ("ITA", "90.42", "e-Service", "12/05/2567", "สำนักปลัด", "\n", "(ระดับ", "A)"):
        assert word in words, (word, words)


def test_thai_words_glue_repetition_mark_and_punctuation():
    words = thai_words("ไปๆมาๆ ฯลฯ คำว่า(ทุจริต)")
    assert "".join(words) == "ไปๆมาๆ ฯลฯ คำว่า(ทุจริต)"
    assert not any(w.startswith(("ๆ", ")")) for w in words)
    assert "(ทุจริต)" in words


def _random_thai(rng: random.Random, n: int) -> str:
    consonants = "กขคงจฉชซญฎฏฐณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ"
    uppers = ["", "ิ", "ี", "ึ", "ื", "ั", "ุ", "ู"]
    tones = ["", "", "่", "้", "๊", "๋", "็", "์"]
    out = []
    for _ in range(n):
        syll = rng.choice(["", "", "เ", "แ", "โ", "ไ"]) + rng.choice(consonants)
        syll += rng.choice(uppers) + rng.choice(tones) + rng.choice(["", "", "า", "ำ", "ะ", "น"])
        out.append(syll + (" " if rng.random() < 0.1 else ""))
    return "".join(out)


def test_no_piece_or_line_starts_with_a_mark_even_for_nonsense():
    rng = random.Random(20240501)
    for _ in range(40):
        text = _random_thai(rng, 60)
        words = thai_words(text)
        assert "".join(words) == text
        assert not any(is_mark(w[0]) for w in words), words
        for width in (25, 60, 140):
            for line in break_lines(text, FONT, SIZE, width):
                assert not line or not is_mark(line[0]), (width, line)
                assert not line or line[-1] not in LEADING_VOWELS, (width, line)


def test_clusters_keep_marks_and_leading_vowels():
    assert clusters("ผู้ใช้น้ำ") == ["ผู้", "ใช้", "น้ำ"]
    assert clusters("เป็น") == ["เป็", "น"]
    assert all(not is_mark(c[0]) for c in clusters("ที่นี่ประสิทธิภาพ"))
    assert COMBINING >= {"\u0E31", "\u0E33", "\u0E48", "\u0E4C", "\u0E38"}


# --- line breaking --------------------------------------------------------------------------

def _cut_words(text: str, occurrences: list[tuple[int, int, str]], starts: list[int], width: float):
    """Occurrences (fitting on a line) that a line start falls strictly inside."""
    return [(w, s) for a, b, w in occurrences for s in starts
            if a < s < b and text_width(w, FONT, SIZE) <= width]


def _build(words: list[str], sep: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Join words with sep; a space between two non-Thai words, or they would be one word."""
    text, occ = "", []
    for w in words:
        if text and not text[-1].isspace() and not _thai(text[-1]) and not _thai(w[0]):
            text += " "
        occ.append((len(text), len(text) + len(w), w))
        text += w + sep
    return text, occ


def _thai(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e4f"


@pytest.mark.parametrize("sep", ["", " "])
def test_breaker_never_cuts_a_listed_word(sep):
    rng = random.Random(7)
    words = MUST_NOT_SPLIT * 3
    rng.shuffle(words)
    text, occ = _build(words, sep)
    for width in range(40, 420, 9):
        spans = line_spans(text, FONT, SIZE, width)
        assert _cut_words(text, occ, [a for a, _ in spans], width) == [], width
        for a, b in spans:
            line = text[a:b]
            assert line and not is_mark(line[0]), (width, line)
            assert text_width(line, FONT, SIZE) <= width + 1e-6 or len(clusters(line)) == 1


def test_the_cut_word_check_can_fail():
    """A character-by-character breaker (what Paragraph does with Thai) is caught."""
    text, occ = _build(MUST_NOT_SPLIT, "")
    starts = list(range(0, len(text), 7))
    assert _cut_words(text, occ, starts, 400)


def test_break_lines_honours_newlines_and_drops_spaces_at_wraps():
    assert break_lines("ก\n\nข", FONT, SIZE, 200) == ["ก", "", "ข"]
    assert break_lines("  ย่อหน้า", FONT, SIZE, 200) == ["  ย่อหน้า"]
    lines = break_lines("ทดสอบ ทดสอบ ทดสอบ ทดสอบ", FONT, SIZE, 60)
    assert len(lines) > 1 and all(line == line.strip() for line in lines)


def test_overlong_word_is_cut_at_cluster_boundaries_only():
    word = "ประสิทธิภาพ"
    lines = break_lines(word, FONT, SIZE, 20)
    assert "".join(lines) == word and len(lines) > 1
    assert all(line and not is_mark(line[0]) for line in lines)


def test_width_is_the_shaped_width():
    """Kerning: the shaped width is what ReportLab draws, and may differ from stringWidth."""
    assert text_width("AVATAR", FONT, SIZE) < pdfmetrics.stringWidth("AVATAR", FONT, SIZE)
    assert text_width("ที่นี่", FONT, SIZE) > 0


# --- the flowable ---------------------------------------------------------------------------

def _lines(p: ThaiParagraph) -> list[str]:
    return [p.text[a:b] for a, b in p._spans]


def test_paragraph_survives_any_number_of_wraps():
    style = paragraph_style("t", 12)
    p = ThaiParagraph(SENTENCE, style)
    first = {w: (p.wrap(w, 1000), _lines(p)) for w in (80, 150, 300, 460)}
    for _ in range(3):
        for w in (460, 80, 300, 150):
            assert (p.wrap(w, 1000), _lines(p)) == first[w]
    for (_, height), lines in first.values():
        assert "".join(lines).replace(" ", "") == SENTENCE.replace(" ", "")
        assert height == len(lines) * style.leading
        assert not any("\ufffd" in line or "\uffff" in line for line in lines)


def test_split_keeps_every_line():
    style = paragraph_style("t", 14, firstLineIndent=30)
    p = ThaiParagraph(SENTENCE * 3, style)
    _, height = p.wrap(200, 10_000)
    head, tail = p.split(200, height / 2)
    head.wrap(200, 10_000)
    tail.wrap(200, 10_000)
    assert _lines(head) + _lines(tail) == _lines(p)
    assert tail._first_indent() == 0 and head._first_indent() == 30
    assert p.split(200, style.leading / 2) == []


def test_invisible_and_control_characters_are_dropped():
    p = ThaiParagraph("ผู้\u200bรับ\tผิดชอบ\r\nน้ำ\x0c\ufeff", paragraph_style("t", 12))
    assert p.text == "ผู้รับ ผิดชอบ\nน้ำ"


def test_styles_use_the_family_and_size_factor():
    st = paragraph_style("h", 16, bold=True, align="center")
    assert st.fontName == "Sarabun-Bold" and st.fontSize == 16 and st.alignment == 1
    assert st.shaping and st.leading >= 16 * 1.3
    assert cell(90.42).text == "90.42" and cell(None).text == ""


# --- fonts ----------------------------------------------------------------------------------

def test_bundled_sarabun_is_the_default():
    fonts = available_report_fonts(font_dirs=[])
    assert [f.name for f in fonts] == [DEFAULT_FONT]
    assert fonts[0].bundled and fonts[0].size_factor == 1.0
    assert all(p.is_file() for p in fonts[0].paths.values())
    for name in ("Sarabun", "Sarabun-Bold", "Sarabun-Italic", "Sarabun-BoldItalic"):
        assert isinstance(pdfmetrics.getFont(name), ttfonts.TTFont)


def test_installed_th_sarabun_fonts_are_found(tmp_path):
    src = report_font().paths
    for target, style in [("THSarabunNew.ttf", "regular"), ("THSarabunNew Bold.ttf", "bold"),
                          ("THSarabunIT๙.ttf", "regular"), ("thsarabunit9-bolditalic.TTF", "bold"),
                          ("Other.ttf", "regular")]:
        shutil.copy(src[style], tmp_path / target)
    fonts = {f.name: f for f in available_report_fonts(font_dirs=[tmp_path])}
    assert set(fonts) == {"Sarabun", "THSarabunNew", "THSarabunIT9"}
    assert fonts["THSarabunIT9"].display_name == "TH SarabunIT๙"
    assert set(fonts["THSarabunNew"].paths) == {"regular", "bold"}
    assert fonts["THSarabunNew"].size_factor == 1.5 and fonts["THSarabunNew"].size(14) == 21
    assert register_report_font("THSarabunNew", font_dirs=[tmp_path]) == "THSarabunNew"
    assert pdfmetrics.getFont("THSarabunNew-BoldItalic")  # falls back to the bold file
    assert paragraph_style("x", 14, font="THSarabunNew").fontSize == 21
    with pytest.raises(LookupError):
        register_report_font("NoSuchFont", font_dirs=[tmp_path])


# --- a real PDF, checked with poppler -------------------------------------------------------

LEFT, RIGHT = 25 * mm, 20 * mm


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "thai.pdf"
    body = paragraph_style("body", 14, firstLineIndent=36, spaceAfter=4)
    head = paragraph_style("head", 18, bold=True, align="center", spaceAfter=6)
    th = paragraph_style("th", 12, bold=True, align="center")
    td, tdr = paragraph_style("td", 12), paragraph_style("tdr", 12, align="right")
    rows = [[cell(t, th) for t in ("ลำดับ", "ตัวชี้วัด", "ผู้รับผิดชอบ", "คะแนน")]]
    for i in range(70):
        rows.append([cell(i + 1, tdr), cell(TABLE_TEXTS[i % 4], td), cell("สำนักปลัด กองคลัง กองช่าง", td),
                     cell(f"{80 + i * 0.29:.2f}", tdr)])
    table = Table(rows, colWidths=[18 * mm, 75 * mm, 50 * mm, 22 * mm], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde8f5"))]))
    story = [ThaiParagraph("รายงานการนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร", head)]
    story += [ThaiParagraph(SENTENCE, body) for _ in range(3)]
    story += [Spacer(1, 6), table] + [ThaiParagraph(SENTENCE, body) for _ in range(12)]
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT,
                            topMargin=20 * mm, bottomMargin=20 * mm, initialFontName=FONT)
    doc.build(story)
    return path


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def test_sarabun_is_embedded_as_subset(pdf):
    rows = [line.split() for line in _run("pdffonts", str(pdf)).splitlines()[2:]]
    sarabun = {r[0].split("+")[-1]: r for r in rows if "Sarabun" in r[0]}
    assert set(sarabun) == {"Sarabun-Regular", "Sarabun-Bold"}
    for r in sarabun.values():
        assert re.fullmatch(r"[A-Z]{6}\+Sarabun-\w+", r[0])
        assert r[-5:-2] == ["yes", "yes", "yes"]  # emb, sub, uni


def test_text_extracts_exactly(pdf):
    text = _run("pdftotext", str(pdf), "-")
    assert int(_run("pdfinfo", str(pdf)).split("Pages:")[1].split()[0]) >= 3
    drawn = [w for w in MUST_NOT_SPLIT + TONE_WORDS if w in SENTENCE + "".join(TABLE_TEXTS)]
    assert len(drawn) >= 25
    for word in drawn:
        assert word in text, word
    assert text.count("ตัวชี้วัด") >= 3  # header row repeated on every table page
    assert not re.search("[\u25a1\ufffd\uffff\ue000-\uf8ff]", text)


def test_no_word_box_past_the_margins(pdf):
    html = _run("pdftotext", "-bbox", str(pdf), "-")
    boxes = [(float(a), float(b)) for a, b in re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', html)]
    assert len(boxes) > 100
    assert min(a for a, _ in boxes) >= LEFT - 0.5
    assert max(b for _, b in boxes) <= A4[0] - RIGHT + 0.5


def test_no_notdef_glyph_is_embedded(monkeypatch, tmp_path):
    """Every code in the embedded subsets maps to a real glyph, and shaping reaches the PDF."""
    used: list[int] = []
    make = ttfonts.TTFontFace.makeSubset

    def record(face, subset):
        used.extend(face.charToGlyph.get(c, 0) for c in subset if c >= 0x20 and c != 0x7F)
        return make(face, subset)

    monkeypatch.setattr(ttfonts.TTFontFace, "makeSubset", record)
    canv = Canvas(str(tmp_path / "tones.pdf"))
    canv.setFont(FONT, 20)
    draw_shaped(canv, 50, 700, " ".join(TONE_WORDS) + " ๐๑๒๓๔๕๖๗๘๙ 90.42")
    canv.save()
    assert used and 0 not in used
    names = {pdfmetrics.getFont(FONT).hbFont(20).glyph_to_string(g) for g in used}
    assert any(n.endswith(".small") for n in names), names  # tone marks lowered/shifted


def test_render_pages_for_a_human_to_look_at(pdf, tmp_path):
    """Renders into this test's own folder; with ITADESK_SCREENSHOTS=1 the close-up also
    refreshes docs/screenshots/thai-text-sample.png."""
    _run("pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page"))
    _run("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-x", "100", "-y", "90",
         "-W", "1000", "-H", "330", str(pdf), str(tmp_path / "crop"))
    for name in ("page-1.png", "crop-1.png"):
        assert (tmp_path / name).stat().st_size > 10_000
    if os.environ.get("ITADESK_SCREENSHOTS"):
        shutil.copyfile(tmp_path / "crop-1.png", SCREENSHOTS / "thai-text-sample.png")


def test_paragraphs_and_page_lines_share_one_actual_text_span(tmp_path):
    """Body lines (ThaiParagraph) and header/footer lines (pdf_page.draw_line) open the same
    /ActualText span, built in one place, and close it."""
    from itadesk.report import pdf_page, thai_text

    text = "ผู้รับผิดชอบที่นี่ (ITA) 90.42"
    canv = Canvas(str(tmp_path / "spans.pdf"))
    canv.setFont(FONT, 12)
    pdf_page.draw_line(canv, 50, 700, text)
    p = ThaiParagraph(text, paragraph_style("t", 12))
    p.wrap(400, 100)
    p.drawOn(canv, 50, 600)
    code = "\n".join(canv._code)
    span = thai_text.actual_text_begin(text)
    assert span == f"/Span <</ActualText <FEFF{text.encode('utf-16-be').hex()}>>> BDC"
    assert code.count(span) == 2 and code.count("EMC") == 2


def test_shaping_matches_reportlab():
    """Our direct HarfBuzz calls give exactly what ReportLab's shapeStr gives: the same glyph
    string and glyph data for drawing, and the same width to the last bit for line breaking
    (so the report breaks and draws every line as before)."""
    from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr

    from itadesk.report import thai_text
    from .test_line_breaks import DOCUMENTS

    register_report_font()
    family = report_font(DEFAULT_FONT)
    fonts = [family.font_name(bold, italic) for bold in (False, True) for italic in (False, True)]

    def reportlab_width(text, font, size):
        shaped = shapeStr(text, font, size)
        if isinstance(shaped, ShapedStr):
            return sum(d.x_advance for d in shaped.__shapeData__) * size / 1000
        return pdfmetrics.stringWidth(text, font, size)

    pieces = {"", " ", "ITA 2568", "น้ำ", "ำ", "ฐ ญ ฎ ฏ ปฏิบัติ", "ที่นี่"}
    for text in (t for doc in DOCUMENTS.values() for t in doc):
        pieces.update(thai_text.thai_words(text))
        pieces.update(thai_text.break_lines(thai_text.clean_text(text), fonts[0], 14, 300))
    for piece in sorted(pieces):
        for font in fonts:
            assert thai_text.text_width(piece, font, 11) == reportlab_width(piece, font, 11), (piece, font)
            theirs, ours = shapeStr(piece, font, 11, force=True), thai_text._shape(piece, font, 11)
            assert str(ours) == str(theirs) and type(ours) is type(theirs), (piece, font)
            if isinstance(theirs, ShapedStr):
                assert [tuple(d) for d in ours.__shapeData__] == [tuple(d) for d in theirs.__shapeData__]
