from django.apps import AppConfig


class HandoversConfig(AppConfig):
    name = "cunshe.handovers"
    verbose_name = "工作交接"

    def ready(self) -> None:
        from cunshe.deadlines.work_items import register_source
        from cunshe.handovers.sections import register_sections
        from cunshe.handovers.work_items import handover_items, leftover_items

        register_source("handovers.handovers", handover_items)
        register_source("handovers.leftovers", leftover_items)
        register_sections()
