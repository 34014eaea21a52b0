"""A village brought to a certified villagers' committee election (which opens its programme), through the
elections and results services."""

from __future__ import annotations

from typing import Any

from cunshe.core.actors import SYSTEM
from cunshe.elections.models import Election
from cunshe.firstyear.models import Progress
from cunshe.results.services import result_certify
from cunshe.results.tests.helpers import DAY, counted, villagers
from cunshe.teams.models import Post

__all__ = ["DAY", "certified", "progress"]


def certified(village: str, make_person: Any, *, actor: Any = SYSTEM) -> Election:
    election = villagers(village)
    counted(election, [(make_person(village), Post.DIRECTOR, 60)])
    return result_certify(actor=actor, election=election, on=DAY, expected_version=election.version)


def progress(village: str, key: str) -> Progress:
    return Progress.objects.select_related("item", "programme").get(region_id=village, item__key=key)


def by_hand(key: str, county: str = "371681") -> str:
    """The county sets an item to be entered by hand (every default item is marked from other modules'
    facts): returns the key, for `progress(village, by_hand(key))`."""
    from cunshe.firstyear.models import ProgrammeItem, Source
    from cunshe.firstyear.services import item_save

    item = ProgrammeItem.objects.get(county_id=county, key=key)
    item_save(
        actor=SYSTEM,
        county_code=county,
        item=item,
        name=item.name,
        description=item.description,
        due_amount=item.due_amount,
        due_unit=item.due_unit,
        source=Source.MANUAL,
        is_active=item.is_active,
        expected_version=item.version,
    )
    return key
