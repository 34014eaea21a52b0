from django.apps import AppConfig


class PollingConfig(AppConfig):
    name = "cunshe.polling"
    verbose_name = "投票"
