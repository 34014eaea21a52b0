from __future__ import annotations

from typing import Any

from django import forms

from cunshe.investigations.models import MemberRole

DATE = forms.DateInput(attrs={"type": "date"})


class _Choices(forms.Form):
    def __init__(self, *args: Any, choices: dict[str, list[tuple[Any, str]]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, options in (choices or {}).items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = options


class TeamForm(_Choices):
    town = forms.ChoiceField(label="乡镇(街道)")
    name = forms.CharField(label="调研组名称", max_length=60)
    formed_on = forms.DateField(label="组建日期", widget=DATE)


class MemberForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=30)
    post = forms.CharField(label="职务", max_length=60, required=False)
    role = forms.ChoiceField(label="组内角色", choices=MemberRole.choices)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    joined_on = forms.DateField(label="加入日期", widget=DATE)


class CoverageForm(_Choices):
    village = forms.ChoiceField(label="村(社区)")
    from_on = forms.DateField(label="包村起始日期", widget=DATE)


class CoverageEndForm(forms.Form):
    to_on = forms.DateField(label="包村结束日期", widget=DATE)


class LogForm(_Choices):
    village = forms.ChoiceField(label="村(社区)")
    worked_on = forms.DateField(label="日期", widget=DATE)
    talks = forms.IntegerField(label="谈话人次", min_value=0)
    households = forms.IntegerField(label="走访户数", min_value=0)
    note = forms.CharField(label="情况摘要", max_length=300, required=False)


class StartForm(forms.Form):
    started_on = forms.DateField(label="开始日期", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class FindForm(forms.Form):
    title = forms.CharField(label="发现的问题", max_length=180)
    detail = forms.CharField(label="具体情况", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    owner = forms.CharField(label="责任人", max_length=50)
    due_on = forms.DateField(label="办结时限", widget=DATE)
    found_on = forms.DateField(label="发现日期", widget=DATE)


class ClearForm(forms.Form):
    cleared_on = forms.DateField(label="清结日期", widget=DATE)
    cleared_by = forms.CharField(label="清理责任人", max_length=60)
    evidence = forms.CharField(label="清理情况及佐证", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)
