"""The first secretary scored by a satisfaction survey is the person the village's current first-secretary posting
is linked to (chosen on the posting, never matched by name); a posting not linked scores nobody there, and a
village without a posting keeps its hand-entered holder."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.http import Http404

from conftest import COUNTY, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.firstsecretaries.services import posting_create, posting_end, posting_person_set
from cunshe.surveys.models import Run
from cunshe.surveys.services import current_holders, holder_assign, survey_create, survey_open

pytestmark = pytest.mark.django_db
ON = date(2026, 11, 20)


def _post(village: str, name: str, person: Any = None, started_on: date = date(2026, 3, 16)) -> Any:
    return posting_create(
        actor=SYSTEM,
        village_code=village,
        name=name,
        sending_unit="邹平市农业农村局",
        started_on=started_on,
        ends_on=date(2028, 3, 16),
        person=person,
    )


def test_the_posting_linked_person_is_the_first_secretary_scored(
    zouping: Any, make_person: Any, make_user: Any
) -> None:
    organizer = make_user("county_organizer", COUNTY)
    typed = make_person(VILLAGE_A, name="王旧书记")
    posted = make_person(VILLAGE_A, name="陈晓东")
    other = make_person(VILLAGE_B, name="李手填")
    for village, person in ((VILLAGE_A, typed), (VILLAGE_B, other)):
        holder_assign(
            actor=organizer, village_code=village, post="first_secretary", person=person, since=date(2025, 3, 1)
        )
    assert current_holders([VILLAGE_A, VILLAGE_B], "first_secretary", ON) == {VILLAGE_A: typed.pk, VILLAGE_B: other.pk}

    posting = _post(VILLAGE_A, "陈晓东")
    # a posting not linked scores nobody, even with a person of that very name in the registry: no guessing
    assert current_holders([VILLAGE_A, VILLAGE_B], "first_secretary", ON) == {VILLAGE_B: other.pk}
    # the link is the organiser's: the village may not set it, another town does not find the posting
    with pytest.raises(NotPermitted):
        posting_person_set(
            actor=make_user("village_cadre", VILLAGE_A), posting=posting, person=posted, expected_version=1
        )
    with pytest.raises(Http404):
        posting_person_set(actor=make_user("town_officer", TOWN_B), posting=posting, person=posted, expected_version=1)
    # the registry row must be the village's and carry the posting's name
    with pytest.raises(DomainError, match="不一致"):
        posting_person_set(actor=organizer, posting=posting, person=typed, expected_version=1)
    with pytest.raises(DomainError, match="登记在派驻村"):
        posting_person_set(
            actor=organizer, posting=posting, person=make_person(VILLAGE_B, name="陈晓东"), expected_version=1
        )
    posting = posting_person_set(actor=organizer, posting=posting, person=posted, expected_version=1)
    # with a linked posting: its person, not the hand-entered holder; without a posting (village B): the holder
    assert current_holders([VILLAGE_A, VILLAGE_B], "first_secretary", ON) == {
        VILLAGE_A: posted.pk,
        VILLAGE_B: other.pk,
    }
    # before the posting started, the holder of that day; the other posts never read postings
    assert current_holders([VILLAGE_A], "first_secretary", date(2026, 3, 1)) == {VILLAGE_A: typed.pk}
    assert current_holders([VILLAGE_A], "police", ON) == {}
    # a survey opened on the day scores the linked person there
    survey = survey_create(
        actor=organizer,
        region_code=COUNTY,
        title="第一书记满意度测评",
        purpose="satisfaction",
        post="first_secretary",
        year=2026,
        questions=[{"kind": "scale", "text": "总体满意度", "scale_max": 5, "choices": list("12345")}],
    )
    survey_open(actor=organizer, survey=survey, expected_version=survey.version, villages=[VILLAGE_A], on=ON)
    assert Run.objects.get(survey=survey, village_id=VILLAGE_A).subject_id == posted.pk
    # a posting ended before the day no longer names anyone: the holder of that day again
    posting_end(actor=SYSTEM, posting=posting, ended_on=date(2026, 10, 31), expected_version=posting.version)
    assert current_holders([VILLAGE_A], "first_secretary", ON) == {VILLAGE_A: typed.pk}
    # unlinking is recorded and scores nobody again while the posting runs
    assert current_holders([VILLAGE_A], "first_secretary", date(2026, 10, 1)) == {VILLAGE_A: posted.pk}
    posting.refresh_from_db()
    posting_person_set(actor=organizer, posting=posting, person=None, expected_version=posting.version)
    assert current_holders([VILLAGE_A], "first_secretary", date(2026, 10, 1)) == {}


def test_a_posting_made_with_its_person(zouping: Any, make_person: Any) -> None:
    posted = make_person(VILLAGE_A, name="赵派驻")
    with pytest.raises(DomainError, match="不一致"):
        _post(VILLAGE_A, "赵另名", person=posted)
    _post(VILLAGE_A, "赵派驻", person=posted)
    assert current_holders([VILLAGE_A], "first_secretary", ON) == {VILLAGE_A: posted.pk}
