"""ไฟล์ → พิมพ์… printed to a PDF file (Qt's PDF printer): the pages chosen, as many copies as
asked, landscape where the report is landscape, and each sheet the report's page as laid out."""

from __future__ import annotations

import subprocess

from PIL import Image, ImageChops, ImageFilter, ImageStat
from PySide6.QtPrintSupport import QPrinter

from itadesk.ui.print_report import print_report
from tests.gui.conftest import reference_file


def _pdf_printer(path):
    printer = QPrinter(QPrinter.HighResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(150)
    return printer


def _sizes(pdf):
    info = subprocess.run(["pdfinfo", "-l", "200", str(pdf)], capture_output=True, text=True, check=True).stdout
    out = []
    for line in info.splitlines():
        if line.startswith("Page") and "size:" in line:
            w, h = line.split("size:")[1].split("pts")[0].split(" x ")
            out.append((float(w), float(h)))
    return out


def _render(pdf, page, folder, name):
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", str(page), "-l", str(page), "-singlefile", "-png",
                    str(pdf), str(folder / name)], check=True)
    return Image.open(folder / f"{name}.png")


def _difference(a, b) -> float:
    """Mean grey difference of two page pictures, blurred so a pixel's shift is not a change."""
    blur = ImageFilter.GaussianBlur(3)
    return ImageStat.Stat(ImageChops.difference(a.filter(blur), b.resize(a.size).filter(blur))).mean[0]


def test_print_range_and_copies_to_a_pdf_printer(window, tmp_path, reference_json, monkeypatch):
    import itadesk.report.pdf as pdf_module

    assert window.open_document(reference_file(tmp_path / "ITA.db", reference_json))
    kept = {}
    real_build = pdf_module.build_pdf

    def keep(data, output, **kw):  # keep a copy of the report PDF the printing used, to compare
        result = real_build(data, output, **kw)
        kept["pdf"] = tmp_path / "source.pdf"
        kept["pdf"].write_bytes(result.path.read_bytes())
        return result

    monkeypatch.setattr(pdf_module, "build_pdf", keep)
    out = tmp_path / "printed.pdf"
    printer = _pdf_printer(out)
    printer.setCopyCount(2)
    printer.setCollateCopies(True)
    printer.setPrintRange(QPrinter.PageRange)
    # pages 2-3 (the summary, portrait) twice; then the last two pages (part 2, landscape)
    printer.setFromTo(2, 3)
    assert print_report(window, window.context, printer, ask=False) == 4
    source_pages = _sizes(kept["pdf"])
    printed = _sizes(out)
    assert len(printed) == 4  # 2 pages x 2 copies, collated
    for w, h in printed:
        assert abs(w - 595.3) < 3 and abs(h - 841.9) < 3  # A4 portrait, like the source's pages 2-3
    # each printed sheet is the report's page: compare the pictures
    for sheet, page in ((1, 2), (2, 3), (3, 2), (4, 3)):
        a = _render(out, sheet, tmp_path, f"printed-{sheet}")
        same = _difference(a, _render(kept["pdf"], page, tmp_path, f"source-{page}"))
        other = _difference(a, _render(kept["pdf"], 5 - page, tmp_path, f"source-{5 - page}"))
        assert same < 9 and same < other / 2, (sheet, page, same, other)
    # part 2's last plan page is landscape and printed landscape (the signature page after it
    # is portrait again)
    landscape = [number for number, (w, h) in enumerate(source_pages, 1) if w > h]
    assert landscape and landscape[-1] < len(source_pages)
    last = landscape[-1]
    out2 = tmp_path / "last.pdf"
    printer = _pdf_printer(out2)
    printer.setPrintRange(QPrinter.PageRange)
    printer.setFromTo(last - 1, last)
    assert print_report(window, window.context, printer, ask=False) == 2
    sizes = _sizes(out2)
    assert sizes[-1][0] > sizes[-1][1]
    a = _render(out2, 2, tmp_path, "printed-last")
    assert _difference(a, _render(kept["pdf"], last, tmp_path, "source-last")) < 9
