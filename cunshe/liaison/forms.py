from __future__ import annotations

from django import forms

from cunshe.liaison.models import CadreLevel, RatingKind, TalkGroup

DATE = forms.DateInput(attrs={"type": "date"})


class AssignmentForm(forms.Form):
    village = forms.CharField(label="联系村(社区)代码", max_length=12)
    name = forms.CharField(label="干部姓名", max_length=50)
    unit = forms.CharField(label="所在单位及职务", max_length=100)
    level = forms.ChoiceField(label="干部类别", choices=CadreLevel.choices)
    started_on = forms.DateField(label="联系起始日期", widget=DATE)


class EndForm(forms.Form):
    ended_on = forms.DateField(label="结束日期", widget=DATE)
    reason = forms.CharField(label="结束原因", max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReassignForm(forms.Form):
    village = forms.CharField(label="新联系村(社区)代码", max_length=12)
    moved_on = forms.DateField(label="调整日期", widget=DATE)
    unit = forms.CharField(label="所在单位及职务（有变化时填写）", max_length=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ServiceDayForm(forms.Form):
    held_on = forms.DateField(label="服务日期", widget=DATE)
    work = forms.CharField(label="服务内容", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    households = forms.IntegerField(label="走访户数", min_value=0, max_value=10000)


class TalkForm(forms.Form):
    held_on = forms.DateField(label="谈话日期", widget=DATE)
    group = forms.ChoiceField(label="三访类别", choices=TalkGroup.choices)
    talked_with = forms.CharField(label="谈话对象", max_length=100)
    topic = forms.CharField(label="谈话内容", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class MatterForm(forms.Form):
    raised_on = forms.DateField(label="提出日期", widget=DATE)
    title = forms.CharField(label="事项", max_length=200)
    detail = forms.CharField(label="具体情况", max_length=1000, required=False)
    owner = forms.CharField(label="责任人（默认为本干部）", max_length=50, required=False)
    due_on = forms.DateField(label="办结时限（默认 30 天）", widget=DATE, required=False)


class ResolveForm(forms.Form):
    resolution = forms.CharField(label="解决情况", max_length=1000)
    resolved_on = forms.DateField(label="解决日期", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class RatingForm(forms.Form):
    village = forms.CharField(label="村(社区)代码", max_length=12)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    round = forms.IntegerField(label="轮次", min_value=1, max_value=12)
    kind = forms.ChoiceField(label="察看项目", choices=RatingKind.choices)
    score = forms.IntegerField(label="评定")
    rated_on = forms.DateField(label="评定日期", widget=DATE)
    rated_by = forms.CharField(label="评定人", max_length=50)
    note = forms.CharField(label="说明", max_length=500, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="联系干部表（Excel）")
