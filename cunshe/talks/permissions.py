from cunshe.access.policy import RegionPolicy
from cunshe.talks.models import FollowUp, MonthTally, Talk

_VIEW = "talks.view"
_CHANGE = "talks.change"

# A talk belongs to the village whose secretary was talked with: the town holds its villages', the county all.
talk_policy = RegionPolicy(Talk, region_path="village", actions={"view": _VIEW, "change": _CHANGE})
followup_policy = RegionPolicy(FollowUp, region_path="village", actions={"view": _VIEW, "change": _CHANGE})
tally_policy = RegionPolicy(MonthTally, region_path="town", actions={"view": _VIEW})
