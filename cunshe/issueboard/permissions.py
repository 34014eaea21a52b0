from cunshe.access.policy import RegionPolicy
from cunshe.issueboard.models import Issue, IssueTally

issue_policy = RegionPolicy(
    Issue, region_path="region", actions={"view": "issueboard.view", "change": "issueboard.change"}
)
tally_policy = RegionPolicy(
    IssueTally, region_path="region", actions={"view": "issueboard.view", "change": "issueboard.flag"}
)
