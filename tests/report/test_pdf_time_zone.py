"""The report's time stamp names one moment in the Info dictionary and in the XMP packet,
whatever the computer's time zone: also where the offset has half hours (Myanmar +06:30,
Newfoundland −03:30), where ReportLab alone wrote +06'00'. The zone is given to the
printing process as a POSIX TZ string, so no time-zone database is needed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from .long_text import FIXTURE

pytestmark = pytest.mark.skipif(sys.platform == "win32",
                                reason="POSIX TZ strings: the Windows C runtime reads TZ otherwise")


def _itadesk(*args, tz: str) -> None:
    env = dict(os.environ, TZ=tz)
    proc = subprocess.run([sys.executable, "-m", "itadesk", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr


def _info_date(value: str) -> datetime:
    """D:YYYYMMDDHHmmSS+HH'mm' (the Info dictionary's form) as an aware datetime."""
    m = re.fullmatch(r"D:(\d{14})([+-])(\d\d)'(\d\d)'", value)
    assert m, value
    offset = timedelta(hours=int(m[3]), minutes=int(m[4])) * (1 if m[2] == "+" else -1)
    return datetime.strptime(m[1], "%Y%m%d%H%M%S").replace(tzinfo=timezone(offset))


@pytest.mark.parametrize("tz, offset", [("MMT-6:30", timedelta(hours=6, minutes=30)),
                                        ("NST3:30", -timedelta(hours=3, minutes=30)),
                                        ("ICT-7", timedelta(hours=7))])
def test_info_and_xmp_name_the_same_moment_in_any_zone(tmp_path, tz, offset):
    import pymupdf

    db, pdf = tmp_path / "ita.db", tmp_path / "report.pdf"
    org = json.loads(FIXTURE.read_text(encoding="utf-8"))[-1]["organization"]["name"]
    _itadesk("import", db, FIXTURE, tz=tz)
    before = datetime.now(timezone.utc).replace(microsecond=0)
    _itadesk("report", db, "--org", org, "--year", "2568", "-o", pdf, tz=tz)
    after = datetime.now(timezone.utc)
    with pymupdf.open(str(pdf)) as doc:
        info, packet = doc.metadata, doc.get_xml_metadata()
    created = datetime.fromisoformat(re.search(r"<xmp:CreateDate>([^<]+)<", packet)[1])
    stamped = _info_date(info["creationDate"])
    assert stamped.utcoffset() == created.utcoffset() == offset
    assert stamped == created and before <= created <= after
