from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from cunshe.assessments.models import Base, Method, SupportKind
from cunshe.people.models import Person


class OpenForm(forms.Form):
    held_on = forms.DateField(label="测评日期", widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label="录入方式", choices=Method.choices)
    base = forms.ChoiceField(label="百分比基数", choices=Base.choices, initial=Base.VALID)
    entitled_party = forms.IntegerField(label="党员信任票应参加人数", min_value=1)
    entitled_representative = forms.IntegerField(label="村民代表信任票应参加人数", min_value=1)
    entitled_satisfaction = forms.IntegerField(label="满意度测评应参加人数", min_value=1)


class TotalsForm(forms.Form):
    """The member counts come as good_<id>, fair_<id>, poor_<id> from the results grid; the view reads them."""

    cast = forms.IntegerField(label="收回票数", min_value=0)
    invalid = forms.IntegerField(label="无效票", min_value=0, initial=0)
    version = forms.IntegerField(widget=forms.HiddenInput)


class WeightsForm(forms.Form):
    effective_from = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    party_weight = forms.IntegerField(label="党员信任票权重", min_value=0, max_value=100, initial=3)
    representative_weight = forms.IntegerField(label="村民代表信任票权重", min_value=0, max_value=100, initial=5)
    satisfaction_weight = forms.IntegerField(label="满意度权重", min_value=0, max_value=100, initial=2)
    flag_below = forms.DecimalField(label="综合得分低于此分预警", min_value=0, max_value=100, initial=Decimal("70"))
    flag_distrust_over = forms.DecimalField(
        label="任一项不信任(不满意)率超过此百分比预警", min_value=0, max_value=100, initial=Decimal("33.33")
    )


class SupportForm(forms.Form):
    person = forms.ModelChoiceField(label="人选", queryset=Person.objects.none())
    kind = forms.ChoiceField(label="类别", choices=SupportKind.choices)
    held_on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    asked = forms.IntegerField(label="参加(受访)人数", min_value=1)
    in_favour = forms.IntegerField(label="推荐(支持、满意)人数", min_value=0)
    note = forms.CharField(label="方式与说明", max_length=200, required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people
