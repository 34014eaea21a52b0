from cunshe.access.policy import RegionPolicy
from cunshe.candidates.models import Candidate, NominationSheet
from cunshe.elections.permissions import ELECTION_ACTIONS

# Everything here hangs off an election: the town runs it (change), village cadres and election committee members
# enter the nomination tally sheet they are given (enter), supervisors read.
candidate_policy = RegionPolicy(Candidate, region_path="election__region", actions=ELECTION_ACTIONS)
sheet_policy = RegionPolicy(NominationSheet, region_path="election__region", actions=ELECTION_ACTIONS)
