"""Correct Thai text in ReportLab: line breaking at Thai word boundaries and a shaped flowable.

Why not ``Paragraph`` (checked in ReportLab 5.1, ``platypus/paragraph.py``):
- without ``shaping=1`` (HarfBuzz via uharfbuzz) tone marks collide with upper vowels;
- Thai has no spaces, so Paragraph only splits "long words" character by character
  (``_splitWord``), cutting words and even parting a consonant from its tone mark;
  U+200B counts as whitespace there (so it prints a visible space and words still get
  cut), and ``wordWrap='CJK'`` breaks anywhere and skips shaping;
- a shaped Paragraph keeps the shaped glyph strings (private-use code points) in its frags,
  so wrapping it again, as Tables do, turns them into U+FFFF and draws boxes.

So ``ThaiParagraph`` keeps the plain text, breaks it itself at Thai word boundaries with
the shaped advance widths, and draws each line shaped by ``shapeStr`` (``drawString(
shaping=True)`` does not shape unless ``rlbidi`` is installed): every wrap starts from
the text again, and every draw shapes afresh.

Where the words and clusters are (PyThaiNLP newmm plus ``KEEP_TOGETHER``) is decided in
:mod:`itadesk.ita.thai_words`, which needs neither ReportLab nor Qt, so the charts and the
window break Thai the same way; its names are re-exported here.
"""

from __future__ import annotations

import unicodedata
from collections import deque
from functools import lru_cache

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr, shapeStr
from reportlab.platypus.flowables import Flowable

try:
    import uharfbuzz
except ImportError:  # then no font is shapable and text_width uses stringWidth
    uharfbuzz = None

from itadesk.ita.thai_words import (COMBINING, KEEP_TOGETHER, LEADING_VOWELS, clusters,
                                    dictionary_subwords, is_mark, thai_words)
from itadesk.report.fonts import DEFAULT_FONT, report_font

# Every PDF of the program is written through this module: keep its streams binary (zlib
# only). ReportLab's default wraps each in ASCII85, a quarter larger and one more pass over
# every byte (0.3 s of a report's build without the C accelerator).
rl_config.useA85 = 0

__all__ = ["COMBINING", "KEEP_TOGETHER", "LEADING_VOWELS", "ThaiParagraph", "actual_text_begin",
           "break_lines", "cell", "clean_text", "clusters", "copied_text", "draw_shaped", "draw_with_actual_text", "glyph_texts", "ink_below",
           "is_mark", "line_spans", "paragraph_style", "rule_padding", "shape_for_pdf", "text_width", "thai_words"]


@lru_cache(maxsize=65536)
def _hb_shaped(text: str, hb_font):
    """One HarfBuzz run as ReportLab's ``shapeStr`` makes it (cluster level, features)."""
    buf = uharfbuzz.Buffer()
    buf.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    buf.add_str(text)
    buf.guess_segment_properties()
    uharfbuzz.shape(hb_font, buf, _FEATURES)
    return buf


@lru_cache(maxsize=65536)
def text_width(text: str, font_name: str, font_size: float) -> float:
    """Advance width as ReportLab draws it: the HarfBuzz-shaped width for shapable TTFs.

    The same HarfBuzz call (font, size, features) as ReportLab's ``shapeStr``, summing only
    the advances: ``shapeStr`` builds a glyph string in Python for every word measured, and
    line breaking measures every word and line (a quarter of a report's build).
    Remembered, as the fonts' HarfBuzz objects are (:func:`_hb_font`): the reference report
    measures 2,018 different words and lines 11,064 times, ~20 µs each.
    """
    font = pdfmetrics.getFont(font_name)
    if text and getattr(font, "shapable", False):
        buf = _hb_shaped(text, _hb_font(font_name, font_size))
        face = font.face
        scale = face._pdfScale  # font units to 1/1000 em, as ReportLab's own widths
        advances = [scale(p.x_advance) for p in buf.glyph_positions]
        if _changed(text, face, buf.glyph_infos, buf.glyph_positions, advances):
            return sum(advances) * font_size / 1000
    return pdfmetrics.stringWidth(text, font_name, font_size)


