from cunshe.access.policy import RegionPolicy
from cunshe.liaison.models import Assignment, LiaisonTalk, Matter, Rating, ServiceDay, Tally

_VIEW = "liaison.view"

# Everything belongs to the village the cadre is assigned to: the town sees and keeps its villages', the county all.
# The county or the town assigns; the 察 ratings are the town's and county's judgement of the village.
assignment_policy = RegionPolicy(Assignment, region_path="village", actions={"view": _VIEW, "change": "liaison.assign"})
serviceday_policy = RegionPolicy(ServiceDay, region_path="village", actions={"view": _VIEW, "change": "liaison.write"})
talk_policy = RegionPolicy(LiaisonTalk, region_path="village", actions={"view": _VIEW, "change": "liaison.write"})
matter_policy = RegionPolicy(Matter, region_path="village", actions={"view": _VIEW, "change": "liaison.write"})
rating_policy = RegionPolicy(Rating, region_path="village", actions={"view": _VIEW, "change": "liaison.rate"})
tally_policy = RegionPolicy(Tally, region_path="village", actions={"view": _VIEW})
