"""A handful of negative-list entries in the demo county, in each state, about people of its villages."""

from __future__ import annotations

import random
from datetime import date

from cunshe.core.actors import SYSTEM
from cunshe.eligibility.models import ExclusionRule
from cunshe.negativelist.models import NegativeEntry
from cunshe.negativelist.services import entry_add, entry_settle
from cunshe.people.models import Person
from cunshe.regions.slice import DEMO_COUNTY
from cunshe.termchanges.selectors import current_term_change

CASES = [
    ("6", "petition", "镇信访办", "群众反映曾多次组织赴市非正常上访", ["confirmed"]),
    ("9", "department", "市人民法院", "被列为失信被执行人（2025 年民事判决未履行）", ["confirmed", "cleared"]),
    ("7", "visit", "入户走访", "群众反映近三年长期在外地经商，不在村居住", []),
    ("8", "assessment", "两票一度测评意见", "测评中反映其任会计期间集体资金往来不清", ["dismissed"]),
    ("9", "visit", "入户走访", "反映其宅基地超占未整改", []),
]


def build_demo(*, seed: int) -> None:
    rng = random.Random(seed + 53)
    people = list(Person.objects.filter(region_id__startswith=DEMO_COUNTY).order_by("id").values_list("id", flat=True))
    chosen = rng.sample(people, min(len(CASES), len(people)))
    days = [date(2026, 9, rng.randint(5, 28)) for _ in CASES]
    if (
        current_term_change(DEMO_COUNTY) is None
        or NegativeEntry.objects.filter(region_id__startswith=DEMO_COUNTY).exists()
    ):
        return
    for person_id, day, (code, source, detail, text, steps) in zip(chosen, days, CASES, strict=False):
        rule = ExclusionRule.objects.in_force(day).filter(county_id=DEMO_COUNTY, code=code).first()
        if rule is None:
            continue
        entry = entry_add(
            actor=SYSTEM,
            person=Person.objects.get(pk=person_id),
            rule=rule,
            source=source,
            source_detail=detail,
            found_on=day,
            details=text,
        )
        conclusions = {
            "confirmed": "经核实属实",
            "cleared": "已履行义务，移出失信名单",
            "dismissed": "经核查，账目清楚，反映不实",
        }
        for step in steps:
            entry_settle(
                actor=SYSTEM, entry=entry, to_state=step, conclusion=conclusions[step], expected_version=entry.version
            )