def _changed(text: str, face, infos, positions, advances) -> bool:
    """Whether shaping changed anything (ReportLab's test in ``shapeFragWord``): if not,
    ReportLab measures the plain string, and so must we, to the last bit."""
    for i, (info, pos, advance) in enumerate(zip(infos, positions, advances)):
        chars = face.glyphToChar.get(info.codepoint)
        if not chars or i >= len(text) or text[i] != chr(chars[0]):
            return True
        if pos.x_offset or pos.y_offset or advance != face.charWidths[chars[0]]:
            return True
    return False


_FEATURES = dict(kern=True, liga=True, dlig=True)  # ReportLab's shapeFragWord defaults


@lru_cache(maxsize=64)
def _hb_font(font_name: str, font_size: float):
    return pdfmetrics.getFont(font_name).hbFont(font_size)


def _pieces(word: str, font: str, size: float, width: float) -> list[str]:
    """Last resort for a word wider than a line: dictionary sub-words, then clusters."""
    subwords = dictionary_subwords(word)
    if len(subwords) == 1:
        return clusters(word)
    return [p for sub in subwords
            for p in (clusters(sub) if text_width(sub, font, size) > width else [sub])]


def line_spans(text: str, font: str, size: float, width: float,
               first_width: float | None = None) -> list[tuple[int, int]]:
    """Greedy breaking at word boundaries; (start, end) of each line in ``text``.

    Explicit "\\n" always breaks. Spaces at a wrap are dropped; leading spaces of a hard
    line are kept. A word wider than a whole line starts a new line and is then cut
    into sub-words or clusters. Lines fit ``width`` unless a single cluster is wider.
    Remembered: ReportLab wraps a table cell or a kept-together block several times at
    the same width (the reference report: 1,928 wraps of 498 different ones).
    """
    return list(_line_spans(text, font, size, width, first_width))


@lru_cache(maxsize=8192)
def _line_spans(text: str, font: str, size: float, width: float,
                first_width: float | None) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []

    def limit() -> float:
        return first_width if first_width is not None and not spans else width

    start = 0
    for hard in text.split("\n"):
        units = deque(_offsets(start, thai_words(hard)))
        line: list[tuple[int, str]] = []
        used, emitted = 0.0, False

        def emit() -> None:
            nonlocal line, used, emitted
            while line and line[-1][1].isspace():
                line.pop()
            # the kerned width of the whole line may exceed the sum of its words
            while _word_count(line) > 1 and text_width(_join(line), font, size) > limit() + 1e-6:
                units.appendleft(line.pop())
                while line and line[-1][1].isspace():
                    line.pop()
            if line or not emitted:
                begin = line[0][0] if line else start
                spans.append((begin, line[-1][0] + len(line[-1][1]) if line else begin))
            line, used, emitted = [], 0.0, True

        while units:
            off, tok = units.popleft()
            w = text_width(tok, font, size)
            if tok.isspace():
                if line or not emitted:  # indentation and inner spaces; not after a wrap
                    line.append((off, tok))
                    used += w
                continue
            lim = limit()
            if used + w <= lim:
                line.append((off, tok))
                used += w
            elif _word_count(line):  # does not fit: retry on a fresh line
                units.appendleft((off, tok))
                emit()
            elif w <= lim:  # only indentation before it: drop the indentation
                line, used = [(off, tok)], w
            elif len(pieces := _pieces(tok, font, size, lim)) > 1:  # wider than any line
                units.extendleft(reversed(_offsets(off, pieces)))
            else:  # one cluster wider than the line: it overflows alone
                line.append((off, tok))
                used += w
        emit()
        start += len(hard) + 1
    return tuple(spans)


def _word_count(units: list[tuple[int, str]]) -> int:
    return sum(1 for _, tok in units if not tok.isspace())


def _offsets(start: int, pieces: list[str]) -> list[tuple[int, str]]:
    out, pos = [], start
    for p in pieces:
        out.append((pos, p))
        pos += len(p)
    return out


