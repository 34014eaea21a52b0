from __future__ import annotations

from django import forms

DATE = forms.DateInput(attrs={"type": "date"})


class HouseholdForm(forms.Form):
    name = forms.CharField(label="户主", max_length=40)
    address = forms.CharField(label="住址", max_length=100, required=False)
    poor = forms.BooleanField(label="贫困户", required=False)
    dibao = forms.BooleanField(label="低保户", required=False)
    wubao = forms.BooleanField(label="五保户", required=False)
    alone = forms.BooleanField(label="独居（鳏寡孤独）", required=False)
    carer = forms.CharField(label="结对帮扶人", max_length=60, required=False)
    listed_on = forms.DateField(label="列入日期", widget=DATE)


class RemoveForm(forms.Form):
    removed_on = forms.DateField(label="移出日期", widget=DATE)
    reason = forms.CharField(label="移出原因", max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)


class VisitForm(forms.Form):
    """The care-visit form: an ordinary page form (a later offline mechanism may mark the page offline-capable)."""

    visited_on = forms.DateField(label="走访日期", widget=DATE)
    visitors = forms.CharField(label="走访人", max_length=100, help_text="如：党支部书记张三、党员志愿者李四")
    chat = forms.BooleanField(label="一次暖心聊天", required=False)
    meal = forms.BooleanField(label="一顿爱心家常饭", required=False)
    cleaning = forms.BooleanField(label="一次精心清扫", required=False)
    problems = forms.CharField(
        label="解决的问题（N，每行一件）", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    note = forms.CharField(label="备注", max_length=300, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="暖心清单（Excel）")
