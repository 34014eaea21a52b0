from cunshe.access.policy import RegionPolicy
from cunshe.decisions.models import Decision, DecisionRules, Meeting

decision_policy = RegionPolicy(
    Decision, region_path="region", actions={"view": "decisions.view", "change": "decisions.change"}
)
meeting_policy = RegionPolicy(Meeting, region_path="region", actions={"view": "decisions.view"})
# A county's (or province's) rule set is read by everyone working under it and set by the organization department.
rules_policy = RegionPolicy(
    DecisionRules,
    region_path="region",
    actions={"view": "decisions.view", "change": "decisions.configure"},
    seen_from_below=("view",),
)
