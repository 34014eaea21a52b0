from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "cunshe.visits"
    verbose_name = "走访"

    def ready(self) -> None:
        from cunshe.assessments.rates import register_opinion_source
        from cunshe.visits.selectors import support_counts

        register_opinion_source(support_counts)
