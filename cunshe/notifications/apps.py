from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "cunshe.notifications"
    verbose_name = "通知"
