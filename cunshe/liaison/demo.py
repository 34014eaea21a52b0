"""Liaison cadres in the demo county's story (today: the day the demo is built, cunshe.elections.demo.story_today):
after the term change opened (2026-09-01), the county assigned department cadres (and the towns some of their own)
to the first 8 demo villages of 黛溪街道 and 黄山街道 from 2026-10-08 (三访三察 before the elections). Each held a
service day every month since October (one cadre missed November: a gap on the table), a few already in the month
that runs on; they talked with the teams, party members
and residents, and took up matters on the villages' issue boards, most resolved. The towns rated their villages
(round 1) at the end of October. One cadre was moved to another village on 2026-11-16, after 黛溪街道's elections.
Every step goes through the services; running it twice changes nothing."""

from __future__ import annotations

import random
from datetime import date, timedelta

from cunshe.accounts.models import User
from cunshe.core.actors import SYSTEM, Actor
from cunshe.elections.demo import story_today
from cunshe.liaison.models import Assignment, CadreLevel, RatingKind, TalkGroup
from cunshe.liaison.services import (
    assignment_create,
    assignment_reassign,
    matter_raise,
    matter_resolve,
    rating_record,
    serviceday_record,
    talk_add,
    tallies_refresh_all,
)
from cunshe.regions.models import Region

TOWNS = ("371681001", "371681002")  # 黛溪街道, 黄山街道
VILLAGES_PER_TOWN = 8
ASSIGNED_ON = date(2026, 10, 8)
MOVED_ON = date(2026, 11, 16)
CADRES = [
    ("蒋明星", "邹平市委组织部组织科科长", CadreLevel.COUNTY),
    ("刘建国", "邹平市民政局基层政权股股长", CadreLevel.COUNTY),
    ("孙丽娟", "邹平市农业农村局副局长", CadreLevel.COUNTY),
    ("高志远", "邹平市司法局副局长", CadreLevel.COUNTY),
    ("周海涛", "邹平市自然资源局科长", CadreLevel.COUNTY),
    ("郑红梅", "邹平市信访局科长", CadreLevel.COUNTY),
    ("马宏伟", "邹平市住房和城乡建设局科长", CadreLevel.COUNTY),
    ("吴晓燕", "邹平市人力资源和社会保障局科长", CadreLevel.COUNTY),
    ("陈立军", "邹平市财政局科长", CadreLevel.COUNTY),
    ("林爱华", "邹平市教育和体育局科长", CadreLevel.COUNTY),
    ("曹建新", "邹平市交通运输局科长", CadreLevel.COUNTY),
    ("谢文静", "邹平市卫生健康局科长", CadreLevel.COUNTY),
    ("韩立峰", "邹平市水利局科长", CadreLevel.COUNTY),
    ("冯玉梅", "邹平市市场监督管理局科长", CadreLevel.COUNTY),
    ("邓国庆", "邹平市应急管理局科长", CadreLevel.COUNTY),
    ("彭晓光", "邹平市退役军人事务局科长", CadreLevel.COUNTY),
]
TOWN_CADRES = ["王振东", "李秀英", "张国栋", "赵明亮", "杨春华", "黄建军", "徐海波", "胡玉兰"]
WORK = [
    "集中服务日：入户走访，宣传换届纪律和选举政策，收集群众意见",
    "集中服务日：参加社区“集中夜学”，与两委班子研究换届准备工作",
    "集中服务日：走访困难群众和老党员，协调解决反映的问题",
]
TALKS = [
    (TalkGroup.TEAM, "村党组织书记", "班子运行和换届人选酝酿情况"),
    (TalkGroup.TEAM, "村委会委员", "分工履职和群众评价"),
    (TalkGroup.MEMBER, "老党员", "对换届的意见和建议"),
    (TalkGroup.MEMBER, "年轻党员", "回村任职意愿"),
    (TalkGroup.RESIDENT, "村民代表", "村务公开和集体经济"),
    (TalkGroup.RESIDENT, "返乡创业人员", "村社融合和发展意见"),
]
MATTERS = [
    "协调修复村内主干道破损路面",
    "协调解决农房改造审批进度慢的问题",
    "协调征地补偿款发放",
    "协调增设村口路灯",
    "协调解决自来水管网漏水",
    "协调清理河道垃圾",
]
GAP_VILLAGE = 2  # 黛溪街道's third village: its cadre held no service day in November
MOVED_VILLAGE = 5  # 黛溪街道's sixth village: its town cadre moved to the seventh's neighbour on MOVED_ON


