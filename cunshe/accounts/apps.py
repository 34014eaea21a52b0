from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cunshe.accounts"
    verbose_name = "账号与角色"

    def ready(self) -> None:
        from cunshe.accounts.work_items import first_password_items
        from cunshe.deadlines.work_items import register_source

        register_source("accounts.first_password", first_password_items)

        from cunshe.accounts.sessions import sessions_expired_clear
        from cunshe.deadlines.daily import register_daily_job

        register_daily_job("accounts.sessions", lambda today: sessions_expired_clear())

        from django.contrib.auth.signals import user_logged_in

        from cunshe.accounts.middleware import stamp_session_on_login

        user_logged_in.connect(stamp_session_on_login, dispatch_uid="cunshe.accounts.session_stamp")
