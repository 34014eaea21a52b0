from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "cunshe.people"
    verbose_name = "人员信息"
