"""Front-end files taken from npm packages one by one.

A package's dist folder holds every build of it (ECharts: 51 MB of plain, ESM, source-map and extension builds) while
a page loads one minified file; listing the whole folder in STATICFILES_DIRS made collectstatic copy and hash all of
it. settings.STATIC_PACKAGE_FILES names, per URL prefix, the folder in node_modules and the files served from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage


class PackageFileFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries: list[tuple[str, Path, list[str]]] = [
            (prefix, Path(root), list(names)) for prefix, root, names in settings.STATIC_PACKAGE_FILES
        ]

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return [
            Error(f"npm 包文件缺失：{root / name}（请运行 npm ci）", id="cunshe.E020")
            for _prefix, root, names in self.entries
            for name in names
            if not (root / name).is_file()
        ]

    # Not found is [] as in Django's own finders (finders.find() treats None as a match); the stubs say None.
    def find(self, path: str, find_all: bool = False) -> str | list[str]:  # type: ignore[override]
        found = [
            str(root / name)
            for prefix, root, names in self.entries
            for name in names
            if path == f"{prefix}/{name}" and (root / name).is_file()
        ]
        if find_all:
            return found
        return found[0] if found else []

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for prefix, root, names in self.entries:
            storage = FileSystemStorage(location=root)
            storage.prefix = prefix  # type: ignore[attr-defined]  # collectstatic reads it, as for STATICFILES_DIRS
            for name in names:
                if (root / name).is_file():
                    yield name, storage
