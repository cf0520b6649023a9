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


def page_fill(pdf: Path, margins: dict[bool, tuple[float, float]]) -> list[dict]:
    """Per page: how much of the text frame is used (from its top to the lowest text, rule,
    fill or image inside it), the first text line, and how far down the page the start of
    its first block reaches (its first image, or its first table's header and first row).

    ``margins`` maps landscape (True/False) to the frame's (top, bottom) margins in points.
    """
    import re

    import pymupdf

    out = []
    with pymupdf.open(str(pdf)) as doc:
        for page in doc:
            landscape = page.rect.width > page.rect.height
            top, bottom = margins[landscape][0], page.rect.height - margins[landscape][1]

            def inside(y0, y1):
                return y0 > top - 2 and y1 < bottom + 2

            blocks = sorted((b for b in page.get_text("dict")["blocks"] if inside(b["bbox"][1], b["bbox"][3])),
                            key=lambda b: b["bbox"][1])
            lows = [b["bbox"][3] for b in blocks]
            lows += [d["rect"].y1 for d in page.get_drawings() if inside(d["rect"].y0, d["rect"].y1)]
            images = sorted(i["bbox"][3] for i in page.get_image_info() if inside(i["bbox"][1], i["bbox"][3]))
            lows += images
            first = next((re.sub(r"\s+", "", "".join(s["text"] for line in b["lines"] for s in line["spans"]))
                          for b in blocks if b.get("lines")), "")
            table_rules = sorted({round(y, 1) for x0, x1, y, _ in rules(page) if inside(y, y)})
            starts = ([images[0]] if images else []) + ([table_rules[2]] if len(table_rules) >= 3 else [])
            out.append({"landscape": landscape, "fill": (max(lows, default=top) - top) / (bottom - top),
                        "first": first, "start": (min(starts) - top) if starts else None,
                        "room": bottom - top, "used": max(lows, default=top) - top})
    return out
