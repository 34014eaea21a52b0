"""The rename to the glossary's name keeps the rows: filed before, they read the same after, both ways."""

from datetime import date
from typing import Any

import pytest
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from conftest import COUNTY, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.readiness.models import ReadinessAssessment, TemplateTask
from cunshe.readiness.services import assessment_file, template_of, template_task_update
from cunshe.termchanges.services import term_change_open

pytestmark = pytest.mark.django_db(transaction=True)


# The model's name before the rename; the old state knows it, the type checker's model registry does not.
OLD_NAME = "Assessment"


def migrate_to(app: str, name: str) -> Apps:
    """Migrate one app to a migration and give the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate([(app, name)])
    return MigrationExecutor(connection).loader.project_state([(app, name)]).apps


def latest(app: str) -> str:
    return max(n for a, n in MigrationExecutor(connection).loader.graph.leaf_nodes() if a == app)


def test_renaming_assessment_to_readiness_assessment_keeps_the_filings(zouping: Any) -> None:
    term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    filed = assessment_file(
        actor=SYSTEM, village_code=VILLAGE_A, assessed_on=date(2026, 10, 1), stability="weak", risk="red", note="宗族"
    )
    last = latest("readiness")
    old = migrate_to("readiness", "0001_initial").get_model("readiness", OLD_NAME)
    assert list(old.objects.values_list("pk", "region_id", "risk", "note")) == [(filed.pk, VILLAGE_A, "red", "宗族")]
    migrate_to("readiness", last)
    again = ReadinessAssessment.objects.get()
    assert (again.pk, again.region_id, again.risk, again.note) == (filed.pk, VILLAGE_A, "red", "宗族")
    assessment_file(actor=SYSTEM, village_code=VILLAGE_A, assessed_on=date(2026, 10, 2), stability="fair", risk="green")
    assert ReadinessAssessment.objects.count() == 2


def test_template_tasks_set_before_they_became_editable_start_at_version_one_and_in_use(zouping: Any) -> None:
    term_change = term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    last = latest("readiness")
    old = migrate_to("readiness", "0003_readiness_tasks_overdue").get_model("readiness", "TemplateTask")
    old.objects.create(term_change_id=term_change.pk, county_id=COUNTY, position=1, title="入户宣传", offset_days=20)
    migrate_to("readiness", last)
    task = TemplateTask.objects.get()
    assert (task.title, task.version, task.retired_on) == ("入户宣传", 1, None)
    assert template_of(term_change) == [("入户宣传", 20)]
    template_task_update(actor=SYSTEM, task=task, expected_version=1, title="入户宣传“一肩挑”政策", offset_days=20)
    assert TemplateTask.objects.get().version == 2
