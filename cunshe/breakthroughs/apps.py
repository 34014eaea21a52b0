from django.apps import AppConfig


class BreakthroughsConfig(AppConfig):
    name = "cunshe.breakthroughs"
    verbose_name = "书记突破项目"
