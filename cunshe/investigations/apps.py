from django.apps import AppConfig


class InvestigationsConfig(AppConfig):
    name = "cunshe.investigations"
    verbose_name = "调研组与六清"
