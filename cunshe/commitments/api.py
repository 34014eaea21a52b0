from datetime import date

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from cunshe.accounts.selectors import acting_user
from cunshe.commitments import selectors
from cunshe.commitments.models import Commitment, Kind
from cunshe.commitments.permissions import commitment_policy, summary_policy
from cunshe.commitments.services import commitment_create, commitment_move, commitment_update, progress_add
from cunshe.core.paging import page_query
from cunshe.core.schema import Schema
from cunshe.regions.models import Level, Region

router = Router(tags=["开门一件事"])


class CommitmentOut(Schema):
    id: int
    ledger_no: str
    region: str
    region_name: str
    kind: str
    year: int
    category: str
    title: str
    content: str
    target: str
    deadline: date
    responsible_post: str
    source: str
    status: str
    drop_reason: str
    completed_on: date | None
    evidence: str
    is_showcase: bool
    version: int


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


class ProgressOut(Schema):
    id: int
    written_on: date
    note: str


class CommitmentRollupRowOut(Schema):
    code: str
    name: str
    total: int
    done: int
    overdue: int
    dropped: int
    done_share: float
    by_category: dict[str, int]


class CommitmentRollupOut(Schema):
    region: str
    kind: str
    categories: list[str]
    total: CommitmentRollupRowOut
    rows: list[CommitmentRollupRowOut]


class PublicCommitmentOut(Schema):
    title: str
    kind: str
    category: str
    content: str
    target: str
    deadline: date
    responsible_post: str
    status: str
    completed_on: date | None
    progress: list[ProgressOut]


class PublicVillageOut(Schema):
    code: str
    name: str
    commitments: list[PublicCommitmentOut]


def _out(c: Commitment) -> dict[str, object]:
    return {
        "id": c.pk,
        "ledger_no": c.ledger_no,
        "region": c.region_id,
        "region_name": c.region.name,
        "kind": c.kind,
        "year": c.year,
        "category": c.category,
        "title": c.title,
        "content": c.content,
        "target": c.target,
        "deadline": c.deadline,
        "responsible_post": c.responsible_post,
        "source": c.source,
        "status": c.status,
        "drop_reason": c.drop_reason,
        "completed_on": c.completed_on,
        "evidence": c.evidence,
        "is_showcase": c.is_showcase,
        "version": c.version,
    }


LEDGER_LIMIT, LEDGER_OFFSET = page_query()


@router.get(
    "", response=list[CommitmentOut], url_name="api_commitments_list", summary="台账（可按区划、类型、状态筛选）"
)
def ledger(
    request: HttpRequest,
    under: str = "",
    kind: str = "",
    status: str = "",
    limit: int = LEDGER_LIMIT,
    offset: int = LEDGER_OFFSET,
) -> list[dict[str, object]]:
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
def rollup(request: HttpRequest, code: str, kind: str = Kind.FIRST) -> dict[str, object]:
    if not summary_policy.can_in_region(request.user, "view", code):
        raise Http404
    region = get_object_or_404(Region, code=code)
    table = selectors.rollup(request.user, region, kind=kind if kind in Kind.values else Kind.FIRST)

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
                "status": c.status,
                "completed_on": c.completed_on,
                "progress": [{"id": u.pk, "written_on": u.written_on, "note": u.note} for u in c.updates.all()],
            }
            for c in selectors.public_commitments(code)
        ],
    }


@router.get("/{commitment_id}", response=CommitmentOut, url_name="api_commitments_detail", summary="事项详情")
def detail(request: HttpRequest, commitment_id: int) -> dict[str, object]:
    return _out(commitment_policy.get_or_404(request.user, pk=commitment_id))


@router.patch("/{commitment_id}", response=CommitmentOut, url_name="api_commitments_update", summary="修改事项")
def update(request: HttpRequest, commitment_id: int, payload: CommitmentPatch) -> dict[str, object]:
    commitment = commitment_policy.get_or_404(request.user, pk=commitment_id)
    fields = payload.dict(exclude_unset=True)
    version = fields.pop("version")
    commitment = commitment_update(
        actor=acting_user(request), commitment=commitment, expected_version=version, **fields
    )
    return _out(commitment)


@router.post("/{commitment_id}/status", response=CommitmentOut, url_name="api_commitments_move", summary="变更状态")
def move(request: HttpRequest, commitment_id: int, payload: CommitmentMoveIn) -> dict[str, object]:
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
    "/{commitment_id}/progress", response={201: ProgressOut}, url_name="api_commitments_progress", summary="登记进展"
)
def progress(request: HttpRequest, commitment_id: int, payload: ProgressIn) -> Status:
    commitment = commitment_policy.get_or_404(request.user, pk=commitment_id)
    update = progress_add(
        actor=acting_user(request), commitment=commitment, written_on=payload.written_on, note=payload.note
    )
    return Status(201, {"id": update.pk, "written_on": update.written_on, "note": update.note})
