from django.apps import AppConfig


class CommandConfig(AppConfig):
    name = "cunshe.command"
    verbose_name = "换届作战图"