def _join(units: list[tuple[int, str]]) -> str:
    return "".join(tok for _, tok in units)


def break_lines(text: str, font_name: str, font_size: float, width: float) -> list[str]:
    """The lines ``ThaiParagraph`` would draw for ``text`` in a box ``width`` points wide."""
    return [text[a:b] for a, b in line_spans(text, font_name, font_size, width)]


_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "centre": TA_CENTER, "right": TA_RIGHT,
          "justify": TA_JUSTIFY}


def paragraph_style(name: str, size: float = 14, bold: bool = False, align: str | int = "left",
                    font: str = DEFAULT_FONT, italic: bool = False, leading: float | None = None,
                    **kwargs) -> ParagraphStyle:
    """A ParagraphStyle for Thai: registered family, shaping on, room for stacked marks.

    ``size`` is in Sarabun points and is scaled by the font's ``size_factor``, so changing
    the report font keeps the layout. The default leading is 1.45 x that size, but never
    less than the font's ascent+descent, so marks above and below never touch.
    """
    family = report_font(font)
    font_size = family.size(size)
    font_name = family.font_name(bold, italic)
    ascent, descent = pdfmetrics.getAscentDescent(font_name, font_size)
    if leading is None:
        leading = round(max(1.45 * size, ascent - descent), 2)
    return ParagraphStyle(name, fontName=font_name, fontSize=font_size, leading=leading,
                          alignment=_ALIGN.get(align, align), shaping=1, **kwargs)


def ink_outside(style: ParagraphStyle) -> tuple[float, float]:
    """How far ink can reach above the first and below the last line box of a ThaiParagraph.

    A line box is ``leading`` high with the font's ascent..descent centred in it, but Thai
    marks go further than the font's declared ascent and descent: in Sarabun ู reaches
    0.33 em below the baseline and the lowered ู under ฎ/ฏ 0.535 em (the font's bounding
    box), while a 10 pt line leaves 3.07 pt. A rule right above or below a Thai line needs
    this much padding (plus a little air) or the marks cut it.
    """
    font = pdfmetrics.getFont(style.fontName)
    ascent, descent = pdfmetrics.getAscentDescent(style.fontName, style.fontSize)
    half_gap = (style.leading - (ascent - descent)) / 2
    bbox = getattr(getattr(font, "face", None), "bbox", None) or (0, descent * 1000 / style.fontSize,
                                                                   0, ascent * 1000 / style.fontSize)
    above = bbox[3] * style.fontSize / 1000 - (ascent + half_gap)
    below = -bbox[1] * style.fontSize / 1000 - (half_gap - descent)
    return max(0.0, above), max(0.0, below)


def ink_below(style: ParagraphStyle) -> float:
    return ink_outside(style)[1]


RULE_AIR = 1.0  # points between the furthest mark and a rule


def rule_padding(*styles: ParagraphStyle, above: bool = False, air: float = RULE_AIR) -> float:
    """Padding for cells whose Thai lines sit right under (``above=True``: the rule is above
    the text) or right on a rule (see :func:`ink_outside`)."""
    side = 0 if above else 1
    return round(max((ink_outside(st)[side] for st in styles), default=0.0) + air, 2)


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))  # no glyph in Sarabun


def clean_text(text) -> str:
    """Newlines to "\\n", tabs to a space, drop control and zero-width characters.

    They have no glyph and would be drawn as .notdef boxes. U+200B "break hints" are not
    needed: newmm finds the word boundaries.
    """
    text = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(ch for ch in text.translate(_INVISIBLE)
                   if ch == "\n" or unicodedata.category(ch) != "Cc")


