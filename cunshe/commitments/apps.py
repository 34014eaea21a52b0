from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "cunshe.commitments"
    verbose_name = "开门一件事"

    def ready(self) -> None:
        from cunshe.commitments.public import public_section
        from cunshe.commitments.work_items import commitment_items
        from cunshe.deadlines.work_items import register_source
        from cunshe.web.public import register_public_section

        register_source("commitments.due", commitment_items)
        register_public_section("commitments", public_section)
