"""Readiness in the demo villages: an assessment (mostly green, some yellow, a few red) with an earlier one as
history, a work plan from the default template with its early tasks done, the intent survey of each current cadre,
and a village plan where the risk is not green (corrected once where it is red). After the villages' plans, the county
sets its own template from the default, corrects one task and takes one out: the plans already made stay as they were."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from cunshe.core.actors import SYSTEM
from cunshe.people.models import Person
from cunshe.readiness.models import Intention, Readiness, Risk, Stability, Task, TaskStatus, TemplateTask
from cunshe.readiness.services import (
    DEFAULT_TEMPLATE,
    assessment_file,
    intent_record,
    plan_item_add,
    plan_item_update,
    task_move,
    template_task_add,
    template_task_set_active,
    template_task_update,
    work_plan_make,
)
from cunshe.regions.slice import DEMO_COUNTY
from cunshe.teams.models import Post
from cunshe.teams.selectors import current_members
from cunshe.termchanges.selectors import current_term_change


def build_demo(*, seed: int) -> None:
    rng = random.Random(seed + 13)
    villages = sorted(set(Person.objects.values_list("region_id", flat=True)))
    today = timezone.localdate()
    for village in villages:
        term_change = current_term_change(village)
        risk_roll = rng.random()
        intent_rolls = [rng.random() for _ in range(12)]
        task_rolls = [rng.random() for _ in range(30)]
        if term_change is None or Readiness.objects.filter(region_id=village).exists():
            continue
        opened = term_change.opened_on
        risk = Risk.GREEN if risk_roll < 0.7 else Risk.YELLOW if risk_roll < 0.92 else Risk.RED
        assessment_file(
            actor=SYSTEM,
            village_code=village,
            assessed_on=min(opened + timedelta(days=15), today),
            stability=Stability.FAIR,
            risk=Risk.GREEN if risk == Risk.GREEN else Risk.YELLOW,
            petitions=0,
        )
        assessment_file(
            actor=SYSTEM,
            village_code=village,
            assessed_on=min(opened + timedelta(days=50), today),
            stability={Risk.GREEN: Stability.STABLE, Risk.YELLOW: Stability.FAIR, Risk.RED: Stability.WEAK}[risk],
            risk=risk,
            petitions={Risk.GREEN: 0, Risk.YELLOW: 2, Risk.RED: 6}[risk],
            conflicts="" if risk == Risk.GREEN else "土地承包纠纷未化解",
            candidates="现任书记有意留任，后备人选 2 名",
            note="宗族势力干扰选举风险较高，镇党委重点指导" if risk == Risk.RED else "",
        )
        if risk != Risk.GREEN:
            item = plan_item_add(
                actor=SYSTEM,
                village_code=village,
                problem="土地承包纠纷影响换届",
                measure="镇司法所牵头调解，选前化解",
                owner="包村领导",
                due_on=opened + timedelta(days=70),
            )
            if risk == Risk.RED:  # the town takes it over, with an earlier deadline: the record book shows the change
                plan_item_update(
                    actor=SYSTEM,
                    item=item,
                    expected_version=item.version,
                    problem=item.problem,
                    measure=item.measure,
                    owner="镇党委副书记",
                    due_on=opened + timedelta(days=60),
                )
        work_plan_make(actor=SYSTEM, village_code=village, owner="驻村干部")
        # Most tasks due by now are done; about one in seven is late, as on a real work plan.
        tasks = Task.objects.filter(region_id=village).select_related("term_change").order_by("due_on")
        for task, roll in zip(tasks, task_rolls, strict=False):
            if task.due_on + timedelta(days=3) <= today and roll < 0.85:
                task_move(
                    actor=SYSTEM,
                    task=task,
                    to_status=TaskStatus.DONE,
                    expected_version=task.version,
                    done_on=task.due_on,
                )
        for member, roll in zip(current_members(village).order_by("id"), intent_rolls, strict=False):
            if roll < 0.6:
                intention, post = Intention.STAY, ""
            elif roll < 0.75:
                intention, post = Intention.RUN_FOR, Post.DIRECTOR if member.post != Post.DIRECTOR else Post.SECRETARY
            elif roll < 0.9:
                intention, post = Intention.LEAVE, ""
            else:
                intention, post = Intention.UNDECIDED, ""
            intent_record(
                actor=SYSTEM,
                member=member,
                intention=intention,
                desired_post=post,
                surveyed_on=min(opened + timedelta(days=20), today),
                note="年龄偏大，主动让贤" if intention == Intention.LEAVE else "",
            )
    _county_template()


def _county_template() -> None:
    term_change = current_term_change(DEMO_COUNTY)
    if term_change is None or TemplateTask.objects.filter(term_change=term_change).exists():
        return
    tasks = [
        template_task_add(actor=SYSTEM, county_code=DEMO_COUNTY, title=title, offset_days=days)
        for title, days in DEFAULT_TEMPLATE
    ]
    publicity = tasks[1]
    template_task_update(
        actor=SYSTEM,
        task=publicity,
        expected_version=publicity.version,
        title="入户宣传“一肩挑”政策和换届纪律",
        offset_days=25,
    )
    merged = tasks[5]  # 选情评估、沙盘推演 is done together with 两票一度 in this county
    template_task_set_active(actor=SYSTEM, task=merged, expected_version=merged.version, active=False)
