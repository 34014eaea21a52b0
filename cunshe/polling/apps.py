from django.apps import AppConfig


class PollingConfig(AppConfig):
    name = "cunshe.polling"
    verbose_name = "投票"

    def ready(self) -> None:
        from cunshe.polling.sections import register_sections

        register_sections()
