"""The whole report as a Word .docx, drawn from the same report model as the PDF.

Nothing is computed here: figures, rows and sentences come from :func:`itadesk.report.model.
build_report` and the phrases from the PDF's own ``TEXT``, so the two outputs cannot disagree.
Word (or LibreOffice) shapes the Thai itself, so marks sit right wherever the file is opened.

Everything an officer may want to restyle is a named style: Normal, Title, Subtitle, Heading 1–3,
Caption, List Bullet, Table Text (every table cell) and the "Table Grid" table style. The Thai font is TH Sarabun New 16 pt, as
Thai government documents use, set for every script (ascii, hAnsi, eastAsia and cs, with the
complex-script size and bold) and the language th-TH, so Word applies it to Thai text. Where the
PC lacks TH Sarabun New, Word substitutes a Thai font of its own (Windows: usually Tahoma or
Leelawadee UI) and LibreOffice on Linux uses fontconfig's match (Laksaman from fonts-thai-tlwg,
a libre derivative of TH Sarabun New with the same metrics).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from itadesk.report.content import ReportData
from itadesk.texts import join_thai
from itadesk.report.model import INDICATOR, IndicatorSection, Report, build_report
from itadesk.report.pdf import TEXT, ChartImage, Numbers, indicator_meta, render_charts

FONT = "TH Sarabun New"
BODY_PT = 16
TABLE_PT = 14
TABLE_TEXT = "Table Text"  # the paragraph style of every table cell, for an officer to restyle
HEADER_FILL = "D9E2F3"
FINDING_FILL = "FBE3D6"
TOTAL_FILL = "EEF2F8"
DARK_BLUE = RGBColor(0x1F, 0x3A, 0x5F)
DOTS = "." * 40
PORTRAIT = (Cm(21.0), Cm(29.7))
MARGINS = {"left": Cm(3), "right": Cm(2), "top": Cm(2.5), "bottom": Cm(2)}
TEXT_WIDTH_CM = 16.0  # 21 − 3 − 2
LANDSCAPE_TEXT_WIDTH_CM = 24.7  # 29.7 − 3 − 2


class DocxError(OSError):
    """The .docx could not be written; the message is Thai and names the file."""


@dataclass
class DocxResult:
    path: Path
    warnings: int


# --------------------------------------------------------------------------- fonts and styles

# Children of w:rPr in the order the schema requires (Word refuses some files that break it).
_RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
              "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
              "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")


def _child(rpr, name: str):
    """``w:name`` of ``rpr``, created in its schema position when missing."""
    el = rpr.find(qn(f"w:{name}"))
    if el is not None:
        return el
    el = OxmlElement(f"w:{name}")
    later = set(_RPR_ORDER[_RPR_ORDER.index(name) + 1:])
    for existing in rpr:
        if existing.tag.split("}")[-1] in later:
            existing.addprevious(el)
            return el
    rpr.append(el)
    return el


def _set_thai_font(rpr_parent, size_pt: float | None = None, bold: bool | None = None) -> None:
    """TH Sarabun New for every script of a run or style, the complex-script size and bold
    (Thai text reads the ``…Cs`` twins), and the language th-TH."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = _child(rpr, "rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for names, value in ((("sz", "szCs"), None if size_pt is None else str(int(round(size_pt * 2)))),
                         (("b", "bCs"), None if bold is None else ("1" if bold else "0"))):
        if value is not None:
            for name in names:
                _child(rpr, name).set(qn("w:val"), value)
    lang = _child(rpr, "lang")
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), "th-TH")


