"""Read the files an officer hands to import, whatever their kind, with one list of problems.

JSON files stop at their first problem (one Thai line); workbooks list every problem by sheet,
row and column. Either way nothing is written until the caller decides, so a file with problems
never leaves half an import behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from itadesk.interchange.json_format import InterchangeError, read_file
from itadesk.interchange.xlsx_read import Problem, read_workbook
from itadesk.ita.catalog import BUNDLED, Catalogs
from itadesk.ita.model import Assessment, Organization

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
JSON_SUFFIXES = (".json",)


@dataclass
class ImportBatch:
    """What a set of files holds: the entries that can be imported, and every problem."""

    entries: list[tuple[Organization, Assessment]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unusable: list[str] = field(default_factory=list)  # files nothing can be taken from

    @property
    def clean(self) -> bool:
        return not self.problems


def read_sources(paths, catalogs: Catalogs = BUNDLED) -> ImportBatch:
    """Every entry and every problem of ``paths``; an entry of a file with problems is kept
    (built from that file's valid cells) so the officer may still choose to import it.
    ``catalogs``: the importing document's (its own catalogs over the bundled ones)."""
    batch = ImportBatch()
    for path in map(Path, paths):
        suffix = path.suffix.lower()
        if suffix in WORKBOOK_SUFFIXES:
            result = read_workbook(path, catalogs)
            batch.problems += result.problems
            if result.entry is None:
                batch.unusable.append(path.name)
            else:
                batch.entries.append(result.entry)
        elif suffix in JSON_SUFFIXES:
            try:
                batch.entries += read_file(path, catalogs)
            except InterchangeError as exc:
                batch.problems.append(Problem(path.name, str(exc).removeprefix(path.name).lstrip(" :")))
                batch.unusable.append(path.name)
        else:
            hint = (" เป็นไฟล์ Excel รุ่นเก่า: เปิดใน Excel แล้วบันทึกเป็น .xlsx" if suffix == ".xls" else "")
            batch.problems.append(Problem(path.name, "นำเข้าได้เฉพาะไฟล์ .xlsx (แบบฟอร์ม Excel) หรือ .json" + hint))
            batch.unusable.append(path.name)
    return batch
