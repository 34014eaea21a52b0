"""The one check of a status change against a module's transition table, with the one message that says why not.

Every module keeps its table beside its model (`TRANSITIONS = {status: (allowed next, ...)}`); its services call
`check_move` before they write the new status, so a refused move reads the same everywhere:
"事项不能从“推进中”转为“已创建”（可转为：已完成、已放弃）。"
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import TextChoices

from cunshe.core.errors import IllegalTransition


def check_move(
    table: Mapping[str, Iterable[str]],
    current: str,
    target: str,
    labels: type[TextChoices],
    *,
    what: str,
) -> None:
    """Refuse `current → target` unless the table allows it (IllegalTransition, 409), naming the moves it allows.
    An unknown target (a typo in an API body) is shown as given rather than failing on its label."""
    moves = tuple(table.get(current, ()))
    if target in moves:
        return

    def label(value: str) -> str:
        return str(labels(value).label) if value in labels.values else value

    allowed = "、".join(label(s) for s in moves) or "无"
    raise IllegalTransition(f"{what}不能从“{label(current)}”转为“{label(target)}”（可转为：{allowed}）。")
