from django.apps import AppConfig


class NegativeListConfig(AppConfig):
    name = "cunshe.negativelist"
    verbose_name = "负面清单"
