"""Who sees what: field staff read the teams and checklists of their regions; the county and the towns form teams
and run the clearing (a village's own cadres are the ones investigated, so they read but do not clear)."""

from __future__ import annotations

from cunshe.access.policy import RegionPolicy
from cunshe.investigations.models import ClearingItem, ClearingTally, InvestigationTeam, WorkLog

_VIEW = "investigations.view"
_CHANGE = "investigations.change"

team_policy = RegionPolicy(InvestigationTeam, region_path="region", actions={"view": _VIEW, "change": _CHANGE})
item_policy = RegionPolicy(ClearingItem, region_path="region", actions={"view": _VIEW, "change": _CHANGE})
log_policy = RegionPolicy(WorkLog, region_path="region", actions={"view": _VIEW, "change": _CHANGE})
tally_policy = RegionPolicy(ClearingTally, region_path="region", actions={"view": _VIEW, "change": _CHANGE})
