#!/usr/bin/env python3
"""One entry point for a fresh machine: `python3 run.py demo` and `python3 run.py test`.

It needs nothing but a python3: it finds a Python >= 3.12 (Django 6 requires it; see
docs/decisions/0002-python-and-django-versions.md), makes `.venv`, installs the pinned
requirements and the front-end assets from the package registries, then runs the demo or the tests.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "requirements" / "dev.txt"
MIN_PYTHON = (3, 12)


def _version_of(python: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run(
            [python, "-c", "import sys; print(sys.version_info[0], sys.version_info[1])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return None
    return int(out[0]), int(out[1])


def find_python() -> str:
    candidates = [sys.executable, "python3.12", "python3.13", "python3"]
    pyenv_root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates += sorted(glob.glob(f"{pyenv_root}/versions/3.1[2-9]*/bin/python3"))
    candidates += sorted(glob.glob("/usr/bin/python3.1[2-9]")) + sorted(glob.glob("/usr/local/bin/python3.1[2-9]"))
    for candidate in candidates:
        path = shutil.which(candidate) or (candidate if Path(candidate).exists() else None)
        if path is None:
            continue
        version = _version_of(path)
        if version is not None and version >= MIN_PYTHON:
            return path
    sys.exit("cunshe 需要 Python 3.12 或更高版本 (Django 6)。请先安装 python3.12。")


def ensure_environment() -> Path:
    python = VENV / "bin" / "python"
    stamp = VENV / ".requirements.sha256"
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sorted((ROOT / "requirements").glob("*.txt")))).hexdigest()
    if not python.exists():
        subprocess.run([find_python(), "-m", "venv", str(VENV)], check=True)
    if not stamp.exists() or stamp.read_text() != digest:
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "-r", str(REQUIREMENTS), "-e", str(ROOT)], check=True
        )
        stamp.write_text(digest)
    ensure_assets()
    return python


def ensure_assets() -> None:
    if (ROOT / "node_modules" / "htmx.org" / "dist" / "htmx.min.js").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("需要 npm 从软件包仓库安装前端资源 (例如: apt-get install npm)。")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)


FONTS = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def check_font() -> None:
    """Every PDF embeds a CJK font from the system's packages (cunshe/core/printing.py); say so before the demo."""
    if os.environ.get("CUNSHE_CJK_FONT") or any(Path(f).is_file() for f in FONTS):
        return
    print("提示：未找到中文字体，打印（PDF）将报错。请安装：apt-get install fonts-wqy-zenhei", file=sys.stderr)


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    rest = sys.argv[2:]
    if command not in {"demo", "test", "setup"}:
        sys.exit("用法: python3 run.py demo | test [pytest 参数] | setup")
    python = ensure_environment()
    env = dict(os.environ)
    if command == "setup":
        return
    if command == "test":
        # The whole suite spreads over every core (pytest-xdist), the demo county's tests and the access walk each
        # on one worker (conftest.XDIST_GROUPS: each builds its world once); arguments replace that, e.g. one file.
        default = ["-n", "auto", "--dist", "loadgroup"]
        result = subprocess.run([str(python), "-m", "pytest", *(rest or default)], cwd=ROOT, env=env)
        sys.exit(result.returncode)
    check_font()
    cunshe = str(VENV / "bin" / "cunshe")
    # DEBUG off (Chinese error pages, no tracebacks), static files served by the app: cunshe/settings/demo.py
    env.setdefault("DJANGO_SETTINGS_MODULE", "cunshe.settings.demo")
    addrport = next((a for a in rest if not a.startswith("-")), "127.0.0.1:8000")
    subprocess.run([cunshe, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([cunshe, "demo", "--addrport", addrport], cwd=ROOT, env=env, check=True)
    os.execve(cunshe, [cunshe, "runserver", *(rest or [addrport])], env)


if __name__ == "__main__":
    main()
