"""The breakthrough projects in the demo county's story (today: the build day): the county's organization department
published its task list after the elections; in 黛溪街道 (new teams since 11-15) the first village's secretary
proposed a land-share cooperative on 11-28, the town approved it on 12-02 (its 开门七件事 item is marked from that)
and the first progress was reported on 12-04; the second village's proposal of 12-03 awaits the town."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from cunshe.accounts.models import User
from cunshe.breakthroughs.models import Project, Task
from cunshe.breakthroughs.services import current_secretary, project_approve, project_propose, report_add, task_add
from cunshe.core.actors import SYSTEM
from cunshe.firstyear.models import Programme

COUNTY = "371681"
TOWN_A = "371681001"  # 黛溪街道
TASKS = (
    ("发展壮大村级集体经济", "党支部领办合作社、盘活闲置资产资源，集体经营性收入逐年增长。"),
    ("人居环境整治提升", "清理“三大堆”，改厕、污水治理，打造美丽庭院示范街。"),
    ("矛盾纠纷化解", "排查化解信访积案和土地、宅基地纠纷，实现小事不出村。"),
    ("基础设施补短板", "道路硬化、路灯安装、饮水安全等民生工程。"),
)
PROPOSALS = (
    (
        "党支部领办土地股份合作社",
        "引导农户以土地经营权入股，统一流转经营，当年实现集体增收 10 万元以上。",
        (("召开村民代表会议通过合作社章程", date(2026, 12, 20)), ("完成土地入股确权登记", date(2027, 3, 31))),
        date(2026, 11, 28),
    ),
    (
        "主街道路灯安装与路面硬化",
        "硬化主街 1.2 公里、安装路灯 40 盏，解决群众夜间出行难。",
        (("完成施工招标", date(2027, 1, 31)), ("工程竣工验收", date(2027, 5, 31))),
        date(2026, 12, 3),
    ),
)


def build_demo(*, seed: int) -> None:
    today = timezone.localdate()
    organizer = User.objects.filter(username="zzb").first() or SYSTEM
    town = User.objects.filter(username="daixi").first() or SYSTEM
    if not Task.objects.filter(county_id=COUNTY).exists():
        for title, description in TASKS:
            task_add(actor=organizer, county_code=COUNTY, title=title, description=description)
    tasks = list(Task.objects.filter(county_id=COUNTY).order_by("id"))
    villages = [p.region_id for p in Programme.objects.filter(region_id__startswith=TOWN_A).order_by("region_id")]
    with_secretary = [v for v in villages if current_secretary(v)][: len(PROPOSALS)]
    for n, (village, (title, goal, milestones, proposed_on)) in enumerate(zip(with_secretary, PROPOSALS, strict=False)):
        if Project.objects.filter(region_id=village).exists() or proposed_on > today:
            continue
        project = project_propose(
            actor=town,
            village_code=village,
            task=tasks[0 if n == 0 else 3],
            title=title,
            goal=goal,
            milestones=milestones,
            proposed_on=proposed_on,
        )
        if n == 0 and today >= date(2026, 12, 4):
            project = project_approve(
                actor=town, project=project, approved_on=date(2026, 12, 2), expected_version=project.version
            )
            report_add(
                actor=town,
                project=project,
                reported_on=date(2026, 12, 4),
                text="召开党员大会和村民代表会议动员，62 户农户签订入股意向书，涉及土地 480 亩。",
            )
