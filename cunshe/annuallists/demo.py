"""The annual lists in the demo county's story (today: the build day): 黛溪街道's six new teams (elected 11-15) opened
their new-term household visit round on 11-16 and visited every household by 11-24..29; each then drafted its
2027 初心清单 and 五年规划 (not before its round reached 100%), the street office approved them, and each village
committed publicly at a theme party day between 12-01 and 12-05 (linked to the branch's theme-day record when
partywork has one that day), which completes their 开门七件事 "立好履职第一诺". Two villages have begun their
first items. 黄山街道 votes today: no new team, no round yet."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cunshe.annuallists.models import ItemStatus, ListItem, VisitRound
from cunshe.annuallists.services import (
    elected_on,
    goal_add,
    item_add,
    item_progress,
    list_draft,
    list_pledge,
    list_review,
    list_submit,
    round_open,
    round_visit_record,
)
from cunshe.core.actors import SYSTEM
from cunshe.core.printing import heading, paragraph, render_pdf
from cunshe.elections.models import Election, Status
from cunshe.regions.models import Region
from cunshe.results.selectors import COMMITTEE_KINDS

TOWN_A = "371681001"  # 黛溪街道
OPENED = date(2026, 11, 16)
YEAR = 2027
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ("建国", "秀英", "德福", "桂兰", "长海", "玉珍", "志强", "凤英", "国庆", "淑芬", "庆华", "春梅")
OPINIONS = (
    "村东生产路坑洼，雨天出行难，希望硬化",
    "路灯太少，晚上出行不安全",
    "希望增设老年人日间照料点",
    "自来水压力小，高峰时断水",
    "盼望发展特色种植，增加收入",
    "垃圾清运不及时",
    "",
    "",
)
ITEMS = (
    ("硬化村东生产路 1.2 公里", "村委会主任", date(YEAR, 6, 30), 0),
    ("主街增设太阳能路灯 40 盏", "党支部书记", date(YEAR, 4, 30), 1),
    ("建成老年人日间照料中心", "妇联主席", date(YEAR, 9, 30), 2),
    ("改造供水管网，解决高峰断水", "村委会委员", date(YEAR, 8, 31), 3),
)
GOALS = (
    ("party", "建强村党支部，五年发展党员 5 名", ["发展党员 1 名，规范三会一课", "储备后备干部 3 名"]),
    ("economy", "发展特色种植合作社，村集体年收入达到 30 万元", ["成立合作社，收入 10 万元", "收入 18 万元"]),
    ("environment", "人居环境整治全覆盖，创建美丽乡村示范村", ["完成户厕改造", "主街绿化亮化"]),
)


def _villages() -> list[str]:
    return list(
        Election.objects.filter(region_id__startswith=TOWN_A, kind__in=COMMITTEE_KINDS, status=Status.CERTIFIED)
        .values_list("region_id", flat=True)
        .distinct()
        .order_by("region_id")
    )[:6]


def _evidence(village: Region, day: date, attendance: int) -> SimpleUploadedFile:
    """The sign-in sheet of the theme party day, as a file (the demo has no photographs)."""
    story = heading(f"{village.name}主题党日签到表", f"{day:%Y年%m月%d日}")
    story.append(paragraph(f"公开承诺{YEAR}年初心清单和五年规划，参加 {attendance} 人。"))
    return SimpleUploadedFile("主题党日签到表.pdf", render_pdf(story, "主题党日签到表"), content_type="application/pdf")


def _theme_day(village: str, day: date) -> int | None:
    from cunshe.partywork.models import MeetingKind, PartyMeeting

    meetings = PartyMeeting.objects.filter(region_id=village, kind=MeetingKind.THEME_DAY)
    return next((m.pk for m in meetings if timezone.localdate(m.held_at) == day), None)


def build_demo(*, seed: int) -> None:
    today = timezone.localdate()
    if today < date(2026, 12, 5):
        return
    rng = random.Random(seed + 41)
    for n, village in enumerate(_villages()):
        if VisitRound.objects.filter(region_id=village).exists() or elected_on(village) is None:
            continue  # the demo runs twice
        _village_story(Region.objects.get(code=village), n, rng)


def _village_story(village: Region, n: int, rng: random.Random) -> None:
    households = 36 + 4 * n
    r = round_open(actor=SYSTEM, village_code=village.code, opened_on=OPENED, households=households)
    last = OPENED + timedelta(days=8 + n)  # every household visited by 11-24..11-29
    days = (last - OPENED).days
    asked = []
    for h in range(households):
        day = last if h == households - 1 else OPENED + timedelta(days=h * days // households)
        opinion = OPINIONS[h % len(OPINIONS)]
        visit = round_visit_record(
            actor=SYSTEM,
            visit_round=r,
            household=f"{SURNAMES[h % len(SURNAMES)]}{GIVEN[(h + n) % len(GIVEN)]}（{h // 10 + 1}组）",
            visited_on=day,
            visitors=rng.choice(("党支部书记、村委会主任", "第一书记、网格员", "村两委委员、党员中心户")),
            opinion=opinion,
        )
        if opinion:
            asked.append((h % len(OPINIONS), visit.pk))
    drafted = last + timedelta(days=1)
    a = list_draft(actor=SYSTEM, village_code=village.code, year=YEAR, drafted_on=drafted)
    for title, post, due, topic in ITEMS[: 3 + n % 2]:
        a.refresh_from_db()
        answers = [pk for t, pk in asked if t == topic][:5]
        item_add(
            actor=SYSTEM,
            annual_list=a,
            title=title,
            responsible=post,
            due_on=due,
            answers=answers,
            expected_version=a.version,
        )
    for area, goal, steps in GOALS:
        a.refresh_from_db()
        milestones = [{"year": YEAR + k, "text": text} for k, text in enumerate(steps)]
        goal_add(actor=SYSTEM, annual_list=a, area=area, goal=goal, milestones=milestones, expected_version=a.version)
    a.refresh_from_db()
    a = list_submit(actor=SYSTEM, annual_list=a, expected_version=a.version)
    a = list_review(
        actor=SYSTEM, annual_list=a, approve=True, reviewed_on=date(2026, 11, 30), expected_version=a.version
    )
    pledged_on = date(2026, 12, 1) + timedelta(days=min(n, 4))
    attendance = 28 + rng.randint(0, 20)
    a = list_pledge(
        actor=SYSTEM,
        annual_list=a,
        pledged_on=pledged_on,
        place=f"{village.short_name}党群服务中心",
        attendance=attendance,
        evidence=_evidence(village, pledged_on, attendance),
        party_meeting=_theme_day(village.code, pledged_on),
        expected_version=a.version,
    )
    if n < 2:  # the first two villages have begun: the lights ordered, in the first one already up
        item = ListItem.objects.get(annual_list=a, title=ITEMS[1][0])
        item_progress(
            actor=SYSTEM,
            item=item,
            written_on=date(2026, 12, 4),
            note="路灯已招标采购，施工队进场。",
            status=ItemStatus.DOING,
            expected_version=item.version,
        )
        if n == 0:
            item.refresh_from_db()
            item_progress(
                actor=SYSTEM,
                item=item,
                written_on=date(2026, 12, 5),
                note="40 盏路灯全部安装亮灯，群众验收满意。",
                status=ItemStatus.DONE,
                expected_version=item.version,
            )
