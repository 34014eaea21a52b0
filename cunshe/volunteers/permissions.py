"""Who sees what: staff by region. The village (its cadres, its first secretary) and the town keep the teams, the
members and the activities; a town imports its villages' rosters; the county reads the roll-up."""

from __future__ import annotations

from cunshe.access.policy import RegionPolicy
from cunshe.volunteers.models import VolunteerActivity, VolunteerMember, VolunteerSummary, VolunteerTeam

_ACTIONS = {"view": "volunteers.view", "change": "volunteers.change"}

team_policy = RegionPolicy(VolunteerTeam, region_path="region", actions=_ACTIONS)
member_policy = RegionPolicy(VolunteerMember, region_path="team__region", actions=_ACTIONS)
activity_policy = RegionPolicy(VolunteerActivity, region_path="region", actions=_ACTIONS)
summary_policy = RegionPolicy(VolunteerSummary, region_path="region", actions=_ACTIONS)
