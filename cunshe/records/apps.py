from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "cunshe.records"
    verbose_name = "换届全程记录本"

    def ready(self) -> None:
        from cunshe.deadlines.daily import register_daily_job
        from cunshe.records.anchors import daily_anchor

        register_daily_job("records.anchor", daily_anchor)
