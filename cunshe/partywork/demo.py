"""Party work in the demo county's story (today: the build day): 黛溪街道's branches elected their new committees on
2026-11-08 (certified party elections), so their cadence is checked from that day. Each held its first committee
meeting (division of duties), a party group meeting, a theme party day and the quarter's members' meeting in
November, signed by the recorder and the chair; most met again in early December. One branch (the fourth) has held
no committee or party group meeting since: it is overdue on the to-do lists and in the town's table. One December
record is still a draft, one signed record carries a correction.

Model posts were set up in spring by the branches (before the term change) and rated by the town for Q2 and Q3;
the third branch ended one on 11-20 (撤岗: its holder went out to work), kept with its ratings.
Floating members: fishermen of the town on the 微山湖 fleet (a boat party group of four, set up by the town on
11-20 after the new committees), migrant workers with their cards, and one who has not reported home for 2025 (their card, never renewed, expired
on 2026-05-05)."""

from __future__ import annotations

import random
from datetime import date, datetime, time

from django.utils import timezone

from cunshe.core.actors import SYSTEM
from cunshe.elections.models import Election, Kind, Status
from cunshe.partywork import rules
from cunshe.partywork.models import Branch, FloatingMember, MeetingKind, ModelPost, Presence
from cunshe.partywork.services import (
    addendum_add,
    branch_name,
    branch_open,
    card_issue,
    floating_register,
    group_create,
    group_member_add,
    meeting_attendance_mark,
    meeting_create,
    meeting_sign,
    model_post_end,
    post_create,
    post_rate,
    report_add,
    secretary_of,
)
from cunshe.people.models import Person

TOWN_A = "371681001"  # 黛溪街道
ENDED_PLACE = 2  # the third branch ended one of its model posts (撤岗) after the new committee took office
POST_ENDED_ON = date(2026, 11, 20)
OVERDUE_PLACE = 3  # the fourth branch in code order has held no committee or group meeting since its election
DRAFT_PLACE = 1

# (day, kind, hour, topic, agenda, what was said, votes, decisions as (text, owner post, due))
PLAN = [
    (
        date(2026, 11, 10),
        MeetingKind.COMMITTEE,
        15,
        "新一届支部委员会第一次会议",
        "一、研究支部委员分工；二、研究“开门七件事”推进安排；三、研究年内发展党员计划",
        "书记：委员分工按组织、宣传、纪检明确到人。委员甲：同意分工。委员乙：发展党员计划中青年农民比例偏低，建议增加。"
        "会议对委员乙的意见进行了讨论，决定在年底前再摸排一次入党积极分子。",
        "分工方案：应到委员全部赞成。",
        [("完成入党积极分子摸排并报街道党工委", 1, date(2026, 12, 31))],
    ),
    (
        date(2026, 11, 12),
        MeetingKind.GROUP,
        19,
        "党小组学习",
        "学习《中国共产党支部工作条例（试行）》；交流联系户情况",
        "各党员交流联系户走访情况；有党员反映部分老人冬季取暖困难。",
        "",
        [("将取暖困难户名单报村委会纳入暖心清单", 2, date(2026, 11, 30))],
    ),
    (
        date(2026, 11, 15),
        MeetingKind.THEME_DAY,
        9,
        "“亮身份、作表率”主题党日",
        "重温入党誓词；党员参与村民委员会选举投票服务",
        "党员分组承担选举日引导、秩序维护和老弱病残投票服务。",
        "",
        [],
    ),
    (
        date(2026, 11, 22),
        MeetingKind.MEMBERS,
        14,
        "第四季度支部党员大会",
        "一、通报新一届支部委员会分工；二、讨论村级初心清单（征求意见稿）；三、缴纳党费",
        "党员普遍同意初心清单；有党员对清单中“修建文化广场”项目持不同意见，认为应先解决排水问题。会议同意将排水列为第一项。",
        "初心清单（修改稿）：赞成多数，反对 1 票。",
        [("按党员大会意见修改初心清单并提交两委联席会", 0, date(2026, 12, 10))],
    ),
    (
        date(2026, 12, 1),
        MeetingKind.THEME_DAY,
        9,
        "“冬季暖心”主题党日",
        "走访慰问困难党员和暖心清单户；集中学习",
        "党员分 4 组走访，共走访困难户 12 户。",
        "",
        [],
    ),
    (
        date(2026, 12, 3),
        MeetingKind.COMMITTEE,
        15,
        "12 月支部委员会",
        "研究初心清单公开承诺安排；研究冬季安全生产",
        "委员一致同意在主题党日上公开承诺初心清单。",
        "全体赞成。",
        [("组织初心清单公开承诺", 0, date(2026, 12, 20))],
    ),
]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), timezone.get_current_timezone())


