"""Issue 14 (item 7): what the pages show a person: the visit date starts at today, photos show as thumbnails, and a
town with nothing recorded yet is a row of zeros on every roll-up."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, new_person
from cunshe.commitments.services import commitment_create, progress_add
from cunshe.core.actors import SYSTEM
from cunshe.termchanges.services import term_change_open
from cunshe.visits.models import Group, VisitTarget
from cunshe.visits.services import visit_plan_generate


def test_the_visit_date_starts_at_today(zouping: Any, make_user: Any, web_as: Any) -> None:
    term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    new_person(VILLAGE_A, name="老党员", is_party_member=True, party_joined_on=date(1990, 7, 1))
    officer = make_user("town_officer", TOWN_A)
    visit_plan_generate(
        actor=officer, village_code=VILLAGE_A, groups=[Group.PARTY_MEMBER], visitor="驻村干部", due_on=date(2026, 12, 1)
    )
    target = VisitTarget.objects.get(person__name="老党员")
    page = web_as(officer).get(f"/visits/plan/{target.pk}/").content.decode()
    assert f'name="visited_on" value="{timezone.localdate():%Y-%m-%d}"' in page


def test_progress_photos_show_as_thumbnails(zouping: Any, make_user: Any, web_as: Any) -> None:
    cadre = make_user("village_cadre", VILLAGE_A)
    year = timezone.localdate().year
    commitment = commitment_create(
        actor=cadre, village_code=VILLAGE_A, year=year, category="提升改善村容村貌", title="修路", content="硬化",
        target="通车", deadline=date(year, 12, 31), responsible_post="村党组织书记",
    )  # fmt: skip
    update = progress_add(
        actor=cadre, commitment=commitment, written_on=timezone.localdate(), note="开工",
        photo=SimpleUploadedFile("a.jpg", b"\xff\xd8\xff"),
    )  # fmt: skip
    page = web_as(cadre).get(f"/commitments/{commitment.pk}/").content.decode()
    assert f'<img src="/commitments/progress/{update.pk}/photo/"' in page
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page  # the progress date starts at today too


def test_an_empty_town_is_a_row_of_zeros_on_the_commitments_roll_up(zouping: Any, make_user: Any, web_as: Any) -> None:
    organizer = make_user("county_organizer", COUNTY)
    year = timezone.localdate().year
    commitment_create(
        actor=SYSTEM, village_code=VILLAGE_A, year=year, category="提升改善村容村貌", title="修路", content="硬化",
        target="通车", deadline=date(year, 12, 31), responsible_post="村党组织书记",
    )  # fmt: skip
    page = web_as(organizer).get(f"/commitments/rollup/{COUNTY}/").content.decode()
    assert f'href="/commitments/rollup/{TOWN_A}/' in page and f'href="/commitments/rollup/{TOWN_B}/' in page
    row_b = page[page.index(f'href="/commitments/rollup/{TOWN_B}/') :]
    row_b = row_b[: row_b.index("</tr>")]
    assert "<td>0</td>" in row_b and "—" not in row_b
