# The glossary's name (两票一度 = trust assessment); the table is renamed, its rows and the polls and results that
# point at them stay.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [
        migrations.RenameModel(old_name="Assessment", new_name="TrustAssessment"),
    ]
