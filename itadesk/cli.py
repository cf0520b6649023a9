"""The command line: the same document API and rules as the window, for scripts and district offices.

Exit codes: 0 success; 1 the command ran but found problems (``check``) or failed on input;
2 the file could not be opened. Every failure prints one Thai line on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

from itadesk import __version__
from itadesk.db.access import DocumentAccess, edit_file, read_file
from itadesk.db.errors import MESSAGES, DocumentError, kind_of
from itadesk.interchange import json_format
from itadesk.interchange.json_format import InterchangeError, to_dict
from itadesk.ita.catalog import CatalogError
from itadesk.ita.comparison import compare
from itadesk.ita.consistency import assessment_warnings, name_key, organization_warnings
from itadesk.ita.numbers import round2


class CliError(Exception):
    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def cmd_import(args) -> int:
    entries = []
    for source in args.inputs:
        entries += json_format.read_file(source)
    with edit_file(args.file, create=True) as doc:
        doc.import_entries(entries)
    print(f"นำเข้า {len(entries)} รายการไปยัง {args.file} แล้ว")
    return 0


def summary_rows(doc: DocumentAccess, org_name: str | None = None, year: int | None = None) -> list[dict]:
    orgs = {o.uuid: o for o in doc.organizations()}
    rows = []
    for org_uuid, fiscal_year, uuid in doc.assessment_keys():
        org = orgs[org_uuid]
        if org_name and name_key(org.name) != name_key(org_name):
            continue
        if year and fiscal_year != year:
            continue
        current = doc.load_assessment_by_uuid(uuid)
        comparison = compare(current, doc.previous_assessment(org_uuid, fiscal_year))
        ev = comparison.current
        tools = {k: (round2(v) if v is not None else None) for k, v in ev.tools.items()}
        rows.append({
            "organization": org.name,
            "fiscal_year": fiscal_year,
            "iit": tools.get("IIT"),
            "eit": tools.get("EIT"),
            "oit": tools.get("OIT"),
            "total": ev.total,
            "level": ev.level.name if ev.level else None,
            "change": comparison.overall.points,
        })
    return rows


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def cmd_summary(args) -> int:
    with read_file(args.file) as doc:
        rows = summary_rows(doc, args.org, args.year)
    if args.org and not rows:
        raise CliError(f"ไม่พบผลการประเมินของ {args.org}" + (f" ปี {args.year}" if args.year else ""))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    header = ["หน่วยงาน", "ปี", "IIT", "EIT", "OIT", "รวม", "ระดับ", "เปลี่ยนแปลง (คะแนน)"]
    print("\t".join(header))
    for r in rows:
        change = r["change"]
        change_text = "-" if change is None else f"{change:+.2f}"
        print("\t".join([r["organization"], str(r["fiscal_year"]), _fmt(r["iit"]), _fmt(r["eit"]),
                         _fmt(r["oit"]), _fmt(r["total"]), _fmt(r["level"]), change_text]))
    return 0


def cmd_export(args) -> int:
    with read_file(args.file) as doc:
        org = doc.find_organization(args.org)
        if org is None:
            raise CliError(f"ไม่พบหน่วยงาน {args.org} ในไฟล์")
        assessment = doc.load_assessment(org.uuid, args.year)
        if assessment is None:
            raise CliError(f"ไม่พบผลการประเมินของ {org.name} ปี {args.year}")
        data = to_dict(org, assessment)
    out = Path(args.output)
    write_text_atomically(out, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    print(f"ส่งออก {org.name} ปี {args.year} ไปยัง {out} แล้ว")
    return 0


def write_text_atomically(path: Path, text: str) -> None:
    """Temp file beside the target, fsync, rename: a full or pulled stick never leaves half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        kind = kind_of(exc)
        if kind is None:
            raise
        raise CliError(f"เขียนไฟล์ {path} ไม่ได้: {MESSAGES[kind]}") from exc


def check_problems(doc: DocumentAccess) -> list[str]:
    problems = [f"ข้อมูลขัดแย้งจากการรวมไฟล์ที่ยังไม่ได้เลือก: {c.description}" for c in doc.conflicts()]
    orgs = doc.organizations()
    problems += [w.message for w in organization_warnings(orgs)]
    names = {o.uuid: o.name for o in orgs}
    for org_uuid, year, uuid in doc.assessment_keys():
        for w in assessment_warnings(doc.load_assessment_by_uuid(uuid)):
            problems.append(f"{names[org_uuid]} ปี {year}: {w.message}")
    return problems


def cmd_check(args) -> int:
    try:
        with read_file(args.file) as doc:
            problems = check_problems(doc)
    except DocumentError as exc:
        raise CliError(str(exc), 2) from exc
    if problems:
        for p in problems:
            print(p)
        print(f"พบ {len(problems)} รายการที่ควรตรวจสอบ")
        return 1
    print("ไฟล์อยู่ในสภาพดี ไม่พบปัญหา")
    return 0


def cmd_merge(args) -> int:
    """Merge SOURCE into TARGET through the safe write path; exit 1 while conflicts remain."""
    with edit_file(args.target) as doc:
        report = doc.merge_file(args.source)
        remaining = doc.conflicts()
    print(report.summary())
    for conflict in remaining:
        print(f"- {conflict.description}")
    if remaining:
        print(f"ยังมี {len(remaining)} รายการที่ขัดแย้ง กรุณาเปิดไฟล์ {Path(args.target).name} ในโปรแกรมเพื่อเลือกค่า")
        return 1
    return 0


