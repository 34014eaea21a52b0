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
