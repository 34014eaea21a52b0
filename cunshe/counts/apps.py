from django.apps import AppConfig


class CountsConfig(AppConfig):
    name = "cunshe.counts"
    verbose_name = "计票"

    def ready(self) -> None:
        from cunshe.counts.sections import register

        register()
