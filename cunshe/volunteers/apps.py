from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "cunshe.volunteers"
    verbose_name = "换届志愿服务队"
