# The glossary's name (选情评估表 = readiness assessment); the table is renamed, its rows stay.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("readiness", "0001_initial")]

    operations = [
        migrations.RenameModel(old_name="Assessment", new_name="ReadinessAssessment"),
    ]
