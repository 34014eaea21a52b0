from django.apps import AppConfig


class VotersConfig(AppConfig):
    name = "cunshe.voters"
    verbose_name = "选民登记"

    def ready(self) -> None:
        from cunshe.elections.models import DIRECT_KINDS
        from cunshe.elections.sections import Section, register_section
        from cunshe.voters.public import public_section
        from cunshe.voters.sections import register_section as render_section
        from cunshe.web.public import register_public_section

        register_section(Section("register", "选民登记", 20, render_section, kinds=tuple(DIRECT_KINDS)))
        register_public_section("voters", public_section)
