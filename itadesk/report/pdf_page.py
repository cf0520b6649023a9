"""Pages of the printed report: A4 portrait and landscape, official margins, page numbers.

Margins follow Thai official documents (ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ): 3 cm on
the left (the binding side), 2 cm on the right. Landscape pages (the action plan) are bound
along their top edge once the report is stapled, so there the 3 cm go to the top.

The page number is printed the official way, centred at the top as "- ๒ -", from the
second page on (the cover has none). Headers and footers are drawn with
:func:`~itadesk.report.thai_text.draw_with_actual_text`, like the body text: ReportLab's own
``drawString(shaping=True)`` silently draws Thai unshaped here (marks collide), see ``thai_text``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from itadesk.ita.thai_words import shorten
from itadesk.report.pdf_flow import keep_with_next
from itadesk.report.pdf_metadata import Metadata, XmpStream, mend_utc_offset
from itadesk.report.thai_text import clean_text, draw_with_actual_text, text_width

PORTRAIT = A4
LANDSCAPE = landscape(A4)


@dataclass(frozen=True)
class Margins:
    left: float
    right: float
    top: float
    bottom: float


PORTRAIT_MARGINS = Margins(left=30 * mm, right=20 * mm, top=25 * mm, bottom=20 * mm)
LANDSCAPE_MARGINS = Margins(left=20 * mm, right=20 * mm, top=30 * mm, bottom=20 * mm)

PAGE_NUMBER_FROM_TOP = 14 * mm  # baseline of "- ๒ -", inside the top margin
FOOTER_BASELINE = 10 * mm
FOOTER_RULE = 14 * mm
GREY = colors.HexColor("#5c5c5c")


def text_width_of(page_size: tuple[float, float], margins: Margins) -> float:
    return page_size[0] - margins.left - margins.right


PORTRAIT_WIDTH = text_width_of(PORTRAIT, PORTRAIT_MARGINS)
LANDSCAPE_WIDTH = text_width_of(LANDSCAPE, LANDSCAPE_MARGINS)


def _frame(page_size, margins: Margins, name: str) -> Frame:
    # No frame padding: the margins above are where the text really starts and ends.
    return Frame(margins.left, margins.bottom, page_size[0] - margins.left - margins.right,
                 page_size[1] - margins.top - margins.bottom, leftPadding=0, rightPadding=0,
                 topPadding=0, bottomPadding=0, id=name)


def draw_line(canv, x: float, y: float, text: str, align: str = "left") -> None:
    """One line of Thai in the canvas's current font, shaped, with its real text for copying
    (see :func:`~itadesk.report.thai_text.actual_text_begin`)."""
    text = clean_text(text).replace("\n", " ")
    if not text:
        return
    width = text_width(text, canv._fontname, canv._fontsize)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    draw_with_actual_text(canv, x, y, text)


@dataclass
class PageDecoration:
    """What is drawn around the text of every page after the cover."""

    font_name: str
    font_size: float
    footer: str
    page_number: Callable[[int], str]  # page number -> "- ๒ -"
    # The same footer with the organization's short name ("อบต.เชียงพิณ", ita.org_names),
    # printed when ``footer`` is too wide; cut with "…" only if even this does not fit.
    footer_short: str = ""

    def cover(self, canv, doc) -> None:  # the cover carries no number and no footer
        pass

    def page(self, canv, doc) -> None:
        width, height = canv._pagesize
        margins = LANDSCAPE_MARGINS if width > height else PORTRAIT_MARGINS
        canv.saveState()
        canv.setFillColor(colors.black)
        canv.setFont(self.font_name, self.font_size * 1.15)
        draw_line(canv, margins.left + (width - margins.left - margins.right) / 2,
                  height - PAGE_NUMBER_FROM_TOP, self.page_number(canv.getPageNumber()), "center")
        if self.footer:
            canv.setStrokeColor(colors.HexColor("#b8b8b8"))
            canv.setLineWidth(0.4)
            canv.line(margins.left, FOOTER_RULE, width - margins.right, FOOTER_RULE)
            canv.setFillColor(GREY)
            canv.setFont(self.font_name, self.font_size)
            ascent = pdfmetrics.getAscentDescent(self.font_name, self.font_size)[0]
            room = width - margins.left - margins.right
            # never past the margin, even for a very long name; cut between words, so no
            # consonant loses its tone mark and no line ends in a leading vowel
            footer = self.footer_text(room)
            # under the rule whatever the font's size and ascent
            baseline = min(FOOTER_BASELINE, FOOTER_RULE - 1.5 - ascent)
            draw_line(canv, margins.left + room / 2, baseline, footer, "center")
        canv.restoreState()

    def footer_text(self, room: float) -> str:
        """The footer as printed in ``room`` points: in full, else with the short name, else cut."""
        def fits(text: str) -> bool:
            return text_width(text, self.font_name, self.font_size) <= room

        full = clean_text(self.footer).replace("\n", " ")
        if fits(full) or not self.footer_short:
            return shorten(full, fits)
        return shorten(clean_text(self.footer_short).replace("\n", " "), fits)


class ReportDocTemplate(BaseDocTemplate):
    """Cover, portrait and landscape page templates; PDF bookmarks; a hook per finished page.

    A flowable with an ``outline = (title, level)`` attribute becomes a bookmark in the
    PDF's navigation pane when it is drawn.
    """

    def __init__(self, filename, decoration: PageDecoration,
                 on_page_end: Callable[[int], None] | None = None, **kwargs):
        super().__init__(filename, pagesize=PORTRAIT, leftMargin=PORTRAIT_MARGINS.left,
                         rightMargin=PORTRAIT_MARGINS.right, topMargin=PORTRAIT_MARGINS.top,
                         bottomMargin=PORTRAIT_MARGINS.bottom, **kwargs)
        self._on_page_end = on_page_end
        self._bookmarks = 0
        self.addPageTemplates([
            PageTemplate("cover", frames=[_frame(PORTRAIT, PORTRAIT_MARGINS, "cover")],
                         onPage=decoration.cover, pagesize=PORTRAIT),
            PageTemplate("portrait", frames=[_frame(PORTRAIT, PORTRAIT_MARGINS, "portrait")],
                         onPage=decoration.page, pagesize=PORTRAIT),
            PageTemplate("landscape", frames=[_frame(LANDSCAPE, LANDSCAPE_MARGINS, "landscape")],
                         onPage=decoration.page, pagesize=LANDSCAPE),
        ])

    def handle_keepWithNext(self, flowables) -> None:
        keep_with_next(flowables)  # headings go where the start of what follows fits (pdf_flow)

    def beforeDocument(self) -> None:
        """An XMP packet with what the Info dictionary says, and the language (pdf_metadata)."""
        doc = self.canv._doc
        mend_utc_offset(doc._timeStamp)  # the Info dictionary's date, XMP packet or not
        if not self.lang:
            return
        keywords = self.keywords if isinstance(self.keywords, (list, tuple)) else \
            [k.strip() for k in str(self.keywords or "").split(",") if k.strip()]
        doc.Catalog.Metadata = XmpStream(Metadata(
            title=self.title or "", creator=self.author or "", description=self.subject or "",
            keywords=tuple(keywords), language=self.lang, tool=self.creator or "",
            producer=doc.info.producer))

    def afterFlowable(self, flowable) -> None:
        outline = getattr(flowable, "outline", None)
        if outline:
            title, level = outline
            self._bookmarks += 1
            key = f"section-{self._bookmarks}"
            self.canv.bookmarkHorizontal(key, 0, self.frame._y + getattr(flowable, "height", 0))
            self.canv.addOutlineEntry(title, key, level=level, closed=False)

    def afterPage(self) -> None:
        if self._on_page_end is not None:
            self._on_page_end(self.page)
