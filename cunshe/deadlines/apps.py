from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "cunshe.deadlines"
    verbose_name = "期限"

    def ready(self) -> None:
        from cunshe.deadlines import checks  # noqa: F401  (registers the holiday-schedule check)
