from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.people.models import Person


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["name", "gender", "birth_date", "region", "is_party_member"]
    search_fields = ["name"]
    exclude = ["id_number"]
