"""The daily checks in the demo county's story (today: the day the demo is built, cunshe.elections.demo.story_today):
邹平市 published its checklist of the four must-checks and its 18 measures of the 村社运行规范年 for the new teams
elected on 11-15; the villages of 黛溪街道 with new teams check on every working day from Monday 11-16 to the last
working day before today — most days by every cadre, with some days missed (and a few cadres missing on that last
working day), problems found now and then, some sent to the issue board, most of the older ones put right. The measures were launched on 11-16; some are under way, one is
behind, one is done."""

from __future__ import annotations

import random
from datetime import date, timedelta

from cunshe.accounts.models import User
from cunshe.core.actors import SYSTEM, Actor
from cunshe.dailychecks.models import ITEM_KEYS, Checklist, CheckResult, DailyCheck, Measure, MeasureStatus
from cunshe.dailychecks.selectors import cadres_on
from cunshe.dailychecks.services import (
    DEFAULT_GUIDANCE,
    ItemAnswer,
    check_submit,
    checklist_publish,
    measure_add,
    measure_move,
    measure_progress_add,
    result_close,
)
from cunshe.deadlines.holidays import is_workday
from cunshe.elections.demo import story_today
from cunshe.regions.slice import DEMO_COUNTY
from cunshe.trainings.services import new_team_members

TOWN_A = "371681001"  # 黛溪街道
START = date(2026, 11, 16)  # the Monday after the villagers' committee elections

# (方面, 举措, 目标, 责任单位, 完成时限)
MEASURES: tuple[tuple[str, str, str, str, date | None], ...] = (
    ("duty", "街道党工委书记每月专题研究村社运行", "每月至少一次专题会，形成问题清单", "各乡镇(街道)党(工)委", None),
    ("duty", "联村领导每周到村指导", "每周到村不少于1次，全年覆盖所有联系村", "各乡镇(街道)", None),
    ("duty", "村社运行情况季度通报", "每季度通报排名，后三位约谈", "县委组织部", date(2026, 12, 31)),
    (
        "routine",
        "村两委干部每日“四个必查”",
        "工作日到岗先查环境、走访、待办、网格，完成率不低于95%",
        "县委组织部",
        None,
    ),
    ("routine", "村社坐班值班制度", "工作日全天有人值班，群众来访有登记", "各乡镇(街道)", date(2026, 12, 15)),
    ("routine", "村务公开规范化", "党务村务财务按月公开，公开栏规范率100%", "县民政局", date(2026, 12, 31)),
    ("routine", "“三资”管理规范提升", "村级财务支出审批全程留痕", "县农业农村局", date(2027, 3, 31)),
    ("routine", "村级小微权力清单落实", "清单事项办理程序公开，群众可查询", "县纪委监委", date(2027, 3, 31)),
    ("red", "党员联户全覆盖", "每名党员联系10户以上群众", "各乡镇(街道)党(工)委", date(2026, 12, 31)),
    ("red", "微网格民情日报", "网格员每日报送民情，问题当日流转", "县委政法委", None),
    ("red", "主题党日规范化", "每月固定主题党日，党员参加率90%以上", "县委组织部", None),
    ("red", "矛盾纠纷就地化解", "一般矛盾纠纷不出村，化解率95%以上", "县司法局", date(2027, 6, 30)),
    (
        "projects",
        "村级集体经济项目攻坚",
        "年内开工项目40个，村均集体经营性收入增长10%",
        "县农业农村局",
        date(2027, 6, 30),
    ),
    ("projects", "人居环境整治提升", "每村完成1处以上环境提升点位", "县住建局", date(2027, 3, 31)),
    ("projects", "重点项目政策处理", "政策处理按期完成率100%", "各乡镇(街道)", date(2027, 6, 30)),
    ("teams", "新任村干部岗前培训", "新任村干部100%参加培训", "县委党校", date(2026, 12, 31)),
    ("teams", "后备干部“一村多名”", "每村储备后备干部2名以上", "县委组织部", date(2027, 3, 31)),
    ("teams", "村干部实绩考评", "建立村干部创建指标和实绩档案", "县委组织部", date(2027, 1, 31)),
)
# what the cadres found, per must-check
FOUND = {
    "environment": ("村口垃圾收集点未及时清运", "主干道旁有建筑垃圾堆放", "公厕保洁不到位", "河道边有漂浮垃圾"),
    "visits": ("独居老人反映家中电线老化", "二组群众反映路灯不亮", "低保户咨询年审材料"),
    "pending": ("低保年审材料逾期未报", "街道交办的消防检查未完成", "群众宅基地申请待回复"),
    "grid": ("网格内出租房未登记", "邻里因排水沟发生纠纷", "三组独居老人家中漏雨"),
}


