from datetime import date
from typing import Any, BinaryIO, cast
from uuid import UUID

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cunshe.accounts.selectors import acting_user
from cunshe.commitments import downloads, selectors
from cunshe.commitments.models import (
    CaseSending,
    Commitment,
    CountyRules,
    Finding,
    InspectedVillage,
    Inspection,
    Kind,
    ProgressUpdate,
    SelfCheck,
    TargetLetter,
    TownVisit,
    VillageSummary,
)
from cunshe.commitments.permissions import (
    commitment_policy,
    finding_policy,
    inspection_policy,
    progress_policy,
    rules_county_or_404,
    summary_policy,
    three_level_region_or_404,
    town_visit_policy,
)
from cunshe.commitments.printouts import three_level_response
from cunshe.commitments.responsibility import (
    case_send,
    self_check_add,
    three_level_table,
    town_visit_add,
    town_visit_follow_up,
)
from cunshe.commitments.services import (
    commitment_create,
    commitment_link_visits,
    commitment_move,
    commitment_showcase,
    commitment_update,
    county_rules_set,
    finding_add,
    finding_rectify,
    inspection_draw,
    ledger_import,
    progress_add,
    rules_of,
    target_letter_sign,
)
from cunshe.core.errors import NotPermitted
from cunshe.core.kept_answers import kept_answer
from cunshe.core.months import parse_month
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.paging import Paged, page_query
from cunshe.core.schema import ModelOut, Schema, WithFields
from cunshe.offline.submissions import submit_once
from cunshe.regions.models import Level, Region
from cunshe.spreadsheets.layout import XLSX
from cunshe.spreadsheets.schemas import ImportReportOut
from cunshe.visits.models import Visit

router = Router(tags=["开门一件事"])


class CommitmentOut(ModelOut):
    region_name: str
    term: str = Field(description="届次：事项所属班子产生于哪次换届（上届＝本系统记录换届前产生的班子）")

    class Meta:
        model = Commitment
        fields = (
            "id", "ledger_no", "region", "region_name", "kind", "term", "year", "category", "title", "content",
            "target", "deadline", "responsible_post", "source", "status", "drop_reason", "completed_on", "evidence",
            "is_showcase", "version",
        )  # fmt: skip


class CommitmentIn(Schema):
    region: str
    kind: str = Kind.FIRST
    year: int
    category: str
    title: str
    content: str
    target: str
    deadline: date
    responsible_post: str
    source: str = "visits"


class CommitmentPatch(Schema):
    version: int
    kind: str | None = None
    year: int | None = None
    category: str | None = None
    title: str | None = None
    content: str | None = None
    target: str | None = None
    deadline: date | None = None
    responsible_post: str | None = None
    source: str | None = None


class CommitmentMoveIn(Schema):
    to_status: str
    version: int
    reason: str = ""
    completed_on: date | None = None
    evidence: str = ""


class ProgressIn(Schema):
    written_on: date
    note: str
    version: int | None = Field(
        None, description="打开事项时的版本号：给出且事项已被修改时返回 409，不保存（不给则照旧直接登记）"
    )
    client_id: UUID | None = Field(
        None, description="客户端为本条进展生成的 UUID：重复提交同一编号只保存一次，并返回第一次的结果（200）"
    )


class ProgressOut(ModelOut):
    class Meta:
        model = ProgressUpdate
        fields = ("id", "written_on", "note")


class CommitmentRollupRowOut(ModelOut):
    code: str
    name: str
    done_share: float
    by_category: dict[str, int]

    class Meta:
        model = VillageSummary
        fields = ("code", "name", "total", "done", "overdue", "dropped", "done_share", "by_category")


class CommitmentRollupOut(Schema):
    region: str
    kind: str
    year: int = Field(description="汇总的年度（每村件数按年度计）")
    years: list[int] = Field(description="有承诺事项的年度")
    categories: list[str]
    total: CommitmentRollupRowOut
    rows: list[CommitmentRollupRowOut]


class PublicCommitmentOut(ModelOut):
    progress: list[ProgressOut]

    class Meta:
        model = Commitment
        fields = (
            "title", "kind", "category", "content", "target", "deadline", "responsible_post", "status", "completed_on",
            "progress",
        )  # fmt: skip


class PublicVillageOut(Schema):
    code: str
    name: str
    commitments: list[PublicCommitmentOut]


