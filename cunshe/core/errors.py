"""Domain errors: raised by services, turned into form errors on pages and into JSON errors by the API."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """A rule of the domain was broken. `message` is Chinese and shown to the user as is."""

    status_code = 400

    def __init__(self, message: str, field_errors: Mapping[str, Sequence[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors: dict[str, list[str]] = {k: list(v) for k, v in (field_errors or {}).items()}

    @property
    def text(self) -> str:
        """The whole refusal as one line (a page's message bar, a command's output, a test's match): the summary,
        then each field's reason not already in it."""
        details = [m for ms in self.field_errors.values() for m in ms if m not in self.message]
        return "".join([self.message, *dict.fromkeys(details)])

    def __str__(self) -> str:
        return self.text


class NotPermitted(DomainError, PermissionDenied):
    """The object is visible to the user but the role does not allow this action on it. Also a PermissionDenied,
    so that a view which lets it through answers with the 403 page (the API maps it as a DomainError first)."""

    status_code = 403

    def __init__(self, message: str = "您的角色无权执行此操作。") -> None:
        super().__init__(message)


class ConcurrentEdit(DomainError):
    """Someone else saved the record after this user loaded it; nothing was saved."""

    status_code = 409

    def __init__(self, message: str = "该记录已被他人修改，请刷新页面后重新编辑。您的修改未保存。") -> None:
        super().__init__(message)


class IllegalTransition(DomainError):
    status_code = 409


def validation_messages(error: Exception) -> tuple[str, dict[str, list[str]]]:
    """Flatten a Django ValidationError into (summary, field errors) with Chinese messages."""
    from django.core.exceptions import ValidationError

    if not isinstance(error, ValidationError):
        return str(error), {}
    if hasattr(error, "error_dict"):
        fields = {name: [str(m) for e in errs for m in e.messages] for name, errs in error.error_dict.items()}
        first = next(iter(fields.values()), ["数据有误"])[0]
        return f"提交的数据有误：{first}", fields
    return "；".join(error.messages), {}
