"""Front-end packages: only the files pages load are served and collected, never a package's whole dist folder."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.test import override_settings

from cunshe.web.staticfinders import PackageFileFinder


def test_the_package_finder_finds_the_listed_files_and_nothing_else_of_their_folders() -> None:
    assert finders.find("vendor/echarts/echarts.min.js")
    assert finders.find("vendor/htmx/htmx.min.js")
    assert not finders.find("vendor/echarts/echarts.js")  # beside it in dist/, not listed
    listed = {path for path, _storage in PackageFileFinder().list([])}
    workbox = {
        f"workbox-{m}.prod.js{map_}" for m in ("core", "routing", "strategies", "expiration") for map_ in ("", ".map")
    }
    # cunshe/offline: idb and Workbox's loader and modules (with the source maps they name)
    assert listed == {"htmx.min.js", "echarts.min.js", "umd.js", "workbox-sw.js", "workbox-sw.js.map", *workbox}
    prefixes = {storage.prefix for _path, storage in PackageFileFinder().list([])}  # type: ignore[attr-defined]
    assert prefixes == {"vendor/htmx", "vendor/echarts", "vendor/idb", "vendor/workbox"}


def test_a_listed_file_missing_from_node_modules_is_a_system_check_error(tmp_path: Path) -> None:
    with override_settings(STATIC_PACKAGE_FILES=[("vendor/x", tmp_path, ["x.min.js"])]):
        errors = PackageFileFinder().check()
        assert [error.id for error in errors] == ["cunshe.E020"]
        assert "npm ci" in errors[0].msg
        (tmp_path / "x.min.js").write_text("//")
        assert PackageFileFinder().check() == []
