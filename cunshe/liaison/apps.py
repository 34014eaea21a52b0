from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "cunshe.liaison"
    verbose_name = "驻村(包村)干部"

    def ready(self) -> None:
        from cunshe.deadlines.daily import register_daily_job
        from cunshe.liaison.services import tallies_refresh_all

        # assignments start and end by date and matters close on the issue board's own pages: recount daily
        register_daily_job("liaison.tallies", lambda today: f"{tallies_refresh_all()} 个村(社区)")
