from __future__ import annotations

from typing import Any

from django import forms

from cunshe.eligibility.models import ExclusionRule
from cunshe.negativelist.models import Source


class EntryForm(forms.Form):
    rule = forms.ModelChoiceField(label="对应情形（十不选）", queryset=ExclusionRule.objects.none())
    source = forms.ChoiceField(label="信息来源", choices=Source.choices)
    source_detail = forms.CharField(label="来源说明", max_length=200, required=False)
    found_on = forms.DateField(label="发现日期", widget=forms.DateInput(attrs={"type": "date"}))
    details = forms.CharField(label="具体情况", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, rules: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["rule"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = rules


class SettleForm(forms.Form):
    to_state = forms.CharField(widget=forms.HiddenInput)
    conclusion = forms.CharField(label="核实结论", widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)