def _out(c: Commitment) -> WithFields:
    """The commitment as `CommitmentOut` reads it: its own fields from the row, and what the row does not hold — the
    village's name, the term in words and the status as of today (open past its deadline reads 已逾期 on the day,
    before the daily job marks it)."""
    return WithFields(c, region_name=c.region.name, term=c.term_label, status=c.current_status)


LEDGER_LIMIT, LEDGER_OFFSET = page_query()


@router.get(
    "", response=list[CommitmentOut], url_name="api_commitments_list", summary="台账（可按区划、类型、状态筛选）"
)
@kept_answer("commitments.ledger")
def ledger(
    request: HttpRequest,
    under: str = "",
    kind: str = "",
    status: str = "",
    limit: int = LEDGER_LIMIT,
    offset: int = LEDGER_OFFSET,
) -> list[WithFields]:
    found = selectors.commitments_visible(request.user, under=under, kind=kind, status=status)
    return [_out(c) for c in found[offset : offset + limit]]


@router.post("", response={201: CommitmentOut}, url_name="api_commitments_create", summary="登记事项")
def create(request: HttpRequest, payload: CommitmentIn) -> Status:
    data = payload.dict()
    commitment = commitment_create(actor=acting_user(request), village_code=data.pop("region"), **data)
    return Status(201, _out(commitment))


@router.get(
    "/rollup/{code}", response=CommitmentRollupOut, url_name="api_commitments_rollup", summary="按区划、类别汇总"
)
def rollup(request: HttpRequest, code: str, kind: str = Kind.FIRST, year: int | None = None) -> dict[str, object]:
    region = summary_policy.rollup_region(request.user, code, fallback=False)
    table = selectors.rollup(request.user, region, kind=kind if kind in Kind.values else Kind.FIRST, year=year)

    def row(r: selectors.RollupRow) -> dict[str, object]:
        return {
            "code": r.code,
            "name": r.name,
            "total": r.counts.get("total", 0),
            "done": r.counts.get("done", 0),
            "overdue": r.counts.get("overdue", 0),
            "dropped": r.counts.get("dropped", 0),
            "done_share": round(r.done_share, 4),
            "by_category": r.by_category,
        }

    return {
        "region": region.code,
        "kind": table.kind,
        "year": table.year,
        "years": table.years,
        "categories": table.categories,
        "total": row(table.total),
        "rows": [row(r) for r in table.rows],
    }


@router.get(
    "/public/{code}",
    auth=None,
    response=PublicVillageOut,
    url_name="api_commitments_public",
    summary="公开：某村承诺事项",
)
def public(request: HttpRequest, code: str) -> dict[str, object]:
    village = get_object_or_404(Region, code=code, level=Level.VILLAGE)
    return {
        "code": village.code,
        "name": village.name,
        "commitments": [
            {
                "title": c.title,
                "kind": c.kind,
                "category": c.category,
                "content": c.content,
                "target": c.target,
                "deadline": c.deadline,
                "responsible_post": c.responsible_post,
                "status": c.current_status,
                "completed_on": c.completed_on,
                "progress": [{"id": u.pk, "written_on": u.written_on, "note": u.note} for u in c.updates.all()],
            }
            for c in selectors.public_commitments(code)
        ],
    }


@router.get("/{int:commitment_id}", response=CommitmentOut, url_name="api_commitments_detail", summary="事项详情")
def detail(request: HttpRequest, commitment_id: int) -> WithFields:
    return _out(commitment_policy.get_or_404(request.user, pk=commitment_id))


@router.patch("/{int:commitment_id}", response=CommitmentOut, url_name="api_commitments_update", summary="修改事项")
def update(request: HttpRequest, commitment_id: int, payload: CommitmentPatch) -> WithFields:
    commitment = commitment_policy.get_or_404(request.user, pk=commitment_id)
    fields = payload.dict(exclude_unset=True)
    version = fields.pop("version")
    commitment = commitment_update(
        actor=acting_user(request), commitment=commitment, expected_version=version, **fields
    )
    return _out(commitment)


