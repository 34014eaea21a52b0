"""The cast of a handover in village A and the helpers the handover tests share."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.handovers.models import Handover, ItemKind, ItemStatus, Party
from cunshe.handovers.services import handover_confirm, handover_open, item_update, templates_ensure_defaults

TODAY = timezone.localdate()


class Cast:
    """The people of one handover in village A: the town's working group, a supervisor, outgoing and incoming."""

    def __init__(self, make_user: Any, make_person: Any) -> None:
        self.officer = make_user("town_officer", TOWN_A, name="黛溪工作组")
        self.other_officer = make_user("town_officer", TOWN_A, name="黛溪干部二")
        self.supervisor = make_user("discipline_supervisor", TOWN_A, name="纪委监督员")
        self.cadre = make_user("village_cadre", VILLAGE_A, name="西范村干部")
        self.officer_b = make_user("town_officer", TOWN_B, name="黄山干部")
        self.outgoing = make_person(VILLAGE_A, name="王守业")
        self.incoming = make_person(VILLAGE_A, name="李新民")
        self.committee, self.leader = templates_ensure_defaults(actor=SYSTEM, county_code=COUNTY)

    def open(self, *, template: Any = None, village: str = VILLAGE_A, **kwargs: Any) -> Handover:
        args: dict[str, Any] = {
            "actor": self.officer,
            "village_code": village,
            "template": template or self.committee,
            "outgoing": self.outgoing,
            "incoming": self.incoming,
            "working_group": self.officer,
            "supervisor": self.supervisor,
            "starts_on": TODAY,
            "meeting_at": datetime.combine(TODAY, time(15, 0), timezone.get_current_timezone()),
            "meeting_place": "西范村党群服务中心",
        }
        args.update(kwargs)
        return handover_open(**args)


@pytest.fixture
def cast(make_user: Any, make_person: Any) -> Cast:
    return Cast(make_user, make_person)


def record_all(handover: Handover, actor: Any, *, skip: int = 0) -> None:
    """Hand over every item (but the first `skip`) as expected."""
    for item in handover.items.order_by("position")[skip:]:
        item_update(
            actor=actor,
            item=item,
            status=ItemStatus.HANDED,
            count=2 if item.item_kind == ItemKind.COUNT else None,
            amount=Decimal("1000.00") if item.item_kind == ItemKind.MONEY else None,
            details="清单已核对",
            expected_version=item.version,
        )


def confirm_all(cast: Cast, handover: Handover) -> Handover:
    for actor, party in (
        (cast.officer, Party.OUTGOING),
        (cast.officer, Party.INCOMING),
        (cast.officer, Party.WORKING_GROUP),
        (cast.supervisor, Party.SUPERVISOR),
    ):
        handover = handover_confirm(
            actor=actor, handover=handover, party=party, expected_version=Handover.objects.get(pk=handover.pk).version
        )
    return handover
