from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "cunshe.candidates"
    verbose_name = "候选人"
