from __future__ import annotations

from typing import Any

from django import forms

from cunshe.people.models import ETHNICITIES, Education, Gender, Kinship, Person
from cunshe.regions.models import Region


def _choose(field: forms.Field, choices: list[tuple[Any, str]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class PersonForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号码", max_length=18, min_length=18)
    gender = forms.ChoiceField(label="性别", choices=Gender.choices)
    birth_date = forms.DateField(label="出生日期", widget=forms.DateInput(attrs={"type": "date"}))
    ethnicity = forms.ChoiceField(label="民族", choices=[(e, e) for e in ETHNICITIES], initial="汉族")
    education = forms.ChoiceField(label="学历", choices=[("", "—"), *Education.choices], required=False)
    is_party_member = forms.BooleanField(label="中共党员", required=False)
    party_joined_on = forms.DateField(label="入党时间", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    region = forms.ChoiceField(label="所在村(社区)")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, villages: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = [(v.code, f"{v.name}（{v.code}）") for v in villages]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["region_code"] = data.pop("region")
        return data


class PeopleImportForm(forms.Form):
    file = forms.FileField(label="人员花名册（Excel）")
    import_good_rows = forms.BooleanField(label="有错误的行跳过，只导入无误的行", required=False)


class RelationForm(forms.Form):
    """A close relative of the person, chosen among the people of the same village."""

    relative = forms.TypedChoiceField(label="亲属", coerce=int)
    kinship = forms.ChoiceField(label="是其", choices=Kinship.choices)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(region_id=person.region_id).exclude(pk=person.pk).order_by("name")
        _choose(self.fields["relative"], list(people.values_list("pk", "name")))
