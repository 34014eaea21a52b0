from cunshe.access.policy import RegionPolicy
from cunshe.appraisals.models import Appraisal, Inquiry, Inspection, Paper, Problem, ProblemTally, Question

_VIEW = "appraisals.view"
_MANAGE = "appraisals.manage"

# The appraisal of a village's key people is the county's and the town's confidential work: village cadres (the
# people appraised) do not read it.
appraisal_policy = RegionPolicy(Appraisal, region_path="region", actions={"view": _VIEW, "change": _MANAGE})
inquiry_policy = RegionPolicy(Inquiry, region_path="region", actions={"view": _VIEW, "change": _MANAGE})
paper_policy = RegionPolicy(Paper, region_path="region", actions={"view": _VIEW, "change": _MANAGE})
inspection_policy = RegionPolicy(Inspection, region_path="region", actions={"view": _VIEW, "change": _MANAGE})
problem_policy = RegionPolicy(Problem, region_path="region", actions={"view": _VIEW, "change": _MANAGE})
# A county's bank is used by its towns (seen from below); each keeps its own.
question_policy = RegionPolicy(
    Question, region_path="region", actions={"view": _VIEW, "change": _MANAGE}, seen_from_below=("view",)
)
tally_policy = RegionPolicy(ProblemTally, region_path="region", actions={"view": _VIEW}, seen_from_below=("view",))
