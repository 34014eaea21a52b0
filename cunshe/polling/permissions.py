from cunshe.access.policy import RegionPolicy
from cunshe.elections.permissions import ELECTION_ACTIONS
from cunshe.polling.models import Proxy, Station

# Polling hangs off its election: the town runs it (change), everyone working on elections reads it (view).
station_policy = RegionPolicy(Station, region_path="election__region", actions=ELECTION_ACTIONS)
proxy_policy = RegionPolicy(Proxy, region_path="election__region", actions=ELECTION_ACTIONS)
