from datetime import date

from django.db import migrations, models
from django.db.models import Count


def count_overdue(apps, schema_editor):
    """Rows that exist already get today's count; from now on the services and `cunshe daily` keep it."""
    Issue = apps.get_model("issueboard", "Issue")
    IssueTally = apps.get_model("issueboard", "IssueTally")
    late = (
        Issue.objects.filter(status__in=("open", "in_progress"), due_on__lt=date.today())
        .values("term_change_id", "region_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in late:
        IssueTally.objects.filter(term_change_id=row["term_change_id"], region_id=row["region_id"]).update(
            overdue=row["n"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("issueboard", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="issuetally",
            name="overdue",
            field=models.PositiveIntegerField(default=0, verbose_name="已逾期"),
        ),
        migrations.RunPython(count_overdue, migrations.RunPython.noop),
    ]
