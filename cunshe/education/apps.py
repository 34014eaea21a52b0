from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "cunshe.education"
    verbose_name = "集中教育"
