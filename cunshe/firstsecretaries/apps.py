from django.apps import AppConfig


class FirstSecretariesConfig(AppConfig):
    name = "cunshe.firstsecretaries"
    verbose_name = "第一书记"

    def ready(self) -> None:
        from cunshe.deadlines.daily import register_daily_job
        from cunshe.deadlines.work_items import register_source
        from cunshe.firstsecretaries.services import statistics_refresh_all
        from cunshe.firstsecretaries.work_items import report_counts, report_items

        register_source("firstsecretaries.reports", report_items, module="firstsecretaries", counter=report_counts)
        # counted figures (visits, reserves, …) move without a report: refresh the roll-up rows daily
        register_daily_job("firstsecretaries.statistics", lambda today: f"{statistics_refresh_all(today=today)} 个派驻")
