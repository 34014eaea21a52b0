from __future__ import annotations

from typing import Any

from django import forms

from cunshe.polling.models import ListKind, StaffRole, StationKind


def _choose(field: forms.Field, choices: list[tuple[Any, str]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class StationForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=StationKind.choices)
    name = forms.CharField(label="名称", max_length=100)
    place = forms.CharField(label="地点", max_length=200, required=False)
    booths = forms.IntegerField(label="秘密写票处", min_value=0, initial=1)


class StaffForm(forms.Form):
    person = forms.TypedChoiceField(label="人员", coerce=int)
    role = forms.ChoiceField(label="职责", choices=StaffRole.choices)

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose(self.fields["person"], people)


class MobileVoterForm(forms.Form):
    voter = forms.TypedChoiceField(label="选民", coerce=int)
    reason = forms.CharField(label="原因", max_length=200)

    def __init__(self, *args: Any, voters: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose(self.fields["voter"], voters)


class ProxyForm(forms.Form):
    principal = forms.TypedChoiceField(label="委托人", coerce=int)
    trustee = forms.TypedChoiceField(label="受托人", coerce=int)
    written_on = forms.DateField(label="书面委托日期", widget=forms.DateInput(attrs={"type": "date"}))
    approved_on = forms.DateField(label="选举委员会同意日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, voters: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose(self.fields["principal"], voters)
        _choose(self.fields["trustee"], voters)


class PublishForm(forms.Form):
    what = forms.ChoiceField(label="名单", choices=ListKind.choices)
