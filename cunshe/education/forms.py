from __future__ import annotations

from typing import Any

from django import forms

from cunshe.education.models import Kind

DATE = forms.DateInput(attrs={"type": "date"})


class CampaignForm(forms.Form):
    region = forms.ChoiceField(label="组织单位")
    title = forms.CharField(label="名称", max_length=100)
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="结束日期", widget=DATE)
    kinds = forms.MultipleChoiceField(label="任务", choices=Kind.choices, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = regions


class DoneForm(forms.Form):
    done_on = forms.DateField(label="完成日期", widget=DATE)
    note = forms.CharField(label="完成情况", max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)
