from datetime import date

from django.db import migrations, models
from django.db.models import Count


def count_overdue(apps, schema_editor):
    """Rows that exist already get today's count; from now on the services and `cunshe daily` keep it."""
    Task = apps.get_model("readiness", "Task")
    Readiness = apps.get_model("readiness", "Readiness")
    late = (
        Task.objects.filter(due_on__lt=date.today())
        .exclude(status="done")
        .values("term_change_id", "region_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in late:
        Readiness.objects.filter(term_change_id=row["term_change_id"], region_id=row["region_id"]).update(
            tasks_overdue=row["n"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("readiness", "0002_rename_assessment_readinessassessment"),
    ]

    operations = [
        migrations.AddField(
            model_name="readiness",
            name="tasks_overdue",
            field=models.PositiveIntegerField(default=0, verbose_name="逾期事项"),
        ),
        migrations.RunPython(count_overdue, migrations.RunPython.noop),
    ]