def _villages(town: str) -> list[str]:
    return list(
        Region.objects.filter(parent_id=town).order_by("code").values_list("code", flat=True)[:VILLAGES_PER_TOWN]
    )


def _user(username: str) -> Actor:
    return User.objects.filter(username=username).first() or SYSTEM


def build_demo(*, seed: int) -> None:
    if Assignment.objects.filter(started_on=ASSIGNED_ON).exists():
        return
    rng = random.Random(seed + 417)
    today = story_today()
    county = _user("zzb")
    for t, town in enumerate(TOWNS):
        villages = _villages(town)
        for n, village in enumerate(villages):
            name, unit, level = CADRES[(n + t * VILLAGES_PER_TOWN) % len(CADRES)]
            assignments = [
                assignment_create(
                    actor=county, village_code=village, name=name, unit=unit, level=level, started_on=ASSIGNED_ON
                )
            ]
            if n % 2 == 0:  # the town's own cadre beside the county's in every other village
                assignments.append(
                    assignment_create(
                        actor=county,
                        village_code=village,
                        name=TOWN_CADRES[(n // 2 + t * 4) % len(TOWN_CADRES)],
                        unit="街道办事处包村干部",
                        level=CadreLevel.TOWN,
                        started_on=ASSIGNED_ON,
                    )
                )
            moving = t == 0 and n == MOVED_VILLAGE
            for k, a in enumerate(assignments):
                last = MOVED_ON - timedelta(days=1) if moving and k == 0 else today
                _service_days(a, rng, last=last, today=today, skip_november=(t == 0 and n == GAP_VILLAGE and k == 0))
                _talks_and_matters(a, rng, last=last, today=today)
            for kind in RatingKind.values:
                rating_record(
                    actor=SYSTEM,
                    village_code=village,
                    year=2026,
                    round=1,
                    kind=kind,
                    score=rng.choice((3, 4, 4, 4, 5, 5)),
                    rated_on=date(2026, 10, 30),
                    rated_by="街道党工委组织委员",
                )
            if moving:  # to the next village of the town, which had no liaison cadre yet
                moved = Assignment.objects.get(pk=assignments[0].pk)
                target = Region.objects.filter(parent_id=town).order_by("code").values_list("code", flat=True)
                new = assignment_reassign(
                    actor=county,
                    assignment=moved,
                    village_code=target[VILLAGES_PER_TOWN],
                    moved_on=MOVED_ON,
                    expected_version=moved.version,
                )
                _service_days(new, rng, last=today, today=today)
                _talks_and_matters(new, rng, last=today, today=today)
    tallies_refresh_all()


def _service_days(a: Assignment, rng: random.Random, *, last: date, today: date, skip_november: bool = False) -> None:
    """One day a month between the assignment's start and `last`, from October 2026 to today's month; today's only
    for some (the month runs on)."""
    month = ASSIGNED_ON.replace(day=1)
    while month <= today:
        first, month = month, (month + timedelta(days=31)).replace(day=1)
        if skip_november and first == date(2026, 11, 1):
            continue
        if (first.year, first.month) == (today.year, today.month) and rng.random() < 0.6:
            continue
        lo = max(first, a.started_on)
        hi = min(first.replace(day=28), last)
        if lo > hi:
            continue
        day = lo + timedelta(days=rng.randint(0, (hi - lo).days))
        serviceday_record(actor=SYSTEM, assignment=a, held_on=day, work=rng.choice(WORK), households=rng.randint(4, 15))


def _talks_and_matters(a: Assignment, rng: random.Random, *, last: date, today: date) -> None:
    span = (last - a.started_on).days
    for group, who, topic in rng.sample(TALKS, rng.randint(2, 4)):
        held_on = a.started_on + timedelta(days=rng.randint(0, span))
        talk_add(actor=SYSTEM, assignment=a, held_on=held_on, group=group, talked_with=who, topic=topic)
    for title in rng.sample(MATTERS, rng.randint(0, 2)):
        raised_on = a.started_on + timedelta(days=rng.randint(0, min(span, 30)))
        m = matter_raise(actor=SYSTEM, assignment=a, raised_on=raised_on, title=title)
        if rng.random() < 0.7:
            resolved_on = min(raised_on + timedelta(days=rng.randint(5, 25)), today)
            matter_resolve(
                actor=SYSTEM,
                matter=m,
                resolution="已协调有关部门解决，群众满意",
                resolved_on=resolved_on,
                expected_version=m.issue.version,
            )
