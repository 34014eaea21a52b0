from __future__ import annotations

from django import forms

_DATE = forms.DateInput(attrs={"type": "date"})


class IssueForm(forms.Form):
    title = forms.CharField(label="问题", max_length=200)
    detail = forms.CharField(label="具体情况", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    owner = forms.CharField(label="责任人", max_length=50)
    due_on = forms.DateField(label="办结时限", widget=_DATE)


class AssignForm(forms.Form):
    owner = forms.CharField(label="责任人", max_length=50)
    due_on = forms.DateField(label="办结时限", widget=_DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class MoveForm(forms.Form):
    to_status = forms.CharField(widget=forms.HiddenInput)
    resolution = forms.CharField(label="化解情况", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    closed_on = forms.DateField(label="销号日期", widget=_DATE, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class FlagForm(forms.Form):
    is_difficult = forms.BooleanField(label="认定为重点难点村", required=False)
    difficulty = forms.CharField(label="难点说明", max_length=200, required=False)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
