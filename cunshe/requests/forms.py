from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from cunshe.requests.models import Channel, LimitUnit, Route, Tier

STAFF_CHANNELS = [(c.value, c.label) for c in (Channel.VISIT, Channel.CALL, Channel.HOTLINE, Channel.FLOATING)]


class PublicRequestForm(forms.Form):
    category = forms.ChoiceField(label="类别")
    title = forms.CharField(label="标题", max_length=100)
    description = forms.CharField(label="诉求内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    address = forms.CharField(label="地点（选填）", max_length=200, required=False)
    reporter_name = forms.CharField(label="姓名（选填）", max_length=50, required=False)
    reporter_phone = forms.CharField(
        label="电话（选填，不留则无法回访）",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    photo = forms.FileField(label="照片（选填）", required=False)
    # A field people never see: a form robot fills it in (the honeypot half of the abuse guard).
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args: Any, categories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = categories


class StaffRequestForm(forms.Form):
    village = forms.CharField(label="村(社区)代码", max_length=12)
    category = forms.CharField(label="类别代码", max_length=30)
    channel = forms.ChoiceField(label="来源", choices=STAFF_CHANNELS)
    tier = forms.ChoiceField(label="等级", choices=[("", "按类别默认"), *Tier.choices], required=False)
    title = forms.CharField(label="标题", max_length=100)
    description = forms.CharField(label="诉求内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    address = forms.CharField(label="地点", max_length=200, required=False)
    reporter_name = forms.CharField(label="反映人", max_length=50, required=False)
    reporter_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    work_order_no = forms.CharField(label="12345 工单号", max_length=40, required=False)
    raised_by = forms.IntegerField(label="反映人登记编号（流动党员等，选填）", required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AssignForm(VersionForm):
    assignee = forms.IntegerField(label="承办人", required=False)
    team = forms.IntegerField(label="服务队", required=False)
    note = forms.CharField(label="说明", max_length=500, required=False)


class NoteForm(VersionForm):
    note = forms.CharField(label="说明", max_length=1000, required=False)


class CloseForm(VersionForm):
    template = forms.IntegerField(label="答复模板", required=False)
    note = forms.CharField(label="办理结果", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


SATISFACTION = [("", "不评分"), *[(str(n), f"{n} 分") for n in range(5, 0, -1)]]


class AnswerForm(forms.Form):
    solved = forms.TypedChoiceField(
        label="问题解决了吗", choices=[("yes", "已解决"), ("no", "未解决")], coerce=lambda v: v == "yes"
    )
    satisfaction = forms.TypedChoiceField(
        label="满意度", choices=SATISFACTION, coerce=int, empty_value=None, required=False
    )
    comment = forms.CharField(label="评价（选填）", max_length=500, required=False)


class StaffAnswerForm(AnswerForm, VersionForm):
    pass


class MergeForm(VersionForm):
    original = forms.IntegerField(label="原诉求编号（数字部分）")


class PublishForm(VersionForm):
    public = forms.BooleanField(label="公开", required=False)


class PhotoForm(forms.Form):
    photo = forms.FileField(label="照片")


class ImportForm(forms.Form):
    region = forms.CharField(label="区域代码", max_length=12)
    file = forms.FileField(label="12345 工单表（Excel）")


# The county's settings (县委组织部 or whoever the access rule lets configure requests) -------------------------------


class CategoryForm(forms.Form):
    """Creating a category (with its code and first day) or editing one (name, routing, tier, publicity)."""

    code = forms.CharField(label="类别代码（字母、数字，如 road）", max_length=30)
    name = forms.CharField(label="类别名称", max_length=50)
    description = forms.CharField(label="说明（选填）", max_length=200, required=False)
    route = forms.ChoiceField(label="办理层级", choices=[("", "请选择"), *Route.choices])
    department = forms.TypedChoiceField(
        label="承办部门（县直部门办理时必选）", coerce=int, empty_value=None, required=False
    )
    tier = forms.ChoiceField(label="默认等级", choices=Tier.choices, initial=Tier.GENERAL)
    public = forms.BooleanField(label="向群众公开（邻里纠纷等不公开）", required=False, initial=True)
    valid_from = forms.DateField(label="起用日期", widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, departments: list[tuple[int, str]], editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "无"), *departments]
        if editing:  # the code is what requests and Open311 clients name it by; its dates change only by retiring
            del self.fields["code"], self.fields["valid_from"]
            self.fields["version"].required = True
        else:
            del self.fields["version"]


class CategoryRetireForm(VersionForm):
    valid_to = forms.DateField(label="停用日期（当日仍受理）", widget=forms.DateInput(attrs={"type": "date"}))


class LimitForm(forms.Form):
    tier = forms.ChoiceField(label="等级", choices=[("", "请选择"), *Tier.choices])
    amount = forms.DecimalField(label="时限", max_digits=6, decimal_places=1, min_value=Decimal("0.5"))
    unit = forms.ChoiceField(label="单位", choices=[("", "请选择"), *LimitUnit.choices])
    valid_from = forms.DateField(label="起用日期", widget=forms.DateInput(attrs={"type": "date"}))


class TemplateForm(forms.Form):
    title = forms.CharField(label="名称", max_length=50)
    text = forms.CharField(label="答复内容", max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["version"].required = True
        else:
            del self.fields["version"]


class TemplateActiveForm(VersionForm):
    active = forms.BooleanField(required=False, widget=forms.HiddenInput)