def build_demo(*, seed: int) -> None:
    today = timezone.localdate()
    elections = list(
        Election.objects.filter(region_id__startswith=TOWN_A, kind=Kind.PARTY, status=Status.CERTIFIED)
        .select_related("region")
        .order_by("region_id")
    )
    if not elections or today < elections[0].election_day:
        return
    rng = random.Random(seed + 11)
    for place, election in enumerate(elections):
        _branch_story(election, place, rng, today)
    _floating_story(elections, rng, today)


def _branch_story(election: Election, place: int, rng: random.Random, today: date) -> None:
    village = election.region
    # the branch is opened by the teams hook when the new party committee is in place; the demo opens it only where
    # that has not happened, and tells its meetings once
    branch = Branch.objects.filter(region=village).first() or branch_open(
        actor=SYSTEM, village_code=village.code, name=branch_name(village), formed_on=election.election_day
    )
    if branch.meetings.exists():
        return
    members = list(Person.objects.filter(region=village, is_party_member=True).order_by("id"))
    if len(members) < 3:
        return
    for day, kind, hour, topic, agenda, said, votes, decisions in PLAN:
        if day > today or (
            place == OVERDUE_PLACE and day.month == 11 and kind in (MeetingKind.COMMITTEE, MeetingKind.GROUP)
        ):
            continue
        secretary_id = secretary_of(village.code, day)
        chair = next((p for p in members if p.pk == secretary_id), members[0])
        recorder = next(p for p in members if p.pk != chair.pk)
        owners = [chair.name, recorder.name, members[-1].name]
        m = meeting_create(
            actor=SYSTEM,
            branch=branch,
            kind=kind,
            held_at=_at(day, hour),
            place="村党群服务中心" if kind != MeetingKind.THEME_DAY else "村新时代文明实践站",
            chair=chair,
            recorder=recorder,
            topic=topic,
            agenda=agenda,
            discussion=said,
            votes=votes,
            decisions=[{"text": t, "owner": owners[o], "due_on": due} for t, o, due in decisions],
        )
        marks = {}
        for a in m.attendance.filter(status=Presence.DUE).order_by("id"):
            roll = rng.random()
            if roll < 0.06:
                marks[a.person_id] = (Presence.LEAVE, rng.choice(("外出务工，已请假", "住院治疗", "照顾病人")))
            elif roll < 0.08:
                marks[a.person_id] = (Presence.ABSENT, "未请假，会后由支部书记谈话提醒")
            else:
                marks[a.person_id] = (Presence.PRESENT, "")
        m = meeting_attendance_mark(actor=SYSTEM, meeting=m, marks=marks, expected_version=m.version)
        if place == DRAFT_PLACE and day == date(2026, 12, 3):
            continue  # written up, not yet confirmed by the chair
        m = meeting_sign(actor=SYSTEM, meeting=m, role="recorder", expected_version=m.version)
        m = meeting_sign(actor=SYSTEM, meeting=m, role="chair", expected_version=m.version)
        if place == 0 and kind == MeetingKind.MEMBERS:
            addendum_add(
                actor=SYSTEM,
                meeting=m,
                text="更正：表决情况中“反对 1 票”应为“反对 1 票、弃权 2 票”，经记录人、主持人核对。",
            )
    _posts(village.code, members, rng, ended=place == ENDED_PLACE and today >= POST_ENDED_ON)


