"""Reserve cadres in the demo county: young people of its villages (returning graduates mostly, as in 乐清),
at every stage from the pool to a passed trial post; incumbents standing again are in the candidate pool."""

from __future__ import annotations

import random
from datetime import date
from io import BytesIO

from cunshe.core.actors import SYSTEM
from cunshe.people.models import Person
from cunshe.regions.slice import DEMO_COUNTY
from cunshe.reserves.exports import RESERVE_COLUMNS, reserves_import
from cunshe.reserves.models import CandidateEntry, ReserveCadre
from cunshe.reserves.services import (
    candidate_add,
    evaluation_add,
    meeting_record,
    notice_record,
    reserve_add,
    trial_conclude,
    trial_start,
)
from cunshe.spreadsheets.layout import write_workbook
from cunshe.teams.models import Post, TeamMember
from cunshe.termchanges.selectors import current_term_change

# 黛溪街道 keeps its list in Excel: its second reserve per village comes in through the import.
IMPORTING_TOWN = f"{DEMO_COUNTY}001"
SOURCES = ["returning_graduate", "returning_graduate", "veteran", "entrepreneur", "young_party_member"]
PANEL = ["镇党委书记", "镇组织委员", "包村干部", "村党组织书记", "党员代表"]


def build_demo(*, seed: int) -> None:
    rng = random.Random(seed + 41)
    if current_term_change(DEMO_COUNTY) is None:
        return
    villages = sorted(set(TeamMember.objects.filter(ended_on__isnull=True).values_list("region_id", flat=True)))
    for village in villages:
        stage = rng.choice(["pooled", "evaluated", "noticed", "on_trial", "passed", "passed", "none"])
        source = rng.choice(SOURCES)
        scores = [(rng.randint(75, 98), rng.randint(70, 96), rng.randint(65, 95)) for _ in range(3)]
        if stage == "none" or ReserveCadre.objects.filter(region_id=village).exists():
            continue
        team = set(TeamMember.objects.filter(region_id=village).values_list("person_id", flat=True))
        young = Person.objects.filter(region_id=village, birth_date__gte=date(1986, 1, 1)).exclude(pk__in=team)
        person = young.order_by("-birth_date").first()
        if person is None:
            continue
        reserve = reserve_add(
            actor=SYSTEM, village_code=village, person=person, source=source, added_on=date(2026, 6, 20)
        )
        for evaluator, (loyalty, satisfaction, competence) in zip(PANEL, scores, strict=False):
            evaluation_add(
                actor=SYSTEM,
                reserve=reserve,
                evaluator=evaluator,
                loyalty=loyalty,
                satisfaction=satisfaction,
                competence=competence,
                comment="政治立场坚定，群众基础较好" if loyalty > 85 else "需加强基层工作历练",
            )
        if stage == "pooled":
            continue
        meeting_record(
            actor=SYSTEM,
            reserve=reserve,
            held_on=date(2026, 6, 28),
            place="村党群服务中心",
            expected_version=reserve.version,
        )
        if stage == "evaluated":
            continue
        notice_record(
            actor=SYSTEM,
            reserve=reserve,
            starts_on=date(2026, 6, 29),
            ends_on=date(2026, 7, 5),
            expected_version=reserve.version,
        )
        if stage == "noticed":
            continue
        mentor = TeamMember.objects.filter(region_id=village, post=Post.SECRETARY, ended_on__isnull=True).first()
        trial_start(
            actor=SYSTEM,
            reserve=reserve,
            post="村委会文书助理",
            mentor=mentor.person if mentor else None,
            starts_on=date(2026, 7, 10) if stage == "passed" else date(2026, 10, 10),
            expected_version=reserve.version,
        )
        if stage == "on_trial":
            continue
        trial_conclude(
            actor=SYSTEM,
            reserve=reserve,
            passed=True,
            concluded_on=date(2026, 9, 12),
            note="试岗期间参与走访、问题清单销号，群众认可",
            expected_version=reserve.version,
        )
    for member in TeamMember.objects.filter(
        post=Post.SECRETARY, ended_on__isnull=True, region_id__startswith=DEMO_COUNTY
    ):
        if not CandidateEntry.objects.filter(person_id=member.person_id).exists():
            candidate_add(
                actor=SYSTEM,
                village_code=member.region_id,
                person=member.person,
                origin="incumbent",
                added_on=date(2026, 9, 25),
                note="现任书记，拟继续提名",
            )
    _import_town_list(rng, [v for v in villages if v.startswith(IMPORTING_TOWN)])


def _import_town_list(rng: random.Random, villages: list[str]) -> None:
    """The town's own Excel list, one more young person per village; a second run finds them all unchanged."""
    rows = []
    for village in villages:
        team = TeamMember.objects.filter(region_id=village).values_list("person_id", flat=True)
        young = Person.objects.filter(region_id=village, birth_date__gte=date(1986, 1, 1)).exclude(pk__in=team)
        second = young.order_by("-birth_date", "pk")[1:2].first()
        if second is not None:
            rows.append(
                {
                    "region": village,
                    "name": second.name,
                    "id_number": second.id_number,
                    "source": rng.choice(SOURCES),
                    "added_on": date(2026, 8, 15),
                    "note": "镇后备干部名册（Excel）导入",
                }
            )
    if rows:
        buffer = BytesIO()
        write_workbook("后备干部名册", RESERVE_COLUMNS, rows, buffer)
        buffer.seek(0)
        reserves_import(actor=SYSTEM, stream=buffer)
