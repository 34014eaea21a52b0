from typing import Any

from django.http import Http404

from cunshe.access.policy import RegionPolicy
from cunshe.readiness.models import Intent, PlanItem, Readiness, ReadinessAssessment, Task, TemplateTask

_ACTIONS = {"view": "readiness.view", "change": "readiness.change"}

assessment_policy = RegionPolicy(ReadinessAssessment, region_path="region", actions=_ACTIONS)
plan_item_policy = RegionPolicy(PlanItem, region_path="region", actions=_ACTIONS)
task_policy = RegionPolicy(Task, region_path="region", actions=_ACTIONS)
intent_policy = RegionPolicy(Intent, region_path="region", actions=_ACTIONS)
readiness_policy = RegionPolicy(Readiness, region_path="region", actions=_ACTIONS)
template_policy = RegionPolicy(
    TemplateTask,
    region_path="county",
    actions={"view": "readiness.view", "change": "readiness.template"},
    seen_from_below=("view",),
)


def template_county_or_404(user: Any, code: str) -> Any:
    """The county whose election work plan template the user may set; any other is a 404 (pages and API alike)."""
    from cunshe.regions.models import Level, Region

    county = Region.objects.filter(code=code[:6], level=Level.COUNTY).first()
    if county is None:
        raise Http404("未找到该县。")
    template_policy.check_in_region(
        user, "change", county.code, message="您无权修改选务作战图模板。", missing="未找到该县。"
    )
    return county


def template_task_or_404(user: Any, pk: int) -> TemplateTask:
    """A task of a template the user may set. For anyone else it does not exist, as with the template pages: a town
    officer reads the county's template only through the work plans made from it."""
    try:
        return template_policy.visible_to(user, "change").select_related("county").get(pk=pk)
    except TemplateTask.DoesNotExist as exc:
        raise Http404("未找到该模板事项。") from exc
