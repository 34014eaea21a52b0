"""A month of resident requests in 黛溪街道 (the demo story, today: its build day): the county sets its categories and
answer templates; from 2026-11-06 the first 6 villages' residents file by the board's QR code, by phone, on visits
and through 12345; after the new teams took office (elected 11-15) the village cadres and the town handle them.
Most are closed and rated, a few disputed and reopened, a few overdue, the newest still open. Through the
services, deterministic by seed, safe to run twice."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cunshe.accounts.models import Department, User
from cunshe.core.actors import SYSTEM, Actor
from cunshe.people.models import Person
from cunshe.regions.models import Region
from cunshe.requests.models import Category, Request, Status
from cunshe.requests.services import (
    category_create,
    request_answer,
    request_answer_record,
    request_assign,
    request_close,
    request_create,
    request_start,
    template_create,
)
from cunshe.serviceteams.models import ServiceTeam

COUNTY = "371681"
TOWN_A = "371681001"  # 黛溪街道
FIRST_DAY = date(2026, 11, 6)
SINCE = date(2026, 11, 1)

CATEGORIES = [
    # code, name, route, department, tier, public
    ("road", "道路破损", "village", "", "general", True),
    ("light", "路灯照明", "village", "", "general", True),
    ("sanitation", "环境卫生", "village", "", "general", True),
    ("water", "供水漏水", "town", "", "urgent", True),
    ("heating", "冬季供暖", "town", "", "urgent", True),
    ("gas", "燃气泄漏", "town", "", "emergency", True),
    ("farmland", "农田水利", "department", "市农业农村局", "complex", True),
    ("traffic", "交通安全隐患", "department", "市公安局", "general", True),
    ("dispute", "邻里纠纷", "village", "", "general", False),
]
TEMPLATES = [
    ("现场已修复", "经现场核实，问题已修复，感谢您的反映。"),
    ("已协调解决", "已联系相关单位协调解决，如仍有问题请再次反映。"),
    ("纳入计划", "该事项需资金和工期，已纳入村(社区)年度计划，将按计划推进并公开进度。"),
]
# What residents raise, per category: titles and a sentence of detail.
CASES: dict[str, list[tuple[str, str]]] = {
    "road": [("村东主路坑洼", "村东主路有几处坑洼，雨后积水，电动车容易摔倒。"), ("桥头路面塌陷", "桥头路面塌了一块，晚上看不清。")],
    "light": [("路灯不亮", "村西头三盏路灯坏了半个月，晚上出门不方便。"), ("广场照明不足", "文化广场晚上太暗，跳广场舞的老人看不清路。")],
    "sanitation": [("垃圾清运不及时", "垃圾桶满了两天没人清运，有异味。"), ("沟渠堵塞", "村南排水沟被杂物堵塞，污水外溢。")],
    "water": [("自来水管漏水", "胡同口自来水管爆裂，水流到路上。"), ("停水未通知", "昨天起停水，没有提前通知。")],
    "heating": [("暖气不热", "家里暖气片温度低，老人受冻。"), ("供暖管道漏水", "楼道供暖管道滴水。")],
    "gas": [("闻到燃气味", "楼道里有燃气味，请马上派人查看。")],
    "farmland": [("灌溉渠损坏", "北洼灌溉渠一段坍塌，影响明年春灌。")],
    "traffic": [("路口缺减速带", "学校门口路口车速快，孩子上学不安全。")],
    "dispute": [("邻里排水纠纷", "邻居院内排水流到我家院墙根，协商不成。")],
}  # fmt: skip
CHANNELS = ["public", "public", "call", "visit", "hotline", "visit", "floating"]
DISPUTES = ("还是老样子，没有修好。", "只是临时处理，问题没解决。")


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _setup(actor: Actor) -> dict[str, Category]:
    departments = {d.name: d.pk for d in Department.objects.filter(county_id=COUNTY)}
    made = {}
    for code, name, route, department, tier, public in CATEGORIES:
        if route == "department" and department not in departments:
            continue
        made[code] = category_create(
            actor=actor,
            county_code=COUNTY,
            code=code,
            name=name,
            route=route,
            department_id=departments.get(department),
            tier=tier,
            public=public,
            valid_from=SINCE,
        )
    for title, text in TEMPLATES:
        template_create(actor=actor, county_code=COUNTY, title=title, text=text)
    return made


def build_demo(*, seed: int) -> None:
    if Category.objects.filter(county_id=COUNTY, code="road").exists():
        return
    today = timezone.localdate()
    if today < FIRST_DAY:
        return
    organizer = User.objects.filter(username="zzb").first()
    officer = User.objects.filter(username="daixi").first() or SYSTEM
    categories = _setup(organizer or SYSTEM)
    villages = list(Region.objects.filter(parent_id=TOWN_A).order_by("code").values_list("code", flat=True)[:6])
    cadres = {
        a.region_id: a.user
        for u in User.objects.filter(username__in=("cungb", "dyshuji"))
        for a in u.role_assignments.filter(is_active=True)
    }
    gongan = User.objects.filter(username="gongan").first()
    rng = random.Random(seed)
    now = timezone.now()
    day = FIRST_DAY
    number = 0
    while day <= today:
        for _ in range(rng.choice((2, 3, 4, 5))):
            number += 1
            code = rng.choice([c for c in categories for _ in range(3 if c in ("road", "light", "sanitation") else 1)])
            village = rng.choice(villages)
            channel = rng.choice(CHANNELS)
            title, text = rng.choice(CASES[code])
            submitted = _moment(day, rng.randint(8, 17), rng.choice((0, 15, 30, 45)))
            if submitted > now:
                continue
            raised_by = None
            if channel == "floating":
                raised_by = Person.objects.filter(region_id=village).order_by("pk").values_list("pk", flat=True).first()
                if raised_by is None:
                    channel = "call"
            r = request_create(
                actor=officer,
                village_code=village,
                category_code=code,
                channel="call" if channel == "public" else channel,
                title=title,
                description=text + ("（在外务工的流动党员通过党支部微信群反映）" if channel == "floating" else ""),
                reporter_name="" if channel == "public" else rng.choice(("王", "李", "张", "刘", "陈")) + "女士",
                reporter_phone="" if rng.random() < 0.25 else f"138{rng.randint(10_000_000, 99_999_999)}",
                work_order_no=f"ZP{day:%Y%m%d}{number:04d}" if channel == "hotline" else "",
                raised_by_id=raised_by,
                submitted_at=submitted,
            )
            _handle(r, rng=rng, officer=officer, cadres=cadres, gongan=gongan, today=today)
        day += timedelta(days=1)


def _handle(
    r: Request, *, rng: random.Random, officer: Actor, cadres: dict[str, User], gongan: User | None, today: date
) -> None:
    now = timezone.now()
    age = (today - timezone.localdate(r.submitted_at)).days
    # the newest few days are still open; a few old ones were forgotten and are overdue
    if age <= 2 or (age > 10 and rng.random() < 0.06):
        team = ServiceTeam.objects.filter(region_id=r.region_id).order_by("pk").first()
        if age <= 2 and team is not None and r.category.code == "sanitation":
            # 团队接单: the village's volunteer team has it in its queue of orders
            request_assign(
                actor=officer, request=r, team_id=team.pk, expected_version=r.version,
                at=min(r.submitted_at + timedelta(hours=1), now),
            )  # fmt: skip
            return
        if rng.random() < 0.5 or age > 10:
            who = _assignee(r, officer, cadres, gongan)
            if who is not None:
                request_assign(
                    actor=officer, request=r, assignee_id=who.pk, expected_version=r.version,
                    at=min(r.submitted_at + timedelta(hours=1), now),
                )  # fmt: skip
        return
    who = _assignee(r, officer, cadres, gongan)
    if who is None:
        return
    hours = {"emergency": 1, "urgent": 12}.get(r.tier, 24 * rng.randint(2, 9))
    assigned = r.submitted_at + timedelta(hours=1)
    r = request_assign(actor=officer, request=r, assignee_id=who.pk, expected_version=r.version, at=assigned)
    r = request_start(actor=who, request=r, expected_version=r.version, at=assigned + timedelta(minutes=30))
    closed_at = min(assigned + timedelta(hours=hours), now - timedelta(hours=1))
    r = request_close(
        actor=who,
        request=r,
        template_id=None,
        note=rng.choice(("已到现场处理完毕。", "已联系施工队修复。", "已协调相关单位解决。")),
        expected_version=r.version,
        at=closed_at,
    )
    answer_at = min(closed_at + timedelta(days=1), now - timedelta(minutes=30))
    dispute = rng.random() < 0.08
    score = 2 if dispute else rng.choice((5, 5, 5, 4, 4, 3))
    if r.reporter_phone:
        r = request_answer_record(
            actor=officer, request=r, solved=not dispute, satisfaction=score, expected_version=r.version, at=answer_at,
            comment=rng.choice(DISPUTES) if dispute else "",
        )  # fmt: skip
    elif rng.random() < 0.6:
        r = request_answer(token=r.token, solved=not dispute, satisfaction=score)
    if r.status == Status.REOPENED and r.reporter_phone and rng.random() < 0.5 and now - answer_at > timedelta(days=2):
        # handled again and, this time, solved
        r = request_close(
            actor=who, request=r, note="重新组织施工，已彻底修复。", expected_version=r.version,
            at=answer_at + timedelta(days=1),
        )  # fmt: skip
        if r.reporter_phone:
            request_answer_record(
                actor=officer, request=r, solved=True, satisfaction=4, expected_version=r.version,
                at=answer_at + timedelta(days=2),
            )  # fmt: skip


def _assignee(r: Request, officer: Actor, cadres: dict[str, User], gongan: User | None) -> User | None:
    if r.route == "department":
        return gongan if gongan is not None and r.department and r.department.name == "市公安局" else _town(officer)
    if r.route == "village" and r.region_id in cadres:
        return cadres[r.region_id]
    return _town(officer)


def _town(officer: Actor) -> User | None:
    return officer if isinstance(officer, User) else None
