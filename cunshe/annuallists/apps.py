from django.apps import AppConfig


class AnnualListsConfig(AppConfig):
    name = "cunshe.annuallists"
    verbose_name = "初心清单"

    def ready(self) -> None:
        from cunshe.annuallists.public import public_section
        from cunshe.web.public import register_public_section

        register_public_section("annuallists", public_section)
