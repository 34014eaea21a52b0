"""First secretaries in the demo county's story (today: the build day): the county posted them in the spring, before the
term change opened (2026-09-01), to the first 6 demo villages of 黛溪街道 and 4 of 黄山街道, each from a county
agency with a small work team; the second village of 黛溪街道 is the demo account dyshuji's (陈晓东). Since then they
kept their logs and reported monthly, quarterly and half-yearly to their town, which acknowledged most reports; one
secretary is late with October's report (overdue on the to-do lists), the November reports are due today and a
few are in. Every step goes through the services; running it twice changes nothing."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from cunshe.accounts.models import User
from cunshe.core.actors import SYSTEM
from cunshe.firstsecretaries.models import Kind, Posting, Report, Status
from cunshe.firstsecretaries.services import (
    add_years,
    log_add,
    posting_create,
    report_acknowledge,
    report_submit,
    statistics_refresh_all,
)
from cunshe.people.models import Person
from cunshe.regions.models import Region

TOWNS = {"371681001": 6, "371681002": 4}  # 黛溪街道, 黄山街道
POSTED_ON = date(2026, 3, 16)
SECRETARIES = [
    ("陈晓东", "邹平市农业农村局"),
    ("刘振华", "邹平市财政局"),
    ("孙志强", "邹平市人力资源和社会保障局"),
    ("高文华", "邹平市交通运输局"),
    ("周立新", "邹平市卫生健康局"),
    ("郑海燕", "邹平市自然资源局"),
    ("马俊杰", "邹平市民政局"),
    ("吴春生", "邹平市水利局"),
    ("朱雪梅", "邹平市市场监管局"),
    ("何德胜", "国网邹平市供电公司"),
]
TEAM = ["王磊", "李娜", "张伟", "赵静", "杨帆", "黄鹏", "徐丽", "胡斌"]
LOG = [
    "入户走访 {n} 户，了解秋收和务工情况，登记群众诉求 {m} 条",
    "参加村支部主题党日，讲授党课《学习贯彻党的二十届三中全会精神》",
    "与村两委班子研究村集体经济发展思路，对接派出单位帮扶项目",
    "陪同街道包村干部查看道路硬化工程进度，协调解决施工占地问题",
    "走访慰问困难党员和独居老人 {n} 户",
    "指导村里整理党务、村务、财务公开资料并上墙公示",
    "组织党员志愿服务队开展人居环境整治",
    "参加村民代表会议，列席“四议两公开”议事",
]
SUMMARY = {
    Kind.MONTH: "本月驻村 {d} 天，走访农户、指导支部规范开展“三会一课”，协调派出单位帮扶事项。",
    Kind.QUARTER: "本季度围绕抓党建、促发展、办实事开展工作，完成季度计划，下季度重点推进集体经济项目。",
    Kind.HALF: "半年来坚持吃住在村，建强支部、盘活集体资产、为民办实事，帮扶工作取得阶段性成效。",
}
LATE_VILLAGE = 3  # this secretary (黛溪街道's fourth village) has not handed in October's report


def _villages() -> list[str]:
    out: list[str] = []
    for town, n in TOWNS.items():
        out += list(Region.objects.filter(parent_id=town).order_by("code").values_list("code", flat=True)[:n])
    return out


def _registered(village: str) -> Person | None:
    """The registry row the surveys' demo made for the demo account's first secretary (as that village's 三个全覆盖
    first secretary since 2025): the posting is linked to it, so 2027's survey would score the same person."""
    from cunshe.surveys.models import Holder

    held = Holder.objects.filter(village_id=village, post="first_secretary", until__isnull=True).first()
    return held.person if held is not None else None


def build_demo(*, seed: int) -> None:
    today = timezone.localdate()
    if today < POSTED_ON or Posting.objects.filter(started_on=POSTED_ON).exists():
        return
    rng = random.Random(seed + 91)
    county = User.objects.filter(username="zzb").first() or SYSTEM
    dyshuji = User.objects.filter(username="dyshuji").first()
    for n, village in enumerate(_villages()):
        name, unit = SECRETARIES[n % len(SECRETARIES)]
        account = dyshuji if n == 1 and dyshuji is not None else None
        if account is not None:
            name = account.display_name.split()[-1]  # 陈晓东, the demo account's own name
        posting = posting_create(
            actor=county,
            village_code=village,
            name=name,
            sending_unit=unit,
            started_on=POSTED_ON,
            ends_on=add_years(POSTED_ON, 2),
            team_members="、".join(rng.sample(TEAM, 2)),
            account=account,
            person=_registered(village) if account is not None else None,
        )
        writer = account or SYSTEM
        day = POSTED_ON + timedelta(days=1)
        while day <= today - timedelta(days=1):
            text = rng.choice(LOG).format(n=rng.randint(4, 12), m=rng.randint(1, 4))
            log_add(actor=writer, posting=posting, written_on=day, content=text)
            day += timedelta(days=rng.randint(10, 18))
        town = User.objects.filter(username={"371681001": "daixi", "371681002": "huangshan"}[village[:9]]).first()
        for report in Report.objects.filter(posting=posting, period_end__lt=today).order_by("period_end", "kind"):
            if n == LATE_VILLAGE and report.kind == Kind.MONTH and report.period_start == date(2026, 10, 1):
                continue  # October's is not in (overdue since 11-05)
            if report.due_on >= today and rng.random() < 0.5:
                continue  # due today: about half are in
            submitted_on = min(report.period_end + timedelta(days=rng.randint(1, 4)), today)
            figures = {}
            if report.kind == Kind.MONTH:
                figures = {
                    "lectures": rng.choice((0, 0, 1, 1, 2)),
                    "members_recruited": 1 if rng.random() < 0.08 else 0,
                    "meetings": rng.randint(3, 5),
                    "decisions": 1 if rng.random() < 0.4 else 0,
                    "disclosures": rng.randint(3, 8),
                    "funds": rng.choice((0, 0, 0, 0, 20000, 50000, 90000, 300000)),
                    "projects": 1 if rng.random() < 0.06 else 0,
                }
            r = report_submit(
                actor=writer,
                report=report,
                text=SUMMARY[Kind(report.kind)].format(d=rng.randint(18, 23)),
                figures=figures,
                expected_version=report.version,
                submitted_on=submitted_on,
            )
            if r.submitted_on and r.submitted_on + timedelta(days=3) < today:  # the town signs within a few days
                report_acknowledge(
                    actor=town or SYSTEM,
                    report=r,
                    expected_version=r.version,
                    acknowledged_on=r.submitted_on + timedelta(days=rng.randint(1, 3)),
                )
    statistics_refresh_all(today=today)


def late_reports() -> int:
    """How many reports are overdue in the demo (the story has October's of one secretary)."""
    today = timezone.localdate()
    return Report.objects.filter(status=Status.DUE, due_on__lt=today, posting__ended_on__isnull=True).count()
