"""Make a wheelhouse: aomori-dx and every package it needs, as wheels in one folder, for a PC without PyPI.

    python scripts/wheelhouse.py                          # Windows 64-bit, Python 3.11 -> wheelhouse/
    python scripts/wheelhouse.py --python-version 3.12    # for a PC with Python 3.12
    python scripts/wheelhouse.py --here --out /tmp/wh     # for this machine (to test the install)

Run it on a machine that reaches PyPI, copy the folder to the closed network, and install there:

    py -3.11 -m venv .venv
    .venv\\Scripts\\python -m pip install --no-index --find-links wheelhouse aomori-dx

It builds the project's wheel (``pip wheel --no-deps``) and downloads the dependencies with
``pip download --only-binary=:all: --platform win_amd64 --python-version 3.11``.  pip evaluates
environment markers against the machine it runs on, not the target, so a dependency needed only on
Windows (typer's ``colorama; platform_system == "Windows"``) would be missing: the script reads
each wheel's requirements, evaluates their markers for the target, and downloads what is missing.
"""

from __future__ import annotations

import argparse
import email.parser
import re
import subprocess
import sys
import zipfile
from pathlib import Path

try:
    from packaging.requirements import Requirement
except ImportError:  # a bare Python: pip carries its own copy
    from pip._vendor.packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check"]

# What the markers of a Windows 64-bit CPython see (PEP 508 names); other targets get what pip
# resolves.
WINDOWS = {
    "os_name": "nt",
    "sys_platform": "win32",
    "platform_system": "Windows",
    "platform_machine": "AMD64",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
}


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def _wheel_names(folder: Path) -> set[str]:
    return {_name(path.name.split("-")[0]) for path in folder.glob("*.whl")}


def _requirements(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(name for name in archive.namelist() if name.endswith(".dist-info/METADATA"))
        message = email.parser.BytesParser().parsebytes(archive.read(metadata))
    return message.get_all("Requires-Dist") or []


def _missing_for_target(folder: Path, environment: dict[str, str]) -> list[str]:
    """Requirements of the wheels in ``folder`` that apply on the target but have no wheel there."""
    present = _wheel_names(folder)
    missing = []
    for wheel in sorted(folder.glob("*.whl")):
        for line in _requirements(wheel):
            requirement = Requirement(line)
            applies = requirement.marker is None or requirement.marker.evaluate(environment | {"extra": ""})
            if applies and _name(requirement.name) not in present:
                missing.append(str(requirement).split(";")[0].strip())
    return sorted(set(missing))


def main() -> None:
    """Build the project's wheel and download its dependencies for the target into ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "wheelhouse", help="the folder (default: wheelhouse/)"
    )
    parser.add_argument("--platform", default="win_amd64", help="pip's platform tag (default: win_amd64)")
    parser.add_argument("--python-version", default="3.11", help="the target's Python (default: 3.11)")
    parser.add_argument("--here", action="store_true", help="for this machine's platform and Python instead")
    args = parser.parse_args()
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([*PIP, "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)], check=True)
    wheel = max(out.glob("aomori_dx-*.whl"), key=lambda path: path.stat().st_mtime)
    target = [] if args.here else ["--platform", args.platform, "--python-version", args.python_version]
    download = [*PIP, "download", "--quiet", "--only-binary=:all:", *target, "-d", str(out)]
    subprocess.run([*download, str(wheel)], check=True)
    if not args.here and args.platform.startswith("win"):
        version = args.python_version
        environment = WINDOWS | {"python_version": version, "python_full_version": f"{version}.0"}
        while missing := _missing_for_target(out, environment):
            print("for the target also:", ", ".join(missing))
            subprocess.run([*download, *missing], check=True)
    print(f"{len(list(out.glob('*.whl')))} wheels in {out}")
    print(f"install: python -m pip install --no-index --find-links {out} aomori-dx")


if __name__ == "__main__":
    main()
