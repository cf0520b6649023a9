"""Collect a folder of offices' files into one document: a district's or province's yearly round-up.

Every office file (``.db``) is merged as :mod:`itadesk.db.merge` merges two copies, row by row,
conflicts kept for the officer. A filled Excel template (``.xlsx``) is first built into a small
document of its own in a private temp folder and merged the same way, so a value that differs from
what the district already holds is listed as a conflict rather than silently replacing it.

An interchange JSON file is taken the same way. One file that cannot be read (damaged, not ours, a workbook with problems) is named in the summary
with its reason; the others are merged all the same. Each file's merge is one transaction, so a
failure leaves what was merged before it, and nothing of the target, changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from itadesk.db.access import edit_file
from itadesk.db.errors import DocumentError, translate
from itadesk.db.tempfiles import private_folder
from itadesk.interchange.sources import JSON_SUFFIXES, WORKBOOK_SUFFIXES, read_sources

DB_SUFFIXES = (".db", ".itadesk")
# Files that are not documents: built into a document of their own first, then merged.
BUILT_SUFFIXES = WORKBOOK_SUFFIXES + JSON_SUFFIXES


@dataclass
class SourceResult:
    """What one file of the folder gave: a merge report, or the Thai reason it gave nothing."""

    path: Path
    report: object | None = None  # itadesk.db.merge.MergeReport
    error: str = ""

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class CollectReport:
    folder: Path | None = None
    results: list[SourceResult] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # files that are neither office files nor templates

    @property
    def merged(self) -> list[SourceResult]:
        return [r for r in self.results if r.report is not None]

    @property
    def failed(self) -> list[SourceResult]:
        return [r for r in self.results if r.report is None]

    @property
    def conflicts(self) -> list:
        return [c for r in self.merged for c in r.report.conflicts]

    def summary_lines(self) -> list[str]:
        """The summary in Thai: one line per file, what came from it, then what could not be read."""
        lines = [f"รวมข้อมูลจาก {len(self.merged)} ไฟล์" + (f" ไม่สำเร็จ {len(self.failed)} ไฟล์" if self.failed else "")]
        for r in self.merged:
            k = r.report
            lines.append(f"• {r.name}: เพิ่ม {k.added} แก้ไขตาม {k.updated} ลบ {k.deleted} "
                         f"เหมือนเดิม {k.unchanged} ขัดแย้ง {len(k.conflicts) + k.known_conflicts} รายการ")
        for r in self.failed:
            lines.append(f"✗ {r.name}: ไม่ได้นำมารวม — {r.error}")
        if self.ignored:
            lines.append("ไฟล์อื่นในโฟลเดอร์ที่ไม่ได้อ่าน: " + ", ".join(self.ignored))
        return lines

    def summary(self) -> str:
        return "\n".join(self.summary_lines())


def folder_files(folder: str | Path, exclude: Path | None = None) -> tuple[list[Path], list[str]]:
    """The office files and templates of ``folder`` (sorted by name), and the names of the others.

    Left out: the target itself, hidden files, Excel's lock files (``~$…``), our lock and backup
    files beside a document.
    """
    folder = Path(folder)
    exclude = exclude.resolve() if exclude is not None else None
    wanted, others = [], []
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:  # the stick was pulled, the folder removed or not readable
        raise translate(exc, str(folder)) from exc
    for path in entries:
        if not path.is_file() or path.name.startswith((".", "~$")):
            continue
        if exclude is not None and path.resolve() == exclude:
            continue
        suffix = path.suffix.lower()
        if suffix in DB_SUFFIXES or suffix in BUILT_SUFFIXES:
            wanted.append(path)
        elif suffix not in (".bak", ".lock"):
            others.append(path.name)
    return wanted, others


def collect(paths: list[Path], merge: Callable[[Path, str], object],
            progress: Callable[[int, int, str], None] | None = None) -> CollectReport:
    """Merge every file of ``paths`` through ``merge(path, source_name)`` (a document's merge)."""
    report = CollectReport()
    for i, path in enumerate(paths):
        if progress is not None:
            progress(i, len(paths), path.name)
        result = SourceResult(path)
        try:
            if path.suffix.lower() in BUILT_SUFFIXES:
                result.report = _merge_built(path, merge)
            else:
                result.report = merge(path, path.name)
        except DocumentError as exc:
            result.error = str(exc)
        except _WorkbookProblem as exc:
            result.error = str(exc)
        report.results.append(result)
    return report


def collect_folder(folder: str | Path, merge: Callable[[Path, str], object], exclude: Path | None = None,
                   progress: Callable[[int, int, str], None] | None = None) -> CollectReport:
    paths, others = folder_files(folder, exclude)
    report = collect(paths, merge, progress)
    report.folder = Path(folder)
    report.ignored = others
    return report


class _WorkbookProblem(Exception):
    """A template that cannot be taken whole: its problems, in Thai."""


def _merge_built(path: Path, merge: Callable[[Path, str], object]):
    """A filled template (or an interchange JSON file) as a document of its own, merged."""
    batch = read_sources([path])
    if batch.problems or not batch.entries:
        shown = "; ".join(str(p) for p in batch.problems[:3])
        more = f" และอีก {len(batch.problems) - 3} รายการ" if len(batch.problems) > 3 else ""
        raise _WorkbookProblem(f"ไฟล์มีปัญหา {len(batch.problems)} รายการ: {shown}{more} "
                               "(แก้ไขแล้วรวมใหม่ หรือนำเข้าทีละไฟล์)")
    with private_folder("collect") as folder:
        built = folder / "workbook.db"
        with edit_file(built, create=True) as doc:
            doc.import_entries(batch.entries)
        return merge(built, path.name)
