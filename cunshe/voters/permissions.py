from cunshe.access.policy import RegionPolicy
from cunshe.elections.permissions import ELECTION_ACTIONS
from cunshe.voters.models import Objection, Register, Voter

# The register hangs off its election: town officers run it (publish, decide objections, amend after the freeze),
# village cadres enter it (build, add, remove, import, file objections), supervisors read it.
register_policy = RegionPolicy(Register, region_path="election__region", actions=ELECTION_ACTIONS)
voter_policy = RegionPolicy(Voter, region_path="register__election__region", actions=ELECTION_ACTIONS)
objection_policy = RegionPolicy(Objection, region_path="register__election__region", actions=ELECTION_ACTIONS)
