from cunshe.access.policy import RegionPolicy
from cunshe.teams.models import TeamMember

team_policy = RegionPolicy(TeamMember, region_path="region", actions={"view": "teams.view", "change": "teams.change"})
