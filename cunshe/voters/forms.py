from __future__ import annotations

from django import forms

from cunshe.voters.models import ChangeKind, ChangeReason, ObjectionClaim, ObjectionOutcome, Route

DATE = forms.DateInput(attrs={"type": "date"})


class VoterDateForm(forms.Form):
    on = forms.DateField(label="日期", widget=DATE)


class VoterPublishForm(VoterDateForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class VoterAddForm(forms.Form):
    person = forms.IntegerField(label="人员编号")
    route = forms.ChoiceField(label="登记方式", choices=Route.choices)
    group = forms.CharField(label="小组", max_length=50, required=False)
    consent = forms.CharField(label="会议同意情况", max_length=200, required=False)
    on = forms.DateField(label="日期", widget=DATE)


class VoterAmendForm(VoterAddForm):
    kind = forms.ChoiceField(label="变动", choices=ChangeKind.choices)
    reason = forms.ChoiceField(label="原因", choices=ChangeReason.choices)
    decision_ref = forms.CharField(label="决定文号", max_length=100)
    evidence = forms.CharField(label="依据材料", max_length=300, required=False)
    route = forms.ChoiceField(label="登记方式", choices=[("", "不变"), *Route.choices], required=False)


class VoterObjectionForm(forms.Form):
    person = forms.IntegerField(label="所涉人员编号")
    claim = forms.ChoiceField(label="申诉事项", choices=ObjectionClaim.choices)
    filed_by = forms.CharField(label="申诉人", max_length=50)
    filed_on = forms.DateField(label="申诉日期", widget=DATE)
    grounds = forms.CharField(label="申诉理由", max_length=500)


class VoterDecideForm(forms.Form):
    outcome = forms.ChoiceField(label="处理结果", choices=ObjectionOutcome.choices)
    decided_on = forms.DateField(label="决定日期", widget=DATE)
    decision_ref = forms.CharField(label="决定文号", max_length=100)
    decision_text = forms.CharField(label="处理意见", max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)


class VoterImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件")
    on = forms.DateField(label="日期", widget=DATE)
