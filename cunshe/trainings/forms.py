from __future__ import annotations

from django import forms

from cunshe.trainings.models import Presence, Provider

DATE = forms.DateInput(attrs={"type": "date"})


class CourseForm(forms.Form):
    region = forms.ChoiceField(label="举办单位")
    title = forms.CharField(label="培训名称", max_length=100)
    provider = forms.ChoiceField(label="举办方", choices=Provider.choices)
    description = forms.CharField(label="内容", max_length=300, required=False)

    def __init__(self, *args: object, regions: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["region"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = regions


class SessionForm(forms.Form):
    held_on = forms.DateField(label="培训日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=100)


class MarkForm(forms.Form):
    status = forms.ChoiceField(label="出勤", choices=Presence.choices)
    reason = forms.CharField(label="缺席原因", max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class FollowUpForm(forms.Form):
    written_on = forms.DateField(label="日期", widget=DATE)
    note = forms.CharField(label="跟进情况", max_length=300)


class ImportForm(forms.Form):
    file = forms.FileField(label="签到表（Excel）")
