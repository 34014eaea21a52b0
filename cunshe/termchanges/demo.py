"""The demo county's 2026 term change, opened in September and in its preparation stage."""

from datetime import date

from cunshe.core.actors import SYSTEM
from cunshe.regions.slice import DEMO_COUNTY
from cunshe.termchanges.models import Status, TermChange
from cunshe.termchanges.services import term_change_advance, term_change_open


def build_demo(*, seed: int) -> None:
    if TermChange.objects.filter(county_id=DEMO_COUNTY, year=2026).exists():
        return
    term_change = term_change_open(actor=SYSTEM, county_code=DEMO_COUNTY, year=2026, opened_on=date(2026, 9, 1))
    term_change_advance(
        actor=SYSTEM, term_change=term_change, to_status=Status.PREPARING, expected_version=term_change.version
    )
