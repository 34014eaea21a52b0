from cunshe.access.policy import RegionPolicy
from cunshe.directory.models import Entry

# A county's entries are kept by its organizers, a town's by its officers (and the county), a village's by its
# cadres (and the town and the county): the entry belongs to the region of the unit it lists.
entry_policy = RegionPolicy(
    Entry, region_path="region", actions={"view": "directory.view", "change": "directory.change"}
)
