from __future__ import annotations

from typing import Any

from django import forms

from cunshe.accounts.models import Department


class ExclusionRuleForm(forms.Form):
    text = forms.CharField(label="条文", widget=forms.Textarea(attrs={"rows": 3}))
    lookback_years = forms.IntegerField(label="追溯年限（年，可不填）", required=False)
    department = forms.ModelChoiceField(label="核查单位", queryset=Department.objects.none(), required=False)
    effective_until = forms.DateField(
        label="失效日期（可不填）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments


class CountyRuleForm(forms.Form):
    county = forms.ChoiceField(label="县(市、区)")
    code = forms.CharField(label="编号", max_length=10, initial="2-县")
    title = forms.CharField(label="简称", max_length=60)
    text = forms.CharField(label="条文", widget=forms.Textarea(attrs={"rows": 3}))
    lookback_years = forms.IntegerField(label="追溯年限（年，可不填）", required=False)
    department = forms.ModelChoiceField(label="核查单位", queryset=Department.objects.none(), required=False)
    effective_from = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    effective_until = forms.DateField(
        label="失效日期（可不填）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, counties: list[tuple[str, str]], departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        county = self.fields["county"]
        assert isinstance(county, forms.ChoiceField)
        county.choices = counties
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments
