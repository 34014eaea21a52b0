from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "cunshe.readiness"
    verbose_name = "选情评估"

    def ready(self) -> None:
        from cunshe.deadlines.daily import register_daily_job
        from cunshe.deadlines.work_items import register_source
        from cunshe.readiness.overdue import rows_overdue_refresh
        from cunshe.readiness.work_items import overdue_task_counts, overdue_task_items

        register_source("readiness.tasks", overdue_task_items, module="readiness", counter=overdue_task_counts)
        register_daily_job("readiness.overdue", rows_overdue_refresh)
