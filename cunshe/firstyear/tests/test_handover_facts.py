"""The handover and 六个一 items are marked from the handovers module's facts, the day they happened."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest
from django.utils import timezone

from conftest import COUNTY, TOWN_A, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.firstyear.tests.helpers import progress
from cunshe.handovers.models import CareAct, Handover, Party
from cunshe.handovers.services import care_record, handover_confirm
from cunshe.handovers.tests.conftest import record_all
from cunshe.results.services import result_certify, result_handover_open
from cunshe.results.tests.helpers import DAY, counted, villagers
from cunshe.teams.models import Committee, Post
from cunshe.teams.services import member_appoint

pytestmark = pytest.mark.django_db


def test_handover_and_six_acts_come_from_the_handover(make_person: Any, make_user: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    supervisor = make_user("discipline_supervisor", COUNTY)
    member_appoint(
        actor=SYSTEM,
        village_code=VILLAGE_A,
        person=make_person(VILLAGE_A),
        committee=Committee.VILLAGERS,
        post=Post.DIRECTOR,
        started_on=date(2021, 11, 20),
    )
    election = villagers(VILLAGE_A)
    counted(election, [(make_person(VILLAGE_A), Post.DIRECTOR, 60)])
    result_certify(actor=officer, election=election, on=DAY, expected_version=election.version)
    meeting = datetime.combine(DAY, time(15), timezone.get_current_timezone())
    handover = result_handover_open(actor=officer, election=election, meeting_at=meeting, meeting_place="村委会")
    record_all(handover, officer)
    assert progress(VILLAGE_A, "handover").done_on is None
    for actor, party in ((officer, Party.OUTGOING), (officer, Party.INCOMING), (officer, Party.WORKING_GROUP)):
        handover = handover_confirm(
            actor=actor, handover=handover, party=party, expected_version=Handover.objects.get(pk=handover.pk).version
        )
    assert progress(VILLAGE_A, "handover").done_on is None  # the supervisor has not signed
    handover_confirm(
        actor=supervisor,
        handover=handover,
        party=Party.SUPERVISOR,
        expected_version=Handover.objects.get(pk=handover.pk).version,
    )
    done = progress(VILLAGE_A, "handover")
    assert done.done_on == timezone.localdate() and done.done_source == "handover"
    acts = list(CareAct.values)
    for act in acts[:-1]:
        care_record(actor=officer, handover=handover, act=act, done_on=DAY)
    assert progress(VILLAGE_A, "retirement_care").done_on is None  # five of six
    care_record(actor=officer, handover=handover, act=acts[-1], done_on=date(2026, 11, 28))
    assert progress(VILLAGE_A, "retirement_care").done_on == date(2026, 11, 28)
