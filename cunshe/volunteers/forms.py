from __future__ import annotations

from typing import Any

from django import forms

from cunshe.volunteers.models import ROLE_LISTS, FormedBy

DATE = forms.DateInput(attrs={"type": "date"})
# The role list offered on the forms is the latest; the service checks the one in force on the day.
ROLES = list(ROLE_LISTS[-1][1])


class TeamForm(forms.Form):
    name = forms.CharField(label="队名", max_length=60)
    formed_by = forms.ChoiceField(label="组建方式", choices=FormedBy.choices)
    formed_on = forms.DateField(label="成立日期", widget=DATE)
    leader = forms.CharField(label="队长", max_length=30, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)


class TeamEditForm(forms.Form):
    name = forms.CharField(label="队名", max_length=60)
    leader = forms.CharField(label="队长", max_length=30, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class MemberForm(forms.Form):
    person = forms.TypedChoiceField(label="本村居民（从人员档案选择）", coerce=int, required=False, empty_value=None)
    name = forms.CharField(label="或：村外人员姓名", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    role = forms.ChoiceField(label="职责", choices=ROLES)
    joined_on = forms.DateField(label="加入日期", widget=DATE)

    def __init__(self, *args: Any, people: list[tuple[Any, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "（村外人员）"), *(people or [])]


class LeaveForm(forms.Form):
    left_on = forms.DateField(label="退出日期", widget=DATE)
    reason = forms.CharField(label="退出原因", max_length=200, required=False)


class ActivityForm(forms.Form):
    held_on = forms.DateField(label="活动日期", widget=DATE)
    kind = forms.ChoiceField(label="活动类型", choices=ROLES)
    place = forms.CharField(label="地点", max_length=100)
    description = forms.CharField(label="活动内容", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    households = forms.IntegerField(label="走访覆盖户数", min_value=0, max_value=100_000, initial=0)
    station = forms.TypedChoiceField(label="服务的投票站", coerce=int, empty_value=None, required=False)
    members = forms.TypedMultipleChoiceField(
        label="参加人员", coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        members: list[tuple[Any, str]] | None = None,
        stations: list[tuple[Any, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = members or []
        station = self.fields["station"]
        assert isinstance(station, forms.ChoiceField)
        station.choices = [("", "（不在投票站服务）"), *(stations or [])]


class ImportForm(forms.Form):
    file = forms.FileField(label="志愿者花名册（Excel）")
