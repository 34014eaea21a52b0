from __future__ import annotations

from typing import Any

from django import forms

from cunshe.serviceteams.models import WEEKDAYS, Category, TeamKind
from cunshe.web.forms_renderer import Pairs, Picker

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"})


class _Choices(forms.Form):
    def __init__(self, *args: Any, choices: dict[str, list[tuple[Any, str]]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, options in (choices or {}).items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = Pairs(options)  # plain pairs: not normalized again (issue 15)


class TeamForm(_Choices):
    region = forms.ChoiceField(label="村(社区)", widget=Picker)
    name = forms.CharField(label="队名", max_length=60)
    kind = forms.ChoiceField(label="类型", choices=TeamKind.choices)
    leader = forms.CharField(label="负责人", max_length=30, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)


class MemberForm(_Choices):
    person = forms.TypedChoiceField(label="队员", coerce=int)
    joined_on = forms.DateField(label="加入日期", widget=DATE)


class AccountForm(forms.Form):
    username = forms.CharField(label="接单账号（账号名）", max_length=150)


class OfferForm(forms.Form):
    category = forms.ChoiceField(label="服务类别", choices=Category.choices)
    weekdays = forms.TypedMultipleChoiceField(
        label="服务日",
        choices=[(str(i), f"周{d}") for i, d in enumerate(WEEKDAYS)],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_at = forms.TimeField(label="开始时间", widget=TIME)
    ends_at = forms.TimeField(label="结束时间", widget=TIME)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def mask(self) -> int:
        return sum(1 << i for i in self.cleaned_data["weekdays"])


class NeedForm(_Choices):
    region = forms.ChoiceField(label="村(社区)", widget=Picker)
    resident = forms.CharField(label="居民", max_length=30)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    category = forms.ChoiceField(label="服务类别", choices=Category.choices)
    wanted_on = forms.DateField(label="希望日期", widget=DATE)
    starts_at = forms.TimeField(label="开始时间", widget=TIME)
    ends_at = forms.TimeField(label="结束时间", widget=TIME)
    description = forms.CharField(label="需求内容", max_length=300)


class OrderForm(_Choices):
    region = forms.ChoiceField(label="村(社区)", widget=Picker)
    resident = forms.CharField(label="居民", max_length=30)
    category = forms.ChoiceField(label="服务类别", choices=Category.choices)
    wanted_on = forms.DateField(label="服务日期", widget=DATE)
    description = forms.CharField(label="服务内容", max_length=300)
    requested_team = forms.TypedChoiceField(
        label="居民点选的服务队", coerce=int, required=False, empty_value=None, widget=Picker
    )


class DispatchForm(_Choices):
    team = forms.TypedChoiceField(label="派给服务队", coerce=int)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CompleteForm(forms.Form):
    completed_on = forms.DateField(label="完成日期", widget=DATE)
    note = forms.CharField(label="办理说明", max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, members: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        for pk, name in members:
            self.fields[f"m{pk}"] = forms.IntegerField(label=f"{name}（分钟）", min_value=0, required=False)

    def minutes(self) -> dict[int, int]:
        return {int(k[1:]): v for k, v in self.cleaned_data.items() if k.startswith("m") and k[1:].isdigit() and v}
