from django.apps import AppConfig


class IssueBoardConfig(AppConfig):
    name = "cunshe.issueboard"
    verbose_name = "问题清单"
