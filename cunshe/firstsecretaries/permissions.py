from cunshe.access.policy import RegionPolicy
from cunshe.firstsecretaries.models import LogEntry, Posting, Report, Tally

_VIEW = "firstsecretaries.view"

# Everything belongs to the village the secretary is posted to: the secretary (an account at that village) sees and
# writes their own, the town its villages', the county all. Postings are made by the county or the town.
posting_policy = RegionPolicy(
    Posting, region_path="village", actions={"view": _VIEW, "change": "firstsecretaries.post"}
)
log_policy = RegionPolicy(LogEntry, region_path="village", actions={"view": _VIEW, "change": "firstsecretaries.write"})
report_policy = RegionPolicy(
    Report,
    region_path="village",
    actions={"view": _VIEW, "change": "firstsecretaries.write", "acknowledge": "firstsecretaries.acknowledge"},
)
tally_policy = RegionPolicy(Tally, region_path="village", actions={"view": _VIEW})
