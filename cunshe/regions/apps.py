from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "cunshe.regions"
    verbose_name = "行政区划"
