from cunshe.access.policy import RegionPolicy
from cunshe.eligibility.models import ExclusionRule

exclusion_rule_policy = RegionPolicy(
    ExclusionRule,
    region_path="county",
    actions={"view": "eligibility.view", "change": "eligibility.change"},
    seen_from_below=("view",),
)
