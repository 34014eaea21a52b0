"""A region's page kept whole (web.kept_pages, issue 15): a unit imported under it is on the next view (the import is
recorded on the county's chain)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import COUNTY, TOWN_A
from cunshe.core.actors import SYSTEM
from cunshe.regions.services import regions_import
from cunshe.web.tests.kept import shown_after_write

pytestmark = pytest.mark.django_db


def test_a_village_imported_after_the_page_was_kept_is_on_the_next_view(
    kept_summaries: Any, make_user: Any, web_as: Any, tmp_path: Path
) -> None:
    villages = tmp_path / "villages.csv"
    villages.write_text(
        f'code,name,streetCode,provinceCode,cityCode,areaCode\n{TOWN_A}299,"新建社区居委会",{TOWN_A},37,3716,{COUNTY}\n',
        encoding="utf-8",
    )
    shown = shown_after_write(
        web_as(make_user("county_organizer", COUNTY)),
        f"/regions/{TOWN_A}/",
        lambda: regions_import(actor=SYSTEM, files=[villages], under=TOWN_A),
    )
    assert "新建社区居委会" in shown
