"""The command line: the same document API and rules as the window, for scripts and district offices.

Exit codes: 0 success; 1 the command ran but found problems (``check``) or failed on input;
2 the file could not be opened. Every failure prints one Thai line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from itadesk import __version__
from itadesk.db.access import DocumentAccess, edit_file, read_file
from itadesk.db.errors import MESSAGES, DocumentError, kind_of
from itadesk.db.tempfiles import write_atomically
from itadesk.interchange.json_format import InterchangeError, to_dict
from itadesk.cli_office import EXPORT_SUFFIXES, check_suffix, cmd_template, export_table
from itadesk.ita.catalog import CatalogError
from itadesk.ita.comparison import Change
from itadesk.ita.drafting import stale_drafts
from itadesk.ita.consistency import assessment_warnings, name_key, organization_warnings
from itadesk.texts import SUMMARY as SUMMARY_TEXTS
from itadesk.texts import level_label
from itadesk.thai_argparse import ThaiArgumentParser, unknown_command_message


class CliError(Exception):
    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def cmd_import(args) -> int:
    from itadesk.interchange.sources import read_sources  # openpyxl: only the commands that read Excel load it

    # The input is checked against the target file's own catalogs (as the window's import is),
    # read inside the same safe edit: a refusal leaves the file as it was.
    with edit_file(args.file, create=True) as doc:
        batch = read_sources(args.inputs, doc.catalogs())
        if len(batch.problems) == 1 and not batch.entries:
            raise CliError(str(batch.problems[0]))  # one problem, nothing to rescue: one line
        for problem in batch.problems:
            print(f"itadesk: {problem}", file=sys.stderr)
        if batch.problems and not args.valid_rows:
            raise CliError(f"ไม่ได้นำเข้าข้อมูลใด ๆ: พบปัญหา {len(batch.problems)} รายการ แก้ไขแล้วนำเข้าใหม่ "
                           "หรือใช้ --valid-rows เพื่อนำเข้าเฉพาะแถวที่ถูกต้อง")
        if not batch.entries:
            raise CliError("ไม่มีข้อมูลที่นำเข้าได้")
        doc.import_entries(batch.entries)
    print(f"นำเข้า {len(batch.entries)} รายการไปยัง {args.file} แล้ว")
    if batch.problems:
        skipped = f" (ไม่ได้นำเข้าไฟล์ {', '.join(batch.unusable)})" if batch.unusable else ""
        print(f"ข้ามข้อมูลที่มีปัญหา {len(batch.problems)} รายการ{skipped}")
    return 0


def summary_rows(doc: DocumentAccess, org_name: str | None = None, year: int | None = None) -> list[dict]:
    orgs = {o.uuid: o for o in doc.organizations()}
    wanted = None
    if org_name:
        wanted = {u for u, o in orgs.items() if name_key(o.name) == name_key(org_name)}
    # Each year's result as the file keeps it (evaluated only where out of date); a year's
    # result is also the next year's "previous".
    keys, results = doc.results(next(iter(wanted)) if wanted and len(wanted) == 1 else None)
    previous: dict[str, float | None] = {}  # org -> the total of its latest year before
    rows = []
    for uuid, org, fiscal_year in keys:
        if wanted is not None and org not in wanted:
            continue
        tools, total, level, confirmed, rules_year = results[uuid]
        before = previous.get(org)
        previous[org] = total
        if year and fiscal_year != year:
            continue
        row = {"organization": orgs[org].name, "fiscal_year": fiscal_year}
        for code, value in tools.items():  # each tool of the year's catalog, its code in lower case
            row[code.lower()] = value
        row["total"] = total
        row["level"] = level  # a code, as the file and the JSON format keep levels
        row["level_name"] = level_label(level) if level else None
        row["level_confirmed"] = confirmed
        row["change"] = None if before is None or total is None else Change(before, total).points
        row["rules_year"] = rules_year
        rows.append(row)
    return rows


# Beside a level whose rule is not confirmed (ผ่านดีเยี่ยม): the PDF's own mark.
LEVEL_UNCONFIRMED = SUMMARY_TEXTS["unconfirmed_mark"]


def find_org(doc: DocumentAccess, name: str):
    """The organization called ``name``; if none, a Thai line listing the ones in the file."""
    org = doc.find_organization(name)
    if org is not None:
        return org
    names = [o.name for o in doc.organizations()]
    listed = f"หน่วยงานในไฟล์: {', '.join(names)}" if names else "ไฟล์นี้ยังไม่มีหน่วยงาน"
    raise CliError(f"ไม่พบหน่วยงาน {name} ในไฟล์ ({listed})")


def fiscal_year(text: str) -> int:
    """A Buddhist Era fiscal year; a Christian Era year gets the พ.ศ. it means as a hint."""
    try:
        year = int(text.strip().translate(THAI_DIGITS))
    except ValueError:
        raise argparse.ArgumentTypeError(f"ปีต้องเป็นตัวเลข พ.ศ. เช่น 2568 (ได้รับ \"{text}\")") from None
    if 1900 <= year <= 2200:
        raise argparse.ArgumentTypeError(f"{year} เป็นปี ค.ศ. กรุณาระบุปีงบประมาณเป็น พ.ศ. ({year + 543})")
    if not 2500 <= year <= 2700:
        raise argparse.ArgumentTypeError(f"ปี {year} ไม่ใช่ปี พ.ศ. ที่ใช้ได้ (เช่น 2568)")
    return year


THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# Report formats by the output's extension: the one place a new format is switched on.
REPORT_FORMATS = {".pdf": "PDF", ".docx": "Word"}


def report_format(output: str) -> str:
    """The report format for ``-o``; an extension not (yet) supported is refused, never written as PDF."""
    suffix = Path(output).suffix.lower()
    if suffix in REPORT_FORMATS:
        return REPORT_FORMATS[suffix]
    known = ", ".join(REPORT_FORMATS)
    raise CliError(f"ยังสร้างรายงานเป็นไฟล์ {suffix or 'ที่ไม่มีนามสกุล'} ไม่ได้ "
                   f"กรุณาตั้งชื่อไฟล์ให้ลงท้ายด้วย {known} (เช่น รายงาน.pdf)")


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def started_catalog_notes(doc: DocumentAccess, years) -> list[str]:
    """The window's and the PDF's note for each year whose own catalog was started from another
    year and is not confirmed yet (a borrowed year has its own line in ``summary``)."""
    catalogs = doc.catalogs()
    notes = (catalogs.for_year(y) for y in sorted(set(years)))
    return [f"หมายเหตุ: {c.rules_note()}" for c in notes if not c.borrowed and c.rules_note()]


def _summary_read(doc: DocumentAccess, args) -> tuple[list[str] | None, list[dict] | None]:
    """What ``summary`` prints: (the JSON lines cut from the kept results, None) where they can
    be (``--json`` of the whole file), else (None, :func:`summary_rows`)."""
    if args.json and not args.org:
        lines = doc.summary_json(args.year)
        if lines is not None:
            return lines, None
    return None, summary_rows(doc, args.org, args.year)


def cmd_summary(args) -> int:
    # The whole file's summary is read while the file is hashed (read_file).
    with read_file(args.file, None if args.org else (lambda doc: _summary_read(doc, args))) as doc:
        lines, rows = doc.read_ahead or _summary_read(doc, args)
        if args.org and not rows:
            find_org(doc, args.org)
        catalog_notes = [] if args.json else started_catalog_notes(doc, (r["fiscal_year"] for r in rows))
    if args.org and not rows:
        raise CliError(f"ไม่พบผลการประเมินของ {args.org}" + (f" ปี {args.year}" if args.year else ""))
    if args.json:
        # One organization-year per line: json's indenting encoder is pure Python, and took
        # 2 of 5 s for a district's 12,000 rows; unindented rows go through its C encoder.
        print_json_lines(json_rows(rows) if lines is None else lines)
        return 0
    fixed = {"organization", "fiscal_year", "total", "level", "level_name", "change", "level_confirmed", "rules_year"}
    tools = list(dict.fromkeys(k for r in rows for k in r if k not in fixed))  # the catalogs' tools
    header = ["หน่วยงาน", "ปี", *(t.upper() for t in tools), "รวม", "ระดับ", "เปลี่ยนแปลง (คะแนน)"]
    print("\t".join(header))
    notes = []
    for r in rows:
        change = r["change"]
        change_text = "-" if change is None else f"{change:+.2f}"
        level = _fmt(r["level_name"]) + (LEVEL_UNCONFIRMED if r["level_confirmed"] is False else "")
        print("\t".join([r["organization"], str(r["fiscal_year"]), *(_fmt(r.get(t)) for t in tools),
                         _fmt(r["total"]), level, change_text]))
        if r["rules_year"] != r["fiscal_year"]:
            notes.append(f"หมายเหตุ: ปี {r['fiscal_year']} ใช้เกณฑ์ของปี {r['rules_year']} "
                         f"(ยังไม่มีเกณฑ์การประเมินของปี {r['fiscal_year']})")
        if r["level_confirmed"] is False:
            notes.append(f"{LEVEL_UNCONFIRMED} เกณฑ์ระดับ \"{r['level_name']}\" ยังไม่ได้รับการยืนยันจากแหล่งทางการ")
    for note in dict.fromkeys(notes + catalog_notes):
        print(note)
    return 0


def print_json_lines(lines: list[str], at_once: int = 2000) -> None:
    """A JSON array of one element per line, written a few thousand lines at a time: one text
    of a district's 13 MB, joined and then framed, took 60 ms of copying before it was written."""
    write = sys.stdout.write
    write("[\n" if lines else "[]\n")
    for start in range(0, len(lines), at_once):
        last = start + at_once >= len(lines)
        write(",\n".join(lines[start:start + at_once]) + ("\n]\n" if last else ",\n"))


