from django.apps import AppConfig


class CareListConfig(AppConfig):
    name = "cunshe.carelist"
    verbose_name = "暖心清单"

    def ready(self) -> None:
        from cunshe.carelist.services import months_daily
        from cunshe.carelist.work_items import month_counts, month_items
        from cunshe.deadlines.daily import register_daily_job
        from cunshe.deadlines.work_items import register_source

        register_source("carelist.months", month_items, module="carelist", counter=month_counts)
        register_daily_job("carelist.open_months", lambda today: months_daily(today=today))
