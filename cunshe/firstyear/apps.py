from django.apps import AppConfig


class FirstYearConfig(AppConfig):
    name = "cunshe.firstyear"
    verbose_name = "开门七件事"

    def ready(self) -> None:
        from cunshe.deadlines.daily import register_daily_job
        from cunshe.deadlines.work_items import register_source
        from cunshe.firstyear.services import programmes_daily
        from cunshe.firstyear.work_items import progress_counts, progress_items

        register_source("firstyear.due", progress_items, module="firstyear", counter=progress_counts)
        register_daily_job("firstyear.open_and_sync", lambda today: programmes_daily(today=today))