def json_rows(rows: list[dict]) -> list[str]:
    """Each row as ``json.dumps(row, ensure_ascii=False)`` writes it, through one encoder
    (``dumps`` with an option makes a new one per call)."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    return [encode(r) for r in rows]


def cmd_export(args) -> int:
    suffix = check_suffix(args.output, EXPORT_SUFFIXES)
    with read_file(args.file) as doc:
        org = find_org(doc, args.org)
        assessment = doc.load_assessment(org.uuid, args.year)
        if assessment is None:
            raise CliError(f"ไม่พบผลการประเมินของ {org.name} ปี {args.year}")
        if suffix != ".json":
            from itadesk.report.content import build_report_data

            report = build_report_data(doc, org.uuid, args.year)
        data = to_dict(org, assessment)
    out = Path(args.output)
    if suffix == ".json":
        write_text_atomically(out, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    else:
        export_table(report, args.output, suffix)
    print(f"ส่งออก {org.name} ปี {args.year} ไปยัง {out} แล้ว")
    return 0


def write_text_atomically(path: Path, text: str) -> None:
    """Exclusive temp file beside the target, fsync, rename: a full or pulled stick never
    leaves half a file, and a link planted at a temp name is never followed."""
    try:
        write_atomically(path, text.encode("utf-8"))
    except OSError as exc:
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
        current = doc.load_assessment_by_uuid(uuid)
        for w in assessment_warnings(current):
            problems.append(f"{names[org_uuid]} ปี {year}: {w.message}")
        for number, changes in stale_drafts(current, doc.previous_assessment(org_uuid, year)).items():
            problems.append(f"{names[org_uuid]} ปี {year}: ข้อความวิเคราะห์ตัวชี้วัดที่ {number} ร่างจากคะแนนเดิม "
                            f"({', '.join(changes)}) ควรร่างใหม่หรือแก้ไข")
    return problems


def cmd_check(args) -> int:
    name = Path(args.file).name
    try:
        with read_file(args.file) as doc:
            problems = check_problems(doc)
            notes = started_catalog_notes(doc, (year for _org, year, _uuid in doc.assessment_keys()))
    except DocumentError as exc:
        raise CliError(f"ไฟล์ {name}: {exc}", 2) from exc
    for note in notes:  # worth knowing, not a fault of the file: the exit status stays as it is
        print(note)
    if problems:
        for p in problems:
            print(p)
        print(f"ไฟล์ {name}: พบ {len(problems)} รายการที่ควรตรวจสอบ")
        return 1
    print(f"ไฟล์ {name} อยู่ในสภาพดี ไม่พบปัญหา")
    return 0


def cmd_merge(args) -> int:
    """Merge SOURCE into TARGET through the safe write path; exit 1 while conflicts remain.

    Several sources (office files, filled templates, or folders of them) are merged in the same
    one atomic update of TARGET; one that cannot be read is named and the others merge (exit 2).
    """
    from itadesk.interchange.collect import collect, folder_files  # noqa: PLC0415

    single = len(args.sources) == 1 and not Path(args.sources[0]).is_dir()
    paths: list[Path] = []
    for source in args.sources:
        if Path(source).is_dir():
            paths += folder_files(source, exclude=Path(args.target))[0]
        else:
            paths.append(Path(source))
    with edit_file(args.target) as doc:
        if single:
            report = doc.merge_file(args.sources[0])  # a damaged file stops here: exit 2, as before
            failed = []
            print(report.summary())
        else:
            collected = collect(paths, doc.merge_file)
            failed = collected.failed
            print(collected.summary())
        remaining = doc.conflicts()
    for result in failed:
        print(f"itadesk: {result.path}: {result.error}", file=sys.stderr)
    for conflict in remaining:
        print(f"- {conflict.description}")
    if remaining:
        print(f"ยังมี {len(remaining)} รายการที่ขัดแย้ง กรุณาเปิดไฟล์ {Path(args.target).name} ในโปรแกรมเพื่อเลือกค่า")
    return 2 if failed else 1 if remaining else 0


def cmd_report(args) -> int:
    """The printed report as PDF, from a read-only snapshot of the file (never written)."""
    import gc

    # Python's cycle collector finds next to nothing to free in a report's build (the same
    # peak memory without it) but costs ~7 % of its time.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _report(args)
    finally:
        if enabled:
            gc.enable()


def _report(args) -> int:
    from itadesk.report.content import ReportError, ReportOptions, build_report_data
    from itadesk.report.fonts import PdfError, resolve_font

    kind = report_format(args.output)
    if Path(args.output).resolve() == Path(args.file).resolve():
        raise CliError("ชื่อไฟล์ PDF ซ้ำกับไฟล์ข้อมูล กรุณาตั้งชื่อไฟล์ PDF ใหม่ (เช่น รายงาน.pdf)")
    try:
        font = resolve_font(args.font)
    except PdfError as exc:
        raise CliError(str(exc)) from exc
    with read_file(args.file) as doc:
        org = find_org(doc, args.org)
        try:
            data = build_report_data(doc, org.uuid, args.year,
                                     ReportOptions(thai_digits=args.thai_digits, font=font.name))
        except ReportError as exc:
            raise CliError(str(exc)) from exc
    if kind == "Word":
        from itadesk.cli_office import report_docx

        result = report_docx(data, args.output)
        print(f"สร้างรายงาน {org.name} ปี {args.year} เป็นไฟล์ Word ไปยัง {result.path} แล้ว")
    else:
        from itadesk.report.chart_jobs import ReportCharts

        # Charts drawn by another process, started before the page layout is even loaded.
        charts = ReportCharts(data, font.paths.values(), font.size_factor).draw_elsewhere()
        from itadesk.report.pdf import build_pdf

        try:
            result = build_pdf(data, args.output, charts_in_parallel=charts)
        except PdfError as exc:
            raise CliError(str(exc)) from exc
        print(f"สร้างรายงาน {org.name} ปี {args.year} ไปยัง {result.path} แล้ว ({result.pages} หน้า)")
    if result.warnings:
        print(f"หมายเหตุ: พบข้อมูลที่ไม่สอดคล้องกัน {result.warnings} รายการ พิมพ์ไว้ในรายงานแล้ว "
              "(ดูรายละเอียดด้วยคำสั่ง itadesk check)")
    return 0


def progress_lines(actions) -> list[str]:
    """The counts, then each measure with its state, evidence and completion date, one line each."""
    from itadesk.ita.thai_dates import format_thai_date
    from itadesk.ita.thai_words import shorten
    from itadesk.report.pdf import Numbers
    from itadesk.report.progress_pdf import counts_sentence
    from itadesk.texts import status_label

    lines = [counts_sentence(actions, Numbers(False))]
    for i, a in enumerate(actions, start=1):
        state = status_label(a.status) + (f" {format_thai_date(a.completed, short=True)}" if a.completed else "")
        first = shorten((a.measure.strip().splitlines() or ["-"])[0], lambda t: len(t) <= 70)
        progress = " ผล: " + shorten(" ".join(a.progress_note.split()), lambda t: len(t) <= 80) \
            if a.progress_note.strip() else ""
        evidence = " หลักฐาน: " + " ".join(a.evidence.split()) if a.evidence.strip() else ""
        lines.append(f"{i}. [{state}] {first}{progress}{evidence}")
    return lines


def cmd_progress(args) -> int:
    """The plan followed up: each measure of the plan made from YEAR's results, with its state."""
    from itadesk.ita.catalog import catalog_of
    from itadesk.report.pdf import PdfError
    from itadesk.report.progress_pdf import build_progress_pdf

    report_format(args.output)
    if Path(args.output).resolve() == Path(args.file).resolve():
        raise CliError("ชื่อไฟล์ PDF ซ้ำกับไฟล์ข้อมูล กรุณาตั้งชื่อไฟล์ PDF ใหม่ (เช่น ผลการดำเนินการ.pdf)")
    with read_file(args.file) as doc:
        org = find_org(doc, args.org)
        assessment = doc.load_assessment(org.uuid, args.year)
        if assessment is None:
            raise CliError(f"ยังไม่มีผลการประเมินของ {org.name} ปี {args.year}")
    try:
        pages = build_progress_pdf(org, assessment, catalog_of(assessment), args.output,
                                   thai_digits=args.thai_digits, font=args.font)
    except PdfError as exc:
        raise CliError(str(exc)) from exc
    print(f"สร้างรายงานผลการดำเนินการตามแผน ปีงบประมาณ {args.year + 1} ของ {org.name} "
          f"ไปยัง {args.output} แล้ว ({pages} หน้า)")
    for line in progress_lines(assessment.actions):
        print(line)
    return 0


