from datetime import date
from io import BytesIO
from typing import Any, BinaryIO, cast

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cunshe.accounts.selectors import acting_user
from cunshe.core.errors import NotPermitted
from cunshe.core.kept_answers import kept_answer
from cunshe.core.openapi import file_answer
from cunshe.core.paging import Paged, RowsOfQuery
from cunshe.core.schema import ModelOut, Schema
from cunshe.negativelist.selectors import flagged_person_ids
from cunshe.people.exports import people_export, people_import
from cunshe.people.models import Person
from cunshe.people.permissions import person_policy
from cunshe.people.selectors import (
    people_for_export,
    people_visible,
    person_values,
    relations_of,
    shows_id_number,
    villages_user_may_change,
)
from cunshe.people.services import person_create, person_update, relation_add
from cunshe.spreadsheets.layout import XLSX, xlsx_response
from cunshe.spreadsheets.schemas import ImportReportOut

router = Router(tags=["人员"])


class PersonOut(ModelOut):
    id_number: str = Field(description="身份证号码（无权查看完整号码的，打码）")
    # An unresolved negative-list entry; the details only in the negative list, for the few.
    negative_flag: bool = Field(description="列入负面清单且未解除")

    class Meta:
        model = Person
        fields = (
            "id", "name", "gender", "birth_date", "ethnicity", "education", "is_party_member", "party_joined_on",
            "phone", "id_number", "region", "version", "negative_flag",
        )  # fmt: skip


class PersonIn(Schema):
    name: str
    id_number: str
    region: str
    gender: str = ""
    birth_date: date | None = None
    ethnicity: str = "汉族"
    education: str = ""
    is_party_member: bool = False
    party_joined_on: date | None = None
    phone: str = ""


class PersonPatch(Schema):
    version: int
    name: str | None = None
    id_number: str | None = None
    region: str | None = None
    gender: str | None = None
    birth_date: date | None = None
    ethnicity: str | None = None
    education: str | None = None
    is_party_member: bool | None = None
    party_joined_on: date | None = None
    phone: str | None = None


class PeopleFilter(Schema):
    q: str = ""
    under: str = ""


def _out(request: HttpRequest, person: Person, flags: set[int] | None = None) -> dict[str, object]:
    """`flags` are the flagged people of the user's regions, read once for a whole list. A dict of plain values,
    which `core.schema.Schema` validates without ninja's getter (the people list is the longest list there is)."""
    shown = person.id_number if shows_id_number(request.user, person) else person.id_number_masked
    flagged = person.pk in (flagged_person_ids(request.user) if flags is None else flags)
    return {**person_values(person), "id": person.pk, "id_number": shown, "negative_flag": flagged}


@router.get("", response=list[PersonOut], url_name="api_people_list", summary="可见人员")
@kept_answer("people.list")
@paginate(Paged)
def people_list(request: HttpRequest, filters: Query[PeopleFilter]) -> RowsOfQuery[Person]:
    flags = flagged_person_ids(request.user)
    people = people_visible(request.user, under=filters.under, query=filters.q)
    return RowsOfQuery(people, lambda p: _out(request, p, flags))


@router.post("", response={201: PersonOut}, url_name="api_people_create", summary="登记人员")
def people_create(request: HttpRequest, payload: PersonIn) -> Status:
    data = payload.dict()
    person = person_create(actor=acting_user(request), region_code=data.pop("region"), **data)
    return Status(201, _out(request, person))


@router.get(
    "/export.xlsx",
    url_name="api_people_export",
    summary="人员花名册（Excel，导入时用同一格式；无权查看完整身份证号码的人员打码）",
    openapi_extra=file_answer(XLSX, "人员花名册"),
)
def people_download(request: HttpRequest, under: str = "", q: str = "") -> HttpResponse:
    buffer = BytesIO()
    people_export(people=people_for_export(request.user, under=under, query=q), target=buffer)
    return xlsx_response(buffer.getvalue(), "人员花名册.xlsx")


@router.post(
    "/import",
    response=ImportReportOut,
    url_name="api_people_import",
    summary="从 Excel 导入人员花名册（multipart 字段 file；任一行有误则不保存，除非 import_good_rows 为真）",
)
def people_upload(
    request: HttpRequest, file: File[UploadedFile], import_good_rows: Form[bool] = False
) -> dict[str, Any]:
    if not villages_user_may_change(request.user):
        raise NotPermitted("您无权导入人员。")
    report = people_import(actor=acting_user(request), stream=cast(BinaryIO, file), import_good_rows=import_good_rows)
    return report.answer()


@router.get("/{person_id}", response=PersonOut, url_name="api_people_detail", summary="人员详情")
def people_detail(request: HttpRequest, person_id: int) -> dict[str, object]:
    return _out(request, person_policy.get_or_404(request.user, pk=person_id))


@router.patch("/{person_id}", response=PersonOut, url_name="api_people_update", summary="修改人员（须带 version）")
def people_update(request: HttpRequest, person_id: int, payload: PersonPatch) -> dict[str, object]:
    person = person_policy.get_or_404(request.user, pk=person_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    person = person_update(actor=acting_user(request), person=person, expected_version=version, **changes)
    return _out(request, person)


class PersonRelationOut(Schema):
    relative_id: int
    name: str
    kinship: str  # how the relative is related to the person, in Chinese (配偶、子女…)


class PersonRelationIn(Schema):
    relative_id: int
    kinship: str  # spouse, parent, child, sibling, grandparent, grandchild: the relative is the person's …


def _relations(person: Person) -> list[dict[str, object]]:
    return [{"relative_id": r.pk, "name": r.name, "kinship": label} for r, label in relations_of(person)]


@router.get(
    "/{person_id}/relations", response=list[PersonRelationOut], url_name="api_people_relations", summary="近亲属"
)
def relations_list(request: HttpRequest, person_id: int) -> list[dict[str, object]]:
    return _relations(person_policy.get_or_404(request.user, pk=person_id))


@router.post(
    "/{person_id}/relations",
    response={201: list[PersonRelationOut]},
    url_name="api_people_relation_add",
    summary="登记近亲属",
)
def relations_create(request: HttpRequest, person_id: int, payload: PersonRelationIn) -> Status:
    person = person_policy.get_or_404(request.user, pk=person_id)
    relative = person_policy.get_or_404(request.user, pk=payload.relative_id)
    relation_add(actor=acting_user(request), person=person, relative=relative, kinship=payload.kinship)
    return Status(201, _relations(person))
