"""The record book's before/after values as Chinese prose: entries keep plain JSON (lists, ISO dates, true/false)
for the API and `records verify`; a person reads 新增：赵庆晓、王五, not ['赵庆晓', '王五']."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone

register = template.Library()

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def prose_of(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "（空）"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, list | tuple):
        return "、".join(prose_of(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}：{prose_of(v)}" for k, v in value.items())
    if isinstance(value, str) and _DATETIME.match(value):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
    if isinstance(value, str) and _DATE.match(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        return f"{day.year}年{day.month}月{day.day}日"
    return str(value)


@register.filter
def prose(value: Any) -> str:
    return prose_of(value)


@register.filter
def changes(entry: Any) -> list[tuple[str, str | None, str]]:
    """(field, before as prose or None when it was not recorded, after as prose) for every field of the entry."""
    before: dict[str, Any] = entry.before or {}
    after: dict[str, Any] = entry.after or {}
    keys = list(after) + [k for k in before if k not in after]
    return [(k, prose_of(before[k]) if k in before else None, prose_of(after.get(k))) for k in keys]
