from cunshe.access.policy import RegionPolicy
from cunshe.records.models import RecordEntry

record_policy = RegionPolicy(RecordEntry, region_path="region", actions={"view": "records.view"})