def _setup_styles(doc) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            class _Holder:  # rPrDefault holds its rPr like a style does
                def __init__(self, el):
                    self.el = el

                def get_or_add_rPr(self):
                    rpr = self.el.find(qn("w:rPr"))
                    if rpr is None:
                        rpr = OxmlElement("w:rPr")
                        self.el.append(rpr)
                    return rpr

            _set_thai_font(_Holder(rpr_default), BODY_PT)
    for name, size, bold in (("Normal", BODY_PT, False), ("Title", 26, True), ("Subtitle", 20, False),
                             ("Heading 1", 20, True), ("Heading 2", 18, True), ("Heading 3", 16, True),
                             ("Caption", 14, True), ("List Bullet", BODY_PT, False)):
        style = styles[name]
        _set_thai_font(style.element, size, bold)
        style.font.size = Pt(size)
        if name.startswith("Heading") or name == "Title":
            style.font.color.rgb = DARK_BLUE
            style.font.italic = False
        if name == "Caption":
            style.font.color.rgb = RGBColor(0x33, 0x33, 0x33)
            style.font.italic = False
    table_text = styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = styles["Normal"]
    table_text.font.size = Pt(TABLE_PT)
    _set_thai_font(table_text.element, TABLE_PT)
    normal = styles["Normal"].paragraph_format
    normal.space_after = Pt(0)
    normal.line_spacing = 1.0
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        fmt = styles[name].paragraph_format
        fmt.space_before = Pt(10 if name == "Heading 1" else 8)
        fmt.space_after = Pt(4)
        fmt.keep_with_next = True


def _page_number_footer(section, thai_digits: bool) -> None:
    """A centred PAGE field in the footer (Word computes it; Thai digits via the field switch)."""
    footer = section.footer
    footer.is_linked_to_previous = False
    para = footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.text = ""

    def fld(kind: str):
        run = para.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)
        return run

    fld("begin")
    instr = para.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = " PAGE \\* ThaiArabic " if thai_digits else " PAGE "
    instr._r.append(text)
    fld("separate")
    para.add_run("1")
    fld("end")


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cant_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


# --------------------------------------------------------------------------- the writer

