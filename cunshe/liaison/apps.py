from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "cunshe.liaison"
    verbose_name = "驻村(包村)干部"