def _posts(village: str, members: list[Person], rng: random.Random, *, ended: bool) -> None:
    if ModelPost.objects.filter(region_id=village).exists():
        return
    titles = [
        ("人居环境整治示范岗", "包片联系 20 户，门前三包、垃圾分类带头"),
        ("矛盾调解示范岗", "参与网格矛盾排查，邻里纠纷及时调解"),
    ]
    for (title, duty), person in zip(titles, members[1:3], strict=False):
        post = post_create(
            actor=SYSTEM, village_code=village, person=person, title=title, duty=duty, set_up_on=date(2026, 4, 1)
        )
        sheet = rules.rating_sheet(village, date(2026, 9, 30))
        for quarter in (2, 3):
            scores = {name: full - rng.randint(0, max(1, full // 4)) for name, full in sheet.criteria}
            post_rate(actor=SYSTEM, post=post, year=2026, quarter=quarter, scores=scores, note="街道党工委季度评比")
        if ended and title == "矛盾调解示范岗":
            # its holder went out to work after the election: the post ends, kept with its Q2 and Q3 ratings,
            # and is off the Q4 sheet
            post = ModelPost.objects.get(pk=post.pk)
            model_post_end(
                actor=SYSTEM,
                post=post,
                ended_on=POST_ENDED_ON,
                reason="党员外出务工，不能继续履行岗位职责",
                expected_version=post.version,
            )


def _floating_story(elections: list[Election], rng: random.Random, today: date) -> None:
    if FloatingMember.objects.filter(region_id__startswith=TOWN_A).exists():
        return
    fleet = []
    for election in elections[:4]:
        village = election.region_id
        taken = set(FloatingMember.objects.values_list("person_id", flat=True))
        candidates = [
            p
            for p in Person.objects.filter(region_id=village, is_party_member=True).order_by("-id")[:6]
            if p.pk not in taken
        ]
        if len(candidates) < 2:
            continue
        fisher, worker = candidates[0], candidates[1]
        # a fisherman of the 微山湖 fleet out for the season (cannot transfer: no fixed place), reported for 2025
        m = floating_register(
            actor=SYSTEM,
            person=fisher,
            whereabouts="微山湖捕捞船队（鲁微山渔）",
            work="湖区捕捞",
            left_on=date(2025, 3, 1),
            cannot_transfer=True,
            cannot_transfer_reason="常年随船作业，无固定流入地党组织",
        )
        report_add(
            actor=SYSTEM, member=m, year=2025, reported_on=date(2025, 12, 20), content="随船队作业，参加湖区党员学习"
        )
        card_issue(actor=SYSTEM, member=m, issued_on=date(2026, 11, 12), valid_until=date(2027, 11, 11))
        fleet.append(m)
        # a migrant worker out for the winter, back before the spring sowing
        w = floating_register(
            actor=SYSTEM,
            person=worker,
            whereabouts="江苏省苏州市工业园区",
            work="建筑施工",
            left_on=date(2026, 10, 10),
            expected_back_on=date(2027, 3, 20),
        )
        card_issue(actor=SYSTEM, member=w, issued_on=date(2026, 10, 8), valid_until=date(2027, 4, 10))
    if len(fleet) >= 3 and today >= date(2026, 11, 20):
        # set up by the town with the first three boats' fishermen; the fourth boat joined the fleet a week later
        group = group_create(
            actor=SYSTEM,
            town_code=TOWN_A,
            kind="boat",
            name="黛溪街道微山湖船队船头党小组",
            whereabouts="微山湖（鲁微山渔船队）",
            formed_on=date(2026, 11, 20),
            members=fleet[:3],
        )
        if len(fleet) > 3 and today >= date(2026, 11, 27):
            group_member_add(
                actor=SYSTEM, group=group, member=fleet[3], joined_on=date(2026, 11, 27), expected_version=group.version
            )
    # one who left in 2025 and has not reported home for it: overdue
    village = elections[-1].region_id
    taken = set(FloatingMember.objects.values_list("person_id", flat=True))
    late = next(
        (
            p
            for p in Person.objects.filter(region_id=village, is_party_member=True).order_by("-id")
            if p.pk not in taken
        ),
        None,
    )
    if late is not None:
        gone = floating_register(
            actor=SYSTEM,
            person=late,
            whereabouts="浙江省宁波市",
            work="物流运输",
            left_on=date(2025, 5, 6),
            cannot_transfer=True,
            cannot_transfer_reason="流入地用工单位未建党组织",
        )
        # carded for a year when they left and never renewed (renewal goes with the report home): expired
        card_issue(actor=SYSTEM, member=gone, issued_on=date(2025, 5, 6), valid_until=date(2026, 5, 5))
