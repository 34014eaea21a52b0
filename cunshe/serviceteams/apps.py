from django.apps import AppConfig


class ServiceTeamsConfig(AppConfig):
    name = "cunshe.serviceteams"
    verbose_name = "服务队"
