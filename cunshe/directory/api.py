"""The public directory's API under /api/v1/directory: every operation of the pages, same services; the public
list and printout without sign-in."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Status
from ninja.pagination import paginate

from cunshe.accounts.selectors import acting_user
from cunshe.core.openapi import file_answer
from cunshe.core.paging import Paged
from cunshe.core.printing import pdf_response
from cunshe.core.schema import ModelOut, Schema
from cunshe.directory import exports, printouts, selectors
from cunshe.directory.models import Entry
from cunshe.directory.permissions import entry_policy
from cunshe.directory.services import consent_record, consent_withdraw, entry_create, entry_update, fill_from_team
from cunshe.directory.views import public_region
from cunshe.spreadsheets.layout import XLSX

router = Router(tags=["领导干部电话公开"])


class DirectoryEntryOut(ModelOut):
    class Meta:
        model = Entry
        fields = (
            "id", "region", "name", "post", "duties", "office_phone", "mobile", "mobile_consent_on",
            "mobile_consent_note", "sort", "published", "version",
        )  # fmt: skip


class DirectoryEntryIn(Schema):
    region: str
    name: str
    post: str
    duties: str = ""
    office_phone: str = ""
    sort: int = 100


class DirectoryEntryUpdateIn(Schema):
    name: str
    post: str
    duties: str = ""
    office_phone: str = ""
    sort: int = 100
    published: bool = True
    version: int


class DirectoryConsentIn(Schema):
    mobile: str
    consent_on: date
    note: str
    version: int


class DirectoryVersionIn(Schema):
    version: int


class DirectoryFillOut(Schema):
    added: int
    withdrawn: int


class DirectoryPublicEntryOut(ModelOut):
    mobile: str = Field(validation_alias="public_mobile", description="手机号码（仅本人同意公开的）")

    class Meta:
        model = Entry
        fields = ("name", "post", "duties", "office_phone", "mobile")


class DirectoryPublicUnitOut(Schema):
    code: str
    name: str
    entries: list[DirectoryPublicEntryOut]


@router.get(
    "/region/{code}", response=list[DirectoryEntryOut], url_name="api_directory_list", summary="电话公开条目（分页）"
)
@paginate(Paged)
def entries(request: HttpRequest, code: str) -> QuerySet[Entry]:
    # The county with its towns' and villages' entries (the list stopped at 1,000 without saying so).
    region = entry_policy.rollup_region(request.user, code, fallback=False)
    return selectors.entries_for_staff(request.user, region)


@router.post(
    "/region/{code}/fill",
    response=DirectoryFillOut,
    url_name="api_directory_fill",
    summary="按班子现任职务更新村(社区)条目",
)
def fill(request: HttpRequest, code: str) -> dict[str, int]:
    village = entry_policy.village_or_404(request.user, code)
    added, withdrawn = fill_from_team(actor=acting_user(request), village_code=village.code)
    return {"added": added, "withdrawn": withdrawn}


@router.post("/entries", response={201: DirectoryEntryOut}, url_name="api_directory_new", summary="登记电话公开条目")
def entry_new(request: HttpRequest, payload: DirectoryEntryIn) -> Status:
    d = payload.dict()
    return Status(201, entry_create(actor=acting_user(request), region_code=d.pop("region"), **d))


@router.post(
    "/entries/{entry_id}", response=DirectoryEntryOut, url_name="api_directory_change", summary="修改电话公开条目"
)
def entry_change(request: HttpRequest, entry_id: int, payload: DirectoryEntryUpdateIn) -> Entry:
    d = payload.dict()
    version = d.pop("version")
    e = entry_update(
        actor=acting_user(request),
        entry=entry_policy.get_or_404(request.user, pk=entry_id),
        expected_version=version,
        **d,
    )
    return e


@router.post(
    "/entries/{entry_id}/consent",
    response=DirectoryEntryOut,
    url_name="api_directory_consent",
    summary="登记本人同意公开手机号码",
)
def consent(request: HttpRequest, entry_id: int, payload: DirectoryConsentIn) -> Entry:
    e = consent_record(
        actor=acting_user(request),
        entry=entry_policy.get_or_404(request.user, pk=entry_id),
        mobile=payload.mobile,
        consent_on=payload.consent_on,
        note=payload.note,
        expected_version=payload.version,
    )
    return e


@router.post(
    "/entries/{entry_id}/withdraw",
    response=DirectoryEntryOut,
    url_name="api_directory_withdraw",
    summary="撤回公开手机号码的同意",
)
def withdraw(request: HttpRequest, entry_id: int, payload: DirectoryVersionIn) -> Entry:
    e = consent_withdraw(
        actor=acting_user(request),
        entry=entry_policy.get_or_404(request.user, pk=entry_id),
        expected_version=payload.version,
    )
    return e


@router.get(
    "/public/{code}",
    auth=None,
    response=list[DirectoryPublicUnitOut],
    url_name="api_directory_public",
    summary="公开：领导干部电话",
)
def public(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    region = public_region(code)
    return [{"code": unit.code, "name": unit.name, "entries": items} for unit, items in selectors.public_groups(region)]


@router.get(
    "/public/{code}/print.pdf",
    auth=None,
    url_name="api_directory_print",
    summary="公开：打印领导干部电话",
    openapi_extra=file_answer("application/pdf", "PDF 文档"),
)
def public_print(request: HttpRequest, code: str) -> HttpResponse:
    region = public_region(code)
    return pdf_response(printouts.directory_pdf(region), f"{region.name}领导干部电话公开.pdf")


@router.get(
    "/public/{code}/ledger.xlsx",
    auth=None,
    url_name="api_directory_ledger",
    summary="公开：导出领导干部电话公开台账（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def public_ledger(request: HttpRequest, code: str) -> HttpResponse:
    return exports.ledger_response(public_region(code))
