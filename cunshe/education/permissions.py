from cunshe.access.policy import RegionPolicy
from cunshe.education.models import Campaign, VillageTask

_VIEW = "education.view"

# A county's or town's campaign is read by everyone under it and set by those who run it there.
campaign_policy = RegionPolicy(
    Campaign, region_path="region", actions={"view": _VIEW, "change": "education.manage"}, seen_from_below=("view",)
)
# A village marks its own tasks done; its town follows and may enter for it.
task_policy = RegionPolicy(VillageTask, region_path="region", actions={"view": _VIEW, "change": "education.change"})