class ThaiParagraph(Flowable):
    """Plain text (no markup) drawn shaped and wrapped at Thai word boundaries.

    Uses from ``style``: fontName, fontSize, leading, alignment (left/center/right;
    justify is drawn left), textColor, leftIndent, rightIndent, firstLineIndent,
    spaceBefore, spaceAfter. Wrapping keeps only the text, so any number of wraps at
    any widths is safe (Tables wrap cells repeatedly); split() cuts between lines.
    """

    def __init__(self, text: str, style: ParagraphStyle, _continued: bool = False):
        super().__init__()
        self.text = clean_text(text)
        self.style = style
        self._continued = _continued  # second half of a split: no first-line indent
        self._spans: list[tuple[int, int]] = []

    def __repr__(self) -> str:
        return f"ThaiParagraph({self.text[:30]!r}...)"

    def _first_indent(self) -> float:
        return 0 if self._continued else self.style.firstLineIndent

    def _layout(self, avail_width: float) -> list[tuple[int, int]]:
        st = self.style
        inner = avail_width - st.leftIndent - st.rightIndent
        return line_spans(self.text, st.fontName, st.fontSize, inner, inner - self._first_indent())

    def wrap(self, availWidth, availHeight):
        self._spans = self._layout(availWidth) if self.text else []
        self.width = availWidth
        self.height = len(self._spans) * self.style.leading
        return availWidth, self.height

    def minWidth(self) -> float:
        """Widest single word, so Table's automatic column widths never cut words."""
        st = self.style
        words = [w for w in thai_words(self.text) if not w.isspace()]
        widest = max((text_width(w, st.fontName, st.fontSize) for w in words), default=0)
        return widest + st.leftIndent + st.rightIndent + self._first_indent()

    def split(self, availWidth, availHeight):
        spans = self._layout(availWidth)
        fit = int((availHeight + 1e-6) // self.style.leading)
        if fit >= len(spans):
            return [self]
        if fit <= 0:
            return []
        head = ThaiParagraph(self.text[: spans[fit - 1][1]], self.style, self._continued)
        tail = ThaiParagraph(self.text[spans[fit][0]:], self.style, _continued=True)
        head.spaceAfter = 0
        tail.spaceBefore = 0
        return [head, tail]

    def draw(self):
        st, canv = self.style, self.canv
        ascent, descent = pdfmetrics.getAscentDescent(st.fontName, st.fontSize)
        # centre the font's ascent..descent box in each line box
        y = self.height - (st.leading - (ascent - descent)) / 2 - ascent
        canv.setFillColor(st.textColor)
        canv.setFont(st.fontName, st.fontSize, st.leading)
        for i, (a, b) in enumerate(self._spans):
            line = self.text[a:b]
            left = st.leftIndent + (self._first_indent() if i == 0 else 0)
            room = self.width - st.rightIndent - left
            x = left
            if st.alignment in (TA_CENTER, TA_RIGHT):
                free = room - text_width(line, st.fontName, st.fontSize)
                x += free / 2 if st.alignment == TA_CENTER else free
            if line:
                draw_with_actual_text(canv, x, y, line)
            y -= st.leading


def draw_shaped(canv, x: float, y: float, text: str) -> None:
    """Draw one line shaped by HarfBuzz in the canvas's current font.

    Not ``canvas.drawString(shaping=True)``: in ReportLab 5.1 that only shapes when the
    optional ``rlbidi`` package is installed and otherwise silently draws unshaped text.
    """
    t = canv.beginText(x, y)
    t.textLine(shape_for_pdf(text, canv._fontname, canv._fontsize))
    canv.drawText(t)


def shape_for_pdf(text: str, font_name: str, font_size: float) -> str:
    """``text`` shaped by HarfBuzz, ready to draw with the font's keys.

    Each glyph is drawn through the font's key for the text it stands for
    (:meth:`~itadesk.report.pdf_font_map.TextMappedTTFont.glyph_key`), so the font's ToUnicode map,
    which every viewer reads, holds the real characters. HarfBuzz draws sara am as nikhahit +
    sara aa, two glyphs for one character; where nothing stands on the nikhahit, the font's
    own sara am glyph (the same ring and aa) is drawn instead, so no glyph maps to nothing.
    """
    font = pdfmetrics.getFont(font_name)
    if not getattr(font, "shapable", False):
        return text
    return _shaped_for_pdf(text, font_name, font_size, font)


@lru_cache(maxsize=4096)
def _shaped_for_pdf(text: str, font_name: str, font_size: float, font):
    """:func:`shape_for_pdf`, remembered for the font object (its keys are its own): a report
    draws the same footer, headers and figures on many pages (724 different of 1,018 lines)."""
    shaped = _shape(text, font_name, font_size)
    if not isinstance(shaped, ShapedStr) or not hasattr(font, "glyph_key"):
        return shaped
    chars, data = _compose_sara_am(text, list(str(shaped)), list(shaped.__shapeData__), font)
    texts = glyph_texts(text, [d.cluster for d in data], [font.glyph_chars(ch) for ch in chars])
    if texts is None:  # clusters out of order (not seen for Thai): keep ReportLab's codes
        return shaped
    return ShapedStr("".join(font.glyph_key(ch, t) for ch, t in zip(chars, texts)), shapeData=data)


def _shape(text: str, font_name: str, font_size: float):
    """``shapeStr(text, font_name, font_size, force=True)`` for one font, the same glyph
    string and ShapeData, without ReportLab's per-glyph bookkeeping for mixed fonts
    (``glyph_to_string`` of every glyph, four ``pdfScale`` method calls): a quarter of the
    time of drawing a report's lines. ``test_shaping_matches_reportlab`` holds it to that."""
    if not text or uharfbuzz is None:
        return shapeStr(text, font_name, font_size, force=True)
    font = pdfmetrics.getFont(font_name)
    hb_font = _hb_font(font_name, font_size)
    buf = _hb_shaped(text, hb_font)
    face = font.face
    to_char, widths, scale = face.glyphToChar, face.charWidths, face._pdfScale
    chars, data = [], []
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions):
        gid = info.codepoint
        found = to_char.get(gid)
        uchar = found[0] if found else font.hbAddPrivate(hb_font.glyph_to_string(gid), gid, pos.x_advance)
        chars.append(chr(uchar))
        data.append(ShapeData(info.cluster, scale(pos.x_advance), scale(pos.y_advance), scale(pos.x_offset),
                              scale(pos.y_offset), widths[uchar]))
    return ShapedStr("".join(chars), shapeData=data)


