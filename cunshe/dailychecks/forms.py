from __future__ import annotations

from typing import Any

from django import forms

from cunshe.dailychecks.models import ITEM_KEYS, Area, ItemKey, MeasureStatus
from cunshe.dailychecks.services import ItemAnswer

DATE = forms.DateInput(attrs={"type": "date"})
ANSWERS = (("ok", "正常"), ("problem", "有问题"))


class CheckForm(forms.Form):
    """The phone form of the four must-checks: one big choice per item, a note and "send to the issue board" for a
    problem. `guidance` (key → what to look at) becomes each item's help text."""

    day = forms.DateField(label="日期", widget=DATE)

    def __init__(self, *args: Any, guidance: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in ITEM_KEYS:
            self.fields[key] = forms.ChoiceField(
                label=ItemKey(key).label,
                choices=ANSWERS,
                widget=forms.RadioSelect(attrs={"class": "big-choice"}),
                help_text=(guidance or {}).get(key, ""),
            )
            self.fields[f"{key}_note"] = forms.CharField(
                label="问题说明", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"{key}_board"] = forms.BooleanField(label="转入问题清单", required=False)

    def item_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [(self[key], self[f"{key}_note"], self[f"{key}_board"]) for key in ITEM_KEYS]


def answers_from(data: dict[str, Any]) -> list[ItemAnswer]:
    return [
        ItemAnswer(key, data[key] == "ok", data.get(f"{key}_note", ""), bool(data.get(f"{key}_board")))
        for key in ITEM_KEYS
    ]


class CloseForm(forms.Form):
    closed_on = forms.DateField(label="整改日期", widget=DATE)
    note = forms.CharField(label="整改情况", max_length=300)


class ChecklistForm(forms.Form):
    valid_from = forms.DateField(label="启用日期", widget=DATE)
    environment = forms.CharField(label=ItemKey.ENVIRONMENT.label, widget=forms.Textarea(attrs={"rows": 2}))
    visits = forms.CharField(label=ItemKey.VISITS.label, widget=forms.Textarea(attrs={"rows": 2}))
    pending = forms.CharField(label=ItemKey.PENDING.label, widget=forms.Textarea(attrs={"rows": 2}))
    grid = forms.CharField(label=ItemKey.GRID.label, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label="修订说明", max_length=200, required=False)


class MeasureForm(forms.Form):
    number = forms.IntegerField(label="序号", min_value=1, max_value=999)
    area = forms.ChoiceField(label="方面", choices=Area.choices)
    title = forms.CharField(label="举措", max_length=100)
    target = forms.CharField(label="目标", max_length=300)
    unit = forms.CharField(label="责任单位", max_length=60)
    due_on = forms.DateField(label="完成时限", widget=DATE, required=False)


class ProgressForm(forms.Form):
    reported_on = forms.DateField(label="日期", widget=DATE)
    text = forms.CharField(label="进展", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class MoveForm(forms.Form):
    to = forms.ChoiceField(label="状态", choices=MeasureStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)
