from cunshe.access.policy import RegionPolicy
from cunshe.annuallists.models import AnnualList, ListItem, Tally, VisitRound

_VIEW = "annuallists.view"
_CHANGE = "annuallists.change"
_REVIEW = "annuallists.review"

# The village drafts and reports; its town (or county) reviews; all see within their scope (RegionPolicy).
list_policy = RegionPolicy(
    AnnualList, region_path="region", actions={"view": _VIEW, "change": _CHANGE, "review": _REVIEW}
)
item_policy = RegionPolicy(ListItem, region_path="region", actions={"view": _VIEW, "change": _CHANGE})
round_policy = RegionPolicy(VisitRound, region_path="region", actions={"view": _VIEW, "change": _CHANGE})
tally_policy = RegionPolicy(Tally, region_path="region", actions={"view": _VIEW})
