"""The issue board tells liaison when one of its items changes (cunshe.issueboard.hooks, registered in
LiaisonConfig.ready): a matter closed on the board's own pages is counted at once, in the board's transaction."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from conftest import TOWN_B, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, NotPermitted
from cunshe.issueboard import hooks
from cunshe.issueboard.models import Issue
from cunshe.issueboard.services import issue_move
from cunshe.liaison.models import Tally
from cunshe.liaison.tests.helpers import assign, matter_for
from cunshe.records.models import RecordEntry

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_the_liaison_hook_is_registered_by_name_once() -> None:
    assert "liaison.matters" in hooks.issue_hooks


def test_closing_a_matter_on_the_board_recounts_liaison_without_a_liaison_write(zouping: Any, make_user: Any) -> None:
    m = matter_for(assign(VILLAGE_A))
    issue = Issue.objects.get(pk=m.issue_id)
    assert (
        Tally.objects.get(village_id=VILLAGE_A).matters,
        Tally.objects.get(village_id=VILLAGE_A).matters_resolved,
    ) == (1, 0)
    liaison_events = RecordEntry.objects.filter(event__startswith="liaison.").count()

    # denied: a town officer of 黄山 may not move 黛溪's item; nothing changes on either side
    officer_b = make_user("town_officer", TOWN_B)
    with pytest.raises((NotPermitted, Http404)):
        issue_move(
            actor=officer_b,
            issue=issue,
            to_status="closed",
            expected_version=issue.version,
            resolution="x",
            closed_on=TODAY,
        )
    # a stale close fails inside the board's transaction: the tally is not touched either
    with pytest.raises(ConcurrentEdit):
        issue_move(
            actor=SYSTEM,
            issue=Issue.objects.get(pk=issue.pk),
            to_status="closed",
            expected_version=issue.version + 5,
            resolution="已修复",
            closed_on=TODAY,
        )
    assert Tally.objects.get(village_id=VILLAGE_A).matters_resolved == 0

    # allowed: closed on the board only (no liaison service called), counted at once
    issue_move(
        actor=SYSTEM, issue=Issue.objects.get(pk=issue.pk), to_status="in_progress", expected_version=issue.version
    )
    assert Tally.objects.get(village_id=VILLAGE_A).matters_resolved == 0
    issue = Issue.objects.get(pk=issue.pk)
    issue_move(
        actor=SYSTEM,
        issue=issue,
        to_status="closed",
        expected_version=issue.version,
        resolution="已修复",
        closed_on=TODAY,
    )
    tally = Tally.objects.get(village_id=VILLAGE_A)
    assert (tally.matters, tally.matters_resolved) == (1, 1)
    assert RecordEntry.objects.filter(event__startswith="liaison.").count() == liaison_events
