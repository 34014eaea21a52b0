from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from cunshe.people.models import Person
from cunshe.visits.models import LISTED_GROUPS, Group, Kind, Mode, Stance

_DATE = forms.DateInput(attrs={"type": "date"})


class GenerateForm(forms.Form):
    groups = forms.MultipleChoiceField(
        label="走访对象", choices=Group.choices, widget=forms.CheckboxSelectMultiple, initial=[Group.PARTY_MEMBER]
    )
    visitor = forms.CharField(label="走访人", max_length=50)
    due_on = forms.DateField(label="计划完成日期", widget=_DATE)


class GroupMemberForm(forms.Form):
    person = forms.ModelChoiceField(label="人员", queryset=Person.objects.none())
    group = forms.ChoiceField(label="类别", choices=[(g.value, g.label) for g in LISTED_GROUPS])

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people


class VisitForm(forms.Form):
    mode = forms.ChoiceField(label="方式", choices=Mode.choices, widget=forms.RadioSelect, initial=Mode.IN_PERSON)
    kind = forms.ChoiceField(label="类型（四访四问）", choices=[("", "—"), *Kind.choices], required=False)
    visited_on = forms.DateField(label="走访日期", widget=_DATE, initial=timezone.localdate)
    place = forms.CharField(label="地点", max_length=100, required=False)
    visitors = forms.CharField(label="走访人", max_length=100)
    summary = forms.CharField(label="谈话内容", widget=forms.Textarea(attrs={"rows": 3}))
    opinion_team = forms.CharField(label="对现任班子的意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    opinion_election = forms.CharField(
        label="对换届的意见建议", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    intends_to_stand = forms.BooleanField(label="有参选意向", required=False)
    intended_post = forms.CharField(label="意向职务", max_length=50, required=False)
    problems = forms.CharField(
        label="反映的问题（每行一条，自动进入问题清单）", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    # Filled on the phone only when the visitor presses 记录当前位置 and the browser's consent is given.
    latitude = forms.DecimalField(label="纬度", required=False, widget=forms.HiddenInput)
    longitude = forms.DecimalField(label="经度", required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, prospects: list[tuple[Person, str]], **kwargs: Any) -> None:
        """`prospects`: the village's prospective candidates (person, why) the visited person may be asked about;
        each gets a choice that may stay empty (not asked)."""
        super().__init__(*args, **kwargs)
        self.prospects = prospects
        for person, _ in prospects:
            self.fields[self.opinion_field(person)] = forms.ChoiceField(
                label=person.name, choices=[("", "—（未问）"), *Stance.choices], required=False
            )

    @staticmethod
    def opinion_field(person: Person) -> str:
        return f"opinion_{person.pk}"

    @property
    def visit_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in self.fields
            if not name.startswith("opinion_") and name not in ("latitude", "longitude")
        ]

    @property
    def opinion_rows(self) -> list[tuple[forms.BoundField, Person, str]]:
        return [(self[self.opinion_field(person)], person, why) for person, why in self.prospects]

    def opinions(self) -> list[tuple[int, str]]:
        """The marked opinions, for visit_record."""
        return [
            (person.pk, self.cleaned_data[self.opinion_field(person)])
            for person, _ in self.prospects
            if self.cleaned_data.get(self.opinion_field(person))
        ]


class PlanImportForm(forms.Form):
    file = forms.FileField(label="走访计划表（Excel）")


class CoverageTargetForm(forms.Form):
    group = forms.ChoiceField(label="类别", choices=Group.choices)
    percent = forms.IntegerField(label="目标覆盖率(%)", min_value=1, max_value=100)
