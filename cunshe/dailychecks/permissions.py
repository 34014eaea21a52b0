"""Who sees and does what: the county's checklist and measures are read by everyone under the county and kept by
its organization department; a village's checks are entered by its cadres (or first secretary, or the town on
their behalf) and seen by the town and the county above it."""

from cunshe.access.policy import RegionPolicy
from cunshe.dailychecks.models import CadreMonth, Checklist, CheckResult, DailyCheck, Measure

_VIEW = "dailychecks.view"
_CHECK = "dailychecks.check"
_CONFIGURE = "dailychecks.configure"

checklist_policy = RegionPolicy(
    Checklist, region_path="county", actions={"view": _VIEW, "change": _CONFIGURE}, seen_from_below=("view",)
)
measure_policy = RegionPolicy(
    Measure, region_path="county", actions={"view": _VIEW, "change": _CONFIGURE}, seen_from_below=("view",)
)
check_policy = RegionPolicy(DailyCheck, region_path="region", actions={"view": _VIEW, "change": _CHECK})
result_policy = RegionPolicy(CheckResult, region_path="region", actions={"view": _VIEW, "change": _CHECK})
month_policy = RegionPolicy(CadreMonth, region_path="region", actions={"view": _VIEW})
