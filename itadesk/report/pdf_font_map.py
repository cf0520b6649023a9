"""The report font as ReportLab embeds it, with a ToUnicode map that says which text each
shaped glyph stands for (so copying and searching the PDF give the Thai that was written).

Apart from :mod:`itadesk.report.fonts` (which only finds the font files) because it needs
ReportLab: ``itadesk report`` chooses the font and starts the process drawing the charts
before ReportLab is loaded (:mod:`itadesk.report.chart_process`).
"""

from __future__ import annotations

import re
import threading

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

_KEY_BASE = 0xF0000  # Supplementary Private Use Area-A: no report text uses it
_GLYPH_NAME = re.compile(r"^uni((?:[0-9A-F]{4})+)(?:[._].*)?$")


class TextMappedTTFont(TTFont):
    """A TTFont whose ToUnicode map says which text each shaped glyph stands for.

    HarfBuzz turns Thai into glyphs the font's cmap does not name (``uni0E48.small``, the
    ligature ``uni0E4D0E49`` of nikhahit and mai tho, the nikhahit half of sara am), and
    ReportLab gives those private-use codes in the ToUnicode map, so a viewer that ignores
    ``/ActualText`` (MuPDF, pdf.js) copies ``ที<E001>`` for ที่. Here every glyph drawn by
    :func:`~itadesk.report.thai_text.draw_shaped` is drawn through a *key*: a private code
    point allocated once per (glyph, text) pair, which the subset encodes like any other
    character and whose ToUnicode entry is that text. A glyph used for different text
    (the mark of one cluster standing for "้ำ", of another for "ำ") gets one key each.
    """

    def __init__(self, name, filename, **kwargs):
        super().__init__(name, filename, **kwargs)
        self._keys: dict[tuple[int, str], int] = {}
        self._key_text: dict[int, str] = {}
        self._lock = threading.Lock()

    def glyph_key(self, char: str, text: str) -> str:
        """The character to draw for the glyph ReportLab shaped as ``char``, copied as ``text``."""
        code = ord(char)
        if text == char and not _private(code):
            return char  # the font's own cmap already says it
        face = self.face
        gid = face.charToGlyph.get(code, 0)
        with self._lock:
            key = self._keys.get((gid, text))
            if key is None:
                key = _KEY_BASE + len(self._keys)
                face.charToGlyph[key] = gid
                face.charWidths[key] = face.charWidths.get(code, face.defaultWidth)
                self._keys[(gid, text)] = key
                self._key_text[key] = text
        return chr(key)

    def glyph_chars(self, char: str) -> str:
        """The characters a shaped glyph is drawn for by design: its cmap character, or those
        its name spells (``uni0E4D0E49`` -> "ํ้", ``uni0E48.small`` -> "่")."""
        code = ord(char)
        if not _private(code):
            return char
        gid = self.face.charToGlyph.get(code, 0)
        match = _GLYPH_NAME.match(self.hbFont().glyph_to_string(gid) or "")
        if not match:
            return ""
        hexes = match.group(1)
        return "".join(chr(int(hexes[i:i + 4], 16)) for i in range(0, len(hexes), 4))

    def text_of(self, code: int) -> str:
        """What ToUnicode says for a character of the subset."""
        return self._key_text.get(code, chr(code))

    def addObjects(self, doc):
        """ReportLab's ``TTFont.addObjects`` (5.1) with :func:`to_unicode_cmap` for the map."""
        state = self._assignState(doc)
        state.frozen = 1
        for n, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(n, doc)[1:]
            base_name = b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX)).decode("pdfdoc")
            pdf_font = pdfdoc.PDFTrueTypeFont()
            pdf_font.__Comment__ = f"Font {self.fontName} subset {n}"
            pdf_font.Name = internal_name
            pdf_font.BaseFont = base_name
            pdf_font.FirstChar = 0
            pdf_font.LastChar = len(subset) - 1
            pdf_font.Widths = pdfdoc.PDFArray(list(map(self.face.getCharWidth, subset)))
            cmap = pdfdoc.PDFStream()
            cmap.content = to_unicode_cmap(base_name, [self.text_of(code) for code in subset])
            if doc.compression:
                cmap.filters = [pdfdoc.PDFZCompress]
            pdf_font.ToUnicode = doc.Reference(cmap, "toUnicodeCMap:" + base_name)
            pdf_font.FontDescriptor = self.face.addSubsetObjects(doc, base_name, subset)
            doc.Reference(pdf_font, internal_name)
            doc.idToObject["BasicFonts"].dict[internal_name] = pdf_font
        del self.state[doc]


def _private(code: int) -> bool:
    return 0xE000 <= code <= 0xF8FF or code >= 0xF0000


def to_unicode_cmap(name: str, texts: list[str]) -> str:
    """A ToUnicode CMap for a one-byte subset: code ``i`` is ``texts[i]`` (UTF-16BE, any length).

    Entries go in blocks of at most 100 (the limit in the PDF reference).
    """
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
             f"/CMapName /{name} def", "/CMapType 2 def",
             "1 begincodespacerange", f"<00> <{len(texts) - 1:02X}>", "endcodespacerange"]
    entries = [f"<{i:02X}> <{text.encode('utf-16-be').hex().upper()}>" for i, text in enumerate(texts)]
    for start in range(0, len(entries), 100):
        block = entries[start:start + 100]
        lines += [f"{len(block)} beginbfchar", *block, "endbfchar"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)
