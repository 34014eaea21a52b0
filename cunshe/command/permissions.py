"""Who opens the command view (换届作战图): county organizers for their county (and its towns), town officers for
their town. A region outside the user's is a 404 like any record; village cadres hold no grant at all."""

from cunshe.access.policy import RegionPolicy
from cunshe.regions.models import Region

command_policy = RegionPolicy(Region, region_path="code", actions={"view": "command.view"})
