from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cunshe.accounts"
    verbose_name = "账号与角色"

    def ready(self) -> None:
        from cunshe.accounts.work_items import first_password_items
        from cunshe.deadlines.work_items import register_source

        register_source("accounts.first_password", first_password_items)