def copied_text(shaped: str, font_name: str) -> str:
    """What a viewer reading only the ToUnicode map copies for a line drawn as ``shaped``."""
    font = pdfmetrics.getFont(font_name)
    text_of = getattr(font, "text_of", chr)
    return "".join(text_of(ord(ch)) for ch in shaped)


_NIKHAHIT, _SARA_AA, _SARA_AM = "\u0E4D", "\u0E32", "\u0E33"


def _compose_sara_am(text: str, chars: list[str], data: list, font) -> tuple[list[str], list]:
    """Nikhahit + sara aa of one sara am, nothing between them, as the font's sara am glyph."""
    if _SARA_AM not in text or _SARA_AM not in map(chr, font.face.charToGlyph):
        return chars, data
    out_chars, out_data = [], []
    i = 0
    while i < len(chars):
        if (i + 1 < len(chars) and chars[i] == _NIKHAHIT and chars[i + 1] == _SARA_AA
                and data[i].cluster == data[i + 1].cluster and data[i].y_offset == 0
                and text[data[i].cluster:].startswith(_SARA_AM)
                and (i + 2 == len(chars) or data[i + 2].cluster != data[i].cluster)):
            aa = data[i + 1]
            out_chars.append(_SARA_AM)
            out_data.append(aa._replace(x_advance=data[i].x_advance + aa.x_advance,
                                        width=font.face.charWidths.get(ord(_SARA_AM), aa.width)))
            i += 2
            continue
        out_chars.append(chars[i])
        out_data.append(data[i])
        i += 1
    return out_chars, out_data


