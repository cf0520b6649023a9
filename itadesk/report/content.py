"""Everything a printed report shows, gathered once from the store and computed by the rules.

The PDF (and any other output) only lays this out; it never computes a score itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from itadesk.ita.catalog import Catalog, catalog_of
from itadesk.ita.comparison import Comparison, compare
from itadesk.ita.consistency import Warning, assessment_warnings
from itadesk.ita.findings import DEFAULT_THRESHOLD, Finding, findings
from itadesk.ita.model import Assessment, Organization
from itadesk.ita.recommendations import Recommendations, load_recommendations
from itadesk.ita.scoring import Evaluation, evaluate

# The report's typeface unless chosen otherwise (report.fonts registers it). Named here, not
# in report.fonts, so the window can build report data without loading ReportLab.
DEFAULT_FONT = "Sarabun"


@dataclass
class ReportOptions:
    thai_digits: bool = False
    font: str = DEFAULT_FONT  # or "TH Sarabun New" / "TH SarabunIT๙" when installed
    threshold: float = DEFAULT_THRESHOLD


@dataclass
class ReportData:
    organization: Organization
    current: Assessment
    previous: Assessment | None
    history: list[Assessment]
    catalog: Catalog
    evaluation: Evaluation
    previous_evaluation: Evaluation | None
    comparison: Comparison
    findings: list[Finding]
    warnings: list[Warning]
    texts: Recommendations
    options: ReportOptions = field(default_factory=ReportOptions)


class ReportError(ValueError):
    """The report cannot be made (no such organization or year); the message is Thai."""


def build_report_data(store, org_uuid: str, year: int, options: ReportOptions | None = None) -> ReportData:
    options = options or ReportOptions()
    org = store.organization(org_uuid)
    if org is None:
        raise ReportError("ไม่พบหน่วยงานที่เลือกในไฟล์")
    current = store.load_assessment(org_uuid, year)
    if current is None:
        raise ReportError(f"ยังไม่มีผลการประเมินของ {org.name} ปี {year}")
    previous = store.previous_assessment(org_uuid, year)
    history = [store.load_assessment(org_uuid, y) for y in store.years(org_uuid) if y <= year]
    catalog = catalog_of(current)  # the document's catalog of the year (Store attaches it)
    return ReportData(
        organization=org,
        current=current,
        previous=previous,
        history=[a for a in history if a is not None],
        catalog=catalog,
        evaluation=evaluate(current, catalog),
        previous_evaluation=evaluate(previous) if previous else None,
        comparison=compare(current, previous, catalog),
        findings=findings(current, catalog, options.threshold),
        warnings=assessment_warnings(current, catalog),
        texts=load_recommendations(year),
        options=options,
    )
