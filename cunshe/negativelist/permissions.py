from cunshe.access.policy import RegionPolicy
from cunshe.negativelist.models import NegativeEntry

# "flag" is the yes/no that a person has an unresolved entry, shown to everyone working on people; "view" the
# details, for county organizers and discipline supervisors only.
entry_policy = RegionPolicy(
    NegativeEntry,
    region_path="region",
    actions={"flag": "negativelist.flag", "view": "negativelist.view", "change": "negativelist.change"},
)
