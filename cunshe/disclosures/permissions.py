from cunshe.access.policy import RegionPolicy
from cunshe.disclosures.models import Disclosure, Obligation, Photo, Schedule, TownTally

_VIEW = "disclosures.view"

disclosure_policy = RegionPolicy(
    Disclosure, region_path="region", actions={"view": _VIEW, "change": "disclosures.change"}
)
photo_policy = RegionPolicy(Photo, region_path="region", actions={"view": _VIEW, "change": "disclosures.change"})
obligation_policy = RegionPolicy(
    Obligation, region_path="region", actions={"view": _VIEW, "change": "disclosures.change"}
)
tally_policy = RegionPolicy(TownTally, region_path="region", actions={"view": _VIEW})
schedule_policy = RegionPolicy(
    Schedule,
    region_path="county",
    actions={"view": _VIEW, "change": "disclosures.configure"},
    seen_from_below=("view",),
)
