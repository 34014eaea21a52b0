from cunshe.access.policy import RegionPolicy
from cunshe.reserves.models import CandidateEntry, ReserveCadre

_ACTIONS = {"view": "reserves.view", "change": "reserves.change"}

reserve_policy = RegionPolicy(ReserveCadre, region_path="region", actions=_ACTIONS)
candidate_policy = RegionPolicy(CandidateEntry, region_path="region", actions=_ACTIONS)
