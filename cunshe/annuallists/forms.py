from __future__ import annotations

import re
from typing import Any, cast

from django import forms

from cunshe.annuallists.models import Area, ItemStatus

DATE = forms.DateInput(attrs={"type": "date"})


class RoundForm(forms.Form):
    opened_on = forms.DateField(label="开始日期", widget=DATE)
    households = forms.IntegerField(label="应访户数", min_value=1)


class VisitForm(forms.Form):
    household = forms.CharField(label="户主", max_length=40)
    visited_on = forms.DateField(label="走访日期", widget=DATE)
    visitors = forms.CharField(label="走访人", max_length=100)
    opinion = forms.CharField(label="意见建议", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DraftForm(forms.Form):
    year = forms.IntegerField(label="年度")
    drafted_on = forms.DateField(label="起草日期", widget=DATE)


class ItemForm(forms.Form):
    title = forms.CharField(label="承诺事项", max_length=200)
    responsible = forms.CharField(label="责任人（职务）", max_length=60)
    due_on = forms.DateField(label="完成时限", widget=DATE)
    answers = forms.TypedMultipleChoiceField(label="回应的走访意见", coerce=int, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, visits: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["answers"]).choices = visits or []


_LINE = re.compile(r"^\s*(\d{4})\s*[年：:]*\s*(.+?)\s*$")


class GoalForm(forms.Form):
    area = forms.ChoiceField(label="领域", choices=Area.choices)
    goal = forms.CharField(label="任期目标", max_length=300)
    milestones = forms.CharField(
        label="年度节点（每行一年，如“2027：完成道路硬化”）", widget=forms.Textarea(attrs={"rows": 5})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_milestones(self) -> list[dict[str, Any]]:
        lines = []
        for raw in self.cleaned_data["milestones"].splitlines():
            if not raw.strip():
                continue
            match = _LINE.match(raw)
            if match is None:
                raise forms.ValidationError(f"“{raw.strip()[:20]}”应以年份开头，如“2027：完成道路硬化”。")
            lines.append({"year": int(match.group(1)), "text": match.group(2)})
        return lines


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="审核意见", choices=[("1", "通过"), ("0", "退回修改")], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label="退回原因", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    reviewed_on = forms.DateField(label="审核日期（不填为今天）", widget=DATE, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class PledgeForm(forms.Form):
    pledged_on = forms.DateField(label="主题党日日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=100)
    attendance = forms.IntegerField(label="参加人数", min_value=1)
    evidence = forms.FileField(label="佐证（照片或 PDF）")
    party_meeting = forms.TypedChoiceField(
        label="主题党日会议记录（如已登记）", coerce=int, required=False, empty_value=None
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, meetings: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["party_meeting"]).choices = [("", "不关联"), *(meetings or [])]


class ProgressForm(forms.Form):
    written_on = forms.DateField(label="日期", widget=DATE)
    note = forms.CharField(label="进展", max_length=1000)
    status = forms.ChoiceField(label="状态", choices=ItemStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)