FILE_HELP = "ไฟล์เอกสาร ITA Desk (.itadesk หรือ .db)"
ORG_HELP = "ชื่อหน่วยงานตามที่อยู่ในไฟล์ เช่น \"อบต.เชียงพิณ\""
YEAR_HELP = "ปีงบประมาณ พ.ศ. เช่น 2568"


def _org_and_year(p, required: bool) -> None:
    p.add_argument("--org", required=required, metavar="ชื่อหน่วยงาน", help=ORG_HELP)
    p.add_argument("--year", type=fiscal_year, required=required, metavar="ปี", help=YEAR_HELP)


def build_parser() -> argparse.ArgumentParser:
    parser = ThaiArgumentParser(prog="itadesk", description="ITA Desk: การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร",
                                epilog="ถ้าไม่ระบุคำสั่ง โปรแกรมจะเปิดหน้าต่าง (itadesk ไฟล์.itadesk เปิดไฟล์นั้น)")
    parser.add_argument("--version", action="version", version=f"ITA Desk {__version__}",
                        help="แสดงรุ่นของโปรแกรมแล้วจบ")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ThaiArgumentParser,
                                title="คำสั่ง (itadesk คำสั่ง --help แสดงวิธีใช้ของคำสั่งนั้น)",
                                metavar="คำสั่ง")

    p = sub.add_parser("import", help="นำเข้าผลการประเมินจากไฟล์ JSON หรือแบบฟอร์ม Excel (.xlsx)",
                       description="นำเข้าผลการประเมินจากไฟล์ JSON หรือแบบฟอร์ม Excel (.xlsx)")
    p.add_argument("file", metavar="ไฟล์", help=FILE_HELP + " (สร้างใหม่ถ้ายังไม่มี)")
    p.add_argument("inputs", nargs="+", metavar="JSON/XLSX", help="ไฟล์ JSON หรือ .xlsx หนึ่งไฟล์หรือมากกว่า (ไฟล์ละหนึ่งหน่วยงาน)")
    p.add_argument("--valid-rows", action="store_true",
                   help="นำเข้าเฉพาะแถวที่ถูกต้อง แม้บางแถวมีปัญหา (ค่าเริ่มต้น: ไม่นำเข้าเลยถ้ามีปัญหา)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("summary", help="สรุปคะแนนทุกปีในไฟล์ (อ่านอย่างเดียว)",
                       description="สรุปคะแนนทุกปีในไฟล์ (อ่านอย่างเดียว)")
    p.add_argument("file", metavar="ไฟล์", help=FILE_HELP)
    _org_and_year(p, required=False)
    p.add_argument("--json", action="store_true", help="แสดงผลเป็น JSON")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("template", help="สร้างแบบฟอร์ม Excel (.xlsx) สำหรับกรอกผลการประเมินของปีที่เลือก",
                       description="สร้างแบบฟอร์ม Excel (.xlsx) สำหรับกรอกผลการประเมินของปีที่เลือก")
    p.add_argument("--year", type=fiscal_year, required=True, metavar="ปี", help=YEAR_HELP)
    p.add_argument("-o", "--output", required=True, metavar="ไฟล์.xlsx", help="ไฟล์ .xlsx ที่จะสร้าง")
    p.add_argument("--file", metavar="ไฟล์", help=FILE_HELP + " ที่มีเกณฑ์ของปีนั้นเก็บไว้ (รายการข้อและชื่อข้อ "
                   "ของหน่วยงาน) ถ้าไม่ระบุ ใช้เกณฑ์ที่มากับโปรแกรม")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("export", help="ส่งออกผลการประเมินเป็น JSON, Excel (.xlsx) หรือ CSV (ข้อมูลเปิด)",
                       description="ส่งออกผลการประเมินเป็น JSON, Excel (.xlsx) หรือ CSV (ข้อมูลเปิด)")
    p.add_argument("file", metavar="ไฟล์", help=FILE_HELP)
    _org_and_year(p, required=True)
    p.add_argument("-o", "--output", required=True, metavar="ไฟล์.json|.xlsx|.csv",
                   help="ไฟล์ที่จะเขียน: นามสกุลเลือกรูปแบบ (.json, .xlsx, .csv)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("report", help="สร้างรายงานการนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กรเป็น PDF หรือ Word (อ่านอย่างเดียว)",
                       description="สร้างรายงานการนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กรเป็น PDF หรือ Word (อ่านอย่างเดียว)")
    p.add_argument("file", metavar="ไฟล์", help=FILE_HELP)
    _org_and_year(p, required=True)
    p.add_argument("-o", "--output", required=True, metavar="ไฟล์.pdf|.docx",
                   help="ไฟล์รายงานที่จะเขียน (" + ", ".join(REPORT_FORMATS) + ")")
    p.add_argument("--thai-digits", action="store_true", help="ใช้เลขไทยในรายงาน")
    p.add_argument("--font", default="Sarabun", metavar="แบบอักษร",
                   help="แบบอักษร: Sarabun (ค่าเริ่มต้น), TH Sarabun New หรือ TH SarabunIT๙ ถ้ามีในเครื่อง")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("progress", help="สร้างรายงาน PDF ผลการดำเนินการตามแผนของปีที่ระบุ (อ่านอย่างเดียว)",
                       description="สร้างรายงาน PDF ผลการดำเนินการตามแผน: แต่ละมาตรการในแผนที่จัดทำจากผลการประเมินปีที่ระบุ "
                                   "พร้อมสถานะและผลการดำเนินการ (อ่านอย่างเดียว)")
    p.add_argument("file", metavar="ไฟล์", help=FILE_HELP)
    _org_and_year(p, required=True)
    p.add_argument("-o", "--output", required=True, metavar="ไฟล์.pdf", help="ไฟล์รายงานที่จะเขียน (.pdf)")
    p.add_argument("--thai-digits", action="store_true", help="ใช้เลขไทยในรายงาน")
    p.add_argument("--font", default="Sarabun", metavar="แบบอักษร",
                   help="แบบอักษร: Sarabun (ค่าเริ่มต้น), TH Sarabun New หรือ TH SarabunIT๙ ถ้ามีในเครื่อง")
    p.set_defaults(func=cmd_progress)

    p = sub.add_parser("check", help="ตรวจสอบไฟล์ (อ่านอย่างเดียว)", description="ตรวจสอบไฟล์ (อ่านอย่างเดียว)")
    p.add_argument("file", metavar="ไฟล์", help=FILE_HELP)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("merge", help="รวมข้อมูลจากไฟล์ของสำนักงานอื่นเข้าในไฟล์เป้าหมาย",
                       description="รวมข้อมูลจากไฟล์ของสำนักงานอื่น (หนึ่งไฟล์หรือหลายไฟล์) เข้าในไฟล์เป้าหมาย "
                                   "ไฟล์เป้าหมายถูกแทนที่ครั้งเดียวเมื่อรวมครบ ไฟล์ที่อ่านไม่ได้จะแจ้งชื่อและข้ามไป")
    p.add_argument("target", metavar="ไฟล์เป้าหมาย", help="ไฟล์ที่จะรับข้อมูล (ถูกแทนที่อย่างปลอดภัย)")
    p.add_argument("sources", nargs="+", metavar="ไฟล์ต้นทาง",
                   help="ไฟล์ของสำนักงานอื่น (.db) แบบฟอร์ม Excel ที่กรอกแล้ว (.xlsx) หรือโฟลเดอร์ของไฟล์เหล่านั้น "
                        "(อ่านอย่างเดียว) รวมทั้งหมดในครั้งเดียว")
    p.set_defaults(func=cmd_merge)

    from itadesk.cli_catalog import add_catalog_commands

    add_catalog_commands(sub)
    return parser


def command_names() -> list[str]:
    return [c for c in COMMANDS if not c.startswith("-")]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        print(f"itadesk: {unknown_command_message(argv[0], command_names())}", file=sys.stderr)
        return 1
    args = build_parser().parse_args(argv)
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


# Ordered as --help lists them; a first argument in here runs the command line, never the window.
COMMANDS = ("import", "template", "summary", "export", "report", "progress", "check", "merge", "catalog", "-h",
            "--help", "--version")
