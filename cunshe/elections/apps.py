from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "cunshe.elections"
    verbose_name = "选举"

    def ready(self) -> None:
        from cunshe.deadlines.work_items import register_source
        from cunshe.elections.work_items import election_items

        register_source("elections.deadlines", election_items)
