from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "cunshe.teams"
    verbose_name = "两委班子"
