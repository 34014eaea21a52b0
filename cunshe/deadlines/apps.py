from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "cunshe.deadlines"
    verbose_name = "期限"
