"""The handover API: every operation of the pages (views.py), through the same selectors and services. Files the
pages upload come as base64 in JSON (scans) or as rows (templates); the PDFs come back as application/pdf."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any, BinaryIO, cast

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import Field, File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cunshe.access.roles import Role
from cunshe.accounts.selectors import acting_user
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.paging import Paged
from cunshe.core.schema import ModelOut, Schema, WithFields
from cunshe.handovers.models import (
    LEGAL_FLOOR_DAYS,
    CareRecord,
    ConductRecord,
    Confirmation,
    FreezeNotice,
    GroupMember,
    Handover,
    HandoverItem,
    HandoverSettings,
    Leftover,
    LeftoverNote,
    Scan,
    Template,
    VillageSummary,
)
from cunshe.handovers.pdf import (
    freeze_notice_response,
    handover_notice_response,
    leaving_notice_response,
    letter_response,
)
from cunshe.handovers.permissions import (
    handover_policy,
    item_policy,
    leftover_policy,
    scan_policy,
    settings_policy,
    template_policy,
)
from cunshe.handovers.selectors import (
    SUPERVISOR_ROLES,
    WORKING_GROUP_ROLES,
    conduct_of,
    handover_full,
    handovers_visible,
    leftover_full,
    leftovers_visible,
    rollup,
    staff_for,
    unit_staff,
)
from cunshe.handovers.services import (
    care_record,
    handover_confirm,
    handover_open,
    item_update,
    leftover_add,
    leftover_flag,
    leftover_move,
    leftover_note,
    parties_for,
    scan_add,
    settings_for,
    settings_update,
    template_create,
    templates_ensure_defaults,
)
from cunshe.handovers.spreadsheets import rollup_response, template_export, template_import
from cunshe.handovers.units import (
    UNIT_LEVELS,
    conduct_file,
    edition_on,
    freeze_notice_send,
    inquiry_add,
    inquiry_answer,
    unit_handover_open,
)
from cunshe.handovers.views import unit_choices
from cunshe.people.permissions import person_policy
from cunshe.people.selectors import people_visible
from cunshe.regions.models import Level, Region
from cunshe.spreadsheets.layout import XLSX, xlsx_response
from cunshe.spreadsheets.schemas import ImportReportOut

router = Router(tags=["工作交接"])


# --- schemas ----------------------------------------------------------------------------------------------


class ScanOut(ModelOut):
    class Meta:
        model = Scan
        fields = ("id", "name", "content_type", "size", "uploaded_at")


class ItemOut(ModelOut):
    class Meta:
        model = HandoverItem
        fields = (
            "id", "position", "section", "title", "item_kind", "expected", "status", "count", "amount", "details",
            "discrepancy", "version",
        )  # fmt: skip


class ItemDetailOut(ItemOut):
    scans: list[ScanOut]


class HandoverOut(ModelOut):
    confirmed: list[str] = Field(description="已确认（未作废）的各方")

    class Meta:
        model = Handover
        fields = (
            "id", "region", "kind", "post", ("outgoing", "outgoing__name"), ("incoming", "incoming__name"), "status",
            "due_at", "accounts_frozen", "confirmed", "version",
        )  # fmt: skip

    @staticmethod
    def resolve_confirmed(h: Handover) -> list[str]:
        return [c.party for c in h.confirmations.all() if c.voided_at is None]


class ConfirmationOut(ModelOut):
    on_paper: bool = Field(description="纸质签字，由交接工作组登记（移交人、接收人）")

    class Meta:
        model = Confirmation
        fields = (
            "party", ("confirmed_by", "confirmed_by__display_name"), "confirmed_at", "on_paper", "voided_at",
            "voided_because",
        )  # fmt: skip


class LeftoverOut(ModelOut):
    class Meta:
        model = Leftover
        fields = ("id", "region", "handover_id", "title", "owner", "due_on", "status", "accountability", "version")


class NoteOut(ModelOut):
    written_by: str = Field(description="记录人（系统记录为“系统”）")

    class Meta:
        model = LeftoverNote
        fields = ("id", "text", "written_by", "written_at")

    @staticmethod
    def resolve_written_by(n: LeftoverNote) -> str:
        return n.written_by.display_name if n.written_by else "系统"


class LeftoverDetailOut(LeftoverOut):
    supervisor: str = Field(description="督办人（未定为空）")
    notes: list[NoteOut]

    class Meta:
        model = Leftover
        fields = ("is_inquiry", "answer", "answered_on", "supervisor", "closed_on", "accountability_note", "notes")

    @staticmethod
    def resolve_supervisor(lo: Leftover) -> str:
        return lo.supervisor.display_name if lo.supervisor else ""


class CareOut(ModelOut):
    class Meta:
        model = CareRecord
        fields = ("act", "done_on", "note")


class HandoverGroupMemberOut(ModelOut):
    class Meta:
        model = GroupMember
        fields = ("party", ("user", "user__display_name"), "department")


class HandoverFreezeNoticeOut(ModelOut):
    class Meta:
        model = FreezeNotice
        fields = ("kind", "addressed_to", "sent_at")


class HandoverDetailOut(HandoverOut):
    group: list[HandoverGroupMemberOut]
    freeze_notices: list[HandoverFreezeNoticeOut]
    confirmations: list[ConfirmationOut]
    may_confirm: list[str] = Field(description="当前账号可以确认的各方")
    items: list[ItemDetailOut]
    leftovers: list[LeftoverOut]
    care: list[CareOut]

    class Meta:
        model = Handover
        fields = (
            "unit_name", "group", "freeze_notices", ("template", "template__name"),
            ("working_group", "working_group__display_name"), "working_group_members",
            ("supervisor", "supervisor__display_name"), "starts_on", "meeting_at", "meeting_place", "completed_at",
            "confirmations", "may_confirm", "items", "leftovers", "care",
        )  # fmt: skip


class ItemIn(Schema):
    status: str
    count: int | None = None
    amount: Decimal | None = None
    details: str = ""
    discrepancy: str = ""
    version: int


class ConfirmIn(Schema):
    party: str
    version: int


class HandoverOpenIn(Schema):
    template: int
    outgoing: int
    incoming: int
    working_group: int
    supervisor: int
    starts_on: date
    meeting_at: datetime
    meeting_place: str
    post: str = ""
    days: int | None = None
    working_group_members: str = ""


class ChoiceOut(Schema):
    id: int
    name: str


class TemplateChoiceOut(ChoiceOut):
    kind: str


class OpenChoicesOut(Schema):
    village: str
    village_name: str
    templates: list[TemplateChoiceOut]
    people: list[ChoiceOut]
    working_group: list[ChoiceOut]
    supervisor: list[ChoiceOut]
    leader_days: int
    committee_days: int
    legal_floor_days: int


class ScanIn(Schema):
    name: str
    content_type: str
    content_base64: str


class LeftoverIn(Schema):
    title: str
    owner: str
    due_on: date


class NoteIn(Schema):
    text: str


class FlagIn(Schema):
    accountability: str = ""
    accountability_note: str = ""
    version: int


class HandoverMoveIn(Schema):
    to_status: str
    version: int


class CareIn(Schema):
    act: str
    done_on: date
    note: str = ""


class TemplateItemSchema(Schema):
    section: str
    title: str
    item_kind: str
    expected: str = ""


class HandoverTemplateOut(ModelOut):
    items: list[TemplateItemSchema]

    class Meta:
        model = Template
        fields = ("id", "county", "kind", "name", "items")


class TemplateIn(Schema):
    name: str
    kind: str
    items: list[TemplateItemSchema]


class SettingsOut(ModelOut):
    county_name: str
    legal_floor_days: int
    version: int | None
    templates: list[HandoverTemplateOut]

    class Meta:
        model = HandoverSettings
        fields = (
            "county", "county_name", "leader_days", "committee_days", "copies", "legal_floor_days", "version",
            "templates",
        )  # fmt: skip


class SettingsIn(Schema):
    leader_days: int
    committee_days: int
    copies: int
    version: int | None = None


class HandoverRollupRowOut(ModelOut):
    code: str
    name: str
    overdue: int

    class Meta:
        model = VillageSummary
        fields = ("code", "name", "planned", "done", "overdue", "frozen", "leftovers_open")


class HandoverRollupOut(Schema):
    region: str
    name: str
    rows: list[HandoverRollupRowOut]
    total: HandoverRollupRowOut


# --- shaping ----------------------------------------------------------------------------------------------


def _detail(request: HttpRequest, handover_id: int) -> WithFields:
    h = handover_full(request.user, handover_id)
    return WithFields(h, may_confirm=parties_for(acting_user(request), h))


def _leftover_detail(request: HttpRequest, leftover_id: int) -> Leftover:
    return leftover_full(request.user, leftover_id)


def _county_or_404(request: HttpRequest, code: str) -> Region:
    """A county whose settings the user may read (everyone working under it); anything else does not exist."""
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None or not settings_policy.can_in_region(request.user, "view", code):
        raise Http404("未找到该县。")
    return county


def _pick[M: Model](queryset: QuerySet[M], pk: int, field: str, message: str, errors: dict[str, list[str]]) -> M | None:
    """One of the choices the page's form would offer, else a field error (that says nothing of what exists
    elsewhere)."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        errors[field] = [message]
    return found


