from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "cunshe.eligibility"
    verbose_name = "任职资格"
