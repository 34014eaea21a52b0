from __future__ import annotations

from typing import Any

from django import forms

from cunshe.people.models import Person
from cunshe.reserves.models import Origin, Source


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


class ReserveForm(forms.Form):
    person = forms.ModelChoiceField(label="人员", queryset=Person.objects.none())
    source = forms.ChoiceField(label="来源", choices=Source.choices)
    added_on = _date("入库日期")
    note = forms.CharField(label="简要情况", max_length=200, required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people


class CandidateForm(forms.Form):
    person = forms.ModelChoiceField(label="人员", queryset=Person.objects.none())
    origin = forms.ChoiceField(
        label="来源",
        choices=[(Origin.INCUMBENT, Origin.INCUMBENT.label), (Origin.RECOMMENDED, Origin.RECOMMENDED.label)],
    )
    added_on = _date("入选日期")
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people


class EvaluationForm(forms.Form):
    evaluator = forms.CharField(label="测评人", max_length=50)
    loyalty = forms.IntegerField(label="忠诚度", min_value=0, max_value=100)
    satisfaction = forms.IntegerField(label="满意度", min_value=0, max_value=100)
    competence = forms.IntegerField(label="胜任度", min_value=0, max_value=100)
    comment = forms.CharField(label="评语", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MeetingForm(forms.Form):
    held_on = _date("测评会日期")
    place = forms.CharField(label="地点", max_length=100)
    version = forms.IntegerField(widget=forms.HiddenInput)


class NoticeForm(forms.Form):
    starts_on = _date("公示开始")
    ends_on = _date("公示结束")
    feedback = forms.CharField(label="公示期间反映情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class TrialForm(forms.Form):
    post = forms.CharField(label="试岗岗位", max_length=100)
    mentor = forms.ModelChoiceField(label="帮带导师", queryset=Person.objects.none())
    starts_on = _date("试岗开始")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mentor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people


class ConcludeForm(forms.Form):
    passed = forms.TypedChoiceField(
        label="考察结果", choices=[("1", "合格，进入人选库"), ("0", "不合格")], coerce=lambda v: v == "1"
    )
    concluded_on = _date("考察日期")
    note = forms.CharField(label="考察意见", widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="退出原因", max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReserveImportForm(forms.Form):
    file = forms.FileField(label="后备干部名册（Excel）")
