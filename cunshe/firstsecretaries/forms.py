from __future__ import annotations

from django import forms

DATE = forms.DateInput(attrs={"type": "date"})


class PostingForm(forms.Form):
    village = forms.CharField(label="派驻村(社区)代码", max_length=12)
    name = forms.CharField(label="第一书记", max_length=50)
    sending_unit = forms.CharField(label="派出单位", max_length=100)
    started_on = forms.DateField(label="到村日期", widget=DATE)
    ends_on = forms.DateField(label="任期届满", widget=DATE)
    team_members = forms.CharField(label="工作队成员", max_length=300, required=False)
    person = forms.IntegerField(label="人员登记编号（选填：满意度测评的计分对象，须登记在派驻村）", required=False)


class PostingPersonForm(forms.Form):
    person = forms.IntegerField(label="人员登记编号（留空即取消关联）", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class PostingUpdateForm(forms.Form):
    team_members = forms.CharField(label="工作队成员", max_length=300, required=False)
    ends_on = forms.DateField(label="任期届满", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class PostingEndForm(forms.Form):
    ended_on = forms.DateField(label="离任日期", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class LogForm(forms.Form):
    written_on = forms.DateField(label="日期", widget=DATE)
    content = forms.CharField(label="工作内容", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(forms.Form):
    text = forms.CharField(label="报告内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    lectures = forms.IntegerField(label="政策理论宣讲（场次）", min_value=0, required=False)
    members_recruited = forms.IntegerField(label="发展党员（名）", min_value=0, required=False)
    meetings = forms.IntegerField(label="指导三会一课、主题党日（次）", min_value=0, required=False)
    decisions = forms.IntegerField(label="指导四议两公开（次）", min_value=0, required=False)
    disclosures = forms.IntegerField(label="党务村务财务公开（条）", min_value=0, required=False)
    funds = forms.DecimalField(label="争取资金（元）", min_value=0, max_digits=14, decimal_places=2, required=False)
    projects = forms.IntegerField(label="引进项目（个）", min_value=0, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回原因", max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)