class DocxBuilder:
    def __init__(self, data: ReportData, charts: list[ChartImage]):
        self.data = data
        self.report: Report = build_report(data)
        self.n = Numbers(data.options.thai_digits)
        self.charts = charts
        self.doc = Document()
        _setup_styles(self.doc)
        section = self.doc.sections[0]
        section.page_width, section.page_height = PORTRAIT
        section.orientation = WD_ORIENT.PORTRAIT
        for side, value in MARGINS.items():
            setattr(section, f"{side}_margin", value)
        _page_number_footer(section, data.options.thai_digits)
        self.year = data.current.fiscal_year
        self.threshold = self.n.int(f"{data.options.threshold:g}")

    def t(self, key: str, **kw) -> str:
        return self.n.text(TEXT[key].format(**kw))

    def para(self, text: str = "", style: str | None = None, *, bold=False, align=None, size=None):
        p = self.doc.add_paragraph(style=style)
        lines = (text or "").split("\n")
        for i, line in enumerate(lines):
            run = p.add_run(line)
            if bold:
                run.bold = True
            if size:
                run.font.size = Pt(size)
            if i < len(lines) - 1:
                run.add_break()
        if align is not None:
            p.alignment = align
        return p

    def heading(self, text: str, level: int):
        return self.doc.add_heading(self.n.text(text), level)

    def cell_text(self, cell, text: str, *, bold=False, align=None, fill=None) -> None:
        cell.text = ""
        lines = (text or "").split("\n")
        p = cell.paragraphs[0]
        p.style = self.doc.styles[TABLE_TEXT]
        for i, line in enumerate(lines):
            run = p.add_run(line)
            run.bold = bold or None
            if i < len(lines) - 1:
                run.add_break()
        if align is not None:
            p.alignment = align
        if fill:
            _shade(cell, fill)

    def table(self, rows: int, cols: int, widths_cm: list[float]):
        table = self.doc.add_table(rows=rows, cols=cols)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths_cm):
            column.width = Cm(width)  # the grid LibreOffice lays out by
        for row in table.rows:
            for cell, width in zip(row.cells, widths_cm):
                cell.width = Cm(width)
        return table

    # ---- cover and summary

    def cover(self) -> None:
        r = self.report
        for _ in range(4):
            self.para("")
        self.para(TEXT["title_lines"], "Title", align=WD_ALIGN_PARAGRAPH.CENTER)
        self.para(TEXT["subtitle"], "Subtitle", align=WD_ALIGN_PARAGRAPH.CENTER)
        self.para(self.t("fiscal_year", year=self.year), "Subtitle", align=WD_ALIGN_PARAGRAPH.CENTER)
        self.para("")
        self.para(TEXT["ita_full"], align=WD_ALIGN_PARAGRAPH.CENTER)
        for _ in range(8):
            self.para("")
        self.para(r.organization, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=20)
        if r.place:
            self.para(r.place, align=WD_ALIGN_PARAGRAPH.CENTER)
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def summary(self) -> None:
        r, n = self.report, self.n
        s = r.summary
        self.heading(TEXT["summary_title"].format(year=self.year), 1)
        self.para(r.organization + (" " + r.place if r.place else ""), bold=True)
        if s.total is not None and s.level is not None:
            self.para(self.t("summary_intro", org=r.organization, year=self.year, total=n.score(s.total),
                             level=s.level.name))
        else:
            self.para(self.t("summary_intro_incomplete", org=r.organization, year=self.year))
        years = n.int(self.year) if r.previous_year is None else f"{n.int(r.previous_year)} และ {n.int(self.year)}"
        self.para(self.t("table1", years=years), "Caption")
        self.summary_table()
        weights = " + ".join(f"{n.text(f'{t.weight:g}')} × {t.code}" for t in self.data.catalog.tools)
        self.para(self.t("note_weights", weights=weights, threshold=self.threshold), size=14)
        for note in s.notes:
            self.para(n.text(note), size=14)
        self.heading(TEXT["overall_heading"], 2)
        sentences = list(r.overall)
        if sentences:
            self.para(n.text(sentences[0]))
        for text in sentences[1:]:
            self.para(n.text(text), "List Bullet")
        if r.warnings:
            self.para(TEXT["warnings_title"], bold=True)
            self.para(TEXT["warnings_intro"], size=14)
            for w in r.warnings:
                self.para(n.text(w.message), "List Bullet")

    def summary_table(self) -> None:
        n, table1 = self.n, self.report.summary.table
        prev = self.t("col_year", year=table1.previous_year) if table1.previous_year else TEXT["col_prev_none"]
        headers = [TEXT["col_tool"], TEXT["col_no"], TEXT["col_name"], prev,
                   self.t("col_year", year=table1.current_year), TEXT["col_points"], TEXT["col_direction"]]
        rows = table1.rows
        table = self.table(len(rows) + 1, 7, [1.5, 0.9, 4.8, 2.1, 2.1, 2.4, 2.2])
        for cell, text in zip(table.rows[0].cells, headers):
            self.cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, fill=HEADER_FILL)
        _repeat_header(table.rows[0])
        right, centre = WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.CENTER

        def value(v):
            return v if isinstance(v, str) else n.score(v)

        for i, row in enumerate(rows, start=1):
            cells = table.rows[i].cells
            total = row.kind != INDICATOR
            fill = TOTAL_FILL if total else None
            if total:
                self.cell_text(cells[0], n.text(row.label), bold=True, fill=fill)
            else:
                self.cell_text(cells[0], row.tool, align=centre)
                self.cell_text(cells[1], n.int(row.number), align=centre)
                self.cell_text(cells[2], row.label)
            self.cell_text(cells[3], value(row.previous), align=right, fill=fill)
            self.cell_text(cells[4], value(row.current), align=right, bold=total or row.low,
                           fill=FINDING_FILL if row.low else fill)
            self.cell_text(cells[5], n.signed(row.points) if row.points is not None else "-", align=right, fill=fill)
            self.cell_text(cells[6], row.direction_label, align=centre, fill=fill)
            _cant_split(table.rows[i])
            if total:
                cells[0].merge(cells[2])
        for first, count in table1.tool_spans():
            if count > 1:
                top = table.cell(first + 1, 0)
                merged = top.merge(table.cell(first + count, 0))
                self.cell_text(merged, rows[first].tool, align=centre)

    # ---- charts

    def chart_section(self) -> None:
        if not self.charts:
            return
        self.heading(TEXT["charts_title"], 2)
        for i, chart in enumerate(self.charts, start=1):
            if chart.png is None:
                self.para(self.t("chart_failed", error=chart.error or "no image"))
            else:
                width = min(chart.width_cm, TEXT_WIDTH_CM)
                self.doc.add_picture(io.BytesIO(chart.png), width=Cm(width))
                self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
                self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
            self.para(self.t("figure", n=i, caption=chart.caption), "Caption", align=WD_ALIGN_PARAGRAPH.CENTER)

    # ---- part 1

    def part1(self) -> None:
        self.heading(TEXT["part1"], 1)
        rules = []  # which cells are shaded, worded as the PDF words it
        for full, key in ((False, "shade_low"), (True, "shade_full")):
            codes = [tool.code for tool in self.report.tools if tool.items_must_be_full == full]
            if codes:
                rules.append(TEXT[key].format(tools=join_thai(codes), threshold=self.threshold))
        self.para(self.t("part1_intro", year=self.year, rules=" ".join(rules)))
        for tool in self.report.tools:
            self.heading(TEXT["tool_heading"].format(code=tool.code, name=tool.name), 2)
            if tool.part_names:
                self.para(" · ".join(self.t("parts_note", part=p, name=name) for p, name in tool.part_names), size=14)
            for section in tool.indicators:
                self.indicator(section)

    def indicator(self, sec: IndicatorSection) -> None:
        n = self.n
        score = self.t("indicator_score", score=n.score(sec.score)) if sec.score is not None \
            else TEXT["indicator_score_missing"]
        if sec.low:
            score += " (" + self.t("indicator_low", threshold=self.threshold) + ")"
        self.heading(f"{TEXT['indicator_heading'].format(number=sec.number, name=sec.name)} — {score}", 3)
        self.para(indicator_meta(self.t, n, sec), size=14)
        self.item_grid(sec)
        if sec.findings:
            label = TEXT["findings_full"] if sec.items_must_be_full else \
                self.t("findings_low", threshold=self.threshold)
            self.para(label, bold=True)
            for f in sec.findings:
                item = " ".join(f"{f.code} {f.title or ''}".split())
                line = self.t("finding_line", item=item, score=n.score(f.score))
                if f.sub_indicator:
                    line += " " + self.t("finding_sub", sub=f.sub_indicator)
                self.para(line, "List Bullet")
        for message in sec.warnings:
            self.para(n.text(message), size=14)
        self.para(TEXT["analysis_label"], bold=True)
        if sec.analysis:
            for line in sec.analysis.split("\n"):
                if line.strip():
                    self.para(n.text(line.strip()))
        else:
            self.para(TEXT["analysis_missing"])

    def item_grid(self, sec: IndicatorSection) -> None:
        n = self.n
        items = list(sec.items)
        if not items:
            return
        labels = [self.t("grid_part", part=p) for p in sec.parts] if sec.parts else [TEXT["grid_score"]]
        per_band = 7
        bands = -(-len(items) // per_band)
        per_band = -(-len(items) // bands)
        for start in range(0, len(items), per_band):
            band = items[start:start + per_band]
            label_w = 2.0
            col_w = min(1.9, (TEXT_WIDTH_CM - label_w) / len(band))
            table = self.table(len(labels) + 1, len(band) + 1, [label_w] + [col_w] * len(band))
            table.alignment = WD_TABLE_ALIGNMENT.LEFT
            centre = WD_ALIGN_PARAGRAPH.CENTER
            self.cell_text(table.cell(0, 0), TEXT["grid_item"], bold=True, align=centre, fill=HEADER_FILL)
            for col, it in enumerate(band, start=1):
                self.cell_text(table.cell(0, col), it.code, bold=True, align=centre, fill=HEADER_FILL)
            for r, label in enumerate(labels, start=1):
                self.cell_text(table.cell(r, 0), label, align=centre)
                for col, it in enumerate(band, start=1):
                    self.cell_text(table.cell(r, col), n.score(it.values[r - 1]), align=centre, bold=it.low,
                                   fill=FINDING_FILL if it.low else None)
            self.para("", size=6)

    # ---- recommendations, part 2, signatures

    def recommendations(self) -> None:
        """The tools that have assessors' recommendations; no section without any, as in the PDF
        (the "not recorded" sentence it printed before is gone from pdf.TEXT)."""
        r, n = self.report, self.n
        tools = [tool for tool in r.tools if tool.recommendation]
        if not tools:
            return
        self.heading(TEXT["recommendations"], 1)
        self.para(self.t("recommendations_intro", year=self.year, org=r.organization))
        for tool in tools:
            self.heading(TEXT["recommendation_tool"].format(name=tool.name, name_en=tool.name_en, code=tool.code), 3)
            for line in tool.recommendation.split("\n"):
                if line.strip():
                    self.para(n.text(line.strip()))

    def part2(self) -> None:
        r, n = self.report, self.n
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = PORTRAIT[1], PORTRAIT[0]
        for side, value in MARGINS.items():
            setattr(section, f"{side}_margin", value)
        self.heading(TEXT["part2"], 1)
        self.para(self.t("part2_sub", year=self.year), bold=True)
        if r.plan_period:
            self.para(TEXT["part2_period"].format(period=f"{n.date(r.plan_period[0])} – {n.date(r.plan_period[1])}"))
        self.plan_table()
        self.signatures()

    def plan_table(self) -> None:
        n = self.n
        groups = self.report.plan
        count = sum(len(g.actions) for g in groups)
        widths = [4.0, 6.9, 3.2, 7.6, 3.0]
        table = self.table(max(count, 1) + 1, 5, widths)
        header = [TEXT[k] for k in ("plan_issue", "plan_measure", "plan_owner", "plan_steps", "plan_period")]
        for cell, text in zip(table.rows[0].cells, header):
            self.cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, fill=HEADER_FILL)
        _repeat_header(table.rows[0])
        if not count:
            row = table.rows[1].cells
            self.cell_text(row[0], TEXT["plan_empty"])
            row[0].merge(row[4])
            return
        r = 1
        for group in groups:
            for i, action in enumerate(group.actions):
                cells = table.rows[r].cells
                self.cell_text(cells[0], n.text(group.label) if i == 0 else "", bold=True)
                measure = action.measure.strip()
                if len(group.actions) > 1 and not measure[:2].rstrip(".").isdigit():
                    measure = f"{i + 1}. {measure}"
                self.cell_text(cells[1], n.text(measure))
                self.cell_text(cells[2], n.text(action.owner))
                self.cell_text(cells[3], n.text(action.steps))
                self.cell_text(cells[4], self.n.period(action.start, action.end))
                r += 1

    def signatures(self) -> None:
        self.para("")
        self.para("")
        table = self.doc.add_table(rows=4, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for col, sig in enumerate(self.report.signatures):
            lines = [f"{TEXT['signed']} {DOTS} {sig.role}", f"({sig.name})" if sig.name else f"({DOTS})",
                     f"{TEXT['position']} {sig.position or DOTS[:30]}", self.n.text(TEXT["date_line"])]
            for row, line in enumerate(lines):
                self.cell_text(table.cell(row, col), line, align=WD_ALIGN_PARAGRAPH.CENTER)
        for row in table.rows:
            _cant_split(row)

    def build(self):
        self.cover()
        self.summary()
        self.chart_section()
        self.part1()
        self.recommendations()
        self.part2()
        props = self.doc.core_properties
        props.title = f"การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร ปีงบประมาณ พ.ศ. {self.year}"
        props.author = self.report.organization
        props.language = "th-TH"
        return self.doc


def build_docx(data: ReportData, output: str | os.PathLike, *, charts: list[ChartImage] | None = None) -> DocxResult:
    """Write the report as .docx through a temp file beside ``output`` (never half a file)."""
    from itadesk.interchange.xlsx_write import XlsxWriteError, save_atomically

    if charts is None or any(c.png is None and not c.error for c in charts):
        charts = render_charts(data, raster=True)  # Word needs pictures, not the PDF's drawings
    doc = DocxBuilder(data, charts).build()
    try:
        path = save_atomically(doc.save, output)
    except XlsxWriteError as exc:
        raise DocxError(str(exc)) from exc
    return DocxResult(path, len(data.warnings))
