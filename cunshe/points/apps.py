from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "cunshe.points"
    verbose_name = "信用+积分"
