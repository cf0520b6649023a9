"""Layout of the printed report read back from the pages: footer, signatures, page fill, metadata.

The reference report and the long-text document come from ``conftest.report_documents``
(made by the real ``itadesk import`` and ``itadesk report``).
"""

from __future__ import annotations

import re
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


# --- metadata -----------------------------------------------------------------------------------

NS = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "dc": "http://purl.org/dc/elements/1.1/", "pdf": "http://ns.adobe.com/pdf/1.3/",
      "xmp": "http://ns.adobe.com/xap/1.0/"}


def xmp_fields(packet: str) -> dict[str, list[str] | str]:
    """The fields of an XMP packet, parsed as XML (a malformed packet fails here)."""
    import xml.etree.ElementTree as ET

    body = packet[packet.index("<x:xmpmeta"):packet.index("</x:xmpmeta>") + len("</x:xmpmeta>")]
    desc = ET.fromstring(body).find("rdf:RDF/rdf:Description", NS)
    out: dict[str, list[str] | str] = {}
    for child in desc:
        tag = child.tag.split("}")[1]
        prefix = next(k for k, v in NS.items() if child.tag.startswith("{" + v))
        items = child.findall(".//rdf:li", NS)
        out[f"{prefix}:{tag}"] = [li.text for li in items] if items else child.text
    return out


def test_xmp_packet_read_back_by_two_tools_agrees_with_the_info_dictionary(report_documents):
    """PyMuPDF (MuPDF) and poppler's pdfinfo both find the packet; it says what Info says,
    with the organization as creator, the language th-TH and the same creation time."""
    import subprocess
    from datetime import datetime

    import pymupdf

    pdf = report_documents["long-text"]["pdf"]
    with pymupdf.open(str(pdf)) as doc:
        info, mupdf_packet = doc.metadata, doc.get_xml_metadata()
    poppler_packet = subprocess.run(["pdfinfo", "-meta", str(pdf)], check=True, capture_output=True,
                                    text=True).stdout
    assert xmp_fields(mupdf_packet) == xmp_fields(poppler_packet)
    xmp = xmp_fields(mupdf_packet)
    assert xmp["dc:title"] == [info["title"]] * 2 and info["title"].startswith("การนำผลการประเมิน ITA")
    assert xmp["dc:creator"] == [LONG_ORG] == [info["author"]]
    assert xmp["dc:description"] == [info["subject"]] * 2 and "คุณธรรมและความโปร่งใส" in info["subject"]
    assert xmp["pdf:Keywords"] == info["keywords"] and LONG_ORG in xmp["dc:subject"]
    assert xmp["dc:language"] == ["th-TH"]
    assert xmp["xmp:CreatorTool"] == info["creator"].strip() and xmp["dc:format"] == "application/pdf"
    created = datetime.fromisoformat(xmp["xmp:CreateDate"])
    stamp = info["creationDate"]  # D:YYYYMMDDHHmmSS+HH'mm'
    assert created.strftime("%Y%m%d%H%M%S") == stamp[2:16]
    assert created.utcoffset().total_seconds() == (1 if stamp[16] == "+" else -1) * (
        int(stamp[17:19]) * 3600 + int(stamp[20:22]) * 60)
    assert b"/Lang (th-TH)" in pdf.read_bytes()


# --- the signatures -----------------------------------------------------------------------------

@pytest.mark.parametrize("document", ["reference", "long-text"])
def test_signatures_whole_on_a_portrait_page_after_the_plan_with_what_they_approve(report_documents, document):
    """Both signature blocks, each with its date line, on one portrait page that follows the
    landscape plan and also says what is approved: never a page of signatures alone."""
    import pymupdf

    with pymupdf.open(str(report_documents[document]["pdf"])) as doc:
        pages = [(page.rect.width > page.rect.height, page.get_text()) for page in doc]
    signed = [i for i, (_, text) in enumerate(pages) if "ลงชื่อ" in text]
    assert signed == [len(pages) - 1], signed  # one page, the last
    landscape, text = pages[-1]
    assert not landscape and pages[-2][0]  # portrait, right after a landscape plan page
    assert text.count("ลงชื่อ") == 2 and "ผู้จัดทำ" in text and "ผู้อนุมัติ" in text
    assert text.count("ตำแหน่ง") == 2 and len(re.findall(r"วันที่ \.+ เดือน \.+ พ\.ศ\. \.+", text)) == 2
    flat = re.sub(r"\s+", "", text)
    assert "การเสนอและอนุมัติรายงาน" in flat
    assert re.search(r"จัดทำแผนการดำเนินงาน\d+มาตรการใน\d+ประเด็น", flat)
    assert "ระยะเวลาดำเนินงาน1ตุลาคม2568–30กันยายน2569" in flat
    assert "จึงเสนอรายงานฉบับนี้ต่อผู้บริหารเพื่อพิจารณาอนุมัติ" in flat
