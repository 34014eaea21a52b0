from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "cunshe.visits"
    verbose_name = "走访"
