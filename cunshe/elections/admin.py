from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.elections.models import CommitteeMember, Election, ElectionRules

admin.site.register(ElectionRules, ReadOnlyAdmin)
admin.site.register(Election, ReadOnlyAdmin)
admin.site.register(CommitteeMember, ReadOnlyAdmin)
