"""The service team a request is assigned to becomes a real reference (it was a bare id kept for the module built
beside this one). The column keeps its name and values: rename the field, then make it a foreign key."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("requests", "0001_initial"),
        ("serviceteams", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="request", old_name="assignee_team_id", new_name="assignee_team"),
        migrations.AlterField(
            model_name="request",
            name="assignee_team",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="serviceteams.serviceteam",
                verbose_name="承办服务队",
            ),
        ),
    ]
