from __future__ import annotations

from django import forms

DATE = forms.DateInput(attrs={"type": "date"})


class EntryForm(forms.Form):
    region = forms.CharField(label="单位区划代码", max_length=12)
    name = forms.CharField(label="姓名", max_length=50)
    post = forms.CharField(label="职务", max_length=60)
    duties = forms.CharField(label="分工职责", max_length=300, required=False)
    office_phone = forms.CharField(label="办公电话", max_length=30, required=False)
    sort = forms.IntegerField(label="排序", min_value=0, initial=100)


class EntryUpdateForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    post = forms.CharField(label="职务", max_length=60)
    duties = forms.CharField(label="分工职责", max_length=300, required=False)
    office_phone = forms.CharField(label="办公电话", max_length=30, required=False)
    sort = forms.IntegerField(label="排序", min_value=0)
    published = forms.BooleanField(label="公开", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConsentForm(forms.Form):
    mobile = forms.CharField(label="手机号码", max_length=20)
    consent_on = forms.DateField(label="本人同意日期", widget=DATE)
    note = forms.CharField(label="同意方式", max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