@router.post("/{int:commitment_id}/status", response=CommitmentOut, url_name="api_commitments_move", summary="变更状态")
def move(request: HttpRequest, commitment_id: int, payload: CommitmentMoveIn) -> WithFields:
    commitment = commitment_policy.get_or_404(request.user, pk=commitment_id)
    commitment = commitment_move(
        actor=acting_user(request),
        commitment=commitment,
        to_status=payload.to_status,
        expected_version=payload.version,
        reason=payload.reason,
        completed_on=payload.completed_on,
        evidence=payload.evidence,
    )
    return _out(commitment)


@router.post(
    "/{int:commitment_id}/progress",
    response={200: ProgressOut, 201: ProgressOut},
    url_name="api_commitments_progress",
    summary="登记进展",
    description="201：已保存；200：同一 client_id 已保存过，返回第一次保存的进展（不重复保存）。",
)
def progress(request: HttpRequest, commitment_id: int, payload: ProgressIn) -> Status:
    commitment = commitment_policy.get_or_404(request.user, pk=commitment_id)
    update, first = submit_once(
        actor=acting_user(request),
        client_id=payload.client_id,
        kind="commitments.progress",
        create=lambda: progress_add(
            actor=acting_user(request),
            commitment=commitment,
            written_on=payload.written_on,
            note=payload.note,
            expected_version=payload.version,
        ),
    )
    return Status(201 if first else 200, {"id": update.pk, "written_on": update.written_on, "note": update.note})


# --- what the pages offer beyond the ledger (issue 14, item 22): the same services, policies and files -----------

XLSX_ANSWER = file_answer(XLSX, "Excel 工作簿")


@router.get(
    "/export",
    url_name="api_commitments_export",
    summary="导出台账（Excel，可按区划、类型筛选）",
    openapi_extra=XLSX_ANSWER,
)
def ledger_export_file(request: HttpRequest, under: str = "", kind: str = "") -> HttpResponse:
    return downloads.ledger_response(request.user, under=under, kind=kind)


class CommitmentCaseOut(ModelOut):
    writeup: str = Field(validation_alias="showcase_writeup", description="案例材料")

    class Meta:
        model = Commitment
        fields = ("id", "ledger_no", "region", ("region_name", "region__name"), "title", "completed_on", "writeup")


@router.post(
    "/import",
    response=ImportReportOut,
    url_name="api_commitments_import",
    summary="从 Excel 导入台账（multipart 字段 file；任一行有误则不保存，除非 import_good_rows 为真）",
)
def ledger_upload(
    request: HttpRequest, file: File[UploadedFile], import_good_rows: Form[bool] = False
) -> dict[str, Any]:
    if not commitment_policy.anywhere(request.user, "change"):
        raise NotPermitted("您无权导入台账。")
    report = ledger_import(actor=acting_user(request), stream=cast(BinaryIO, file), import_good_rows=import_good_rows)
    return report.answer()


class CommitmentRulesOut(ModelOut):
    categories: list[str]
    version: int = Field(description="0：本县尚未保存设置，显示的是默认值")

    class Meta:
        model = CountyRules
        fields = ("county", "min_per_village", "max_per_village", "categories", "version")


class CommitmentRulesIn(Schema):
    min_per_village: int
    max_per_village: int
    categories: list[str]
    version: int | None = Field(None, description="修改已保存的设置时必填（并发校验）")


def _rules_out(code: str) -> dict[str, object]:
    current = rules_of(code)
    return {
        "county": code,
        "min_per_village": current.min_per_village,
        "max_per_village": current.max_per_village,
        "categories": list(current.categories),
        "version": current.version,
    }


@router.get(
    "/rules/{code}", response=CommitmentRulesOut, url_name="api_commitments_rules", summary="本县开门一件事设置"
)
def rules(request: HttpRequest, code: str) -> dict[str, object]:
    return _rules_out(rules_county_or_404(request.user, code).code)


@router.put(
    "/rules/{code}",
    response=CommitmentRulesOut,
    url_name="api_commitments_rules_set",
    summary="修改本县开门一件事设置（每村件数、类别）",
)
def rules_set(request: HttpRequest, code: str, payload: CommitmentRulesIn) -> dict[str, object]:
    county = rules_county_or_404(request.user, code)
    county_rules_set(
        actor=acting_user(request),
        county_code=county.code,
        min_per_village=payload.min_per_village,
        max_per_village=payload.max_per_village,
        categories=payload.categories,
        expected_version=payload.version,
    )
    return _rules_out(county.code)


