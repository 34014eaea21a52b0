from cunshe.access.policy import RegionPolicy
from cunshe.regions.models import Region

region_policy = RegionPolicy(Region, region_path="code", actions={"view": "regions.view"})
