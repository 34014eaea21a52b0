from django.apps import AppConfig


class TalksConfig(AppConfig):
    name = "cunshe.talks"
    verbose_name = "点评谈心"

    def ready(self) -> None:
        from cunshe.deadlines.work_items import register_source
        from cunshe.talks.work_items import followup_counts, followup_items

        register_source("talks.followups", followup_items, module="talks", counter=followup_counts)
