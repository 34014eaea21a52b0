from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "cunshe.surveys"
    verbose_name = "民意调查与满意度测评"