def _workdays(today: date) -> list[date]:
    """The working days from START to the day before today."""
    days, day = [], START
    while day < today:
        if is_workday(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _measures(actor: Actor) -> None:
    if Measure.objects.filter(county_id=DEMO_COUNTY).exists():
        return
    launched = START
    for n, (area, title, target, unit, due_on) in enumerate(MEASURES, start=1):
        m = measure_add(
            actor=actor,
            county_code=DEMO_COUNTY,
            number=n,
            area=area,
            title=title,
            target=target,
            unit=unit,
            due_on=due_on,
        )
        if n in (1, 2, 4, 5, 6, 9, 10, 11, 13, 16):  # launched with the new teams
            m = measure_move(actor=actor, measure=m, to=MeasureStatus.ONGOING, expected_version=m.version)
            measure_progress_add(actor=actor, measure=m, reported_on=launched, text="已召开部署会，印发实施方案")
        if n == 4:
            measure_progress_add(
                actor=actor, measure=m, reported_on=date(2026, 12, 1), text="黛溪街道新任村干部11月每日必查已全面推开"
            )
        if n == 13:
            m = measure_move(actor=actor, measure=m, to=MeasureStatus.BEHIND, expected_version=m.version)
            measure_progress_add(actor=actor, measure=m, reported_on=date(2026, 12, 3), text="2个项目用地手续未办结")
        if n == 16:
            measure_progress_add(
                actor=actor, measure=m, reported_on=date(2026, 11, 27), text="黛溪街道新任村干部岗前培训已完成"
            )
            m = measure_move(actor=actor, measure=m, to=MeasureStatus.DONE, expected_version=m.version)


def build_demo(*, seed: int) -> None:
    organizer = User.objects.filter(username="zzb").first()
    county_actor: Actor = organizer or SYSTEM
    if not Checklist.objects.filter(county_id=DEMO_COUNTY).exists():
        checklist_publish(
            actor=county_actor,
            county_code=DEMO_COUNTY,
            valid_from=START,
            guidance=dict(DEFAULT_GUIDANCE),
            note="村社运行规范年：新一届村两委干部每天到岗先做“四个必查”",
        )
    _measures(county_actor)
    villages = sorted({m.region_id for m in new_team_members(TOWN_A)})
    if not villages or DailyCheck.objects.filter(region_id__in=villages).exists():
        return  # no new teams yet, or the demo runs twice
    rng = random.Random(seed)
    today = story_today()
    workdays = _workdays(today)
    problems: list[CheckResult] = []
    for v, village in enumerate(villages):
        for day in workdays:
            for c, line in enumerate(cadres_on(village, day)):
                # some days missed; on the last working day one cadre each in the second and fourth villages
                if rng.random() < 0.06 or (day == workdays[-1] and c == 0 and v in (1, 3)):
                    continue
                answers = [ItemAnswer(key, True) for key in ITEM_KEYS]
                if rng.random() < 0.12:
                    key = rng.choice(ITEM_KEYS)
                    answers = [
                        ItemAnswer(
                            k, k != key, rng.choice(FOUND[k]) if k == key else "", k == key and rng.random() < 0.3
                        )
                        for k in ITEM_KEYS
                    ]
                check = check_submit(actor=SYSTEM, village_code=village, person=line.person, day=day, answers=answers)
                problems.extend(check.results.filter(ok=False))
    for result in problems:
        found = result.check_record.day
        if (today - found).days > 3 and rng.random() < 0.75:
            result_close(
                actor=SYSTEM,
                result=result,
                closed_on=min(found + timedelta(days=rng.randint(1, 3)), today),
                note="已当场整改" if result.issue_id is None else "已按问题清单办结",
            )
