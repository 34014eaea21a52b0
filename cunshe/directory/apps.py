from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "cunshe.directory"
    verbose_name = "领导干部电话公开"
