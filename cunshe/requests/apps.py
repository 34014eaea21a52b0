from django.apps import AppConfig


class RequestsConfig(AppConfig):
    # The package is cunshe.requests; every import of it is absolute, so the PyPI `requests` library (used by other
    # code and by the Open311 client in the tests) stays the top-level `requests`.
    name = "cunshe.requests"
    label = "requests"
    verbose_name = "民情诉求"

    def ready(self) -> None:
        from cunshe.partywork.hooks import set_floating_requests_source
        from cunshe.requests.selectors import raised_and_solved_by

        # 流动党员: their requests run through this pipeline; party work counts them (seed 003: 329 raised, 320 solved).
        set_floating_requests_source(raised_and_solved_by)
        from cunshe.partywork.hooks import set_floating_requests_per_person
        from cunshe.requests.selectors import raised_and_solved_per_person

        set_floating_requests_per_person(raised_and_solved_per_person)
        from cunshe.deadlines.daily import register_daily_job
        from cunshe.deadlines.work_items import register_source
        from cunshe.requests.services import daily_snapshot
        from cunshe.requests.work import request_counts, request_items

        register_daily_job("requests.daily", daily_snapshot)
        from cunshe.requests.services import team_order_done
        from cunshe.serviceteams.hooks import register_order_hook

        # 团队接单 → 结果反馈: the team's completion closes the request, a decline hands it back to the handlers.
        register_order_hook("requests", team_order_done)
        register_source("requests.due", request_items, module="requests", counter=request_counts)
