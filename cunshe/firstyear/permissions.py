from cunshe.access.policy import RegionPolicy
from cunshe.firstyear.models import Programme, ProgrammeItem, Progress, TownTally

_VIEW = "firstyear.view"

programme_policy = RegionPolicy(Programme, region_path="region", actions={"view": _VIEW})
progress_policy = RegionPolicy(Progress, region_path="region", actions={"view": _VIEW, "change": "firstyear.change"})
tally_policy = RegionPolicy(TownTally, region_path="region", actions={"view": _VIEW})
# The county's items are read by everyone working under it and set by its organization department.
item_policy = RegionPolicy(
    ProgrammeItem,
    region_path="county",
    actions={"view": _VIEW, "change": "firstyear.configure"},
    seen_from_below=("view",),
)
