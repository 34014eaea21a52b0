from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "cunshe.liaison"
    verbose_name = "驻村(包村)干部"

    def ready(self) -> None:
        from cunshe.deadlines.daily import register_daily_job
        from cunshe.issueboard.hooks import register_issue_hook
        from cunshe.liaison.services import matters_recount, tallies_refresh_all

        # assignments start and end by date and matters close on the issue board's own pages: recount daily
        register_daily_job("liaison.tallies", lambda today: f"{tallies_refresh_all()} 个村(社区)")
        # a matter moved or closed on the board's own pages recounts the village's tally in the same transaction
        register_issue_hook("liaison.matters", lambda issue: matters_recount(issue.region_id))
