"""ModelOut: an API answer whose keys, types, null-ness and descriptions come from the model (issue 16, item 7)."""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from pydantic import Field

from cunshe.core.schema import ModelOut, WithFields
from cunshe.people.models import Person
from cunshe.teams.models import TeamMember
from cunshe.termchanges.models import Milestone, TermChange


class MilestoneShape(ModelOut):
    class Meta:
        model = Milestone
        fields = ("id", "position", "due_on", "done_on", "version")


class TermChangeShape(ModelOut):
    milestones: list[MilestoneShape] = Field(description="节点")

    class Meta:
        model = TermChange
        fields = ("id", "county", "status", "opened_on", "milestones")


class MemberShape(ModelOut):
    class Meta:
        model = TeamMember
        fields = ("id", "person_id", ("person_name", "person__name"), "post")


class RenamedShape(ModelOut):
    class Meta:
        model = Milestone
        fields = ("id", ("deadline", "due_on"))


def test_types_null_ness_and_chinese_descriptions_come_from_the_model() -> None:
    schema = MilestoneShape.model_json_schema()
    assert schema["required"] == ["id", "position", "due_on", "done_on", "version"]  # an answer has every key
    assert schema["properties"]["due_on"] == {
        "description": "截止日期",
        "format": "date",
        "title": "Due On",
        "type": "string",
    }
    assert schema["properties"]["done_on"]["anyOf"] == [{"format": "date", "type": "string"}, {"type": "null"}]
    assert "description" not in schema["properties"]["id"]  # Django's own "ID" says nothing
    status = TermChangeShape.model_json_schema()["properties"]["status"]
    assert status["type"] == "string"
    assert status["description"].startswith("状态；取值：planned 筹备中，")  # what the stored values mean


def test_a_foreign_key_answers_its_column_without_fetching_the_row() -> None:
    # No database in this test: fetching the county's row would raise.
    term_change = TermChange(pk=7, county_id="371681", status="planned", opened_on=date(2026, 1, 5))
    term_change._prefetched_objects_cache = {"milestones": Milestone.objects.none()}  # type: ignore[attr-defined]
    answer = TermChangeShape.model_validate(term_change).model_dump(mode="json")
    assert answer == {"id": 7, "county": "371681", "status": "planned", "opened_on": "2026-01-05", "milestones": []}
    assert (
        TermChangeShape.model_json_schema(mode="serialization")["properties"]["county"]["type"] == "string"
    )  # the code


def test_a_path_reads_the_joined_row_and_a_dict_reads_its_keys() -> None:
    member = TeamMember(pk=3, person=Person(pk=9, name="张三"), post="secretary")
    assert MemberShape.model_validate(member).model_dump() == {
        "id": 3,
        "person_id": 9,
        "person_name": "张三",
        "post": "secretary",
    }
    built = {"id": 3, "person_id": 9, "person_name": "李四", "post": "secretary"}
    assert MemberShape.model_validate(built).model_dump()["person_name"] == "李四"
    assert MemberShape.model_json_schema(mode="serialization")["properties"]["person_name"]["description"] == "姓名"


def test_a_key_may_rename_a_field_of_the_same_row() -> None:
    # The pair without a path read the attribute named by the key ("deadline"), which a model does not have.
    answer = RenamedShape.model_validate(Milestone(pk=1, position=1, due_on=date(2026, 2, 1))).model_dump()
    assert answer == {"id": 1, "deadline": date(2026, 2, 1)}
    assert RenamedShape.model_validate({"id": 2, "deadline": date(2026, 3, 1)}).model_dump()["deadline"] == date(
        2026, 3, 1
    )
    assert RenamedShape.model_json_schema(mode="serialization")["properties"]["deadline"]["description"] == "截止日期"


def test_with_fields_adds_what_the_row_does_not_hold() -> None:
    term_change = TermChange(pk=7, county_id="371681", status="planned", opened_on=date(2026, 1, 5))
    row = WithFields(term_change, milestones=[Milestone(pk=1, position=1, due_on=date(2026, 2, 1))])
    answer = TermChangeShape.model_validate(row).model_dump()
    assert answer["county"] == "371681"
    assert [m["id"] for m in answer["milestones"]] == [1]


def test_a_field_the_model_does_not_have_is_refused_when_the_class_is_made() -> None:
    with pytest.raises(ImproperlyConfigured, match="no field 'colour'"):

        class Wrong(ModelOut):
            class Meta:
                model = Milestone
                fields = ("id", "colour")
