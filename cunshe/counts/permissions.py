from cunshe.access.policy import RegionPolicy
from cunshe.counts.models import CountSummary, Sheet, SheetScan
from cunshe.elections.permissions import ELECTION_ACTIONS

# Everything hangs off the election: village cadres enter (elections.enter), the town or county settles differences,
# clears quarantine, signs off and corrects (elections.settle); supervisors read.
sheet_policy = RegionPolicy(Sheet, region_path="election__region", actions=ELECTION_ACTIONS)
scan_policy = RegionPolicy(SheetScan, region_path="sheet__election__region", actions=ELECTION_ACTIONS)
summary_policy = RegionPolicy(CountSummary, region_path="region", actions=ELECTION_ACTIONS)
