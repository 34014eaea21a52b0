from django.apps import AppConfig


class AppraisalsConfig(AppConfig):
    name = "cunshe.appraisals"
    verbose_name = "双评三考"
