"""The first secretary scored by a satisfaction survey comes from the village's current first-secretary posting;
a village without a posting keeps its hand-entered holder."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from conftest import COUNTY, VILLAGE_A, VILLAGE_B
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import NotPermitted
from cunshe.firstsecretaries.services import posting_create, posting_end
from cunshe.surveys.services import current_holders, holder_assign

pytestmark = pytest.mark.django_db
ON = date(2026, 11, 20)


def _post(village: str, name: str, started_on: date = date(2026, 3, 16)) -> Any:
    return posting_create(
        actor=SYSTEM,
        village_code=village,
        name=name,
        sending_unit="邹平市农业农村局",
        started_on=started_on,
        ends_on=date(2028, 3, 16),
    )


def test_the_posting_names_the_first_secretary_scored(zouping: Any, make_person: Any, make_user: Any) -> None:
    organizer = make_user("county_organizer", COUNTY)
    typed = make_person(VILLAGE_A, name="王旧书记")
    posted = make_person(VILLAGE_A, name="陈晓东")
    other = make_person(VILLAGE_B, name="李手填")
    for village, person in ((VILLAGE_A, typed), (VILLAGE_B, other)):
        holder_assign(
            actor=organizer, village_code=village, post="first_secretary", person=person, since=date(2025, 3, 1)
        )
    # a posting that is not the organiser's to make is refused and changes nothing
    with pytest.raises(NotPermitted):
        posting_create(
            actor=make_user("village_cadre", VILLAGE_A),
            village_code=VILLAGE_A,
            name="陈晓东",
            sending_unit="邹平市农业农村局",
            started_on=date(2026, 3, 16),
            ends_on=date(2028, 3, 16),
        )
    assert current_holders([VILLAGE_A, VILLAGE_B], "first_secretary", ON) == {VILLAGE_A: typed.pk, VILLAGE_B: other.pk}

    posting = _post(VILLAGE_A, "陈晓东")
    # with a posting: the posted cadre, not the hand-entered holder; without one (village B): the holder
    assert current_holders([VILLAGE_A, VILLAGE_B], "first_secretary", ON) == {
        VILLAGE_A: posted.pk,
        VILLAGE_B: other.pk,
    }
    # before the posting started, the holder of that day
    assert current_holders([VILLAGE_A], "first_secretary", date(2026, 3, 1)) == {VILLAGE_A: typed.pk}
    # the other posts never read postings
    assert current_holders([VILLAGE_A], "police", ON) == {}
    # a posting ended before the day no longer names anyone
    posting_end(actor=SYSTEM, posting=posting, ended_on=date(2026, 10, 31), expected_version=posting.version)
    assert current_holders([VILLAGE_A], "first_secretary", ON) == {VILLAGE_A: typed.pk}


def test_a_posted_cadre_missing_from_the_registry_scores_nobody(zouping: Any, make_person: Any) -> None:
    typed = make_person(VILLAGE_A, name="王旧书记")
    holder_assign(actor=SYSTEM, village_code=VILLAGE_A, post="first_secretary", person=typed, since=date(2025, 3, 1))
    _post(VILLAGE_A, "赵不在册")
    assert current_holders([VILLAGE_A], "first_secretary", ON) == {}
