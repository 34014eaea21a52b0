from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "cunshe.decisions"
    verbose_name = "四议两公开"

    def ready(self) -> None:
        from cunshe.decisions.selectors import count_for_village
        from cunshe.firstsecretaries.statistics import register_statistic

        register_statistic("decisions", "指导四议两公开", count_for_village, source="四议两公开")
        from cunshe.decisions.public import register_sections

        register_sections()
