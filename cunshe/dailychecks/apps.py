from django.apps import AppConfig


class DailyChecksConfig(AppConfig):
    name = "cunshe.dailychecks"
    verbose_name = "每日必查"

    def ready(self) -> None:
        from cunshe.dailychecks.services import months_daily
        from cunshe.deadlines.daily import register_daily_job

        register_daily_job("dailychecks.open_months", lambda today: months_daily(today=today))
