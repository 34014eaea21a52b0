"""Count commitments per village, kind, category and year (issue 14): a village with four in 2026 and four in 2031
was counted as eight against a range of 3-5. The rows are recounted from the ledger."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models
from django.db.models import Count, Q

STATUSES = ("planned", "in_progress", "done", "overdue", "dropped")


def recount(apps: Any, schema_editor: Any) -> None:
    Commitment = apps.get_model("commitments", "Commitment")
    VillageSummary = apps.get_model("commitments", "VillageSummary")
    VillageSummary.objects.all().delete()
    counts = (
        Commitment.objects.values("region_id", "kind", "year", "category")
        .annotate(
            total=Count("id"),
            showcase=Count("id", filter=Q(is_showcase=True)),
            **{s: Count("id", filter=Q(status=s)) for s in STATUSES},
        )
        .order_by()
    )
    VillageSummary.objects.bulk_create((VillageSummary(**c) for c in counts), batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("commitments", "0002_source_visits")]

    operations = [
        migrations.RemoveConstraint(model_name="villagesummary", name="commitment_summary_unique"),
        migrations.AddField(
            model_name="villagesummary",
            name="year",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="年度"),
            preserve_default=False,
        ),
        migrations.RunPython(recount, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="villagesummary",
            constraint=models.UniqueConstraint(
                fields=("region", "kind", "year", "category"), name="commitment_summary_year_unique"
            ),
        ),
    ]
