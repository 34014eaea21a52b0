from __future__ import annotations

from typing import Any

from django import forms

from cunshe.people.models import Person
from cunshe.teams.models import Committee, Post


class AppointForm(forms.Form):
    person = forms.ModelChoiceField(label="人员", queryset=Person.objects.none())
    committee = forms.ChoiceField(label="组织", choices=Committee.choices)
    post = forms.ChoiceField(label="职务", choices=Post.choices)
    started_on = forms.DateField(label="任职日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people


class EndForm(forms.Form):
    ended_on = forms.DateField(label="离任日期", widget=forms.DateInput(attrs={"type": "date"}))
    end_reason = forms.CharField(label="离任原因", max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)
