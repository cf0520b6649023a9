"""Layout of the printed report read back from the pages: footer, signatures, page fill, metadata.

The reference report and the long-text document come from ``conftest.report_documents``
(made by the real ``itadesk import`` and ``itadesk report``).
"""

from __future__ import annotations

import shutil

import pytest

from long_text import LONG_ORG

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
