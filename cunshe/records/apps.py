from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "cunshe.records"
    verbose_name = "换届全程记录本"
