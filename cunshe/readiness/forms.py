from __future__ import annotations

from django import forms
from django.utils import timezone

from cunshe.readiness.models import Intention, Risk, Stability
from cunshe.teams.models import Post

_DATE = forms.DateInput(attrs={"type": "date"})


class ReadinessAssessmentForm(forms.Form):
    assessed_on = forms.DateField(label="评估日期", widget=_DATE)
    stability = forms.ChoiceField(label="班子稳定", choices=Stability.choices)
    conflicts = forms.CharField(label="矛盾纠纷", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    petitions = forms.IntegerField(label="近一年信访件数", min_value=0, initial=0)
    candidates = forms.CharField(label="人选情况", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    risk = forms.ChoiceField(label="风险等级", choices=Risk.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="研判意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PlanItemForm(forms.Form):
    problem = forms.CharField(label="问题", max_length=200)
    measure = forms.CharField(label="对策措施", widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label="责任人", max_length=50)
    due_on = forms.DateField(label="完成时限", widget=_DATE)


class PlanItemEditForm(PlanItemForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanDoneForm(forms.Form):
    done_on = forms.DateField(label="完成日期", widget=_DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class WorkPlanForm(forms.Form):
    owner = forms.CharField(label="责任人（驻村干部）", max_length=50)


class TaskMoveForm(forms.Form):
    to_status = forms.CharField(widget=forms.HiddenInput)
    done_on = forms.DateField(label="完成日期", widget=_DATE, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class IntentForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    intention = forms.ChoiceField(label="换届意愿", choices=Intention.choices)
    desired_post = forms.ChoiceField(label="意向职务", choices=[("", "—"), *Post.choices], required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)
    surveyed_on = forms.DateField(label="排摸日期", widget=_DATE, initial=timezone.localdate)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class IntentImportForm(forms.Form):
    file = forms.FileField(label="换届意愿排摸表（Excel）")


class TemplateTaskForm(forms.Form):
    title = forms.CharField(label="工作事项", max_length=100)
    offset_days = forms.IntegerField(label="启动后第几天完成", min_value=0, max_value=365)


class TemplateTaskEditForm(TemplateTaskForm):
    position = forms.IntegerField(label="序号", min_value=1)
    version = forms.IntegerField(widget=forms.HiddenInput)


class TemplateTaskActiveForm(forms.Form):
    active = forms.BooleanField(widget=forms.HiddenInput, required=False)  # "1" 启用, "0" 停用
    version = forms.IntegerField(widget=forms.HiddenInput)
