from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "cunshe.candidates"
    verbose_name = "候选人"

    def ready(self) -> None:
        from cunshe.candidates.sections import register_sections

        register_sections()
