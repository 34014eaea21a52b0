from cunshe.access.policy import RegionPolicy
from cunshe.partywork.models import (
    Branch,
    CadenceStatus,
    FloatingGroup,
    FloatingMember,
    ModelPost,
    PartyMeeting,
    PostRating,
)

_VIEW = "partywork.view"
_RECORD = "partywork.record"
_MANAGE = "partywork.manage"

# A branch (a village) sees its own; a town its villages; the county all. The branch records its meetings, posts and
# floating members; the town opens branches, rates model posts and sets up the floating members' groups.
branch_policy = RegionPolicy(
    Branch, region_path="region", actions={"view": _VIEW, "record": _RECORD, "manage": _MANAGE}
)
meeting_policy = RegionPolicy(PartyMeeting, region_path="region", actions={"view": _VIEW, "record": _RECORD})
cadence_policy = RegionPolicy(CadenceStatus, region_path="region", actions={"view": _VIEW, "record": _RECORD})
post_policy = RegionPolicy(
    ModelPost, region_path="region", actions={"view": _VIEW, "record": _RECORD, "rate": "partywork.rate"}
)
rating_policy = RegionPolicy(PostRating, region_path="region", actions={"view": _VIEW})
floating_policy = RegionPolicy(FloatingMember, region_path="region", actions={"view": _VIEW, "record": _RECORD})
# A temporary group is set up by the town over members of several villages: the villages under it read it.
group_policy = RegionPolicy(
    FloatingGroup, region_path="region", actions={"view": _VIEW, "manage": _MANAGE}, seen_from_below=("view",)
)
