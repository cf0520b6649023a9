"""Where ink touches a table rule, from the page itself: rules from the PDF's drawings
(PyMuPDF), ink from the page rendered without them."""

from __future__ import annotations

from pathlib import Path

DPI = 300


def rules(page) -> list[tuple[float, float, float, float]]:
    """Horizontal rules (x0, x1, y, width) at least 20 pt long, in PyMuPDF's top-down points."""
    out = []
    for drawing in page.get_drawings():
        width = drawing.get("width") or 0
        for item in drawing["items"]:
            if item[0] == "l" and abs(item[1].y - item[2].y) < 0.01 and abs(item[2].x - item[1].x) >= 20:
                x0, x1 = sorted((item[1].x, item[2].x))
                out.append((x0, x1, item[1].y, width))
    return out


def verticals(page) -> list[float]:
    return [item[1].x for d in page.get_drawings() for item in d["items"]
            if item[0] == "l" and abs(item[1].x - item[2].x) < 0.01]


def ink_on_rules(pdf: Path, air: float = 0.4) -> list[str]:
    """Every place where text ink comes within ``air`` points of a horizontal rule.

    A copy of each page is rendered with its drawings and images redacted away, so only
    glyph ink is left; a glyph crossing or touching a rule shows as dark pixels in the bands
    just above and just below where the rule was drawn.
    """
    import pymupdf

    found = []
    with pymupdf.open(str(pdf)) as doc:
        for number, page in enumerate(doc, start=1):
            lines, cols = rules(page), verticals(page)
            if not lines:
                continue
            text_only = pymupdf.open()
            text_only.insert_pdf(doc, from_page=number - 1, to_page=number - 1)
            tp = text_only[0]
            tp.add_redact_annot(tp.rect)
            tp.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_REMOVE,
                                graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED,
                                text=pymupdf.PDF_REDACT_TEXT_NONE)
            pix = tp.get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY)
            scale = DPI / 72
            for x0, x1, y, width in lines:
                top, bottom = y - width / 2, y + width / 2
                band = [*range(int((top - air) * scale), int(top * scale) + 1),
                        *range(int(bottom * scale), int((bottom + air) * scale) + 1)]
                for px in range(int(x0 * scale) + 1, int(x1 * scale)):
                    x = px / scale
                    if any(abs(x - c) < 1.5 for c in cols):
                        continue
                    if any(pix.pixel(px, py)[0] < 128 for py in band if 0 <= py < pix.height):
                        found.append(f"page {number}: ink on the rule at y={y:.1f}, x={x:.1f}")
                        break
            text_only.close()
    return found
