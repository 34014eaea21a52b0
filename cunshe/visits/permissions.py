from cunshe.access.policy import RegionPolicy
from cunshe.visits.models import Coverage, CoverageTarget, GroupMember, Visit, VisitTarget

_ACTIONS = {"view": "visits.view", "change": "visits.change"}

target_policy = RegionPolicy(VisitTarget, region_path="region", actions=_ACTIONS)
visit_policy = RegionPolicy(Visit, region_path="region", actions=_ACTIONS)
group_member_policy = RegionPolicy(GroupMember, region_path="region", actions=_ACTIONS)
coverage_policy = RegionPolicy(Coverage, region_path="region", actions=_ACTIONS)
# Set by the county's organization department, read by everyone working under it.
coverage_target_policy = RegionPolicy(
    CoverageTarget,
    region_path="county",
    actions={"view": "visits.view", "change": "visits.set_target"},
    seen_from_below=("view",),
)
