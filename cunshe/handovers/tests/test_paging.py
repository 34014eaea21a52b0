from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import VILLAGE_A
from cunshe.handovers.services import leftover_add
from cunshe.handovers.tests.conftest import Cast

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_handovers_and_leftovers_page_each_under_its_own_parameter(cast: Cast, make_person: Any, web_as: Any) -> None:
    # Both lists stopped at 200 and said nothing of the rest; each pages 50 at a time and moves alone.
    outgoing = [make_person(VILLAGE_A, name=f"移交{i:03d}号") for i in range(51)]
    handovers = [cast.open(outgoing=person) for person in outgoing]
    titles = [f"遗留事项{i:03d}号" for i in range(51)]
    for title in titles:  # the same deadline: only the id orders them
        leftover_add(
            actor=cast.officer, handover=handovers[0], title=title, owner="李新民", due_on=TODAY + timedelta(9)
        )
    client = web_as(cast.officer)
    first = client.get(reverse("handovers:list")).content.decode()
    assert "移交000号" not in first and "遗留事项050号" not in first  # the 51st of each: the oldest, the last
    second = client.get(reverse("handovers:list"), {"handovers": 2}).content.decode()
    assert "移交000号" in second and "遗留事项050号" not in second  # the leftovers stay on their first page
    assert all((first + second).count(p.name) == 1 for p in outgoing)
    both = client.get(reverse("handovers:list"), {"handovers": 2, "leftovers": 2}).content.decode()
    assert "遗留事项050号" in both and "遗留事项000号" not in both and "移交000号" in both
    assert "leftovers=1" in both  # the pager keeps the other list's page
