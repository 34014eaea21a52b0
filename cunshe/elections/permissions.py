from cunshe.access.policy import RegionPolicy
from cunshe.elections.models import CommitteeMember, Election, ElectionRules

# Town officers run their villages' elections (the county's organizers may step in); village cadres enter what they
# are given (register data, count sheets); supervisors read everything; the count's differences are settled by
# the town (or the county).
ELECTION_ACTIONS = {
    "view": "elections.view",
    "change": "elections.change",
    "enter": "elections.enter",
    "settle": "elections.settle",
}
election_policy = RegionPolicy(Election, region_path="region", actions=ELECTION_ACTIONS)
committee_member_policy = RegionPolicy(CommitteeMember, region_path="election__region", actions=ELECTION_ACTIONS)
# National and provincial rule sets have no county and are read by everyone (selectors); a county's own rules are
# read by everyone working under it and made by its organizers.
rules_policy = RegionPolicy(
    ElectionRules,
    region_path="county",
    actions={"view": "elections.view", "change": "elections.configure"},
    seen_from_below=("view",),
)
