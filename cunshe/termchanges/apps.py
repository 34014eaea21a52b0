from django.apps import AppConfig


class TermChangesConfig(AppConfig):
    name = "cunshe.termchanges"
    verbose_name = "换届"

    def ready(self) -> None:
        from cunshe.deadlines.work_items import register_source
        from cunshe.termchanges.work_items import milestone_items

        register_source("termchanges.milestones", milestone_items)
