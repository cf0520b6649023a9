"""The text four PDF engines extract, and the share of the input's Thai phrases found in it.

poppler (Evince, Okular, ``pdftotext``), PDFium (Chrome, Edge; ``pypdfium2``), MuPDF
(SumatraPDF, mupdf; ``PyMuPDF``, AGPL: used only here, in the tests, never shipped) and pdf.js
(Firefox and most web viewers; ``pdfjs-dist`` run by node, installed by ``npm ci`` in
``tests/report/pdfjs``, see ``.ci/run``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

PDFJS = Path(__file__).parent / "pdfjs"
ENGINES = ("poppler", "pdfium", "mupdf", "pdfjs")
_THAI = re.compile("[\u0e01-\u0e5b]")


def pdfjs_missing() -> str | None:
    """Why pdf.js cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed: pdf.js (Firefox's PDF engine) cannot be measured"
    if not (PDFJS / "node_modules" / "pdfjs-dist").is_dir():
        return f"pdfjs-dist is not installed: run `npm ci --prefix {PDFJS}` (.ci/run does)"
    return None


def extract(engine: str, pdf: Path) -> str:
    """All pages' text as the engine gives it to copy and search, pages joined by form feeds."""
    if engine == "poppler":
        return subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                              text=True).stdout
    if engine == "pdfium":
        import pypdfium2

        doc = pypdfium2.PdfDocument(str(pdf))
        try:
            return "\f".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
        finally:
            doc.close()
    if engine == "mupdf":
        import pymupdf

        with pymupdf.open(str(pdf)) as doc:
            return "\f".join(page.get_text() for page in doc)
    if engine == "pdfjs":
        return subprocess.run(["node", str(PDFJS / "extract.mjs"), str(pdf)], check=True,
                              capture_output=True, text=True).stdout
    raise ValueError(engine)


def thai_phrases(*texts: str) -> list[str]:
    """The space-delimited pieces of the input that contain Thai."""
    return [p for t in texts for p in t.split() if _THAI.search(p)]


def phrase_share(phrases: list[str], extracted: str) -> tuple[float, list[str]]:
    """Share of phrases found exactly in the text (line ends and spaces ignored), and the misses."""
    flat = re.sub(r"\s+", "", extracted)
    missing = [p for p in phrases if p not in flat]
    return 1 - len(missing) / len(phrases), missing


def printed_inputs(source: Path) -> list[str]:
    """The texts of the current year that the report prints as the office typed them."""
    current = json.loads(source.read_text(encoding="utf-8"))[-1]
    org = current["organization"]
    texts = [org["name"], org.get("district", ""), org.get("province", "")]
    texts += list(current["analysis"].values()) + list(current["recommendations"].values())
    texts += [a[k] for a in current["actions"] for k in ("measure", "owner", "steps")]
    return texts