class CommitmentVisitsIn(Schema):
    visit_ids: list[int] = Field(description="全部来源走访（替换原有关联；空列表即取消关联）")


class CommitmentVisitsOut(Schema):
    commitment_id: int
    visit_ids: list[int]


@router.put(
    "/{int:commitment_id}/visits",
    response=CommitmentVisitsOut,
    url_name="api_commitments_link_visits",
    summary="关联来源走访意见",
)
def link_visits(request: HttpRequest, commitment_id: int, payload: CommitmentVisitsIn) -> dict[str, object]:
    commitment = commitment_policy.get_or_404(request.user, pk=commitment_id)
    visits = list(Visit.objects.filter(pk__in=payload.visit_ids))
    commitment_link_visits(actor=acting_user(request), commitment=commitment, visits=visits)
    return {"commitment_id": commitment.pk, "visit_ids": sorted(v.pk for v in visits)}


@router.get("/cases", response=list[CommitmentCaseOut], url_name="api_commitments_cases", summary="典型案例")
@paginate(Paged)
def cases(request: HttpRequest, under: str = "") -> QuerySet[Commitment]:
    # A case a village or more each year: a page at a time (the list stopped at 1,000).
    return selectors.cases_visible(request.user, under=under).select_related("region")


@router.get(
    "/cases/export", url_name="api_commitments_cases_export", summary="导出典型案例（Excel）", openapi_extra=XLSX_ANSWER
)
def cases_export_file(request: HttpRequest, under: str = "") -> HttpResponse:
    return downloads.cases_response(request.user, under=under)


class CommitmentShowcaseIn(Schema):
    writeup: str = Field(description="案例材料；留空则取消典型案例")
    version: int


@router.post(
    "/{int:commitment_id}/showcase",
    response=CommitmentOut,
    url_name="api_commitments_showcase",
    summary="列为（或取消）典型案例",
)
def showcase(request: HttpRequest, commitment_id: int, payload: CommitmentShowcaseIn) -> WithFields:
    commitment = commitment_policy.get_or_404(request.user, pk=commitment_id)
    commitment_showcase(
        actor=acting_user(request), commitment=commitment, writeup=payload.writeup, expected_version=payload.version
    )
    return _out(commitment)


@router.post(
    "/{int:commitment_id}/progress/photo",
    response={200: ProgressOut, 201: ProgressOut},
    url_name="api_commitments_progress_photo",
    summary="登记进展并附照片（multipart：written_on、note、photo，可选 version、client_id）",
    description="201：已保存；200：同一 client_id 已保存过，返回第一次保存的进展（不重复保存）。",
)
def progress_with_photo(
    request: HttpRequest,
    commitment_id: int,
    written_on: Form[date],
    note: Form[str],
    photo: File[UploadedFile],
    version: Form[int | None] = None,
    client_id: Form[UUID | None] = None,
) -> Status:
    commitment = commitment_policy.get_or_404(request.user, pk=commitment_id)
    update, first = submit_once(
        actor=acting_user(request),
        client_id=client_id,
        kind="commitments.progress",
        create=lambda: progress_add(
            actor=acting_user(request),
            commitment=commitment,
            written_on=written_on,
            note=note,
            photo=photo,
            expected_version=version,
        ),
    )
    return Status(201 if first else 200, {"id": update.pk, "written_on": update.written_on, "note": update.note})


@router.get(
    "/progress/{update_id}/photo",
    url_name="api_commitments_photo",
    summary="进展照片（不公开）",
    openapi_extra=file_answer("image/*", "照片"),
)
def photo(request: HttpRequest, update_id: int) -> FileResponse:
    return downloads.photo_response(progress_policy.get_or_404(request.user, pk=update_id))


def _village_visible(request: HttpRequest, code: str) -> Region:
    return commitment_policy.village_or_404(request.user, code, "view")


