from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "cunshe.disclosures"
    verbose_name = "党务村务财务公开"

    def ready(self) -> None:
        from cunshe.disclosures.selectors import count_for_village
        from cunshe.firstsecretaries.statistics import register_statistic

        register_statistic("disclosures", "党务村务财务公开", count_for_village, source="村务公开")
        from cunshe.deadlines.daily import register_daily_job
        from cunshe.deadlines.work_items import register_source
        from cunshe.disclosures.public import register_sections
        from cunshe.disclosures.services import obligations_daily
        from cunshe.disclosures.work_items import obligation_counts, obligation_items

        register_source("disclosures.due", obligation_items, module="disclosures", counter=obligation_counts)
        register_daily_job("disclosures.obligations", lambda today: obligations_daily(today=today))
        register_sections()
