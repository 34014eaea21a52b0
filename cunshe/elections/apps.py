from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "cunshe.elections"
    verbose_name = "选举"
