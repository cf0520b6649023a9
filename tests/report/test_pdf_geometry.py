"""Page geometry of the printed report: no Thai mark touches a table rule.

Thai below-vowels (ุ ู, lowered under ฎ ฏ) and stacked upper marks reach past the font's
declared ascent and descent, so a line that sits right on a rule (the closing rule of a
plan page, a grid line) needs padding sized from the font's real extent
(``thai_text.ink_outside``). Checked from the pages themselves: the rules are read from the
PDF's drawings and the ink from each page rendered without them (page_geometry.py).
"""

from __future__ import annotations

import shutil

import pytest

from itadesk.report.fonts import register_report_font
from itadesk.report.thai_text import ink_outside, paragraph_style
from .page_geometry import ink_on_rules

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def test_ink_outside_the_line_box_comes_from_the_fonts_real_extent():
    register_report_font()
    above, below = ink_outside(paragraph_style("td", 10))
    assert below == pytest.approx(5.35 - 3.07, abs=0.01)  # lowered ู 0.535 em, room 3.07 pt
    assert 0.5 < above < 2


@pytest.mark.parametrize("document", ["reference", "long-text"])
def test_no_mark_touches_a_table_rule(report_documents, document):
    """Every page, the summary table's spanned part rows (EIT ส่วนที่ 1, stacked ที่) included."""
    found = ink_on_rules(report_documents[document]["pdf"])
    assert found == [], found
