"""ID numbers typed with full-width digits were stored as typed (issue 14), so the same number could be registered
twice. Store them as ASCII (NFKC), as parse() now does. A number whose ASCII form is already registered for another
person is left as it is: those are the duplicates a person must resolve (merge or correct), not a migration."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db import migrations


def to_ascii(apps: Any, schema_editor: Any) -> None:
    Person = apps.get_model("people", "Person")
    wide = [p for p in Person.objects.only("id", "id_number").iterator() if not p.id_number.isascii()]
    for person in wide:
        number = unicodedata.normalize("NFKC", person.id_number).strip().upper()
        if number.isascii() and not Person.objects.filter(id_number=number).exclude(pk=person.pk).exists():
            Person.objects.filter(pk=person.pk).update(id_number=number)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_relation")]

    operations = [migrations.RunPython(to_ascii, migrations.RunPython.noop)]
