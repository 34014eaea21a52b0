from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cunshe.accounts"
    verbose_name = "账号与角色"
