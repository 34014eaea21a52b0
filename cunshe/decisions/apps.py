from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "cunshe.decisions"
    verbose_name = "四议两公开"

    def ready(self) -> None:
        from cunshe.decisions.public import register_sections

        register_sections()
