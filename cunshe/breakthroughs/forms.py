from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from cunshe.breakthroughs.models import Rating

DATE = forms.DateInput(attrs={"type": "date"})


def parse_milestones(text: str) -> list[tuple[str, date]]:
    """One milestone a line: its planned day first, then what is done ("2027-03-31 完成土地流转签约")."""
    found = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        day, _, title = line.partition(" ")
        try:
            found.append((title.strip(), date.fromisoformat(day.strip())))
        except ValueError as exc:
            raise forms.ValidationError(f"第 {n} 行应写成“2027-03-31 节点内容”。") from exc
    return found


class TaskForm(forms.Form):
    title = forms.CharField(label="任务", max_length=80)
    description = forms.CharField(label="说明", max_length=300, required=False)


class ProposeForm(forms.Form):
    task = forms.ChoiceField(label="任务清单事项")
    title = forms.CharField(label="项目名称", max_length=100)
    goal = forms.CharField(label="目标", widget=forms.Textarea(attrs={"rows": 3}))
    milestones = forms.CharField(
        label="节点（每行一个：计划完成日期 + 空格 + 内容）",
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "2027-03-31 完成土地流转签约"}),
    )
    proposed_on = forms.DateField(label="申报日期", widget=DATE)

    def __init__(self, *args: Any, tasks: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["task"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = tasks

    def clean_milestones(self) -> list[tuple[str, date]]:
        return parse_milestones(self.cleaned_data["milestones"])


class DayForm(forms.Form):
    day = forms.DateField(label="日期", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReportForm(forms.Form):
    reported_on = forms.DateField(label="日期", widget=DATE)
    text = forms.CharField(label="进展", widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label="照片", required=False)


class FinishForm(forms.Form):
    finished_on = forms.DateField(label="完成日期", widget=DATE)
    result = forms.CharField(label="成效", widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class RateForm(forms.Form):
    rating = forms.ChoiceField(label="评价等次", choices=Rating.choices)
    note = forms.CharField(label="评价意见", max_length=300)
    rated_on = forms.DateField(label="评价日期", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)
