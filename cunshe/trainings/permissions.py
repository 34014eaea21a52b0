from cunshe.access.policy import RegionPolicy
from cunshe.trainings.models import Attendance, Course, FollowUp, Session, VillageTally

_VIEW = "trainings.view"
_MANAGE = "trainings.manage"

# A county's or a town's courses are read by everyone working under it; run by those who hold `manage` there.
course_policy = RegionPolicy(
    Course, region_path="region", actions={"view": _VIEW, "change": _MANAGE}, seen_from_below=("view",)
)
session_policy = RegionPolicy(
    Session, region_path="region", actions={"view": _VIEW, "change": _MANAGE}, seen_from_below=("view",)
)
# Attendance belongs to the person's village: a cadre signs in their own village's members at the door.
attendance_policy = RegionPolicy(
    Attendance, region_path="village", actions={"view": _VIEW, "change": _MANAGE, "signin": "trainings.signin"}
)
followup_policy = RegionPolicy(FollowUp, region_path="village", actions={"view": _VIEW, "change": _MANAGE})
tally_policy = RegionPolicy(VillageTally, region_path="village", actions={"view": _VIEW})
