from cunshe.access.policy import RegionPolicy
from cunshe.termchanges.models import Milestone, TermChange

term_change_policy = RegionPolicy(
    TermChange,
    region_path="county",
    actions={"view": "termchanges.view", "change": "termchanges.change"},
    seen_from_below=("view",),
)
milestone_policy = RegionPolicy(
    Milestone,
    region_path="term_change__county",
    actions={"view": "termchanges.view", "change": "termchanges.change"},
    seen_from_below=("view",),
)
