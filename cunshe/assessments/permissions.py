from typing import Any

from django.http import Http404

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


def weights_county_or_404(user: Any, code: str) -> Any:
    """The county whose weights the user may set; any other is a 404 (pages and API alike)."""
    from cunshe.regions.models import Level, Region

    weights_policy.check_in_region(user, "change", code, message="您无权设置两票一度权重。")
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None:
        raise Http404("未找到该县。")
    return county


def assessment_region_or_404(user: Any, code: str, *levels: int) -> Any:
    """A region of one of `levels` whose assessments the user sees; any other is a 404 (pages and API alike)."""
    from cunshe.regions.selectors import region_kept

    if not assessment_policy.can_in_region(user, "view", code):
        raise Http404("未找到该区域。")
    region = region_kept(code)  # kept per process while its chains stand still (issue 15)
    if region is None or region.level not in levels:
        raise Http404("未找到该区域。")
    return region


def summary_region_or_404(user: Any, code: str) -> Any:
    """The county or town whose roll-up the user may read (the summary rows, not one village's assessment)."""
    from cunshe.regions.models import Level

    place = assessment_region_or_404(user, code, Level.COUNTY, Level.TOWN)
    if not summary_policy.can_in_region(user, "view", code):
        raise Http404("未找到该区域。")
    return place
