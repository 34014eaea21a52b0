"""Investigation teams and 六清 in the demo county (today: the build day): 黛溪街道 formed two 清底行动调查队 (联系领导+驻村组)
in September and 黄山街道 two in October, each covering three of the town's six story villages; they logged talks and
household visits, worked the six items, sent what they found to the issue board (the difficult villages' disputes
among them), saw those issues closed and cleared every item before the town's villagers' committee election
(黛溪 11-15, 黄山 today). Through the services with the SYSTEM actor; safe to run twice."""

from __future__ import annotations

import random
from datetime import date, timedelta

from cunshe.core.actors import SYSTEM
from cunshe.elections.demo import TOWN_A, TOWN_B, demo_villages
from cunshe.investigations.models import ClearingItem, InvestigationTeam
from cunshe.investigations.services import (
    coverage_add,
    item_clear,
    item_find,
    item_start,
    log_add,
    member_add,
    team_create,
)
from cunshe.issueboard.models import IssueTally
from cunshe.issueboard.services import issue_move
from cunshe.termchanges.selectors import current_term_change

# town → (the day its teams were formed, the last day to clear before its villagers' committee election)
PLAN = {TOWN_A: (date(2026, 9, 15), date(2026, 11, 10)), TOWN_B: (date(2026, 10, 9), date(2026, 11, 30))}
LEADERS = [
    ("周建国", "街道党工委副书记"),
    ("李红梅", "街道办事处副主任"),
    ("孙志强", "街道党工委委员"),
    ("王丽", "街道人大工委主任"),
]
RESIDENTS = ["赵磊", "钱峰", "陈静", "刘洋", "马超", "高敏", "郑凯", "何琳"]
FINDINGS = {
    "finance": ("2023年以来部分招待费票据不全", "包村会计"),
    "disputes": ("相邻宅基地边界纠纷", "驻村干部"),
    "petitions": ("拆迁补偿信访积案", "联系领导"),
}
EVIDENCE = {
    "finance": "三资账目逐笔核对，票据补齐，张榜公布。",
    "assets": "集体资产资源台账与合同逐一核实，更新台账。",
    "disputes": "逐户排查矛盾纠纷，已调解并签订调解协议。",
    "petitions": "信访积案逐件化解，信访人签字息访。",
    "violations": "会同纪检监察排查，未发现违规违纪线索或已处理完毕。",
    "candidates": "对照负面清单和任职资格逐人把关，不合格人选已劝退。",
}


def build_demo(*, seed: int) -> None:
    rng = random.Random(seed + 17)
    for town, (formed_on, clear_by) in PLAN.items():
        villages = [v.code for v in demo_villages(town)]
        if current_term_change(town) is None or len(villages) < 2:
            continue
        if InvestigationTeam.objects.filter(region_id=town).exists():
            continue
        for n, chunk in enumerate((villages[:3], villages[3:6])):
            if chunk:
                _team(town, n, chunk, formed_on, clear_by, rng)


def _team(town: str, n: int, villages: list[str], formed_on: date, clear_by: date, rng: random.Random) -> None:
    side = 0 if town == TOWN_A else 2
    team = team_create(actor=SYSTEM, town_code=town, name=f"第{'一二'[n]}清底行动调查队", formed_on=formed_on)
    leader, post = LEADERS[side + n]
    member_add(actor=SYSTEM, team=team, name=leader, post=post, role="leader", joined_on=formed_on)
    for name in RESIDENTS[(side + n) * 2 : (side + n) * 2 + 2]:
        member_add(actor=SYSTEM, team=team, name=name, post="驻村干部", role="resident", joined_on=formed_on)
    for k, village in enumerate(villages):
        coverage_add(actor=SYSTEM, team=team, village_code=village, from_on=formed_on + timedelta(days=1))
        for week in range(5):
            log_add(
                actor=SYSTEM,
                team=team,
                village_code=village,
                worked_on=formed_on + timedelta(days=2 + 7 * week + k),
                talks=rng.randrange(15, 45),
                households=rng.randrange(40, 120),
                note="入户走访，谈心谈话" if week else "召开党员群众座谈会",
            )
        difficult = IssueTally.objects.filter(region_id=village, is_difficult=True).exists()
        _clear_village(village, formed_on + timedelta(days=3 + k), clear_by - timedelta(days=k), difficult, leader)


def _clear_village(village: str, start: date, clear_by: date, difficult: bool, leader: str) -> None:
    items = list(ClearingItem.objects.filter(region_id=village).order_by("position"))
    finds = {"finance", "petitions"} if difficult else {"finance"} if village.endswith(("3", "6", "9")) else set()
    if difficult:
        finds.add("disputes")
    for n, item in enumerate(items):
        begun = start + timedelta(days=n)
        if item.code in finds:
            title, owner = FINDINGS[item.code]
            issue = item_find(
                actor=SYSTEM, item=item, title=title, owner=owner, due_on=clear_by - timedelta(days=5), found_on=begun
            )
            issue_move(
                actor=SYSTEM,
                issue=issue,
                to_status="closed",
                expected_version=issue.version,
                resolution="问题已化解，当事人认可，已销号。",
                closed_on=clear_by - timedelta(days=7),
            )
            item.refresh_from_db()
        else:
            item = item_start(actor=SYSTEM, item=item, started_on=begun, expected_version=item.version)
        item_clear(
            actor=SYSTEM,
            item=item,
            cleared_on=clear_by - timedelta(days=(5 - n) % 3),
            evidence=EVIDENCE.get(item.code, "已逐项清理。"),
            cleared_by=leader,
            expected_version=item.version,
        )
