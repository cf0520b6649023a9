"""Report fonts: the bundled Sarabun family, plus the government TH Sarabun fonts if installed.

ReportLab embeds every ``TTFont`` as a subset, so a PDF made here opens the same on any
machine. Sarabun (OFL) ships with the program and is the default; "TH Sarabun New",
"TH SarabunIT๙" and "TH Sarabun PSK" are offered when found in the Windows or Linux font
folders, because many offices are told to use them.

Size factor: the TH Sarabun fonts draw their glyphs about 1.5x smaller than Sarabun at the
same point size (Sarabun was rescaled when it was revised for Google Fonts). Measured:
TH Sarabun New cap height 476/1000 em vs. Sarabun 700 (x1.47); sum of advances of the 46
Thai consonants 18659 vs. 28734 (x1.54); TLWG's Laksaman, TH Sarabun New rescaled to
Western proportions, comes out at x1.50. So ``size_factor = 1.5`` for the TH fonts:
16 pt TH Sarabun New looks like ~10.7 pt Sarabun, and 14 pt Sarabun like 21 pt TH Sarabun.
Report code picks sizes in Sarabun points and multiplies by ``size_factor``.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from itadesk.report import content
from itadesk.resources import resource_path

DEFAULT_FONT = content.DEFAULT_FONT
STYLES = ("regular", "bold", "italic", "bolditalic")
_STYLE_SUFFIX = {"regular": "", "bold": "-Bold", "italic": "-Italic", "bolditalic": "-BoldItalic"}
# Missing styles fall back (in order) to a style that exists, e.g. italic -> regular.
_FALLBACK = {"regular": (), "bold": ("regular",), "italic": ("regular",),
             "bolditalic": ("bold", "italic", "regular")}


@dataclass(frozen=True)
class ReportFont:
    """A font family the report can use. ``name`` is the ReportLab family name (ASCII)."""

    name: str
    display_name: str
    paths: dict[str, Path] = field(hash=False)  # style ("regular", "bold", ...) -> .ttf file
    size_factor: float = 1.0  # multiply a Sarabun point size by this for the same look
    bundled: bool = False

    def font_name(self, bold: bool = False, italic: bool = False) -> str:
        """The registered ReportLab font name of one style of this family."""
        style = ("bold" if bold else "") + ("italic" if italic else "") or "regular"
        return self.name + _STYLE_SUFFIX[style]

    def size(self, sarabun_points: float) -> float:
        return round(sarabun_points * self.size_factor, 2)


# family name, display name, file-name stems (normalised, see _stem_key) per style.
_SYSTEM_FAMILIES = (
    ("THSarabunNew", "TH Sarabun New", ("thsarabunnew",)),
    ("THSarabunIT9", "TH SarabunIT๙", ("thsarabunit9",)),
    ("THSarabunPSK", "TH Sarabun PSK", ("thsarabunpsk", "thsarabun")),
)
_TH_SIZE_FACTOR = 1.5
_STEM_STYLE = {"": "regular", "bold": "bold", "italic": "italic", "bolditalic": "bolditalic"}

_registered: dict[str, ReportFont] = {}


def _stem_key(path: Path) -> str:
    """'THSarabunIT๙ Bold Italic.ttf' -> 'thsarabunit9bolditalic' (case, separators, ๙ vs 9)."""
    stem = unicodedata.normalize("NFC", path.stem).lower().replace("๙", "9")
    return "".join(ch for ch in stem if ch not in " -_")


def bundled_font() -> ReportFont:
    paths = {s: resource_path("fonts", f"Sarabun{_STYLE_SUFFIX[s] or '-Regular'}.ttf") for s in STYLES}
    return ReportFont(DEFAULT_FONT, "Sarabun", paths, 1.0, bundled=True)


def system_font_dirs() -> list[Path]:
    """Folders where Windows, Linux and macOS keep installed fonts (existing ones only)."""
    home = Path.home()
    dirs: list[Path] = []
    if sys.platform == "win32":
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
        if os.environ.get("LOCALAPPDATA"):
            dirs.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    else:
        data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
        dirs += [data_home / "fonts", home / ".fonts", Path("/usr/local/share/fonts"),
                 Path("/usr/share/fonts"), home / "Library" / "Fonts", Path("/Library/Fonts")]
    return [d for d in dirs if d.is_dir()]


def _scan(font_dirs: list[Path]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in font_dirs:
        try:
            for path in folder.rglob("*"):
                if path.suffix.lower() == ".ttf":
                    found.setdefault(_stem_key(path), path)
        except OSError:
            continue
    return found


def available_report_fonts(font_dirs: list[Path] | None = None) -> list[ReportFont]:
    """Sarabun first, then each TH Sarabun family whose regular file is installed."""
    files = _scan(system_font_dirs() if font_dirs is None else [Path(d) for d in font_dirs])
    fonts = [bundled_font()]
    for name, display, stems in _SYSTEM_FAMILIES:
        for stem in stems:
            paths = {_STEM_STYLE[suffix]: files[stem + suffix]
                     for suffix in _STEM_STYLE if stem + suffix in files}
            if "regular" in paths:
                fonts.append(ReportFont(name, display, paths, _TH_SIZE_FACTOR))
                break
    return fonts


def register_report_font(name: str = DEFAULT_FONT, font_dirs: list[Path] | None = None) -> str:
    """Register one family (4 styles, missing ones fall back) with ReportLab; return its name.

    Also registers the family mapping so ``<b>``/``<i>`` and ``tt2ps`` find the bold and
    italic faces. Raises ``LookupError`` if the family is not installed.
    """
    if name in _registered:
        return name
    font = bundled_font() if name == DEFAULT_FONT else next(
        (f for f in available_report_fonts(font_dirs) if f.name == name), None)
    if font is None:
        raise LookupError(f"report font {name!r} is not installed")
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415 - loaded with the first font registered

    from itadesk.report.pdf_font_map import TextMappedTTFont  # noqa: PLC0415

    for style in STYLES:
        path = font.paths.get(style) or next(font.paths[f] for f in _FALLBACK[style] if f in font.paths)
        pdfmetrics.registerFont(TextMappedTTFont(font.font_name("bold" in style, "italic" in style), str(path)))
    pdfmetrics.registerFontFamily(name, normal=font.font_name(), bold=font.font_name(True),
                                  italic=font.font_name(italic=True),
                                  boldItalic=font.font_name(True, True))
    _registered[name] = font
    return name


def report_font(name: str = DEFAULT_FONT) -> ReportFont:
    """The ReportFont of a family, registering it first if needed."""
    return _registered[register_report_font(name)]


class PdfError(Exception):
    """The PDF could not be made or saved; ``str()`` is one Thai sentence for the officer.
    (Known as ``report.pdf.PdfError``; here so a font is chosen before the layout is loaded.)"""


def _font_key(name: str) -> str:
    return re.sub(r"[\s_-]", "", name).lower().replace("๙", "9")


def resolve_font(name: str | None, font_dirs=None) -> ReportFont:
    """The report font for a family or display name ("Sarabun", "TH Sarabun New", "THSarabunIT9")."""
    fonts = available_report_fonts(font_dirs)
    if not name:
        return fonts[0]
    key = _font_key(name)
    for font in fonts:
        if key in (_font_key(font.name), _font_key(font.display_name)):
            return font
    names = ", ".join(f.display_name for f in fonts)
    raise PdfError(f"ไม่พบแบบอักษร \"{name}\" ในเครื่องนี้ แบบอักษรที่ใช้ได้: {names}")
