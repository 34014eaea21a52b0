"""The first lesson in the demo county's story (today: the build day): 黛溪街道's party school class of 11-28 for the
new teams elected on 11-15 (the villages whose committee is certified), most signed in, a few absent with their
reasons and followed up by the town; 黄山街道's committees vote today: nobody there is due yet."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from cunshe.accounts.models import User
from cunshe.core.actors import SYSTEM
from cunshe.firstyear.models import Programme
from cunshe.trainings.models import Attendance, Course, Presence
from cunshe.trainings.services import (
    attendance_mark,
    course_create,
    followup_add,
    new_team_members,
    session_create,
)

TOWN_A = "371681001"  # 黛溪街道
LESSON_DAY = date(2026, 11, 28)
TITLE = "黛溪街道新一届村(社区)两委干部任职培训班（任职第一课）"
ABSENT_REASONS = ("外出务工，已请假", "住院治疗")


def build_demo(*, seed: int) -> None:
    today = timezone.localdate()
    officer = User.objects.filter(username="daixi").first()
    actor = officer or SYSTEM
    if Course.objects.filter(region_id=TOWN_A, title=TITLE).exists() or not new_team_members(TOWN_A):
        return
    if today < LESSON_DAY:
        return
    course = course_create(actor=actor, region_code=TOWN_A, title=TITLE, provider="party_school")
    session = session_create(actor=actor, course=course, held_on=LESSON_DAY, place="黛溪街道基层党校报告厅")
    rows = list(Attendance.objects.filter(session=session).order_by("village_id", "pk"))
    # two members of one village could not come (the village whose first lesson the first-year demo leaves open);
    # everyone else signed in
    programmes = list(Programme.objects.filter(region_id__startswith=TOWN_A).order_by("region_id"))
    village = programmes[3].region_id if len(programmes) > 3 else (rows[-1].village_id if rows else "")
    absent = [a for a in rows if a.village_id == village][: len(ABSENT_REASONS)]
    for a in rows:
        if a in absent:
            reason = ABSENT_REASONS[absent.index(a)]
            a = attendance_mark(actor=actor, attendance=a, status=Presence.ABSENT, reason=reason, expected_version=1)
            followup_add(
                actor=actor,
                attendance=a,
                written_on=min(date(2026, 12, 2), today),
                note="街道组织委员送学上门，补学党课录像和培训讲义",
            )
        else:
            attendance_mark(actor=actor, attendance=a, status=Presence.PRESENT, expected_version=1)