def cmd_report(args) -> int:
    """The printed report as PDF, from a read-only snapshot of the file (never written)."""
    from itadesk.report.content import ReportError, ReportOptions, build_report_data
    from itadesk.report.pdf import PdfError, build_pdf, resolve_font

    if Path(args.output).resolve() == Path(args.file).resolve():
        raise CliError("ชื่อไฟล์ PDF ซ้ำกับไฟล์ข้อมูล กรุณาตั้งชื่อไฟล์ PDF ใหม่ (เช่น รายงาน.pdf)")
    try:
        font = resolve_font(args.font)
    except PdfError as exc:
        raise CliError(str(exc)) from exc
    with read_file(args.file) as doc:
        org = doc.find_organization(args.org)
        if org is None:
            raise CliError(f"ไม่พบหน่วยงาน {args.org} ในไฟล์")
        try:
            data = build_report_data(doc, org.uuid, args.year,
                                     ReportOptions(thai_digits=args.thai_digits, font=font.name))
        except ReportError as exc:
            raise CliError(str(exc)) from exc
    try:
        result = build_pdf(data, args.output)
    except PdfError as exc:
        raise CliError(str(exc)) from exc
    print(f"สร้างรายงาน {org.name} ปี {args.year} ไปยัง {result.path} แล้ว ({result.pages} หน้า)")
    if result.warnings:
        print(f"หมายเหตุ: พบข้อมูลที่ไม่สอดคล้องกัน {result.warnings} รายการ พิมพ์ไว้ในรายงานแล้ว "
              "(ดูรายละเอียดด้วยคำสั่ง itadesk check)")
    return 0


class ThaiArgumentParser(argparse.ArgumentParser):
    """Argument mistakes end in one Thai line (and the usage), not argparse's English paragraph."""

    def error(self, message: str):  # noqa: D401 - argparse API
        self.print_usage(sys.stderr)
        detail = message
        for english, thai in (
            ("the following arguments are required: ", "ขาดข้อมูลที่ต้องระบุ: "),
            ("unrecognized arguments: ", "ไม่รู้จักตัวเลือก: "),
            ("invalid choice: ", "ไม่มีคำสั่ง "),
            ("argument ", "ตัวเลือก "),
            ("invalid int value: ", "ต้องเป็นตัวเลข: "),
            ("expected one argument", "ต้องระบุค่า"),
        ):
            detail = detail.replace(english, thai)
        self.exit(1, f"itadesk: {detail} (ดูวิธีใช้: itadesk {self.prog.split()[-1] if ' ' in self.prog else ''} --help)\n".replace("  ", " "))


def build_parser() -> argparse.ArgumentParser:
    parser = ThaiArgumentParser(prog="itadesk", description="ITA Desk: การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร")
    parser.add_argument("--version", action="version", version=f"ITA Desk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ThaiArgumentParser)

    p = sub.add_parser("import", help="นำเข้าผลการประเมินจากไฟล์ JSON")
    p.add_argument("file", help="ไฟล์ฐานข้อมูล .db (สร้างใหม่ถ้ายังไม่มี)")
    p.add_argument("inputs", nargs="+", help="ไฟล์ JSON")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("summary", help="สรุปคะแนนทุกปีในไฟล์ (อ่านอย่างเดียว)")
    p.add_argument("file")
    p.add_argument("--org")
    p.add_argument("--year", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("export", help="ส่งออกผลการประเมินเป็น JSON")
    p.add_argument("file")
    p.add_argument("--org", required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("report", help="สร้างรายงาน PDF การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร (อ่านอย่างเดียว)")
    p.add_argument("file")
    p.add_argument("--org", required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--thai-digits", action="store_true", help="ใช้เลขไทยในรายงาน")
    p.add_argument("--font", default="Sarabun",
                   help="แบบอักษร: Sarabun (ค่าเริ่มต้น), TH Sarabun New หรือ TH SarabunIT๙ ถ้ามีในเครื่อง")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("check", help="ตรวจสอบไฟล์ (อ่านอย่างเดียว)")
    p.add_argument("file")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("merge", help="รวมข้อมูลจากไฟล์ของอีกสำนักงานเข้าในไฟล์เป้าหมาย")
    p.add_argument("target", help="ไฟล์ .db ที่จะรับข้อมูล (ถูกแทนที่อย่างปลอดภัย)")
    p.add_argument("source", help="ไฟล์ .db ของอีกสำนักงาน (อ่านอย่างเดียว)")
    p.set_defaults(func=cmd_merge)
    return parser




def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        print(f"itadesk: {exc}", file=sys.stderr)
        return exc.code
    except InterchangeError as exc:
        print(f"itadesk: {exc}", file=sys.stderr)
        return 1
    except DocumentError as exc:
        where = f"{exc.path}: " if exc.path else ""
        print(f"itadesk: {where}{exc}", file=sys.stderr)
        return 2
    except CatalogError as exc:
        print(f"itadesk: เกณฑ์การประเมินใช้ไม่ได้: {exc}", file=sys.stderr)
        return 1


COMMANDS = {"import", "summary", "export", "check", "merge", "report", "-h", "--help", "--version"}