@pdf_route(
    router,
    "/letters/{code}/{year}",
    url_name="api_commitments_letter",
    summary="目标承诺书（PDF；已签订的按签订时的事项）",
    title="目标承诺书",
)
def letter(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return downloads.letter_response(request.user, _village_visible(request, code), year)


class CommitmentLetterIn(Schema):
    signed_on: date
    village_signatory_post: str = "村党组织书记"
    town_signatory_post: str = "乡镇(街道)党(工)委书记"


class CommitmentLetterOut(ModelOut):
    ledger_nos: list[str]

    class Meta:
        model = TargetLetter
        fields = ("region", "year", "signed_on", "village_signatory_post", "town_signatory_post", "ledger_nos")


@router.post(
    "/letters/{code}/{year}/sign",
    response={201: CommitmentLetterOut},
    url_name="api_commitments_letter_sign",
    summary="登记目标承诺书签订",
)
def letter_sign(request: HttpRequest, code: str, year: int, payload: CommitmentLetterIn) -> Status:
    _village_visible(request, code)
    letter = target_letter_sign(actor=acting_user(request), village_code=code, year=year, **payload.dict())
    return Status(
        201,
        {
            "region": letter.region_id,
            "year": letter.year,
            "signed_on": letter.signed_on,
            "village_signatory_post": letter.village_signatory_post,
            "town_signatory_post": letter.town_signatory_post,
            "ledger_nos": letter.ledger_nos,
        },
    )


class InspectionOut(ModelOut):
    village_count: int = Field(description="抽中的村数")

    class Meta:
        model = Inspection
        fields = ("id", "county", "title", "mode", "amount", "seed", "drawn_on", "village_count")


class InspectionIn(Schema):
    county: str
    title: str
    mode: str = Field(description="count：按村数；share：按百分比")
    amount: int = Field(ge=1, le=100_000)
    drawn_on: date
    seed: int | None = Field(None, ge=0, le=2**62, description="随机种子（留空则随机生成），同一种子抽取结果相同")


class FindingOut(ModelOut):
    class Meta:
        model = Finding
        fields = ("id", "description", "found_on", "rectify_by", "rectified_on", "evidence", "version")


class InspectedVillageOut(ModelOut):
    findings: list[FindingOut]

    class Meta:
        model = InspectedVillage
        fields = ("id", "region", ("region_name", "region__name"), "findings")


class InspectionReportOut(Schema):
    villages: int
    findings: int
    rectified: int
    overdue: int


class InspectionDetailOut(InspectionOut):
    villages: list[InspectedVillageOut]
    report: InspectionReportOut


def _inspection_detail(request: HttpRequest, inspection_id: int) -> WithFields:
    found = inspection_policy.get_or_404(
        request.user, queryset=selectors.inspections_visible(request.user), pk=inspection_id
    )
    villages = selectors.inspection_villages(request.user, found)
    return WithFields(found, villages=villages, report=selectors.inspection_report(villages, timezone.localdate()))


@router.get("/inspections", response=list[InspectionOut], url_name="api_commitments_inspections", summary="抽查")
@paginate(Paged)
def inspections(request: HttpRequest) -> QuerySet[Inspection]:
    # A county draws villages month after month: a page at a time (the list stopped at 1,000).
    return selectors.inspections_visible(request.user).order_by("-drawn_on", "-id")


@router.post(
    "/inspections",
    response={201: InspectionDetailOut},
    url_name="api_commitments_inspection_draw",
    summary="随机抽取村(社区)进行抽查",
)
def inspection_new(request: HttpRequest, payload: InspectionIn) -> Status:
    drawn = inspection_draw(actor=acting_user(request), county_code=payload.county, **payload.dict(exclude={"county"}))
    return Status(201, _inspection_detail(request, drawn.pk))


@router.get(
    "/inspections/{inspection_id}",
    response=InspectionDetailOut,
    url_name="api_commitments_inspection",
    summary="抽查详情：抽中的村、问题、整改和汇总报告",
)
def inspection(request: HttpRequest, inspection_id: int) -> WithFields:
    return _inspection_detail(request, inspection_id)


class FindingIn(Schema):
    description: str
    found_on: date
    rectify_by: date


@router.post(
    "/inspections/villages/{inspected_id}/findings",
    response={201: FindingOut},
    url_name="api_commitments_finding_add",
    summary="登记抽查发现的问题",
)
def finding_new(request: HttpRequest, inspected_id: int, payload: FindingIn) -> Status:
    found = inspection_policy.get_or_404(
        request.user, queryset=selectors.inspections_visible(request.user), villages__pk=inspected_id
    )
    inspected = found.villages.get(pk=inspected_id)
    if not finding_policy.can_in_region(request.user, "view", inspected.region_id):
        raise Http404("未找到该村(社区)。")
    finding = finding_add(actor=acting_user(request), inspected=inspected, **payload.dict())
    return Status(201, finding)


class RectifyIn(Schema):
    rectified_on: date
    evidence: str
    version: int


@router.post(
    "/findings/{finding_id}/rectify",
    response=FindingOut,
    url_name="api_commitments_rectify",
    summary="登记整改完成",
)
def rectify(request: HttpRequest, finding_id: int, payload: RectifyIn) -> Finding:
    finding = finding_policy.get_or_404(request.user, pk=finding_id)
    finding = finding_rectify(
        actor=acting_user(request),
        finding=finding,
        rectified_on=payload.rectified_on,
        evidence=payload.evidence,
        expected_version=payload.version,
    )
    return finding


# --- three-level responsibility (三级责任体系): the same services and rules as the pages --------------------


class CommitmentSelfCheckIn(Schema):
    checked_on: date
    progress: str
    problems: str = ""


class CommitmentSelfCheckOut(ModelOut):
    month: str = Field(description="自查月份 YYYY-MM")

    class Meta:
        model = SelfCheck
        fields = ("id", "commitment_id", "region", "month", "checked_on", "progress", "problems")

    @staticmethod
    def resolve_month(s: SelfCheck) -> str:
        return f"{s.month:%Y-%m}"


@router.get(
    "/{int:commitment_id}/selfchecks",
    response=list[CommitmentSelfCheckOut],
    url_name="api_commitments_self_checks",
    summary="事项的村级自查",
)
def self_checks(request: HttpRequest, commitment_id: int) -> QuerySet[SelfCheck]:
    commitment = commitment_policy.get_or_404(request.user, pk=commitment_id)
    return commitment.self_checks.all()


@router.post(
    "/{int:commitment_id}/selfchecks",
    response={201: CommitmentSelfCheckOut},
    url_name="api_commitments_self_check_add",
    summary="登记村级自查（每事项每月一次）",
)
def self_check_new(request: HttpRequest, commitment_id: int, payload: CommitmentSelfCheckIn) -> Status:
    commitment = commitment_policy.get_or_404(request.user, pk=commitment_id)
    check = self_check_add(actor=acting_user(request), commitment=commitment, **payload.dict())
    return Status(201, check)


class CommitmentTownVisitIn(Schema):
    town: str
    visited_on: date
    villages: list[str] = Field(description="督导的村(社区)代码")
    findings: str
    follow_up: str = ""


class CommitmentTownVisitOut(ModelOut):
    villages: list[str] = Field(description="督导的村(社区)代码")

    class Meta:
        model = TownVisit
        fields = (
            "id", "town", ("town_name", "town__name"), "visited_on", "villages", "findings", "follow_up",
            "followed_up_on", "version",
        )  # fmt: skip


class CommitmentFollowUpIn(Schema):
    follow_up: str
    followed_up_on: date
    version: int


@router.get(
    "/townvisits", response=list[CommitmentTownVisitOut], url_name="api_commitments_town_visits", summary="乡镇督导"
)
@paginate(Paged)
def town_visits(request: HttpRequest, under: str = "") -> QuerySet[TownVisit]:
    # Each town's visits month after month: a page at a time (the list stopped at 1,000).
    visits = town_visit_policy.visible_to(request.user).select_related("town").order_by("-visited_on", "-id")
    if under:
        visits = visits.filter(town__startswith=under)
    return visits


@router.post(
    "/townvisits",
    response={201: CommitmentTownVisitOut},
    url_name="api_commitments_town_visit_add",
    summary="登记乡镇督导",
)
def town_visit_new(request: HttpRequest, payload: CommitmentTownVisitIn) -> Status:
    visit = town_visit_add(
        actor=acting_user(request),
        town_code=payload.town,
        visited_on=payload.visited_on,
        village_codes=payload.villages,
        findings=payload.findings,
        follow_up=payload.follow_up,
    )
    return Status(201, visit)


@router.get(
    "/townvisits/{visit_id}",
    response=CommitmentTownVisitOut,
    url_name="api_commitments_town_visit",
    summary="督导详情",
)
def town_visit(request: HttpRequest, visit_id: int) -> TownVisit:
    return town_visit_policy.get_or_404(request.user, queryset=TownVisit.objects.select_related("town"), pk=visit_id)


@router.post(
    "/townvisits/{visit_id}/follow-up",
    response=CommitmentTownVisitOut,
    url_name="api_commitments_town_visit_follow_up",
    summary="登记督导的跟进",
)
def town_visit_follow_up_api(request: HttpRequest, visit_id: int, payload: CommitmentFollowUpIn) -> TownVisit:
    visit = town_visit_policy.get_or_404(request.user, pk=visit_id)
    visit = town_visit_follow_up(
        actor=acting_user(request),
        visit=visit,
        follow_up=payload.follow_up,
        followed_up_on=payload.followed_up_on,
        expected_version=payload.version,
    )
    return visit


class CommitmentCaseSendIn(Schema):
    level: str = Field(description="town 乡镇(街道) / county 县(市、区) / city 市 / province 省 / media 报刊媒体")
    outlet: str
    sent_on: date
    sender: str
    note: str = ""


class CommitmentCaseSendingOut(ModelOut):
    level_label: str = Field(validation_alias="get_level_display", description="报送层级的名称")

    class Meta:
        model = CaseSending
        fields = ("id", "commitment_id", "level", "level_label", "outlet", "sent_on", "sender", "note")


@router.get(
    "/{int:commitment_id}/sendings",
    response=list[CommitmentCaseSendingOut],
    url_name="api_commitments_sendings",
    summary="典型案例的报送记录",
)
def sendings(request: HttpRequest, commitment_id: int) -> QuerySet[CaseSending]:
    commitment = commitment_policy.get_or_404(request.user, pk=commitment_id)
    return commitment.sendings.all()


@router.post(
    "/{int:commitment_id}/sendings",
    response={201: CommitmentCaseSendingOut},
    url_name="api_commitments_case_send",
    summary="登记典型案例报送（可多次报送）",
)
def sending_new(request: HttpRequest, commitment_id: int, payload: CommitmentCaseSendIn) -> Status:
    commitment = commitment_policy.get_or_404(request.user, pk=commitment_id)
    return Status(201, case_send(actor=acting_user(request), commitment=commitment, **payload.dict()))


class CommitmentThreeLevelRowOut(Schema):
    code: str
    name: str
    villages: int
    self_checked: int = Field(description="本月已自查的村数（村级行：1 或 0）")
    self_checks: int = Field(description="本月自查的事项数")
    visits: int = Field(description="乡镇行：本月督导次数；村级行：本月被督导次数")
    visited: int = Field(description="本月被督导的村数")
    checked: int = Field(description="本月被县级抽查的村数")
    cases_sent: int
    missing: list[str] = Field(description="本月未自查的村(社区)")


class CommitmentThreeLevelOut(Schema):
    region: str
    region_name: str
    month: str
    checks: int = Field(description="本月县级抽查次数")
    rows: list[CommitmentThreeLevelRowOut]
    total: CommitmentThreeLevelRowOut


def _api_month(month: str) -> date:
    return parse_month(month, timezone.localdate())


@router.get(
    "/threelevel/{code}",
    response=CommitmentThreeLevelOut,
    url_name="api_commitments_three_level",
    summary="三级责任汇总（县：按乡镇；乡镇：按村）",
)
def three_level(request: HttpRequest, code: str, month: str = "") -> dict[str, object]:
    table = three_level_table(three_level_region_or_404(request.user, code), _api_month(month))
    return {
        "region": table.region.code,
        "region_name": table.region.name,
        "month": f"{table.month:%Y-%m}",
        "checks": table.checks,
        "rows": [vars(r) for r in table.rows],
        "total": vars(table.total),
    }


@pdf_route(
    router,
    "/threelevel/{code}/print.pdf",
    url_name="api_commitments_three_level_pdf",
    summary="打印三级责任落实情况表（PDF）",
    title="三级责任落实情况表",
)
def three_level_pdf(request: HttpRequest, code: str, month: str = "") -> HttpResponse:
    return three_level_response(three_level_region_or_404(request.user, code), _api_month(month))


@router.get(
    "/threelevel/{code}/export",
    url_name="api_commitments_three_level_export",
    summary="导出三级责任汇总（Excel）",
    openapi_extra=XLSX_ANSWER,
)
def three_level_export_file(request: HttpRequest, code: str, month: str = "") -> HttpResponse:
    return downloads.three_level_response(three_level_region_or_404(request.user, code), _api_month(month))
