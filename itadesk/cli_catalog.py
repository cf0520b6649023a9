"""``itadesk catalog export|import``: hand a year's catalog from one document to another.

A district writes the year's items and titles once and hands the JSON out; an office imports
it into its own file. The imported file is checked like every other input (one Thai reason,
and the document is left byte for byte as it was); the write goes through the same safe path
as ``import`` (a checked copy that replaces the file atomically).
"""

from __future__ import annotations

from pathlib import Path


def _cli():
    from itadesk import cli  # noqa: PLC0415 - cli imports this module to register the commands

    return cli


def cmd_catalog_export(args) -> int:
    from itadesk.db.access import read_file
    from itadesk.ita.catalog import catalog_json, own_copy
    from itadesk.cli_office import check_suffix

    check_suffix(args.output, (".json",))
    with read_file(args.file) as doc:
        catalog = doc.catalogs().for_year(args.year)
    note = ""
    if catalog.borrowed:
        note = f" (ปี {args.year} ยังไม่มีเกณฑ์ของตนเอง จึงส่งออกเกณฑ์ของปี {catalog.rules_from} ที่ใช้อยู่ในชื่อปี {args.year})"
        catalog = own_copy(catalog)
    elif catalog.origin == "bundled":
        note = " (เกณฑ์ที่มากับโปรแกรม)"
    _cli().write_text_atomically(Path(args.output), catalog_json(catalog))
    print(f"ส่งออกเกณฑ์การประเมินปี {args.year} ไปยัง {args.output} แล้ว{note}")
    return 0


def cmd_catalog_import(args) -> int:
    from itadesk.db.access import edit_file
    from itadesk.db.operations import SaveCatalog
    from itadesk.ita.catalog import CatalogError, catalog_json, parse_catalog_text

    cli = _cli()
    name = Path(args.catalog).name
    try:
        text = Path(args.catalog).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise cli.CliError(f"{name}: ไม่ใช่ไฟล์ข้อความ UTF-8 (ไฟล์เกณฑ์ต้องเป็น JSON)") from None
    except OSError as exc:
        raise cli.CliError(f"อ่านไฟล์ {name} ไม่ได้ ({exc.strerror or exc})") from exc
    try:
        catalog = parse_catalog_text(text, name)
    except CatalogError as exc:
        raise cli.CliError(f"ไม่ได้นำเข้าเกณฑ์ (ไฟล์ข้อมูลไม่ถูกเปลี่ยน): {exc}") from exc
    with edit_file(args.file, create=True) as doc:
        replaced = doc.catalog_text(catalog.fiscal_year) is not None
        doc.apply(SaveCatalog(catalog.fiscal_year, catalog_json(catalog)))
    items = [item for ind in catalog.indicators for item in ind.items]
    named = sum(1 for item in items if item.title.strip())
    what = "แทนที่เกณฑ์ปีนี้ที่มีอยู่เดิมในไฟล์" if replaced else "เก็บไว้ในไฟล์"
    print(f"นำเข้าเกณฑ์การประเมินปี {catalog.fiscal_year} ไปยัง {args.file} แล้ว ({what}; "
          f"รายการข้อ {len(items)} ข้อ มีชื่อข้อแล้ว {named} ข้อ)")
    return 0


def add_catalog_commands(sub) -> None:
    """``itadesk catalog export`` and ``itadesk catalog import``, with Thai help."""
    cli = _cli()
    p = sub.add_parser("catalog", help="ส่งออกหรือนำเข้าเกณฑ์การประเมินของปี (รายการข้อและชื่อข้อ) เป็นไฟล์ JSON",
                       description="ส่งออกเกณฑ์การประเมินของปีจากไฟล์เอกสารเป็น JSON เพื่อส่งต่อ "
                                   "หรือนำเข้าเกณฑ์จากไฟล์ JSON เก็บไว้ในไฟล์เอกสาร")
    actions = p.add_subparsers(dest="catalog_command", required=True, parser_class=type(p),
                               title="คำสั่งย่อย", metavar="export|import")
    e = actions.add_parser("export", help="ส่งออกเกณฑ์ของปีที่ระบุเป็นไฟล์ JSON (อ่านอย่างเดียว)",
                           description="ส่งออกเกณฑ์ของปีที่ระบุ (ที่ไฟล์เอกสารใช้อยู่) เป็นไฟล์ JSON (อ่านอย่างเดียว)")
    e.add_argument("file", metavar="ไฟล์", help=cli.FILE_HELP)
    e.add_argument("--year", type=cli.fiscal_year, required=True, metavar="ปี", help=cli.YEAR_HELP)
    e.add_argument("-o", "--output", required=True, metavar="ไฟล์.json", help="ไฟล์เกณฑ์ที่จะเขียน (.json)")
    e.set_defaults(func=cmd_catalog_export)
    i = actions.add_parser("import", help="นำเข้าเกณฑ์จากไฟล์ JSON เก็บไว้ในไฟล์เอกสาร (แทนที่เกณฑ์ของปีเดียวกัน)",
                           description="นำเข้าเกณฑ์จากไฟล์ JSON เก็บไว้ในไฟล์เอกสาร แทนที่เกณฑ์ของปีเดียวกันที่มีอยู่ "
                                       "ไฟล์เกณฑ์ที่ไม่ถูกต้องจะไม่ถูกนำเข้าและไฟล์เอกสารไม่เปลี่ยนแปลง")
    i.add_argument("file", metavar="ไฟล์", help=cli.FILE_HELP + " (สร้างใหม่ถ้ายังไม่มี)")
    i.add_argument("catalog", metavar="เกณฑ์.json", help="ไฟล์เกณฑ์ที่ส่งออกด้วย itadesk catalog export")
    i.set_defaults(func=cmd_catalog_import)
