"""The care list in the demo county's story (today: the build day): the new teams of 黛溪街道 (elected 11-15) surveyed
their needy households after the election (11-18 to 11-21) and made their lists; the November "3+N" was done on the
theme party days at the end of the month — all of it in the first two villages (their 开门七件事 item is marked from
it), one household missed in the third (an overdue month), only two of the three acts in the fourth. In December
the first village has begun (12-01); the rest are due by 12-31. 黄山街道 votes today: no new team, no list yet."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from cunshe.accounts.models import User
from cunshe.carelist.models import Household
from cunshe.carelist.services import household_add, visit_record
from cunshe.core.actors import SYSTEM
from cunshe.firstyear.models import Programme
from cunshe.teams.models import Post, TeamMember

TOWN_A = "371681001"  # 黛溪街道
# (户主, 住址, needs, 结对帮扶人 role)
HOUSEHOLDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("王秀英", "一组 12 号", ("dibao", "alone")),
    ("李德福", "二组 5 号", ("wubao",)),
    ("张桂兰", "三组 21 号", ("poor", "dibao")),
    ("刘长海", "一组 3 号", ("alone",)),
    ("陈玉珍", "四组 8 号", ("dibao",)),
)
PROBLEMS = (
    "帮助申请冬季取暖补贴",
    "联系村医上门测血压、送药",
    "更换厨房老化电线",
    "代办低保年审材料",
    "联系亲属每周电话问候",
)


def _secretary(village: str) -> str:
    member = (
        TeamMember.objects.filter(region_id=village, post=Post.SECRETARY, ended_on__isnull=True)
        .select_related("person")
        .first()
    )
    return f"党支部书记{member.person.name}、党员志愿服务队" if member else "党支部书记、党员志愿服务队"


def build_demo(*, seed: int) -> None:
    today = timezone.localdate()
    if today < date(2026, 11, 30):
        return
    officer = User.objects.filter(username="daixi").first()
    actor = officer or SYSTEM
    programmes = list(Programme.objects.filter(region_id__startswith=TOWN_A).order_by("region_id"))[:4]
    for n, programme in enumerate(programmes):
        village = programme.region_id
        if Household.objects.filter(region_id=village).exists():
            continue  # the demo runs twice
        visitors = _secretary(village)
        listed = []
        for name, address, needs in HOUSEHOLDS[: 5 - n % 2]:
            listed.append(
                household_add(
                    actor=actor,
                    village_code=village,
                    name=name,
                    address=address,
                    carer=visitors.split("、")[0],
                    listed_on=date(2026, 11, 18 + n),
                    **{need: True for need in needs},
                )
            )
        for k, household in enumerate(listed):
            if n == 2 and k == 0:
                continue  # missed in November: an overdue month
            three = n != 3  # the fourth village: the cleaning still to do
            visit_record(
                actor=actor,
                household=household,
                visited_on=date(2026, 11, 27 + k % 3),
                visitors=visitors,
                chat=True,
                meal=True,
                cleaning=three,
                problems=PROBLEMS[(k + n) % len(PROBLEMS)],
                note="结合11月主题党日开展" if k == 0 else "",
            )
            if n == 0 and k < 2 and today >= date(2026, 12, 1):
                visit_record(
                    actor=actor,
                    household=household,
                    visited_on=date(2026, 12, 1),
                    visitors=visitors,
                    chat=True,
                    meal=True,
                    cleaning=True,
                    note="12月主题党日",
                )
