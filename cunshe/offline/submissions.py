"""Submit once per client id: the shared rule that makes a phone's resend harmless.

A phone that loses the signal after the server saved an entry but before it heard the answer sends the entry again;
the entry carries the UUID the phone gave it when it was written, and the server answers the resend with the record
the first send created. Pages (cunshe/offline/queued.py) and the JSON API both go through `submit_once`, around the
same service call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast
from uuid import UUID

from django.apps import apps
from django.db import IntegrityError, models, transaction

from cunshe.core.actors import Actor, user_of
from cunshe.core.errors import DomainError
from cunshe.offline.models import ClientSubmission


def parse_client_id(value: Any) -> UUID | None:
    """The client id a page posted: empty is none (an ordinary form post), anything but a UUID is refused."""
    if value in (None, ""):
        return None
    try:
        return UUID(str(value))
    except ValueError:
        raise DomainError("客户端编号格式有误，未保存。", {"client_id": ["应为 UUID。"]}) from None


def _first_result(submission: ClientSubmission, kind: str) -> Any:
    if submission.kind != kind:
        raise DomainError("该客户端编号已用于另一类提交，未保存。", {"client_id": ["请勿重复使用客户端编号。"]})
    return apps.get_model(submission.model)._default_manager.get(pk=submission.object_pk)


def submit_once[T: models.Model](
    *, actor: Actor, client_id: UUID | None, kind: str, create: Callable[[], T]
) -> tuple[T, bool]:
    """Run `create` (a service call) unless this user already submitted `client_id`; return the record and whether
    this call created it. The record and its client id commit together or not at all, so a refused or failed
    submission leaves the id free for the corrected resend. The system actor and a post without an id are never
    deduplicated (nothing to key them by)."""
    user = user_of(actor)
    if client_id is None or user is None:
        return create(), True
    with transaction.atomic():
        found = ClientSubmission.objects.filter(user=user, client_id=client_id).first()
        if found is not None:
            return cast(T, _first_result(found, kind)), False
        try:
            with transaction.atomic():
                created = create()
                ClientSubmission.objects.create(
                    user=user,
                    client_id=client_id,
                    kind=kind,
                    model=created._meta.label,
                    object_pk=str(created.pk),
                )
        except IntegrityError:
            # Two sends of one entry at once (two tabs, or a retry while the first was still running): the other
            # committed first; its record is the answer. Any other integrity error is not ours to hide.
            found = ClientSubmission.objects.filter(user=user, client_id=client_id).first()
            if found is None:
                raise
            return cast(T, _first_result(found, kind)), False
    return created, True
