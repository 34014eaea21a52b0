from cunshe.access.policy import RegionPolicy
from cunshe.assessments.models import AssessmentWeights, Poll, SupportPoll, TrustAssessment, VillageSummary

_ACTIONS = {"view": "assessments.view", "change": "assessments.change"}

weights_policy = RegionPolicy(
    AssessmentWeights,
    region_path="county",
    actions={"view": "assessments.view", "change": "assessments.set_weights"},
    seen_from_below=("view",),
)
assessment_policy = RegionPolicy(TrustAssessment, region_path="region", actions=_ACTIONS)
poll_policy = RegionPolicy(Poll, region_path="assessment__region", actions=_ACTIONS)
summary_policy = RegionPolicy(VillageSummary, region_path="region", actions=_ACTIONS)
support_policy = RegionPolicy(SupportPoll, region_path="region", actions=_ACTIONS)
