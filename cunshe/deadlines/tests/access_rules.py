from cunshe.access.tests.walk import Rule
from cunshe.deadlines.models import HolidaySchedule

WEB_RULES = {
    "deadlines:holidays": Rule("signed_in"),
    # The schedule is national: only the system administrator loads it; every other account finds no such page.
    "deadlines:holidays_load": Rule("admin"),
}

API_RULES = {
    "GET /api/v1/deadlines/holidays": Rule("signed_in"),
    "POST /api/v1/deadlines/holidays": Rule(
        "admin",
        method="POST",
        body_a=lambda w: {"year": 2027, "days_off": "2027-01-01", "workdays": "", "source": "越权载入"},
        b_unchanged=lambda w: not HolidaySchedule.objects.exists(),
    ),
}
