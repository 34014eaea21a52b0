from django.apps import AppConfig


class OfflineConfig(AppConfig):
    name = "cunshe.offline"
    verbose_name = "离线填报"
