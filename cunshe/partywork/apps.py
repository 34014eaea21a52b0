from django.apps import AppConfig


class PartyWorkConfig(AppConfig):
    name = "cunshe.partywork"
    verbose_name = "党建工作"

    def ready(self) -> None:
        from cunshe.deadlines.work_items import register_source
        from cunshe.partywork.work_items import due_counts, due_items, report_counts, report_items

        register_source("partywork.meetings", due_items, module="partywork", counter=due_counts)
        register_source("partywork.reports", report_items, module="partywork", counter=report_counts)
