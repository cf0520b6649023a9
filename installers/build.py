"""Build ITA Desk for an office PC: the one-folder bundle, the portable zip and (where Inno
Setup's ISCC is installed, i.e. on Windows) the installer.

    python installers/build.py                  # everything this machine can build
    python installers/build.py --bundle-only    # just the bundle (installers/smoke.sh)

Needs ``pip install -e ".[build]"``. Output goes to dist/: ITADesk/ (the bundle),
ITADesk-<version>-portable-<platform>.zip and, on Windows, ITADesk-<version>-setup.exe.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from itadesk import __version__  # noqa: E402
from itadesk.paths import PORTABLE_MARKER  # noqa: E402

PORTABLE_NOTE = """ITA Desk แบบพกพา (portable)

ไฟล์นี้ทำให้โปรแกรมเก็บการตั้งค่า รายการไฟล์ล่าสุด และสำเนาสำรอง ไว้ในโฟลเดอร์ ITADesk-data
ข้างโปรแกรม (ไม่เขียนลงเครื่องคอมพิวเตอร์ที่ใช้) ถ้าลบไฟล์นี้ โปรแกรมจะเก็บข้อมูลเหล่านี้ในเครื่องตามปกติ
เมื่อเปิดโปรแกรมจากแฟลชไดรฟ์ สำเนาที่กำลังแก้ไขจะอยู่ในโฟลเดอร์ชั่วคราวของเครื่อง (ITADesk-portable)
เพื่อไม่ให้งานเสียหายถ้าถอดแฟลชไดรฟ์ระหว่างทำงาน
"""


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def mb(size: int) -> str:
    return f"{size / 1_000_000:.0f} MB"


def make_icons() -> None:
    """Redraw the icons when Pillow is here; the committed ones serve otherwise."""
    try:
        import PIL  # noqa: F401
    except ImportError:
        print("Pillow is not installed: using the committed icons in resources/icons/")
        return
    subprocess.run([sys.executable, str(ROOT / "installers" / "make_icon.py")], check=True)


def build_bundle(dist: Path, work: Path) -> Path:
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work),
                    str(ROOT / "installers" / "itadesk.spec")], check=True, cwd=ROOT)
    bundle = dist / "ITADesk"
    print(f"bundle: {bundle} ({mb(folder_size(bundle))})")
    return bundle


def build_portable_zip(bundle: Path, dist: Path) -> Path:
    """The bundle plus the portable marker, zipped: unzip onto the stick and run."""
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    out = dist / f"ITADesk-{__version__}-portable-{system}-{platform.machine().lower()}.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(bundle.rglob("*")):
            info = zipfile.ZipInfo.from_file(path, Path("ITADesk") / path.relative_to(bundle))
            if path.is_file():
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())
        zf.writestr(f"ITADesk/{PORTABLE_MARKER}", PORTABLE_NOTE.encode("utf-8"))
    print(f"portable zip: {out} ({mb(out.stat().st_size)})")
    return out


def find_iscc() -> Path | None:
    found = shutil.which("ISCC") or shutil.which("iscc")
    if found:
        return Path(found)
    for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles")):
        if base and (Path(base) / "Inno Setup 6" / "ISCC.exe").is_file():
            return Path(base) / "Inno Setup 6" / "ISCC.exe"
    return None


def build_installer(bundle: Path, dist: Path) -> Path | None:
    iscc = find_iscc()
    if iscc is None:
        print("installer: skipped, Inno Setup's ISCC was not found (install Inno Setup 6 on Windows: "
              "choco install innosetup)")
        return None
    subprocess.run([str(iscc), f"/DAppVersion={__version__}", f"/DSourceDir={bundle}", f"/DOutputDir={dist}",
                    f"/DIconDir={ROOT / 'resources' / 'icons'}", str(ROOT / "installers" / "itadesk.iss")],
                   check=True)
    out = dist / f"ITADesk-{__version__}-setup.exe"
    print(f"installer: {out} ({mb(out.stat().st_size)})")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle-only", action="store_true", help="build the bundle only (no zip, no installer)")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    args = parser.parse_args()
    start = time.monotonic()
    print(f"ITA Desk {__version__}: Python {platform.python_version()} on {platform.platform()}")
    make_icons()
    bundle = build_bundle(args.dist.resolve(), args.work.resolve())
    if not args.bundle_only:
        build_portable_zip(bundle, args.dist.resolve())
        build_installer(bundle, args.dist.resolve())
    print(f"done in {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
