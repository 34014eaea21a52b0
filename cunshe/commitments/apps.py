from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "cunshe.commitments"
    verbose_name = "开门一件事"

    def ready(self) -> None:
        from cunshe.commitments.public import public_section
        from cunshe.commitments.services import commitments_mark_overdue
        from cunshe.commitments.work_items import commitment_counts, commitment_items
        from cunshe.deadlines.daily import register_daily_job
        from cunshe.deadlines.work_items import register_source
        from cunshe.web.public import register_public_section

        register_source("commitments.due", commitment_items, module="commitments", counter=commitment_counts)
        register_public_section("commitments", public_section)
        register_daily_job(
            "commitments.overdue", lambda today: f"标记逾期开门一件事 {commitments_mark_overdue(today=today)} 件"
        )
