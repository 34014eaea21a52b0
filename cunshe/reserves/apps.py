from django.apps import AppConfig


class ReservesConfig(AppConfig):
    name = "cunshe.reserves"
    verbose_name = "后备干部与人选库"
