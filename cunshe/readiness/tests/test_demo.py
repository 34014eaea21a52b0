from typing import Any

from conftest import VILLAGE_A, VILLAGE_B
from cunshe.readiness.demo import build_demo
from cunshe.readiness.models import Task, TemplateTask
from cunshe.readiness.services import DEFAULT_TEMPLATE, template_of
from cunshe.records.verification import verify_all


def test_the_demo_county_corrects_its_template_after_the_villages_made_their_plans(
    term_change: Any, make_person: Any
) -> None:
    for village in (VILLAGE_A, VILLAGE_B):
        make_person(village)
    build_demo(seed=2026)
    template = list(TemplateTask.objects.order_by("position"))
    assert len(template) == len(DEFAULT_TEMPLATE)
    assert [t.title for t in template if not t.is_active] == ["选情评估、沙盘推演"]
    assert ("入户宣传“一肩挑”政策和换届纪律", 25) in template_of(term_change)
    # The villages' plans were made before and keep every task of the default.
    assert Task.objects.filter(region_id=VILLAGE_A).count() == len(DEFAULT_TEMPLATE)
    versions = [(t.pk, t.version) for t in template]
    build_demo(seed=2026)
    assert [(t.pk, t.version) for t in TemplateTask.objects.order_by("position")] == versions
    assert verify_all()[1] == []
