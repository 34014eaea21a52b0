from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from cunshe.handovers.models import Accountability, CareAct, ItemStatus, Kind


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class OpenForm(forms.Form):
    template = forms.ChoiceField(label="交接模板")
    outgoing = forms.ChoiceField(label="移交人")
    incoming = forms.ChoiceField(label="接收人")
    post = forms.CharField(label="岗位（离任交接可不填，按班子职务）", max_length=100, required=False)
    working_group = forms.ChoiceField(label="交接工作组（乡镇干部）")
    working_group_members = forms.CharField(label="工作组成员", max_length=300, required=False)
    supervisor = forms.ChoiceField(label="监交人（纪检监督）")
    starts_on = forms.DateField(label="起算日期（新班子产生日或离任日）", widget=_date())
    days = forms.IntegerField(label="交接期限（天，不填按县设置）", min_value=1, required=False)
    meeting_at = forms.DateTimeField(
        label="交接会时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    meeting_place = forms.CharField(label="交接会地点", max_length=200)

    def __init__(self, *args: Any, choices: dict[str, list[tuple[Any, str]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = options


class ItemForm(forms.Form):
    status = forms.ChoiceField(label="交接情况", choices=ItemStatus.choices)
    count = forms.IntegerField(label="件数/册数", min_value=0, required=False)
    amount = forms.DecimalField(label="金额（元）", max_digits=14, decimal_places=2, required=False)
    details = forms.CharField(label="交接明细", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    discrepancy = forms.CharField(label="差异说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ScanForm(forms.Form):
    file = forms.FileField(label="照片/扫描件")


class LeftoverForm(forms.Form):
    title = forms.CharField(label="遗留事项", max_length=200)
    owner = forms.CharField(label="责任人", max_length=50)
    due_on = forms.DateField(label="办结期限", widget=_date())


class NoteForm(forms.Form):
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 2}))


class FlagForm(forms.Form):
    accountability = forms.ChoiceField(label="问责情形", choices=Accountability.choices, required=False)
    accountability_note = forms.CharField(label="情况说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class CareForm(forms.Form):
    act = forms.ChoiceField(label="关爱事项", choices=CareAct.choices)
    done_on = forms.DateField(label="完成日期", widget=_date(), initial=timezone.localdate)
    note = forms.CharField(label="说明", max_length=200, required=False)


class TemplateImportForm(forms.Form):
    name = forms.CharField(label="模板名称", max_length=100)
    kind = forms.ChoiceField(label="交接类型", choices=Kind.choices)
    file = forms.FileField(label="Excel 表格（类别、事项、形式、应交内容）")


class SettingsForm(forms.Form):
    leader_days = forms.IntegerField(label="离任交接期限（自然日）", min_value=1)
    committee_days = forms.IntegerField(label="换届交接期限（自然日，法定不超过 10 日）", min_value=1)
    copies = forms.IntegerField(label="交接书份数", min_value=1)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class UnitOpenForm(forms.Form):
    """A town's or county unit's leader handover (seed 003)."""

    unit_name = forms.CharField(label="离任单位（如 黛溪街道党工委、市财政局）", max_length=100)
    post = forms.CharField(label="离任岗位（如 党工委书记、局长）", max_length=100)
    outgoing = forms.ChoiceField(label="离任领导干部")
    incoming = forms.ChoiceField(label="接任领导干部")
    working_group = forms.ChoiceField(label="组织交接（乡镇党委或县委组织部干部）")
    working_group_members = forms.CharField(label="离任单位班子成员、财务人员", max_length=300, required=False)
    group_organization = forms.ChoiceField(label="监交组：组织部门成员")
    group_organization_department = forms.CharField(label="所在部门", max_length=100, initial="县委组织部")
    group_discipline = forms.ChoiceField(label="监交组：纪委监委成员")
    group_discipline_department = forms.CharField(label="所在部门", max_length=100, initial="县纪委监委")
    group_finance = forms.ChoiceField(label="监交组：财政部门成员")
    group_finance_department = forms.CharField(label="所在部门", max_length=100, initial="财政局")
    group_audit = forms.ChoiceField(label="监交组：审计部门成员")
    group_audit_department = forms.CharField(label="所在部门", max_length=100, initial="审计局")
    starts_on = forms.DateField(label="起算日期（离任日）", widget=_date())
    days = forms.IntegerField(label="交接期限（天，不填按县设置）", min_value=1, required=False)
    meeting_at = forms.DateTimeField(
        label="交接会时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    meeting_place = forms.CharField(label="交接会地点", max_length=200)

    def __init__(self, *args: Any, choices: dict[str, list[tuple[Any, str]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = options


class FreezeForm(forms.Form):
    addressed_to = forms.CharField(label="送达单位", max_length=100, initial="财政局")


class InquiryForm(forms.Form):
    question = forms.CharField(label="接任人询问追问的问题", widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label="答复期限", widget=_date())


class AnswerForm(forms.Form):
    answer = forms.CharField(label="答复", widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConductForm(forms.Form):
    conduct = forms.CharField(label="离任领导干部现实表现", widget=forms.Textarea(attrs={"rows": 3}))
