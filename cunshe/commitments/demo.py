"""The demo county's commitments: the villages with sample people each commit to 3-5 affairs in the categories of
seed 001 (weighted by Cangzhou's counts), with progress, a few finished and showcased, a signed target letter,
the annual list and five-year plan of some, and one county inspection with findings."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from cunshe.commitments.models import CaseSending, Commitment, Inspection, Kind, Source, Status, TownVisit
from cunshe.commitments.services import (
    commitment_create,
    commitment_move,
    commitment_showcase,
    finding_add,
    finding_rectify,
    inspection_draw,
    progress_add,
    target_letter_sign,
)
from cunshe.core.actors import SYSTEM
from cunshe.people.models import Person

COUNTY = "371681"
START = date(2026, 1, 10)
# Seed 001: 2,820 / 347 / 454 / 1,652 / 9,115 / 871 of 15,259.
CATEGORY_WEIGHTS = {
    "改善生产生活条件": 2820,
    "发展壮大集体经济": 347,
    "化解信访矛盾隐患": 454,
    "走访慰问党员群众": 1652,
    "提升改善村容村貌": 9115,
    "抓好班子带好队伍": 871,
}
IDEAS: dict[str, list[tuple[str, str, str]]] = {
    "改善生产生活条件": [
        ("硬化村内主街", "筹资硬化主街及两条胡同，铺设排水管", "雨天出行不踩泥"),
        ("安装太阳能路灯", "主街及广场安装路灯 30 盏", "夜间出行安全"),
        ("改造饮水管网", "更换老化管网，全村水表登记造册", "村民喝上放心水"),
    ],
    "发展壮大集体经济": [
        ("盘活闲置集体土地", "流转闲置土地建设育苗温室", "村集体年增收 10 万元"),
        ("建设扶贫车间", "利用闲置校舍引进来料加工", "带动 20 名村民就业"),
    ],
    "化解信访矛盾隐患": [
        ("化解宅基地纠纷", "逐户走访、依法调处历史遗留纠纷", "矛盾不出村"),
    ],
    "走访慰问党员群众": [
        ("走访慰问老党员和困难群众", "两委成员分片包户，逐户走访", "走访全覆盖，建立需求清单"),
    ],
    "提升改善村容村貌": [
        ("整治党群服务中心环境", "开展四面一栏整理，清理过时展牌", "阵地干净整洁"),
        ("清理废旧坑塘", "清淤改造坑塘，建设休闲广场", "坑塘变广场"),
        ("清理房前屋后杂物", "组织党员志愿者集中清理", "村容整洁"),
    ],
    "抓好班子带好队伍": [
        ("建立两委班子坐班值守制度", "党群服务中心每日有人值守", "群众办事有人管"),
    ],
}
POSTS = ("村党组织书记", "村委会主任", "村党组织副书记", "村两委委员")
VILLAGES = 60


def build_demo(*, seed: int) -> None:
    rng = random.Random(seed + 6)
    villages = sorted(set(Person.objects.filter(region_id__startswith=COUNTY).values_list("region_id", flat=True)))
    categories, weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    today = timezone.localdate()
    for village in villages[:VILLAGES]:
        # Draw everything before the existence check, so a second run makes the same choices for every village.
        count = rng.randint(3, 5) if rng.random() > 0.08 else rng.choice((2, 6))
        plan, used = [], set()
        for _n in range(count):
            category = rng.choices(categories, weights)[0]
            title, content, target = rng.choice(IDEAS[category])
            if title in used:  # a village does not promise the same thing twice: the next idea it has not promised
                category, (title, content, target) = next(
                    (c, idea) for c in [category, *categories] for idea in IDEAS[c] if idea[0] not in used
                )
            used.add(title)
            plan.append(
                (
                    category,
                    title,
                    content,
                    target,
                    START + timedelta(days=rng.randint(60, 330)),
                    rng.choice(POSTS),
                    rng.choice(Source.values),
                    rng.random(),
                )
            )
        signed = rng.random() < 0.5
        long_term = rng.random() < 0.3
        if Commitment.objects.filter(region_id=village).exists():
            continue
        for category, title, content, target, deadline, post, source, fate in plan:
            c = commitment_create(
                actor=SYSTEM,
                village_code=village,
                year=START.year,
                category=category,
                title=title,
                content=content,
                target=target,
                deadline=deadline,
                responsible_post=post,
                source=source,
            )
            if fate < 0.7:
                progress_add(
                    actor=SYSTEM,
                    commitment=c,
                    written_on=min(START + timedelta(days=20), today),
                    note="已召开两委会议研究，启动实施",
                )
                c.refresh_from_db()
            if fate < 0.4:
                c = commitment_move(
                    actor=SYSTEM,
                    commitment=c,
                    to_status=Status.DONE,
                    expected_version=c.version,
                    completed_on=min(START + timedelta(days=45), today),
                    evidence="现场验收照片及群众满意度测评表存档",
                )
                if fate < 0.05:
                    commitment_showcase(
                        actor=SYSTEM,
                        commitment=c,
                        writeup=f"{title}：两委班子多次征求民意，党员带头、群众参与，一个半月完成并通过验收。",
                        expected_version=c.version,
                    )
            elif fate > 0.97:
                commitment_move(
                    actor=SYSTEM,
                    commitment=c,
                    to_status=Status.DROPPED,
                    expected_version=c.version,
                    reason="与上级项目合并实施",
                )
        if long_term:
            commitment_create(
                actor=SYSTEM,
                village_code=village,
                kind=Kind.FIVE_YEAR,
                year=START.year,
                category="发展壮大集体经济",
                title="五年内村集体经营性收入翻一番",
                content="发展特色种植和物业经济",
                target="村集体年经营性收入达到 50 万元",
                deadline=date(2030, 12, 31),
                responsible_post="村党组织书记",
            )
        if signed:
            target_letter_sign(
                actor=SYSTEM, village_code=village, year=START.year, signed_on=min(START + timedelta(days=5), today)
            )
    _inspection(seed, today)
    build_three_level(seed=seed)


def _inspection(seed: int, today: date) -> None:
    if Inspection.objects.filter(county_id=COUNTY, title="开门一件事专项检查").exists():
        return
    inspection = inspection_draw(
        actor=SYSTEM,
        county_code=COUNTY,
        title="开门一件事专项检查",
        mode="share",
        amount=5,
        drawn_on=min(date(2026, 6, 15), today),
        seed=seed,
    )
    for n, inspected in enumerate(inspection.villages.order_by("region_id")[:6]):
        finding = finding_add(
            actor=SYSTEM,
            inspected=inspected,
            description="开门一件事台账未在公开栏公示" if n % 2 else "台账缺少完成时限",
            found_on=inspection.drawn_on,
            rectify_by=inspection.drawn_on + timedelta(days=7),
        )
        if n < 4:
            finding_rectify(
                actor=SYSTEM,
                finding=finding,
                rectified_on=inspection.drawn_on,
                evidence="当场整改，已补充公示",
                expected_version=1,
            )


# --- three-level responsibility (三级责任体系, seed 001 运河区) ----------------------------------------------
# After the new teams of 黛溪街道 took over (handover meetings two days after the election) and made their first
# commitments (cunshe/results/demo.py), they check themselves in late November; the town visits three of them on
# 11-30 and follows up on 12-03; a showcase case is sent to the county on 12-02 and on to the city on 12-04, all
# before the demo's earliest day (2026-12-05).
SELF_CHECK_DAY = date(2026, 11, 27)
TOWN_VISIT_DAY = date(2026, 11, 30)
FOLLOW_UP_DAY = date(2026, 12, 3)
SENDINGS = (
    (date(2026, 12, 2), "county", "邹平市委组织部", "黛溪街道组织委员"),
    (date(2026, 12, 4), "city", "滨州市委组织部“开门一件事”专栏", "邹平市委组织部组织科"),
)
PROBLEMS = ("部分农户外出务工，走访需利用周末补访", "维修资金尚未到位，已向街道申请", "")


def build_three_level(*, seed: int) -> None:
    """The three levels in the demo county, through the services; safe to run twice (and a no-op before the new
    teams' commitments exist)."""
    from cunshe.commitments.responsibility import case_send, self_check_add, town_visit_add, town_visit_follow_up
    from cunshe.elections.demo import TOWN_A
    from cunshe.elections.models import Election

    rng = random.Random(seed + 17)
    # The new teams: commitments of a term, in villages whose election (or first round) was over before the check.
    started = {
        e.region_id
        for e in Election.objects.filter(
            region_id__startswith=TOWN_A, election_day__lte=SELF_CHECK_DAY - timedelta(days=3)
        )
    }
    later = {
        e.region_id
        for e in Election.objects.filter(
            region_id__startswith=TOWN_A, election_day__gt=SELF_CHECK_DAY - timedelta(days=3)
        )
    }
    new_team = Commitment.objects.filter(
        region_id__startswith=TOWN_A, term_change__isnull=False, status__in=(Status.PLANNED, Status.IN_PROGRESS)
    ).order_by("region_id", "ledger_no")
    checked_villages: list[str] = []
    for n, commitment in enumerate(new_team):
        # A village whose election was rerun late in November has its new team only after the rerun.
        if commitment.region_id not in started or commitment.region_id in later:
            continue
        day = min(SELF_CHECK_DAY + timedelta(days=n % 3), timezone.localdate())
        if commitment.self_checks.filter(month=day.replace(day=1)).exists():
            checked_villages.append(commitment.region_id)
            continue
        self_check_add(
            actor=SYSTEM,
            commitment=commitment,
            checked_on=day,
            progress=f"“{commitment.title}”已分解到两委成员，按计划推进",
            problems=rng.choice(PROBLEMS),
        )
        checked_villages.append(commitment.region_id)
    visited = sorted(set(checked_villages))[:3]
    if visited and not TownVisit.objects.filter(town_id=TOWN_A, visited_on=TOWN_VISIT_DAY).exists():
        visit = town_visit_add(
            actor=SYSTEM,
            town_code=TOWN_A,
            visited_on=min(TOWN_VISIT_DAY, timezone.localdate()),
            village_codes=visited,
            findings="新一届两委自查台账基本齐全；一个村走访记录未附需求清单，一个村坐班制度尚未上墙",
            follow_up="责成两村一周内补齐，包村干部跟踪",
        )
        town_visit_follow_up(
            actor=SYSTEM,
            visit=visit,
            follow_up="两村已补齐需求清单并上墙公开坐班制度，包村干部现场核实",
            followed_up_on=min(FOLLOW_UP_DAY, timezone.localdate()),
            expected_version=visit.version,
        )
    case = (
        Commitment.objects.filter(region_id__startswith=TOWN_A, is_showcase=True).order_by("ledger_no").first()
        or Commitment.objects.filter(region_id__startswith=COUNTY, is_showcase=True).order_by("ledger_no").first()
    )
    if case is None or CaseSending.objects.filter(commitment=case).exists():
        return
    for sent_on, level, outlet, sender in SENDINGS:
        case_send(
            actor=SYSTEM,
            commitment=case,
            level=level,
            outlet=outlet,
            sent_on=min(sent_on, timezone.localdate()),
            sender=sender,
        )
