from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from conftest import TOWN_A, VILLAGE_A
from cunshe.commitments import views
from cunshe.commitments.services import commitment_create, commitment_link_visits
from cunshe.core.actors import SYSTEM
from cunshe.termchanges.services import term_change_open
from cunshe.visits.models import VisitTarget
from cunshe.visits.services import visit_plan_generate, visit_record


def test_the_link_form_offers_a_linked_visit_past_the_newest(
    make_user: Any, make_person: Any, web_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The form sets the links to what is selected: a linked visit it did not offer was unlinked on the next save.
    term_change_open(actor=SYSTEM, county_code="371681", year=2026, opened_on=date(2026, 9, 1))
    officer = make_user("town_officer", TOWN_A)
    member = {"birth_date": date(1970, 5, 1), "is_party_member": True, "party_joined_on": date(1995, 7, 1)}
    people = [make_person(VILLAGE_A, **member) for _ in range(2)]
    visit_plan_generate(
        actor=SYSTEM, village_code=VILLAGE_A, groups=["party_member"], visitor="走访组", due_on=date(2026, 10, 31)
    )
    old, new = (
        visit_record(
            actor=SYSTEM, target=VisitTarget.objects.get(person=person), mode="in_person", visited_on=day,
            visitors="走访组", summary="入户座谈", opinion_team=opinion,
        )
        for person, day, opinion in ((people[0], date(2026, 10, 8), "旧意见：修村口路"), (people[1], date(2026, 10, 9), "新意见：装路灯"))
    )  # fmt: skip
    commitment = commitment_create(
        actor=officer, village_code=VILLAGE_A, year=2026, category="改善生产生活条件", title="硬化村口道路",
        content="铺设水泥路面 300 米", target="雨天通行无阻", deadline=date(2026, 12, 31), responsible_post="村党组织书记",
    )  # fmt: skip
    commitment_link_visits(actor=officer, commitment=commitment, visits=[old])
    monkeypatch.setattr(views, "OPINION_CHOICES", 1)  # the newest one only: the linked one is past it
    page = web_as(officer).get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
    assert f'<option value="{new.pk}">' in page
    assert f'<option value="{old.pk}" selected>' in page  # still offered, still selected
