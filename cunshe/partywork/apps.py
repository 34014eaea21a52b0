from django.apps import AppConfig


class PartyWorkConfig(AppConfig):
    name = "cunshe.partywork"
    verbose_name = "党建工作"

    def ready(self) -> None:
        from cunshe.firstsecretaries.statistics import register_statistic
        from cunshe.partywork.selectors import count_for_village

        # The first secretaries' figure of meetings is counted from the signed minutes, not typed into a report.
        register_statistic("meetings", "指导三会一课、主题党日", count_for_village, source="党建工作")
        from cunshe.deadlines.work_items import register_source
        from cunshe.partywork.work_items import due_counts, due_items, report_counts, report_items

        register_source("partywork.meetings", due_items, module="partywork", counter=due_counts)
        register_source("partywork.reports", report_items, module="partywork", counter=report_counts)
        from cunshe.partywork.services import branch_for_new_team
        from cunshe.teams.hooks import register_team_hook

        # A village's branch is tracked from its new party committee's election, opened when that team is in place.
        register_team_hook("partywork.branch", branch_for_new_team)
