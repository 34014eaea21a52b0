from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    name = "cunshe.trainings"
    verbose_name = "任职培训"
