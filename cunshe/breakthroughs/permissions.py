from cunshe.access.policy import RegionPolicy
from cunshe.breakthroughs.models import Milestone, Project, Report, Task

_VIEW = "breakthroughs.view"

# The county's task list: read by everyone under it, kept by its organization department.
task_policy = RegionPolicy(
    Task,
    region_path="county",
    actions={"view": _VIEW, "change": "breakthroughs.configure"},
    seen_from_below=("view",),
)
# A village proposes and reports on its secretary's project; its town approves and rates it.
project_policy = RegionPolicy(
    Project,
    region_path="region",
    actions={"view": _VIEW, "change": "breakthroughs.change", "rate": "breakthroughs.rate"},
)
milestone_policy = RegionPolicy(Milestone, region_path="region", actions={"view": _VIEW})
report_policy = RegionPolicy(Report, region_path="region", actions={"view": _VIEW})
