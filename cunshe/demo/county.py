"""The demo county: 邹平市 from the official codes, its reviewing departments, one account per role and a few
hundred people with valid ID numbers. Every step goes through the services and is safe to run twice."""

from __future__ import annotations

import functools
import importlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cunshe.access.roles import Role
from cunshe.accounts.models import Department, User
from cunshe.accounts.services import account_create, department_create, role_assign
from cunshe.core.actors import SYSTEM
from cunshe.core.statistics import statistics_refresh
from cunshe.people import id_numbers
from cunshe.people.models import ETHNICITIES, Education, Person
from cunshe.people.services import person_create
from cunshe.regions.models import Level, Region
from cunshe.regions.services import regions_import
from cunshe.regions.slice import DEMO_COUNTY, SLICE_FILES

DEMO_PASSWORD = "Cunshe@2026"
DEFAULT_DEPARTMENTS = [
    "市纪委监委", "市委政法委", "市公安局", "市人民法院", "市人民检察院", "市司法局", "市民政局", "市信访局",
    "市卫生健康局", "市自然资源局", "市农业农村局", "市生态环境局", "市委统战部", "市市场监管局", "市税务局",
    "市财政局", "市审计局",  # the finance and audit seats of a leader handover's supervising group (handovers demo)
]  # fmt: skip
TOWN_A = "371681001"  # 黛溪街道
TOWN_B = "371681002"  # 黄山街道
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "建国志强秀英桂兰海燕丽娟文华玉梅明军淑珍春生立新红霞国庆永刚凤英德胜宝山桂芳雪梅小龙振华金凤俊杰晓东"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: str
    region: str
    department: str = ""


def demo_accounts() -> list[DemoAccount]:
    villages_a = list(Region.objects.filter(parent_id=TOWN_A).order_by("code").values_list("code", flat=True)[:2])
    return [
        DemoAccount("zzb", "组织部 王明", Role.COUNTY_ORGANIZER, DEMO_COUNTY),
        DemoAccount("daixi", "黛溪街道 李强", Role.TOWN_OFFICER, TOWN_A),
        DemoAccount("huangshan", "黄山街道 赵敏", Role.TOWN_OFFICER, TOWN_B),
        DemoAccount("cungb", "村干部 张建国", Role.VILLAGE_CADRE, villages_a[0]),
        DemoAccount("dyshuji", "第一书记 陈晓东", Role.FIRST_SECRETARY, villages_a[1]),
        DemoAccount("jiwei", "纪委监委 孙立新", Role.DISCIPLINE_SUPERVISOR, DEMO_COUNTY),
        DemoAccount("gongan", "公安局 刘海燕", Role.REVIEWER, DEMO_COUNTY, "市公安局"),
        DemoAccount("caizheng", "财政局 周桂芳", Role.REVIEWER, DEMO_COUNTY, "市财政局"),
        DemoAccount("shenji", "审计局 吴振华", Role.REVIEWER, DEMO_COUNTY, "市审计局"),
    ]


def build_demo(*, people_per_village: int = 12, villages_per_town: int = 12, seed: int = 2026) -> list[DemoAccount]:
    regions_import(actor=SYSTEM, files=SLICE_FILES, under=DEMO_COUNTY)
    accounts = build_accounts()
    _sample_people(people_per_village=people_per_village, villages_per_town=villages_per_town, seed=seed)
    statistics_refresh()
    # The story's today, read once for the whole build (the elections demo defines it; imported here because that
    # module takes the names above from this one).
    from cunshe.elections.demo import one_story_day

    with one_story_day():
        for build in module_demos():
            build(seed=seed)
            statistics_refresh()  # each module's rows are the next module's joins
    return accounts


def build_accounts() -> list[DemoAccount]:
    """The county's reviewing departments and one account per role (the regions imported first)."""
    departments = {
        name: department_create(actor=SYSTEM, county_code=DEMO_COUNTY, name=name) for name in DEFAULT_DEPARTMENTS
    }
    accounts = demo_accounts()
    for spec in accounts:
        _ensure_account(spec, departments)
    return accounts


def module_demos() -> list[Callable[..., None]]:
    """Each module shows itself in the demo county through cunshe/<module>/demo.py: build_demo(*, seed), which
    must go through the module's services and be safe to run twice. They run in INSTALLED_APPS order."""
    builders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("cunshe.") or config.name == "cunshe.demo":
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        builders.append(module.build_demo)
    return builders


@functools.cache
def _demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)


def demo_account(*, username: str, display_name: str, region_code: str) -> tuple[User, bool]:
    """The demo's account `username`, created the first time with the printed demo password (which it keeps: no
    change is asked at first sign-in). All demo accounts share one hash of it: the demo makes about fifty, and
    each PBKDF2 hash costs ~0.4 s by design. The bool says whether the account was created now."""
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = account_create(
        actor=SYSTEM,
        username=username,
        display_name=display_name,
        password=DEMO_PASSWORD,
        region_code=region_code,
        must_change_password=False,
        password_hash=_demo_password_hash(),
    )
    return user, True


def _ensure_account(spec: DemoAccount, departments: dict[str, Department]) -> None:
    user, _ = demo_account(username=spec.username, display_name=spec.display_name, region_code=spec.region)
    role_assign(
        actor=SYSTEM, user=user, role=spec.role, region_code=spec.region, department=departments.get(spec.department)
    )


def _sample_people(*, people_per_village: int, villages_per_town: int, seed: int) -> None:
    rng = random.Random(seed)
    existing = set(Person.objects.values_list("id_number", flat=True))
    villages = [
        v
        for town in (TOWN_A, TOWN_B)
        for v in Region.objects.filter(parent_id=town, level=Level.VILLAGE).order_by("code")[:villages_per_town]
    ]
    educations = [e.value for e in Education]
    with transaction.atomic():
        for index, village in enumerate(villages):
            for n in range(people_per_village):
                # Draw everything for this person first, so a second run sees the same people and skips them.
                born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 52))
                party = rng.random() < 0.3
                joined = min(
                    born + timedelta(days=rng.randrange(19 * 366, 40 * 365)), timezone.localdate() - timedelta(days=30)
                )
                fields = {
                    "name": rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
                    "ethnicity": ETHNICITIES[0] if rng.random() < 0.97 else "回族",
                    "education": rng.choice(educations),
                    "is_party_member": party,
                    "party_joined_on": joined if party else None,
                    "phone": f"13{rng.randrange(0, 10)}{rng.randrange(10**7, 10**8)}",
                }
                number = id_numbers.make(DEMO_COUNTY, born, (index * people_per_village + n) % 1000)
                if number in existing:
                    continue
                person_create(actor=SYSTEM, region_code=village.code, id_number=number, **fields)
                existing.add(number)
