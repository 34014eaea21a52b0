from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cunshe.web"
    verbose_name = "网页外壳"

    def ready(self) -> None:
        from django.db.models import fields

        from cunshe.core import checks  # noqa: F401  (registers the system checks)

        # Django 6.1's new empty choice, "- Select an option -", has no Chinese translation yet; Django's documented
        # way to change it is to set it here.
        fields.BLANK_CHOICE_LABEL = "— 请选择 —"
