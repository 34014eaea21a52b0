from django.apps import AppConfig


class IssueBoardConfig(AppConfig):
    name = "cunshe.issueboard"
    verbose_name = "问题清单"

    def ready(self) -> None:
        from cunshe.deadlines.daily import register_daily_job
        from cunshe.deadlines.work_items import register_source
        from cunshe.issueboard.overdue import tallies_overdue_refresh
        from cunshe.issueboard.work_items import overdue_issue_counts, overdue_issue_items

        register_daily_job("issueboard.overdue", tallies_overdue_refresh)
        register_source("issueboard.issues", overdue_issue_items, module="issueboard", counter=overdue_issue_counts)
