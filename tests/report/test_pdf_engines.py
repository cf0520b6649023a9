"""Copy and search in every viewer: the report's Thai phrases as four PDF engines extract them.

The reference report and a long-text document (real Thai prose, a long organization name,
40 plan rows; see long_text.py) are imported and printed with the real commands. Each
engine's text must hold at least 99 % of the input's Thai phrases exactly (line ends and
spaces aside). What is still missed is a phrase cut by a page break (a viewer's search does
not cross pages either).
"""

from __future__ import annotations

import re
import shutil

import pytest

from itadesk.report.fonts import register_report_font, report_font
from itadesk.report.thai_text import copied_text, shape_for_pdf
from .long_text import FIXTURE
from .text_engines import ENGINES, extract, pdfjs_missing, phrase_share, printed_inputs

TARGET = 0.99

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


@pytest.mark.parametrize("document", ["reference", "long-text"])
@pytest.mark.parametrize("engine", ENGINES)
def test_thai_phrases_are_found_in_each_engines_text(report_documents, engine, document):
    if engine == "pdfjs" and pdfjs_missing():
        pytest.skip(pdfjs_missing())
    doc = report_documents[document]
    text = extract(engine, doc["pdf"])
    share, missing = phrase_share(doc["phrases"], text)
    print(f"{engine} {document}: {share:.1%} of {len(doc['phrases'])} phrases")
    assert len(doc["phrases"]) > (600 if document == "reference" else 400)
    assert share >= TARGET, f"{engine}: {share:.1%}; missing {missing[:10]}"
    assert not re.search("[\ue000-\uf8ff\U000f0000-\U000ffffd\ufffd]", text), "private-use or lost characters"
    assert "ํา" not in text  # sara am comes out as itself, so a search for ทำ finds it


def test_the_long_text_document_is_long(report_documents):
    """Several hundred words of prose, a long organization name, 40 plan rows."""
    from .long_text import LONG_ORG, PROSE, long_text_assessment

    from itadesk.ita.thai_words import thai_words

    assert sum(1 for p in PROSE for w in thai_words(p) if not w.isspace()) >= 300
    assert len(LONG_ORG) >= 60 and len(long_text_assessment()[-1]["actions"]) == 40
    assert len(report_documents["long-text"]["phrases"]) > 400


def test_every_word_of_the_input_maps_back_through_the_font():
    """What a viewer reading only the ToUnicode map copies is the text, word for word, in
    every style of the report font: no private-use codes, no marks lost, ำ whole."""
    register_report_font()
    font = report_font()
    words = set(" ".join(printed_inputs(FIXTURE)).split()) | {
        "น้ำ", "ที่", "ป้องกัน", "ผู้", "เปิด", "ทำ", "ปั้น", "ญี่ปุ่น", "ฐาน", "กตัญญู", "ก็", "office", "ffi"}
    for bold in (False, True):
        for italic in (False, True):
            name = font.font_name(bold, italic)
            wrong = [w for w in words if copied_text(shape_for_pdf(w, name, 10), name) != w]
            assert not wrong, (name, wrong[:10])


def test_a_glyph_gets_one_code_per_text_it_stands_for():
    """Nikhahit drawn for itself and drawn as part of sara am are two codes of the subset,
    each with its own ToUnicode text; asking again gives the same code."""
    from reportlab.pdfbase import pdfmetrics

    from itadesk.report.pdf_font_map import to_unicode_cmap

    register_report_font()
    font = pdfmetrics.getFont(report_font().font_name())
    alone = font.glyph_key("\u0e4d", "\u0e4d")
    in_am = font.glyph_key("\u0e4d", "\u0e33")
    assert alone == "\u0e4d"  # the font's cmap already says it
    assert in_am != alone and font.glyph_key("\u0e4d", "\u0e33") == in_am
    assert font.face.charToGlyph[ord(in_am)] == font.face.charToGlyph[0x0E4D]
    assert font.text_of(ord(in_am)) == "\u0e33"
    cmap = to_unicode_cmap("X", ["", "a", "ffi", "\U0001f600"] + ["b"] * 150)
    assert "<02> <006600660069>" in cmap and "<03> <D83DDE00>" in cmap
    assert cmap.count("beginbfchar") == 2  # blocks of at most 100
