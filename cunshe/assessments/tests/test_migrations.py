"""The rename to the glossary's name keeps the assessments and what points at them (polls, results)."""

from datetime import date
from typing import Any

import pytest

from conftest import COUNTY, VILLAGE_A
from cunshe.assessments.models import Poll, TrustAssessment
from cunshe.assessments.services import assessment_open, poll_enter_totals
from cunshe.core.actors import SYSTEM
from cunshe.readiness.tests.test_migrations import OLD_NAME, latest, migrate_to
from cunshe.teams.services import member_appoint
from cunshe.termchanges.services import term_change_open

pytestmark = pytest.mark.django_db(transaction=True)


def test_renaming_assessment_to_trust_assessment_keeps_polls_and_results(zouping: Any, make_person: Any) -> None:
    term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    member = member_appoint(
        actor=SYSTEM,
        village_code=VILLAGE_A,
        person=make_person(VILLAGE_A),
        committee="villagers",
        post="director",
        started_on=date(2021, 6, 1),
    )
    opened = assessment_open(
        actor=SYSTEM,
        village_code=VILLAGE_A,
        held_on=date(2026, 10, 1),
        method="totals",
        base="valid",
        entitled={"party": 10, "representative": 10, "satisfaction": 10},
    )
    poll = Poll.objects.get(assessment=opened, kind="party")
    poll_enter_totals(actor=SYSTEM, poll=poll, cast=10, invalid=0, tallies={member.pk: (8, 1, 1)}, expected_version=1)
    last = latest("assessments")
    old_apps = migrate_to("assessments", "0001_initial")
    old_polls = old_apps.get_model("assessments", "Poll").objects.filter(assessment__region_id=VILLAGE_A)
    assert old_polls.count() == 3 and old_apps.get_model("assessments", OLD_NAME).objects.get().pk == opened.pk
    migrate_to("assessments", last)
    again = TrustAssessment.objects.get()
    assert again.pk == opened.pk and again.weights_text == "3:5:2"
    assert again.polls.get(kind="party").cast == 10
    assert again.results.get(member=member).party_rate == 90
