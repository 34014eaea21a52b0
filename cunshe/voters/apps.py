from django.apps import AppConfig


class VotersConfig(AppConfig):
    name = "cunshe.voters"
    verbose_name = "选民登记"
