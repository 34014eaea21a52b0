from cunshe.access.policy import RegionPolicy
from cunshe.carelist.models import CareMonth, CareVisit, Household

_VIEW = "carelist.view"
_CHANGE = "carelist.change"

# A village keeps its own list and visits; its town sees and may enter for its villages (RegionPolicy's scopes).
household_policy = RegionPolicy(Household, region_path="region", actions={"view": _VIEW, "change": _CHANGE})
month_policy = RegionPolicy(CareMonth, region_path="region", actions={"view": _VIEW, "change": _CHANGE})
visit_policy = RegionPolicy(CareVisit, region_path="region", actions={"view": _VIEW, "change": _CHANGE})
