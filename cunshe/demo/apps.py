from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cunshe.demo"
    verbose_name = "演示数据"
