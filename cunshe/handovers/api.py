from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from cunshe.accounts.selectors import acting_user
from cunshe.handovers.models import Handover, HandoverItem
from cunshe.handovers.permissions import handover_policy, item_policy
from cunshe.handovers.selectors import handover_full, handovers_visible, leftovers_visible
from cunshe.handovers.services import handover_confirm, item_update

router = Router(tags=["工作交接"])


class ItemOut(Schema):
    id: int
    position: int
    section: str
    title: str
    item_kind: str
    expected: str
    status: str
    count: int | None
    amount: Decimal | None
    details: str
    discrepancy: str
    version: int


class HandoverOut(Schema):
    id: int
    region: str
    kind: str
    post: str
    outgoing: str
    incoming: str
    status: str
    due_at: datetime
    accounts_frozen: bool
    confirmed: list[str]
    version: int


class HandoverDetailOut(HandoverOut):
    items: list[ItemOut]


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


class LeftoverOut(Schema):
    id: int
    region: str
    handover_id: int
    title: str
    owner: str
    due_on: date
    status: str
    accountability: str


def _out(h: Handover) -> dict[str, object]:
    return {
        "id": h.pk,
        "region": h.region_id,
        "kind": h.kind,
        "post": h.post,
        "outgoing": h.outgoing.name,
        "incoming": h.incoming.name,
        "status": h.status,
        "due_at": h.due_at,
        "accounts_frozen": h.accounts_frozen,
        "confirmed": [c.party for c in h.confirmations.all() if c.voided_at is None],
        "version": h.version,
    }


@router.get("", response=list[HandoverOut], url_name="api_handovers_list", summary="可见的交接")
def handover_list(request: HttpRequest, under: str = "") -> list[dict[str, object]]:
    return [_out(h) for h in handovers_visible(request.user, under=under).prefetch_related("confirmations")[:1000]]


@router.get("/leftovers", response=list[LeftoverOut], url_name="api_handovers_leftovers", summary="遗留事项")
def leftover_list(request: HttpRequest, under: str = "", open_only: bool = False) -> list[dict[str, object]]:
    return [
        {
            "id": lo.pk,
            "region": lo.region_id,
            "handover_id": lo.handover_id,
            "title": lo.title,
            "owner": lo.owner,
            "due_on": lo.due_on,
            "status": lo.status,
            "accountability": lo.accountability,
        }
        for lo in leftovers_visible(request.user, under=under, open_only=open_only)[:1000]
    ]


@router.get("/{handover_id}", response=HandoverDetailOut, url_name="api_handovers_detail", summary="交接详情")
def handover_detail(request: HttpRequest, handover_id: int) -> dict[str, object]:
    handover = handover_full(request.user, handover_id)
    return {**_out(handover), "items": list(handover.items.all())}


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


@router.post("/{handover_id}/confirm", response=HandoverOut, url_name="api_handovers_confirm", summary="签字确认")
def confirm(request: HttpRequest, handover_id: int, payload: ConfirmIn) -> dict[str, object]:
    handover = handover_policy.get_or_404(request.user, pk=handover_id)
    done = handover_confirm(
        actor=acting_user(request), handover=handover, party=payload.party, expected_version=payload.version
    )
    return _out(handover_full(request.user, done.pk))
