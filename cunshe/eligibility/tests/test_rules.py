from datetime import date
from typing import Any

import pytest

from conftest import COUNTY, TOWN_A
from cunshe.accounts.services import department_create
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.eligibility.models import ExclusionRule
from cunshe.eligibility.selectors import rules_in_force, rules_visible
from cunshe.eligibility.services import exclusion_rule_update, exclusion_rules_install_defaults


def test_the_ten_exclusions_install_once_with_their_departments(zouping: Any) -> None:
    police = department_create(actor=None, county_code=COUNTY, name="市公安局")
    assert exclusion_rules_install_defaults(actor=None, county_code=COUNTY) == 10
    assert exclusion_rules_install_defaults(actor=None, county_code=COUNTY) == 0
    crime = ExclusionRule.objects.get(county_id=COUNTY, code="2")
    assert crime.lookback_years == 5 and crime.department == police
    assert rules_in_force(COUNTY, date(2026, 11, 1)).count() == 10


def test_rules_change_by_date(make_user: Any) -> None:
    organizer = make_user("county_organizer", COUNTY)
    exclusion_rules_install_defaults(actor=organizer, county_code=COUNTY)
    rule = ExclusionRule.objects.get(county_id=COUNTY, code="6")
    exclusion_rule_update(
        actor=organizer,
        rule=rule,
        expected_version=rule.version,
        text=rule.text,
        lookback_years=3,
        department=None,
        effective_until=date(2025, 12, 31),
    )
    assert rules_in_force(COUNTY, date(2025, 6, 1)).filter(code="6").exists()
    assert not rules_in_force(COUNTY, date(2026, 6, 1)).filter(code="6").exists()
    with pytest.raises(DomainError) as caught:
        exclusion_rule_update(
            actor=organizer,
            rule=rule,
            expected_version=rule.version,
            text="",
            lookback_years=99,
            department=None,
            effective_until=date(2019, 1, 1),
        )
    assert set(caught.value.field_errors) == {"text", "lookback_years", "effective_until"}


def test_everyone_in_the_county_reads_the_rules_only_organizers_change_them(make_user: Any) -> None:
    exclusion_rules_install_defaults(actor=None, county_code=COUNTY)
    officer = make_user("town_officer", TOWN_A)
    assert rules_visible(officer).count() == 10
    rule = ExclusionRule.objects.get(county_id=COUNTY, code="1")
    with pytest.raises(NotPermitted):
        exclusion_rule_update(
            actor=officer,
            rule=rule,
            expected_version=rule.version,
            text="x",
            lookback_years=None,
            department=None,
            effective_until=None,
        )
