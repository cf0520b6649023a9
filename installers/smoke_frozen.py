"""Run the frozen program as an officer would; any missing data file in the spec fails here.

    python installers/smoke_frozen.py dist/ITADesk

CLI: import the reference JSON, summary, report a PDF and read its text back (pdftotext
where poppler is installed; otherwise the PDF's fonts and size), Excel export and template
(openpyxl), a mistyped command answered in Thai. Window: open the file and quit (``--smoke-test``), installed and then portable (the
marker beside the executable: settings and working copies must appear beside the program).
Used by installers/smoke.sh on Linux and by the Windows workflow. Exit 0 = all passed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from itadesk.paths import PORTABLE_DATA, PORTABLE_MARKER  # noqa: E402

EXE = ".exe" if sys.platform == "win32" else ""
FIXTURE = ROOT / "tests" / "fixtures" / "chiangphin.json"
NEEDLES = ("การนำผลการประเมิน", "องค์การบริหารส่วนตำบลเชียงพิณ", "90.42", "แผนปฏิบัติการ")


class SmokeFailure(Exception):
    pass


def run(args, env, cwd, expect=0, timeout=180) -> subprocess.CompletedProcess:
    start = time.monotonic()
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          timeout=timeout, encoding="utf-8", errors="replace")
    print(f"  {Path(str(args[0])).name} {' '.join(map(str, args[1:3]))} ... -> {proc.returncode} "
          f"({time.monotonic() - start:.1f} s)")
    if expect is not None and proc.returncode != expect:
        raise SmokeFailure(f"{args[1:]} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def check_pdf(pdf: Path) -> None:
    data = pdf.read_bytes()
    if not data.startswith(b"%PDF") or len(data) < 50_000:
        raise SmokeFailure(f"{pdf} is not a full PDF ({len(data)} bytes)")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              check=True).stdout.decode("utf-8")
        missing = [n for n in NEEDLES if n not in text]
        if missing:
            raise SmokeFailure(f"the PDF's text lacks {missing}")
        print(f"  pdftotext: {len(text)} characters, all of {len(NEEDLES)} checks found")
    else:
        print("  pdftotext not installed: checked the PDF's header and size only")
    if b"Sarabun" not in data:
        raise SmokeFailure("Sarabun is not embedded in the PDF")


def smoke(bundle: Path) -> None:
    cli, window = bundle / f"itadesk-cli{EXE}", bundle / f"ITADesk{EXE}"
    with tempfile.TemporaryDirectory(prefix="itadesk-smoke-") as tmp:
        work = Path(tmp) / "งาน ITA"  # a Thai folder name with a space, as officers make them
        work.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "ITADESK_"))}
        env |= {"ITADESK_DATA_DIR": str(Path(tmp) / "data"), "XDG_CONFIG_HOME": str(Path(tmp) / "config")}
        print("command line:")
        run([cli, "--version"], env, work)
        run([cli, "import", "เชียงพิณ.itadesk", FIXTURE], env, work)
        summary = run([cli, "summary", "เชียงพิณ.itadesk"], env, work).stdout
        if "90.42" not in summary:
            raise SmokeFailure(f"summary lacks 90.42:\n{summary}")
        run([cli, "report", "เชียงพิณ.itadesk", "--org", "อบต.เชียงพิณ", "--year", "2568", "-o", "รายงาน.pdf"], env, work)
        check_pdf(work / "รายงาน.pdf")
        run([cli, "export", "เชียงพิณ.itadesk", "--org", "อบต.เชียงพิณ", "--year", "2568", "-o", "ตาราง.xlsx"], env, work)
        run([cli, "template", "--year", "2568", "-o", "แบบฟอร์ม.xlsx"], env, work)
        for workbook in ("ตาราง.xlsx", "แบบฟอร์ม.xlsx"):
            if not (work / workbook).read_bytes().startswith(b"PK"):
                raise SmokeFailure(f"{workbook} is not an Excel workbook")
        mistyped = run([cli, "sumary", "x"], env, work, expect=1)
        if "หมายถึง summary" not in mistyped.stderr:
            raise SmokeFailure(f"mistyped command: {mistyped.stderr}")

        print("window (installed layout):")
        window_env = env | ({} if sys.platform == "win32" else {"QT_QPA_PLATFORM": "offscreen"})
        run([window, work / "เชียงพิณ.itadesk", "--smoke-test"], window_env, work)

        print("window (portable: marker beside the program):")
        marker, data = bundle / PORTABLE_MARKER, bundle / PORTABLE_DATA
        portable_env = {k: v for k, v in window_env.items() if k != "ITADESK_DATA_DIR"}
        marker.write_text("smoke test", encoding="utf-8")
        try:
            run([window, work / "เชียงพิณ.itadesk", "--smoke-test"], portable_env, work)
            if not (data / "settings.ini").is_file():
                raise SmokeFailure(f"portable settings not beside the program: {sorted(data.rglob('*'))}")
            print(f"  {PORTABLE_DATA}/ beside the program: {sorted(p.name for p in data.iterdir())}")
        finally:
            marker.unlink()
            shutil.rmtree(data, ignore_errors=True)


def main() -> int:
    bundle = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "dist" / "ITADesk").resolve()
    start = time.monotonic()
    try:
        smoke(bundle)
    except (SmokeFailure, subprocess.TimeoutExpired) as exc:
        print(f"smoke: FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"smoke: OK ({time.monotonic() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
