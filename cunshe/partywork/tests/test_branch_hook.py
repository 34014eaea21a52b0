"""The village's branch is opened by the system when its new party committee is in place (teams hook), once."""

from datetime import date
from typing import Any

import pytest

from conftest import TOWN_A, VILLAGE_A, new_person, new_user
from cunshe.core.actors import SYSTEM
from cunshe.elections.models import Kind
from cunshe.partywork.models import Branch, CadenceStatus
from cunshe.partywork.services import branch_open
from cunshe.records.models import RecordEntry
from cunshe.results.services import party_post_elect, party_posts_approve, result_certify
from cunshe.results.tests.helpers import counted, villagers
from cunshe.teams.models import Post

pytestmark = pytest.mark.django_db

ELECTED = date(2026, 11, 8)


def _party_team_in_place(officer: Any) -> None:
    members = [new_person(is_party_member=True, party_joined_on=date(2000, 7, 1)) for _ in range(3)]
    election = villagers(kind=Kind.PARTY, day=ELECTED, seats={"party_member": 3})
    counted(election, [(p, Post.PARTY_MEMBER, 60) for p in members])
    result_certify(actor=officer, election=election, on=ELECTED, expected_version=election.version)
    party_post_elect(actor=officer, election=election, post=Post.SECRETARY, held_on=ELECTED, votes={members[0].pk: 3})
    party_posts_approve(actor=officer, election=election, on=date(2026, 11, 10), approval_ref="黛组字〔2026〕31号")


def test_the_new_party_committee_opens_the_branch_by_itself(zouping: Any) -> None:
    officer = new_user("town_officer", TOWN_A)
    _party_team_in_place(officer)
    branch = Branch.objects.get(region_id=VILLAGE_A)
    assert branch.formed_on == ELECTED  # the day the committee was elected, not the approval
    assert CadenceStatus.objects.filter(branch=branch).exists()
    entry = RecordEntry.objects.get(event="partywork.branch_opened", object_id=str(branch.pk))
    assert entry.actor_name == "系统"


def test_a_villagers_committee_opens_no_branch(zouping: Any) -> None:
    officer = new_user("town_officer", TOWN_A)
    election = villagers(day=ELECTED)
    counted(election, [(new_person(), Post.DIRECTOR, 60)])
    result_certify(actor=officer, election=election, on=ELECTED, expected_version=election.version)
    assert not Branch.objects.filter(region_id=VILLAGE_A).exists()


def test_a_branch_already_tracked_is_kept(zouping: Any) -> None:
    officer = new_user("town_officer", TOWN_A)
    kept = branch_open(actor=SYSTEM, village_code=VILLAGE_A, name="手工登记的党支部", formed_on=date(2021, 11, 1))
    _party_team_in_place(officer)
    branch = Branch.objects.get(region_id=VILLAGE_A)
    assert (branch.pk, branch.name, branch.formed_on) == (kept.pk, "手工登记的党支部", date(2021, 11, 1))
    assert RecordEntry.objects.filter(event="partywork.branch_opened").count() == 1
