"""The PDF's XMP metadata packet, beside the Info dictionary and the catalog's /Lang.

Search engines, website document libraries and archive tools read the XMP packet first (the
Info dictionary is deprecated in PDF 2.0), and only XMP says in which language the title
and description are. ReportLab writes the Info dictionary itself; it has an XMP stream class
but no packet, so the packet is written here: Dublin Core title, creator (the organization),
description, subject and language, Adobe PDF keywords and producer, XMP dates and tool.
The stream is left unfiltered, as PDF/A asks of metadata, so a tool scanning the file's
bytes finds it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFStream, format as pdf_format


@dataclass(frozen=True)
class Metadata:
    title: str
    creator: str  # the organization
    description: str
    keywords: tuple[str, ...]
    language: str  # "th-TH"
    tool: str  # "ITA Desk 0.1.0"
    producer: str


def escape(text: str, entities: dict[str, str] | None = None) -> str:
    """``xml.sax.saxutils.escape``: &, < and > (and ``entities``) as XML entities. Written out
    here because importing ``xml.sax.saxutils`` loads ``urllib.request``, ``http.client`` and
    ``ssl`` (~10 ms of every report)."""
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for char, entity in (entities or {}).items():
        text = text.replace(char, entity)
    return text


def xmp_packet(meta: Metadata, created: datetime) -> bytes:
    """The XMP packet (UTF-8) of ``meta``; ``created`` is the time also in the Info dictionary."""
    lang = escape(meta.language, {'"': "&quot;"})
    when = created.isoformat(timespec="seconds")

    def alt(text: str) -> str:
        return (f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li>'
                f'<rdf:li xml:lang="{lang}">{escape(text)}</rdf:li></rdf:Alt>')

    def items(kind: str, values) -> str:
        return f"<rdf:{kind}>" + "".join(f"<rdf:li>{escape(v)}</rdf:li>" for v in values) + f"</rdf:{kind}>"

    body = f"""<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <dc:format>application/pdf</dc:format>
   <dc:title>{alt(meta.title)}</dc:title>
   <dc:creator>{items("Seq", [meta.creator])}</dc:creator>
   <dc:description>{alt(meta.description)}</dc:description>
   <dc:subject>{items("Bag", meta.keywords)}</dc:subject>
   <dc:language>{items("Bag", [meta.language])}</dc:language>
   <pdf:Keywords>{escape(", ".join(meta.keywords))}</pdf:Keywords>
   <pdf:Producer>{escape(meta.producer)}</pdf:Producer>
   <xmp:CreatorTool>{escape(meta.tool)}</xmp:CreatorTool>
   <xmp:CreateDate>{when}</xmp:CreateDate>
   <xmp:ModifyDate>{when}</xmp:ModifyDate>
   <xmp:MetadataDate>{when}</xmp:MetadataDate>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>"""
    padding = "\n".join([" " * 99] * 20)  # room for an editor to update the packet in place
    packet = (f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n{body}\n{padding}\n'
              f'<?xpacket end="w"?>')
    return packet.encode("utf-8")


def mend_utc_offset(stamp) -> None:
    """ReportLab's ``TimeStamp`` takes the minutes of the UTC offset as ``seconds % 3600 % 60``,
    always 0: in Myanmar (+06:30), India (+05:30) or Newfoundland (−03:30) the Info dictionary's
    date named a moment half an hour off the XMP packet's. Set them from the offset itself."""
    if stamp.tzname == "UTC":  # also ReportLab's invariant and SOURCE_DATE_EPOCH stamps
        return
    seconds = int(datetime.fromtimestamp(stamp.t).astimezone().utcoffset().total_seconds())
    stamp.dhh, stamp.dmm = int(seconds / 3600), abs(seconds) % 3600 // 60


class XmpStream(PDFStream):
    """The catalog's /Metadata stream, made when the file is written (the Info dictionary's
    time stamp is known then), unfiltered."""

    def __init__(self, meta: Metadata):
        super().__init__(dictionary=PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}))
        self.meta = meta

    def format(self, document):
        stamp = document._timeStamp  # what ReportLab writes as the Info dictionary's CreationDate
        created = datetime.fromtimestamp(stamp.t, timezone.utc) if stamp.tzname == "UTC" else \
            datetime.fromtimestamp(stamp.t).astimezone()
        content = document.encrypt.encode(xmp_packet(self.meta, created))
        dictionary = PDFDictionary(dict(self.dictionary.dict, Length=len(content)))
        return pdf_format(dictionary, document) + b"\nstream\n" + content + b"\nendstream\n"


__all__ = ["Metadata", "XmpStream", "mend_utc_offset", "xmp_packet"]
