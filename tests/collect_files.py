"""A folder of 20 offices' files as a district collects them: 18 office files (.db), one filled
Excel template and one damaged file; and a district file that already holds two other offices
and one office of the folder with a score of its own (one conflict)."""

from __future__ import annotations

from pathlib import Path

from itadesk.db.access import read_file
from tests.many_orgs import generated_entries, import_dicts


def digest(path: Path) -> dict[tuple, tuple]:
    """Every organization-year of a file: (name, province, year) -> its indicator and item scores."""
    out = {}
    if path.suffix == ".xlsx":
        from itadesk.interchange.sources import read_sources

        for org, a in read_sources([path]).entries:
            out[(org.name, org.province, a.fiscal_year)] = (
                tuple(sorted(a.indicators.items())), tuple(sorted((k, str(v)) for k, v in a.items.items())))
        return out
    with read_file(path) as doc:
        for org in doc.organizations():
            for year in doc.years(org.uuid):
                a = doc.load_assessment(org.uuid, year)
                out[(org.name, org.province, year)] = (
                    tuple(sorted(a.indicators.items())),
                    tuple(sorted((k, str(v)) for k, v in a.items.items())))
    return out


def offices_folder(base: Path):
    """(folder, district target, the damaged file, the readable sources)."""
    from itadesk.interchange.xlsx_write import build_workbook
    from itadesk.ita.catalog import load_catalog

    entries = generated_entries(21, 2567, 2568)
    by_org: dict[str, list[dict]] = {}
    for e in entries:
        by_org.setdefault(e["organization"]["name"], []).append(e)
    names = list(by_org)
    folder = base / "ส่งมาจากหน่วยงาน"
    folder.mkdir()
    work = base / "work"
    work.mkdir()
    sources = []
    for i, name in enumerate(names[:18]):
        sources.append(import_dicts(folder / f"{i + 1:02d} {name}.db", by_org[name], work))
    # One office sent the filled Excel template of 2568 instead of its file.
    xlsx_office = names[18]
    staged = import_dicts(work / "xlsx-office.db", [e for e in by_org[xlsx_office] if e["fiscal_year"] == 2568], work)
    with read_file(staged) as doc:
        org = doc.organizations()[0]
        assessment = doc.load_assessment(org.uuid, 2568)
    template = folder / f"19 {xlsx_office}.xlsx"
    build_workbook(load_catalog(2568), org, assessment).save(template)
    sources.append(template)
    damaged = folder / "20 อบต.ไฟล์เสีย.db"
    good = import_dicts(work / "damaged.db", by_org[names[19]], work)
    data = bytearray(good.read_bytes())
    data[4096 * 2:4096 * 3] = b"\xff" * 4096
    damaged.write_bytes(bytes(data))
    # The district already holds office 21 and office 1 (whose 2568 indicator 1 it typed differently).
    own = by_org[names[20]] + [dict(e, indicators={**e["indicators"], "1": 12.34}) if e["fiscal_year"] == 2568 else e
                                for e in by_org[names[0]]]
    target = import_dicts(base / "district.db", own, work)
    return folder, target, damaged, sources
