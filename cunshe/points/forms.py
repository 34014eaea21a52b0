from __future__ import annotations

import uuid
from typing import Any

from django import forms

from cunshe.points.models import HolderKind, MerchantKind, RuleCategory
from cunshe.web.forms_renderer import Pairs, Picker

DATE = forms.DateInput(attrs={"type": "date"})


class _Choices(forms.Form):
    def __init__(self, *args: Any, choices: dict[str, list[tuple[Any, str]]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, options in (choices or {}).items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = Pairs(options)  # plain pairs: not normalized again (issue 15)


class BookForm(_Choices):
    region = forms.ChoiceField(label="制定单位", widget=Picker)
    title = forms.CharField(label="名称", max_length=100)
    effective_from = forms.DateField(label="生效日期", widget=DATE)
    valid_years = forms.IntegerField(label="有效期(年，0 为不过期)", initial=3, min_value=0, max_value=10)
    fen_per_point = forms.IntegerField(label="每分折合(分钱)", initial=100, min_value=1, max_value=10000)
    adopted_by = forms.CharField(label="通过方式", max_length=100, required=False)


class RuleForm(forms.Form):
    code = forms.CharField(label="编号", max_length=10)
    title = forms.CharField(label="条目", max_length=100)
    category = forms.ChoiceField(label="类别", choices=RuleCategory.choices)
    points = forms.IntegerField(label="分值（扣分为负；服务时长为每小时）")
    evidence = forms.CharField(label="所需佐证", max_length=200, required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class HolderForm(_Choices):
    person = forms.TypedChoiceField(label="户主/本人", coerce=int)
    kind = forms.ChoiceField(label="积分主体", choices=HolderKind.choices)


class EarnForm(_Choices):
    rule = forms.TypedChoiceField(label="条目", coerce=int)
    occurred_on = forms.DateField(label="发生日期", widget=DATE)
    times = forms.IntegerField(label="次数", initial=1, min_value=1, max_value=100)
    evidence = forms.CharField(label="佐证", max_length=300, required=False)
    # A new key each time the form is shown: submitting the same form twice records one entry.
    key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["key"] = f"page:{uuid.uuid4().hex}"
        super().__init__(*args, **kwargs)


class RegionForm(_Choices):
    region = forms.ChoiceField(label="区划", widget=Picker)


class ListingForm(_Choices):
    region = forms.ChoiceField(label="村(社区)", widget=Picker)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label="季度", choices=[(i, f"第 {i} 季度") for i in range(1, 5)], coerce=int)
    published_on = forms.DateField(label="公示日期", widget=DATE)
    days = forms.IntegerField(label="异议期(天)", initial=7, min_value=5, max_value=30)


class ObjectionForm(_Choices):
    holder = forms.TypedChoiceField(label="涉及户(人)", coerce=int)
    raised_by = forms.CharField(label="异议人", max_length=30)
    raised_on = forms.DateField(label="提出日期", widget=DATE)
    reason = forms.CharField(label="异议内容", max_length=300)


class DecideForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label="结论", choices=[("1", "异议成立"), ("0", "异议不成立")], coerce=lambda v: v == "1"
    )
    correction = forms.IntegerField(label="更正积分", initial=0, required=False)
    decision = forms.CharField(label="处理意见", max_length=300)
    decided_on = forms.DateField(label="处理日期", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CloseForm(forms.Form):
    closed_on = forms.DateField(label="结束日期", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class MerchantForm(_Choices):
    region = forms.ChoiceField(label="所在区划", widget=Picker)
    name = forms.CharField(label="名称", max_length=60)
    kind = forms.ChoiceField(label="类型", choices=MerchantKind.choices)
    joined_on = forms.DateField(label="签约日期", widget=DATE)
    contact = forms.CharField(label="联系人", max_length=30, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)


class AccountForm(forms.Form):
    username = forms.CharField(label="商户账号（账号名）", max_length=150)


class RedeemForm(forms.Form):
    code = forms.CharField(
        label="兑换码（居民出示）",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    points = forms.IntegerField(label="兑换积分", min_value=1)
    goods = forms.CharField(label="兑换物品", max_length=100)


class SettlementForm(forms.Form):
    period_start = forms.DateField(label="结算期起", widget=DATE)
    period_end = forms.DateField(label="结算期止", widget=DATE)
    evidence = forms.CharField(label="佐证（如兑换小票汇总）", max_length=300, required=False)


class PayForm(forms.Form):
    paid_on = forms.DateField(label="支付日期", widget=DATE)
    evidence = forms.CharField(label="支付凭证", max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)
