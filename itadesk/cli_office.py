"""The command line's office formats: the Excel template, and exports chosen by extension.

Kept apart from :mod:`itadesk.cli` so the core commands stay short; every function here takes
the parsed arguments and raises ``CliError`` with one Thai line on failure.
"""

from __future__ import annotations

from pathlib import Path

from itadesk.ita.catalog import load_catalog

EXPORT_SUFFIXES = (".json", ".xlsx", ".csv")


def _cli_error(message: str):
    from itadesk.cli import CliError

    return CliError(message)


def check_suffix(path: str, allowed: tuple[str, ...]) -> str:
    """The output's extension, or a Thai refusal naming the ones that can be written."""
    suffix = Path(path).suffix.lower()
    if suffix not in allowed:
        shown = suffix or "(ไม่มีนามสกุล)"
        raise _cli_error(f"ไม่รู้จักนามสกุลไฟล์ {shown}: ใช้ได้ {', '.join(allowed)}")
    return suffix


def cmd_template(args) -> int:
    from itadesk.interchange.xlsx_write import XlsxWriteError, write_template

    check_suffix(args.output, (".xlsx",))
    if not 2500 <= args.year <= 2700:
        raise _cli_error(f"ปีงบประมาณ {args.year} ต้องเป็นปี พ.ศ. (เช่น 2568)")
    catalog = load_catalog(args.year)
    if getattr(args, "file", None):
        from itadesk.db.access import read_file  # noqa: PLC0415

        # The document's own catalog of the year (its items and the titles the office named).
        with read_file(args.file) as doc:
            catalog = doc.catalogs().for_year(args.year)
    try:
        path = write_template(catalog, args.output)
    except XlsxWriteError as exc:
        raise _cli_error(str(exc)) from exc
    note = f" ({catalog.rules_note()})" if hasattr(catalog, "rules_note") and catalog.rules_note() else ""
    print(f"สร้างแบบฟอร์ม Excel ปี {args.year} ไปยัง {path} แล้ว{note}")
    return 0


def export_table(report, output: str, suffix: str) -> Path:
    """The .xlsx workbook (imports back) or the open-data CSV of one organization's year."""
    from itadesk.interchange.open_data import write_csv
    from itadesk.interchange.xlsx_write import XlsxWriteError, write_export

    try:
        return write_export(report, output) if suffix == ".xlsx" else write_csv(report, output)
    except XlsxWriteError as exc:
        raise _cli_error(str(exc)) from exc


def report_docx(data, output: str):
    """The report as Word .docx from the same report model as the PDF."""
    from itadesk.report.docx_report import DocxError, build_docx

    try:
        return build_docx(data, output)
    except DocxError as exc:
        raise _cli_error(str(exc)) from exc
