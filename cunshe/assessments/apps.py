from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "cunshe.assessments"
    verbose_name = "两票一度测评"