def glyph_texts(text: str, clusters: list[int], designed: list[str]) -> list[str] | None:
    """The text each glyph stands for, in drawing order.

    ``clusters`` is HarfBuzz's cluster (index into ``text``) of each glyph, ``designed`` the
    characters each glyph was drawn for by design (see ``TextMappedTTFont.glyph_chars``).
    The characters of a cluster are shared among its glyphs in order, each glyph getting at
    least one, and as many of its own designed characters as can be. A cluster with more
    glyphs than characters is shared in compatibility parts (ำ as ํ + า), which a search
    that normalises still finds; joined, the texts are then not ``text`` exactly. Returns
    None if the clusters go backwards.
    """
    out: list[str] = []
    i = 0
    while i < len(clusters):
        j = i
        while j < len(clusters) and clusters[j] == clusters[i]:
            j += 1
        end = clusters[j] if j < len(clusters) else len(text)
        if end < clusters[i]:
            return None
        out += _share(text[clusters[i]:end], designed[i:j])
        i = j
    return out


def _share(piece: str, designed: list[str]) -> list[str]:
    """Cut ``piece`` into ``len(designed)`` ordered parts, best matching each glyph's design."""
    if "".join(designed) == piece:
        return list(designed)
    k = len(designed)
    if k == 1:
        return [piece]
    if k > len(piece):
        piece = unicodedata.normalize("NFKD", piece)
    n = len(piece)
    wanted = [set(d) | {p for ch in d for p in _parts(ch)} for d in designed]

    def score(g: int, a: int, b: int) -> int:
        return sum(1 for ch in piece[a:b] if ch in wanted[g] or _parts(ch) & wanted[g])

    need = 1 if k <= n else 0  # every glyph gets a character when there are enough
    best: dict[int, tuple[int, list[int]]] = {0: (0, [])}  # end of the parts so far -> score, cuts
    for g in range(k):
        nxt: dict[int, tuple[int, list[int]]] = {}
        for a, (total, cuts) in best.items():
            for b in ([n] if g == k - 1 else range(a + need, n + 1)):
                if b - a < need:
                    continue
                cand = (total + score(g, a, b), cuts + [b])
                if b not in nxt or cand[0] > nxt[b][0]:
                    nxt[b] = cand
        best = nxt
    cuts = best[n][1]
    return [piece[a:b] for a, b in zip([0] + cuts[:-1], cuts)]


@lru_cache(maxsize=256)
def _parts(ch: str) -> frozenset[str]:
    """The characters of a compatibility decomposition (ำ -> ํ, า); empty if none."""
    decomposition = unicodedata.decomposition(ch).replace("<compat>", "").split()
    return frozenset(chr(int(h, 16)) for h in decomposition)


def actual_text_begin(text: str) -> str:
    """The operator that opens a marked-content span whose ``/ActualText`` is ``text``.

    ActualText gives copy/paste and search the real characters: the shaped glyphs of
    lowered or shifted tone marks are private-use code points in the font's ToUnicode map.
    The text is written as a UTF-16BE hex string (with BOM), so no character needs escaping.
    """
    return f"/Span <</ActualText <FEFF{text.encode('utf-16-be').hex()}>>> BDC"


def draw_with_actual_text(canv, x: float, y: float, text: str) -> None:
    """:func:`draw_shaped` inside an ActualText span: what every Thai line of the report uses.

    The font's ToUnicode map already gives every glyph its text (``shape_for_pdf``), which
    is what MuPDF and pdf.js read. Poppler reads the map too, but orders the marks of a
    cluster by where they are drawn (ที่ comes out ท่ี), and honours ActualText.
    """
    canv.addLiteral(actual_text_begin(text))
    draw_shaped(canv, x, y, text)
    canv.addLiteral("EMC")


def cell(text, style: ParagraphStyle | None = None) -> ThaiParagraph:
    """A table cell: ``Table([[cell("หัวข้อ", head), cell(value)], ...])``."""
    return ThaiParagraph("" if text is None else str(text), style or _default_cell_style())


@lru_cache(maxsize=1)
def _default_cell_style() -> ParagraphStyle:
    return paragraph_style("ThaiCell", size=12)
