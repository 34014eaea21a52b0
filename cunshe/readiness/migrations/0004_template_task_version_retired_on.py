from django.db import migrations, models


class Migration(migrations.Migration):
    """Template tasks become editable (a version, starting at 1 for the rows there are) and can be taken out of the
    template without losing their row (停用日期; none means in use)."""

    dependencies = [
        ("readiness", "0003_readiness_tasks_overdue"),
    ]

    operations = [
        migrations.AddField(
            model_name="templatetask",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="版本"),
        ),
        migrations.AddField(
            model_name="templatetask",
            name="retired_on",
            field=models.DateField(blank=True, null=True, verbose_name="停用日期"),
        ),
    ]
