from typing import Any

from django.http import Http404

from cunshe.access.policy import RegionPolicy
from cunshe.commitments.models import (
    CaseSending,
    Commitment,
    CountyRules,
    Finding,
    Inspection,
    ProgressUpdate,
    SelfCheck,
    TargetLetter,
    TownVisit,
    VillageSummary,
)

_ACTIONS = {"view": "commitments.view", "change": "commitments.change", "showcase": "commitments.showcase"}

commitment_policy = RegionPolicy(Commitment, region_path="region", actions=_ACTIONS)
progress_policy = RegionPolicy(ProgressUpdate, region_path="commitment__region", actions=_ACTIONS)
summary_policy = RegionPolicy(VillageSummary, region_path="region", actions={"view": "commitments.view"})
letter_policy = RegionPolicy(
    TargetLetter, region_path="region", actions={"view": "commitments.view", "change": "commitments.sign"}
)
# The county's rules and inspections are read by everyone working under it and changed by the county.
rules_policy = RegionPolicy(
    CountyRules,
    region_path="county",
    actions={"view": "commitments.view", "change": "commitments.configure"},
    seen_from_below=("view",),
)
inspection_policy = RegionPolicy(
    Inspection,
    region_path="county",
    actions={"view": "commitments.view", "change": "commitments.inspect"},
    seen_from_below=("view",),
)
finding_policy = RegionPolicy(
    Finding,
    region_path="region",
    actions={"view": "commitments.view", "change": "commitments.inspect", "rectify": "commitments.change"},
)


def rules_county_or_404(user: Any, code: str) -> Any:
    """The county whose commitment rules the user reads; any other region is a 404 (pages and API alike)."""
    from cunshe.regions.models import Level, Region

    if not rules_policy.can_in_region(user, "view", code):
        raise Http404("未找到该县。")
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None:
        raise Http404("未找到该县。")
    return county


# Three-level responsibility: the village self-checks (whoever may change its ledger), the town records its visits
# (seen by the town and above: a visit's findings name villages of the whole town), showcase cases are sent by those
# who choose them.
self_check_policy = RegionPolicy(
    SelfCheck, region_path="region", actions={"view": "commitments.view", "change": "commitments.change"}
)
town_visit_policy = RegionPolicy(
    TownVisit, region_path="town", actions={"view": "commitments.view", "change": "commitments.supervise"}
)
sending_policy = RegionPolicy(
    CaseSending, region_path="region", actions={"view": "commitments.view", "change": "commitments.showcase"}
)


def three_level_region_or_404(user: Any, code: str) -> Any:
    """The county or town whose three-level table the user reads (pages and API alike); anything else is a 404."""
    from cunshe.regions.models import Level

    region = summary_policy.rollup_region(user, code, fallback=False)
    if region.level not in (Level.COUNTY, Level.TOWN):
        raise Http404("三级责任汇总按县(市、区)或乡镇(街道)查看。")
    return region
