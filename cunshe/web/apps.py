from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cunshe.web"
    verbose_name = "网页外壳"