def _rollup_region(request: HttpRequest, code: str) -> Region:
    region: Region = handover_policy.rollup_region(request.user, code, fallback=False)
    if region.level >= Level.VILLAGE:
        raise Http404("请选择县或乡镇(街道)。")
    return region


def _aware(moment: datetime) -> datetime:
    """A time sent without an offset is the county's local time, as on the page's form."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


# --- handovers --------------------------------------------------------------------------------------------


# Both lists page (core.paging): they answered their first 1,000 rows and said nothing of the rest.
@router.get("", response=list[HandoverOut], url_name="api_handovers_list", summary="可见的交接")
@paginate(Paged)
def handover_list(request: HttpRequest, under: str = "") -> QuerySet[Handover]:
    handovers = handovers_visible(request.user, under=under).prefetch_related("confirmations")
    return handovers.order_by("-created_at", "-pk")


@router.get(
    "/rollup/{code}", response=HandoverRollupOut, url_name="api_handovers_rollup", summary="按县、乡镇汇总交接进度"
)
def rollup_table(request: HttpRequest, code: str) -> dict[str, object]:
    region = _rollup_region(request, code)
    rows, total = rollup(region)
    return {"region": region.code, "name": region.name, "rows": rows, "total": total}


@router.get(
    "/rollup/{code}/export",
    url_name="api_handovers_rollup_export",
    summary="交接汇总表（Excel）",
    openapi_extra=file_answer(XLSX, "交接汇总 Excel 表"),
)
def rollup_download(request: HttpRequest, code: str) -> HttpResponse:
    region = _rollup_region(request, code)
    return rollup_response(region)


@router.get(
    "/village/{code}/choices",
    response=OpenChoicesOut,
    url_name="api_handovers_open_choices",
    summary="开始交接可选的模板、人员、工作组、监交人和期限",
)
def open_choices(request: HttpRequest, code: str) -> dict[str, object]:
    village = handover_policy.village_or_404(request.user, code, "change")
    templates_ensure_defaults(actor=SYSTEM, county_code=code[:6])
    rules = settings_for(code)
    return {
        "village": village.code,
        "village_name": village.name,
        "templates": list(Template.objects.filter(county_id=code[:6]).values("id", "name", "kind")),
        "people": list(people_visible(request.user, under=code).values("id", "name")),
        "working_group": [{"id": u.pk, "name": u.display_name} for u in staff_for(code, WORKING_GROUP_ROLES)],
        "supervisor": [{"id": u.pk, "name": u.display_name} for u in staff_for(code, SUPERVISOR_ROLES)],
        "leader_days": rules.leader_days,
        "committee_days": min(rules.committee_days, LEGAL_FLOOR_DAYS),
        "legal_floor_days": LEGAL_FLOOR_DAYS,
    }


@router.post(
    "/village/{code}",
    response={201: HandoverDetailOut},
    url_name="api_handovers_open",
    summary="开始交接（换届交接或主要负责人离任交接）",
)
def open_handover(request: HttpRequest, code: str, payload: HandoverOpenIn) -> Status:
    handover_policy.village_or_404(request.user, code, "change")
    templates_ensure_defaults(actor=SYSTEM, county_code=code[:6])
    errors: dict[str, list[str]] = {}
    people = people_visible(request.user, under=code)
    template = _pick(
        Template.objects.filter(county_id=code[:6]), payload.template, "template", "请选择本县的交接模板。", errors
    )
    outgoing = _pick(people, payload.outgoing, "outgoing", "请选择本村(社区)登记的移交人。", errors)
    incoming = _pick(people, payload.incoming, "incoming", "请选择本村(社区)登记的接收人。", errors)
    working_group = _pick(
        staff_for(code, WORKING_GROUP_ROLES),
        payload.working_group,
        "working_group",
        "交接工作组须为负责该村(社区)的乡镇(街道)干部。",
        errors,
    )
    supervisor = _pick(
        staff_for(code, SUPERVISOR_ROLES),
        payload.supervisor,
        "supervisor",
        "监交人须为负责该村(社区)的纪检监督人员。",
        errors,
    )
    if template is None or outgoing is None or incoming is None or working_group is None or supervisor is None:
        raise DomainError("交接信息有误，未保存。", errors)
    handover = handover_open(
        actor=acting_user(request),
        village_code=code,
        template=template,
        outgoing=outgoing,
        incoming=incoming,
        working_group=working_group,
        supervisor=supervisor,
        starts_on=payload.starts_on,
        meeting_at=_aware(payload.meeting_at),
        meeting_place=payload.meeting_place,
        post=payload.post,
        days=payload.days,
        working_group_members=payload.working_group_members,
    )
    return Status(201, _detail(request, handover.pk))


@router.get("/leftovers", response=list[LeftoverOut], url_name="api_handovers_leftovers", summary="遗留事项")
@paginate(Paged)
def leftover_list(request: HttpRequest, under: str = "", open_only: bool = False) -> QuerySet[Leftover]:
    return leftovers_visible(request.user, under=under, open_only=open_only)


@router.get("/{handover_id}", response=HandoverDetailOut, url_name="api_handovers_detail", summary="交接详情")
def handover_detail(request: HttpRequest, handover_id: int) -> WithFields:
    return _detail(request, handover_id)


@router.put("/items/{item_id}", response=ItemOut, url_name="api_handovers_item", summary="登记交接事项")
def item_put(request: HttpRequest, item_id: int, payload: ItemIn) -> HandoverItem:
    item = item_policy.get_or_404(request.user, pk=item_id)
    return item_update(
        actor=acting_user(request),
        item=item,
        status=payload.status,
        count=payload.count,
        amount=payload.amount,
        details=payload.details,
        discrepancy=payload.discrepancy,
        expected_version=payload.version,
    )


@router.post(
    "/items/{item_id}/scans",
    response={201: ScanOut},
    url_name="api_handovers_scan_upload",
    summary="上传交接事项的照片/扫描件（Base64）",
)
def scan_upload(request: HttpRequest, item_id: int, payload: ScanIn) -> Status:
    item = item_policy.get_or_404(request.user, pk=item_id)
    try:
        content = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DomainError("上传失败。", {"content_base64": ["不是有效的 Base64 内容。"]}) from exc
    scan = scan_add(
        actor=acting_user(request), item=item, name=payload.name, content_type=payload.content_type, content=content
    )
    return Status(201, scan)


@router.get(
    "/scans/{scan_id}",
    url_name="api_handovers_scan",
    summary="照片/扫描件原文件",
    openapi_extra=file_answer("application/octet-stream", "上传时的文件（JPG、PNG 或 PDF）"),
)
def scan_file(request: HttpRequest, scan_id: int) -> HttpResponse:
    scan = scan_policy.get_or_404(request.user, pk=scan_id)
    response = HttpResponse(bytes(scan.content), content_type=scan.content_type)
    response["Content-Disposition"] = content_disposition_header(False, scan.name) or "inline"
    return response


@router.post("/{handover_id}/confirm", response=HandoverOut, url_name="api_handovers_confirm", summary="签字确认")
def confirm(request: HttpRequest, handover_id: int, payload: ConfirmIn) -> Handover:
    handover = handover_policy.get_or_404(request.user, pk=handover_id)
    done = handover_confirm(
        actor=acting_user(request), handover=handover, party=payload.party, expected_version=payload.version
    )
    return handover_full(request.user, done.pk)


@pdf_route(
    router,
    "/{handover_id}/letter.pdf",
    url_name="api_handovers_letter",
    summary="交接书（PDF，按县设置的份数）",
    title="交接书",
)
def letter(request: HttpRequest, handover_id: int) -> HttpResponse:
    handover = handover_full(request.user, handover_id)
    return letter_response(handover, copies=settings_for(handover.region_id).copies)


@pdf_route(
    router,
    "/{handover_id}/leaving-notice.pdf",
    url_name="api_handovers_leaving_notice",
    summary="离任通知书（PDF）",
    title="离任通知书",
)
def leaving_notice(request: HttpRequest, handover_id: int) -> HttpResponse:
    return leaving_notice_response(handover_full(request.user, handover_id))


@pdf_route(
    router,
    "/{handover_id}/notice.pdf",
    url_name="api_handovers_notice",
    summary="交接通知书（PDF）",
    title="交接通知书",
)
def handover_notice(request: HttpRequest, handover_id: int) -> HttpResponse:
    return handover_notice_response(handover_full(request.user, handover_id))


@router.post(
    "/{handover_id}/leftovers",
    response={201: LeftoverOut},
    url_name="api_handovers_leftover_new",
    summary="登记遗留事项",
)
def leftover_new(request: HttpRequest, handover_id: int, payload: LeftoverIn) -> Status:
    handover = handover_policy.get_or_404(request.user, pk=handover_id)
    leftover = leftover_add(
        actor=acting_user(request),
        handover=handover,
        title=payload.title,
        owner=payload.owner,
        due_on=payload.due_on,
    )
    return Status(201, leftover)


@router.post("/{handover_id}/care", response=CareOut, url_name="api_handovers_care", summary="记录“六个一”荣退关爱事项")
def care(request: HttpRequest, handover_id: int, payload: CareIn) -> Any:
    handover = handover_policy.get_or_404(request.user, pk=handover_id)
    return care_record(
        actor=acting_user(request), handover=handover, act=payload.act, done_on=payload.done_on, note=payload.note
    )


# --- leftover items ---------------------------------------------------------------------------------------


@router.get(
    "/leftovers/{leftover_id}", response=LeftoverDetailOut, url_name="api_handovers_leftover", summary="遗留事项详情"
)
def leftover_detail(request: HttpRequest, leftover_id: int) -> Leftover:
    return _leftover_detail(request, leftover_id)


@router.post(
    "/leftovers/{leftover_id}/progress",
    response={201: NoteOut},
    url_name="api_handovers_leftover_progress",
    summary="记录遗留事项进展",
)
def leftover_progress(request: HttpRequest, leftover_id: int, payload: NoteIn) -> Status:
    leftover = leftover_policy.get_or_404(request.user, pk=leftover_id)
    user = acting_user(request)
    return Status(201, leftover_note(actor=user, leftover=leftover, text=payload.text))


@router.put(
    "/leftovers/{leftover_id}/accountability",
    response=LeftoverDetailOut,
    url_name="api_handovers_leftover_accountability",
    summary="认定问责情形（应交未交、交接失实、接后失管）",
)
def leftover_accountability(request: HttpRequest, leftover_id: int, payload: FlagIn) -> Leftover:
    leftover = leftover_policy.get_or_404(request.user, pk=leftover_id)
    leftover_flag(
        actor=acting_user(request),
        leftover=leftover,
        accountability=payload.accountability,
        note=payload.accountability_note,
        expected_version=payload.version,
    )
    return _leftover_detail(request, leftover_id)


@router.post(
    "/leftovers/{leftover_id}/status",
    response=LeftoverDetailOut,
    url_name="api_handovers_leftover_status",
    summary="遗留事项办结或重新打开",
)
def leftover_status(request: HttpRequest, leftover_id: int, payload: HandoverMoveIn) -> Leftover:
    leftover = leftover_policy.get_or_404(request.user, pk=leftover_id)
    leftover_move(
        actor=acting_user(request), leftover=leftover, to_status=payload.to_status, expected_version=payload.version
    )
    return _leftover_detail(request, leftover_id)


# --- county settings and templates ------------------------------------------------------------------------


@router.get("/settings/{code}", response=SettingsOut, url_name="api_handovers_settings", summary="县交接设置与模板")
def county_settings(request: HttpRequest, code: str) -> dict[str, object]:
    county = _county_or_404(request, code)
    current = settings_for(code)
    templates = template_policy.visible_to(request.user).filter(county_id=code).prefetch_related("items")
    return {
        "county": county.code,
        "county_name": county.name,
        "leader_days": current.leader_days,
        "committee_days": current.committee_days,
        "copies": current.copies,
        "legal_floor_days": LEGAL_FLOOR_DAYS,
        "version": current.version if current.pk is not None else None,
        "templates": templates,
    }


@router.put(
    "/settings/{code}",
    response=SettingsOut,
    url_name="api_handovers_settings_update",
    summary="修改县交接期限和交接书份数（换届交接不超过法定 10 日）",
)
def county_settings_update(request: HttpRequest, code: str, payload: SettingsIn) -> dict[str, object]:
    _county_or_404(request, code)
    settings_update(
        actor=acting_user(request),
        county_code=code,
        leader_days=payload.leader_days,
        committee_days=payload.committee_days,
        copies=payload.copies,
        expected_version=payload.version,
    )
    return county_settings(request, code)


@router.post(
    "/settings/{code}/templates",
    response={201: HandoverTemplateOut},
    url_name="api_handovers_template_create",
    summary="新建本县交接模板（逐项）",
)
def template_new(request: HttpRequest, code: str, payload: TemplateIn) -> Status:
    _county_or_404(request, code)
    template = template_create(
        actor=acting_user(request),
        county_code=code,
        kind=payload.kind,
        name=payload.name,
        items=[(i.section, i.title, i.item_kind, i.expected) for i in payload.items],
    )
    return Status(201, template)


@router.post(
    "/settings/{code}/templates/import",
    response={201: ImportReportOut},
    url_name="api_handovers_template_import",
    summary="从 Excel 导入本县交接模板（multipart：kind、name、file；格式同模板下载）",
)
def template_upload(
    request: HttpRequest, code: str, kind: Form[str], name: Form[str], file: File[UploadedFile]
) -> Status:
    _county_or_404(request, code)
    report = template_import(
        actor=acting_user(request), county_code=code, kind=kind, name=name, stream=cast(BinaryIO, file)
    )
    return Status(201, report.answer())


@router.get(
    "/templates/{template_id}.xlsx",
    url_name="api_handovers_template_export",
    summary="交接模板（Excel，导入时用同一格式）",
    openapi_extra=file_answer(XLSX, "交接模板"),
)
def template_xlsx(request: HttpRequest, template_id: int) -> HttpResponse:
    template = template_policy.get_or_404(
        request.user, queryset=Template.objects.prefetch_related("items"), pk=template_id
    )
    buffer = BytesIO()
    template_export(template=template, target=buffer)
    return xlsx_response(buffer.getvalue(), f"{template.name}.xlsx")


@router.get(
    "/templates/{template_id}", response=HandoverTemplateOut, url_name="api_handovers_template", summary="交接模板"
)
def template_detail(request: HttpRequest, template_id: int) -> Template:
    template = template_policy.get_or_404(
        request.user, queryset=Template.objects.prefetch_related("items"), pk=template_id
    )
    return template


# --- leader handovers in a town or county unit (seed 003) ---------------------------------------------------


class UnitGroupMemberIn(Schema):
    party: str = Field(description="group_organization / group_discipline / group_finance / group_audit")
    user: int
    department: str


class UnitHandoverOpenIn(Schema):
    unit_name: str
    post: str
    outgoing: int
    incoming: int
    working_group: int
    group: list[UnitGroupMemberIn]
    starts_on: date
    meeting_at: datetime
    meeting_place: str
    days: int | None = None
    working_group_members: str = ""


class UnitChoicesOut(Schema):
    region: str
    region_name: str
    choices: dict[str, list[ChoiceOut]]
    leader_days: int
    edition: str


class FreezeIn(Schema):
    addressed_to: str = "财政局"


class InquiryIn(Schema):
    question: str
    due_on: date


class InquiryAnswerIn(Schema):
    answer: str
    version: int


class ConductIn(Schema):
    conduct: str


class ConductRecordOut(ModelOut):
    class Meta:
        model = ConductRecord
        fields = ("id", "handover_id", "unit_name", "post", "handover_summary", "conduct", "filed_at")


def _unit_region_or_404(request: HttpRequest, code: str) -> Region:
    region = Region.objects.filter(code=code, level__in=UNIT_LEVELS).first()
    if region is None or not handover_policy.can_in_region(request.user, "change", code):
        raise Http404("未找到该单位所在区域。")
    return region


@router.get(
    "/units/{code}/choices",
    response=UnitChoicesOut,
    url_name="api_handovers_unit_choices",
    summary="领导干部离任交接可选的人员、组织者与监交组成员",
)
def unit_open_choices(request: HttpRequest, code: str) -> dict[str, object]:
    region = _unit_region_or_404(request, code)
    return {
        "region": region.code,
        "region_name": region.name,
        "choices": {
            k: [{"id": pk, "name": name} for pk, name in v] for k, v in unit_choices(request.user, code).items()
        },
        "leader_days": settings_for(code).leader_days,
        "edition": edition_on(timezone.localdate())[1],
    }


@router.post(
    "/units/{code}",
    response={201: HandoverDetailOut},
    url_name="api_handovers_unit_open",
    summary="开始领导干部离任交接（乡镇或县直单位，一单一表）",
)
def unit_open(request: HttpRequest, code: str, payload: UnitHandoverOpenIn) -> Status:
    _unit_region_or_404(request, code)
    errors: dict[str, list[str]] = {}
    people = people_visible(request.user, under=code)
    outgoing = _pick(people, payload.outgoing, "outgoing", "请选择本单位所在区域登记的离任人。", errors)
    incoming = _pick(people, payload.incoming, "incoming", "请选择本单位所在区域登记的接任人。", errors)
    working_group = _pick(
        unit_staff(code, WORKING_GROUP_ROLES), payload.working_group, "working_group", "请选择组织交接的干部。", errors
    )
    group = []
    for member in payload.group:
        user = _pick(unit_staff(code[:6], Role.values), member.user, member.party, "请选择本县的账号。", errors)
        if user is not None:
            group.append((member.party, user, member.department))
    if outgoing is None or incoming is None or working_group is None or errors:
        raise DomainError("交接信息有误，未保存。", errors)
    handover = unit_handover_open(
        actor=acting_user(request),
        region_code=code,
        unit_name=payload.unit_name,
        post=payload.post,
        outgoing=outgoing,
        incoming=incoming,
        working_group=working_group,
        group=group,
        starts_on=payload.starts_on,
        meeting_at=_aware(payload.meeting_at),
        meeting_place=payload.meeting_place,
        days=payload.days,
        working_group_members=payload.working_group_members,
    )
    return Status(201, _detail(request, handover.pk))


@router.post(
    "/{handover_id}/freeze",
    response={201: HandoverFreezeNoticeOut},
    url_name="api_handovers_freeze",
    summary="向财政部门发送账户冻结通知",
)
def freeze(request: HttpRequest, handover_id: int, payload: FreezeIn) -> Status:
    handover = handover_policy.get_or_404(request.user, pk=handover_id)
    return Status(
        201, freeze_notice_send(actor=acting_user(request), handover=handover, addressed_to=payload.addressed_to)
    )


@pdf_route(
    router,
    "/{handover_id}/finance-notices/{kind}.pdf",
    url_name="api_handovers_freeze_notice",
    summary="账户冻结通知或解冻通知（PDF；kind 为 freeze 或 lift）",
    title="账户冻结通知",
)
def freeze_notice(request: HttpRequest, handover_id: int, kind: str) -> HttpResponse:
    handover = handover_full(request.user, handover_id)
    notice = next((n for n in handover.freeze_notices.all() if n.kind == kind), None)
    if notice is None:
        raise Http404("尚未发送该通知。")
    notice.handover = handover
    return freeze_notice_response(notice)


@router.post(
    "/{handover_id}/inquiries",
    response={201: LeftoverDetailOut},
    url_name="api_handovers_inquiry_new",
    summary="登记接任人的询问追问（遗留事项，有答复期限）",
)
def inquiry_new(request: HttpRequest, handover_id: int, payload: InquiryIn) -> Status:
    handover = handover_policy.get_or_404(request.user, pk=handover_id)
    leftover = inquiry_add(
        actor=acting_user(request), handover=handover, question=payload.question, due_on=payload.due_on
    )
    return Status(201, _leftover_detail(request, leftover.pk))


@router.put(
    "/leftovers/{leftover_id}/answer",
    response=LeftoverDetailOut,
    url_name="api_handovers_inquiry_answer",
    summary="登记询问追问的答复",
)
def inquiry_reply(request: HttpRequest, leftover_id: int, payload: InquiryAnswerIn) -> Leftover:
    leftover = leftover_policy.get_or_404(request.user, pk=leftover_id)
    inquiry_answer(
        actor=acting_user(request), leftover=leftover, answer=payload.answer, expected_version=payload.version
    )
    return _leftover_detail(request, leftover_id)


@router.post(
    "/{handover_id}/conduct",
    response={201: ConductRecordOut},
    url_name="api_handovers_conduct",
    summary="离任交接及现实表现纳入执行力档案",
)
def conduct(request: HttpRequest, handover_id: int, payload: ConductIn) -> Status:
    handover = handover_policy.get_or_404(request.user, pk=handover_id)
    return Status(201, conduct_file(actor=acting_user(request), handover=handover, conduct=payload.conduct))


@router.get(
    "/people/{person_id}/conduct",
    response=list[ConductRecordOut],
    url_name="api_handovers_person_conduct",
    summary="人员的执行力档案（离任交接记录）",
)
def person_conduct(request: HttpRequest, person_id: int) -> list[ConductRecord]:
    person_policy.get_or_404(request.user, pk=person_id)
    return list(conduct_of(request.user, person_id))
