"""The points module's API under /api/v1/points: every operation of the pages, same services and documents."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Status
from ninja.pagination import paginate
from pydantic import AliasPath

from cunshe.accounts.selectors import acting_user
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.paging import Paged, first_page
from cunshe.core.printing import pdf_response
from cunshe.core.schema import ModelOut, Schema, WithFields
from cunshe.people.permissions import person_policy
from cunshe.points import documents, selectors
from cunshe.points.models import (
    Entry,
    Holder,
    Listing,
    ListingLine,
    Merchant,
    Objection,
    Redemption,
    Rule,
    RuleBook,
    Settlement,
)
from cunshe.points.permissions import (
    book_policy,
    holder_policy,
    listing_policy,
    merchant_or_404,
    merchants_visible,
    objection_policy,
    redemptions_visible,
    settlement_or_404,
    settlements_visible,
)
from cunshe.points.services import (
    available,
    book_create,
    book_publish,
    code_issue,
    holder_open,
    hours_credit,
    listing_close,
    listing_publish,
    merchant_account_add,
    merchant_create,
    objection_decide,
    objection_raise,
    points_earn,
    points_expire,
    redeem,
    rule_add,
    settlement_approve,
    settlement_create,
    settlement_pay,
    verify,
)
from cunshe.points.views import ledger_response, public_listings, verify_region
from cunshe.spreadsheets.layout import XLSX

router = Router(tags=["信用+积分"])


class PointsRuleOut(ModelOut):
    class Meta:
        model = Rule
        fields = ("id", "code", "title", "category", "points", "evidence")


class PointsBookOut(ModelOut):
    published: bool = Field(description="已发布")

    class Meta:
        model = RuleBook
        fields = (
            "id", "region", "number", "title", "effective_from", "valid_years", "fen_per_point", "adopted_by",
            "published", "version",
        )  # fmt: skip

    @staticmethod
    def resolve_published(b: RuleBook) -> bool:
        return b.published_at is not None


class PointsBookDetail(PointsBookOut):
    rules: list[PointsRuleOut]

    @staticmethod
    def resolve_rules(b: RuleBook) -> list[Rule]:
        return list(b.rules.order_by("code"))


class PointsBookIn(Schema):
    region: str
    title: str
    effective_from: date
    valid_years: int = 3
    fen_per_point: int = 100
    adopted_by: str = ""
    copy_from_id: int | None = None


class PointsRuleIn(Schema):
    code: str
    title: str
    category: str
    points: int
    evidence: str = ""


class PointsVersionIn(Schema):
    version: int


class PointsHolderIn(Schema):
    person_id: int
    kind: str = "household"


class PointsHolderOut(ModelOut):
    balance: int = Field(validation_alias=AliasPath("balance", "points"), description="积分余额")

    class Meta:
        model = Holder
        fields = ("id", "region", "kind", "name", "balance")


class PointsEntryOut(ModelOut):
    rule: str = Field(description="依据的细则条目（编号 名称）；兑换、过期等为空")
    operator: str = Field(validation_alias="operator_name", description="经办人")

    class Meta:
        model = Entry
        fields = ("id", "key", "kind", "points", "rule", "occurred_on", "expires_on", "evidence", "operator")

    @staticmethod
    def resolve_rule(e: Entry) -> str:
        return f"{e.rule.code} {e.rule.title}" if e.rule else ""


class PointsHolderDetail(PointsHolderOut):
    available: int = Field(description="可用积分（未过期）")
    entries: list[PointsEntryOut] = Field(description="流水的第一页（新的在前）；全部见 GET …/entries（分页）")
    entries_count: int = Field(description="流水的总条数")


class PointsEarnIn(Schema):
    rule_id: int
    occurred_on: date
    evidence: str = ""
    times: int = 1
    key: str


class PointsCodeOut(Schema):
    code: str
    expires_at: str
    svg: str


class PointsRegionIn(Schema):
    region: str


class PointsExpireIn(Schema):
    region: str
    on: date | None = None


class PointsCountOut(Schema):
    credited: int
    points: int
    skipped: int


class PointsTotalOut(Schema):
    points: int


class PointsListingIn(Schema):
    region: str
    year: int
    quarter: int
    published_on: date
    days: int = 7


class PointsLineOut(ModelOut):
    class Meta:
        model = ListingLine
        fields = ("holder_id", ("name", "holder__name"), "earned", "spent", "balance")


class PointsObjectionOut(ModelOut):
    class Meta:
        model = Objection
        fields = ("id", "holder_id", "raised_by", "raised_on", "reason", "status", "correction", "decision", "version")


class PointsListingOut(ModelOut):
    class Meta:
        model = Listing
        fields = ("id", "region", "year", "quarter", "published_on", "objection_until", "status", "version")


class PointsListingDetail(PointsListingOut):
    lines: list[PointsLineOut]
    objections: list[PointsObjectionOut]


class PointsObjectionIn(Schema):
    holder_id: int
    raised_by: str
    raised_on: date
    reason: str


class PointsDecideIn(Schema):
    upheld: bool
    decision: str
    decided_on: date
    correction: int = 0
    version: int


class PointsCloseIn(Schema):
    closed_on: date
    version: int


class PointsMerchantIn(Schema):
    region: str
    name: str
    kind: str
    joined_on: date
    contact: str = ""
    phone: str = ""


class PointsMerchantOut(ModelOut):
    class Meta:
        model = Merchant
        fields = ("id", "region", "name", "kind", "is_active")


class PointsAccountIn(Schema):
    username: str


class PointsRedeemIn(Schema):
    code: str
    points: int
    goods: str


class PointsRedemptionOut(ModelOut):
    class Meta:
        model = Redemption
        fields = (
            "id",
            "merchant_id",
            ("holder", "holder__name"),
            "points",
            "fen",
            "goods",
            "redeemed_on",
            "settlement_id",
        )


class PointsSettlementIn(Schema):
    period_start: date
    period_end: date
    evidence: str = ""


class PointsSettlementOut(ModelOut):
    class Meta:
        model = Settlement
        fields = (
            "id", "merchant_id", ("merchant", "merchant__name"), "period_start", "period_end", "count", "total_points", "total_fen",
            "evidence", "status", "approved_on", "paid_on", "version",
        )  # fmt: skip


class PointsPayIn(Schema):
    paid_on: date
    evidence: str
    version: int


class PointsVerifyOut(Schema):
    holders: int
    problems: list[str]


class PointsPublicOut(ModelOut):
    lines: list[PointsLineOut]

    class Meta:
        model = Listing
        fields = ("year", "quarter", "published_on", "objection_until", "status", "lines")


def _holder_detail(h: Holder) -> WithFields:
    h = Holder.objects.select_related("balance").get(pk=h.pk)
    entries, count = first_page(selectors.entries_of(h))
    return WithFields(h, available=available(h), entries=entries, entries_count=count)


def _listing_detail(x: Listing) -> WithFields:
    return WithFields(x, lines=selectors.lines_of(x), objections=selectors.objections_of(x))


# ---- rule books --------------------------------------------------------------------------------------------------


@router.get("/books", response=list[PointsBookOut], url_name="api_points_books", summary="积分细则（各版本）")
@paginate(Paged)
def books(request: HttpRequest) -> QuerySet[RuleBook]:
    # Every village keeps each version it adopted: a page at a time (the list stopped at 200 without saying so).
    return selectors.books_visible(request.user)


@router.post("/books", response={201: PointsBookDetail}, url_name="api_points_book_new", summary="新建细则版本（草稿）")
def book_new(request: HttpRequest, payload: PointsBookIn) -> Status:
    base = book_policy.get_or_404(request.user, pk=payload.copy_from_id) if payload.copy_from_id else None
    b = book_create(
        actor=acting_user(request),
        region_code=payload.region,
        title=payload.title,
        effective_from=payload.effective_from,
        valid_years=payload.valid_years,
        fen_per_point=payload.fen_per_point,
        adopted_by=payload.adopted_by,
        copy_from=base,
    )
    return Status(201, b)


@router.get("/books/{book_id}", response=PointsBookDetail, url_name="api_points_book", summary="细则及条目")
def book(request: HttpRequest, book_id: int) -> RuleBook:
    return book_policy.get_or_404(request.user, pk=book_id)


@router.post(
    "/books/{book_id}/rules",
    response={201: PointsBookDetail},
    url_name="api_points_rule_new",
    summary="添加条目（草稿）",
)
def rule_new(request: HttpRequest, book_id: int, payload: PointsRuleIn) -> Status:
    b = book_policy.get_or_404(request.user, pk=book_id)
    rule_add(actor=acting_user(request), book=b, **payload.dict())
    return Status(201, b)


@router.post(
    "/books/{book_id}/publish",
    response=PointsBookDetail,
    url_name="api_points_book_publish",
    summary="发布细则（发布后不可修改）",
)
def publish(request: HttpRequest, book_id: int, payload: PointsVersionIn) -> RuleBook:
    b = book_policy.get_or_404(request.user, pk=book_id)
    return book_publish(actor=acting_user(request), book=b, expected_version=payload.version)


# ---- holders and entries -----------------------------------------------------------------------------------------


@router.get("/holders", response=list[PointsHolderOut], url_name="api_points_holders", summary="积分账户")
@paginate(Paged)
def holders(request: HttpRequest) -> Any:
    return selectors.holders_visible(request.user)


@router.post("/holders", response={201: PointsHolderDetail}, url_name="api_points_holder_new", summary="开立积分账户")
def holder_new(request: HttpRequest, payload: PointsHolderIn) -> Status:
    person = person_policy.get_or_404(request.user, pk=payload.person_id)
    return Status(201, _holder_detail(holder_open(actor=acting_user(request), person=person, kind=payload.kind)))


def _holder(request: HttpRequest, holder_id: int) -> Holder:
    return holder_policy.get_or_404(request.user, queryset=Holder.objects.select_related("balance"), pk=holder_id)


@router.get(
    "/holders/{holder_id}",
    response=PointsHolderDetail,
    url_name="api_points_holder",
    summary="账户余额、可兑换积分与流水",
)
def holder(request: HttpRequest, holder_id: int) -> WithFields:
    return _holder_detail(_holder(request, holder_id))


@router.get(
    "/holders/{holder_id}/entries",
    response=list[PointsEntryOut],
    url_name="api_points_entries",
    summary="账户流水（分页，新的在前）",
)
@paginate(Paged)
def entries(request: HttpRequest, holder_id: int) -> QuerySet[Entry]:
    # Every earning, redemption and expiry adds a row: a page at a time (the detail stopped at 100).
    return selectors.entries_of(_holder(request, holder_id))


@router.post(
    "/holders/{holder_id}/entries",
    response={201: PointsEntryOut},
    url_name="api_points_earn",
    summary="按条目登记积分（key 相同的重复提交不重复记账）",
)
def earn(request: HttpRequest, holder_id: int, payload: PointsEarnIn) -> Status:
    h = _holder(request, holder_id)
    from cunshe.points.models import Rule

    rule = Rule.objects.filter(pk=payload.rule_id).select_related("book").first()
    if rule is None:
        raise Http404("未找到该记录。")
    e = points_earn(
        actor=acting_user(request),
        holder=h,
        rule=rule,
        occurred_on=payload.occurred_on,
        evidence=payload.evidence,
        key=payload.key,
        times=payload.times,
    )
    return Status(201, e)


@router.post(
    "/holders/{holder_id}/code",
    response={201: PointsCodeOut},
    url_name="api_points_code",
    summary="生成兑换码（居民出示给商户）",
)
def code(request: HttpRequest, holder_id: int) -> Status:
    import segno

    c = code_issue(actor=acting_user(request), holder=_holder(request, holder_id))
    return Status(
        201,
        {
            "code": c.code,
            "expires_at": timezone.localtime(c.expires_at).isoformat(),
            "svg": segno.make(c.code, micro=False).svg_inline(scale=4),
        },
    )


@router.post(
    "/hours-credit",
    response=PointsCountOut,
    url_name="api_points_hours_credit",
    summary="服务队时长计入积分（重复运行不重复计）",
)
def credit(request: HttpRequest, payload: PointsRegionIn) -> dict[str, int]:
    r = hours_credit(actor=acting_user(request), region_code=payload.region)
    return {"credited": r.credited, "points": r.points, "skipped": r.skipped}


@router.post("/expire", response=PointsTotalOut, url_name="api_points_expire", summary="到期积分清零（先进先出）")
def expire(request: HttpRequest, payload: PointsExpireIn) -> dict[str, int]:
    on = payload.on or timezone.localdate()
    return {"points": points_expire(actor=acting_user(request), region_code=payload.region, on=on)}


@router.get(
    "/villages/{code}/ledger.xlsx",
    url_name="api_points_ledger",
    summary="村(社区)积分流水（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def ledger(request: HttpRequest, code: str) -> HttpResponse:
    return ledger_response(request.user, code)


@router.get("/verify", response=PointsVerifyOut, url_name="api_points_verify", summary="由流水重算余额并核对")
def verify_api(request: HttpRequest, region: str = "") -> dict[str, Any]:
    checked, problems = verify(verify_region(request.user, region, fallback=False))
    return {"holders": checked, "problems": problems}


# ---- listings and objections -------------------------------------------------------------------------------------


@router.get("/listings", response=list[PointsListingOut], url_name="api_points_listings", summary="季度公示")
@paginate(Paged)
def listings(request: HttpRequest) -> QuerySet[Listing]:
    # Four listings a village a year: a page at a time (the list stopped at 200 without saying so).
    return selectors.listings_visible(request.user)


@router.post(
    "/listings",
    response={201: PointsListingDetail},
    url_name="api_points_listing_new",
    summary="发布季度公示（开始异议期）",
)
def listing_new(request: HttpRequest, payload: PointsListingIn) -> Status:
    x = listing_publish(
        actor=acting_user(request),
        region_code=payload.region,
        year=payload.year,
        quarter=payload.quarter,
        published_on=payload.published_on,
        days=payload.days,
    )
    return Status(201, _listing_detail(x))


def _listing(request: HttpRequest, listing_id: int) -> Listing:
    return listing_policy.get_or_404(request.user, queryset=Listing.objects.select_related("region"), pk=listing_id)


@router.get(
    "/listings/{listing_id}", response=PointsListingDetail, url_name="api_points_listing", summary="公示明细及异议"
)
def listing(request: HttpRequest, listing_id: int) -> WithFields:
    return _listing_detail(_listing(request, listing_id))


@pdf_route(
    router,
    "/listings/{listing_id}/board.pdf",
    url_name="api_points_board",
    summary="公示栏打印稿",
    title="季度积分公示",
)
def board(request: HttpRequest, listing_id: int) -> HttpResponse:
    x = _listing(request, listing_id)
    return pdf_response(
        documents.listing_pdf(x, selectors.lines_of(x), selectors.objections_of(x)), f"{x.region.name}{x}.pdf"
    )


@router.post(
    "/listings/{listing_id}/objections",
    response={201: PointsListingDetail},
    url_name="api_points_objection_new",
    summary="登记异议（异议期内）",
)
def objection_new(request: HttpRequest, listing_id: int, payload: PointsObjectionIn) -> Status:
    x = _listing(request, listing_id)
    h = _holder(request, payload.holder_id)
    objection_raise(
        actor=acting_user(request),
        listing=x,
        holder=h,
        raised_by=payload.raised_by,
        raised_on=payload.raised_on,
        reason=payload.reason,
    )
    return Status(201, _listing_detail(x))


@router.post(
    "/objections/{objection_id}/decide", response=PointsObjectionOut, url_name="api_points_decide", summary="处理异议"
)
def decide(request: HttpRequest, objection_id: int, payload: PointsDecideIn) -> Objection:
    o = objection_policy.get_or_404(request.user, queryset=Objection.objects.select_related("holder"), pk=objection_id)
    done = objection_decide(
        actor=acting_user(request),
        objection=o,
        upheld=payload.upheld,
        decision=payload.decision,
        decided_on=payload.decided_on,
        correction=payload.correction,
        expected_version=payload.version,
    )
    return done


@router.post(
    "/listings/{listing_id}/close",
    response=PointsListingDetail,
    url_name="api_points_listing_close",
    summary="结束公示（本季积分可兑换）",
)
def close(request: HttpRequest, listing_id: int, payload: PointsCloseIn) -> WithFields:
    x = _listing(request, listing_id)
    return _listing_detail(
        listing_close(
            actor=acting_user(request), listing=x, closed_on=payload.closed_on, expected_version=payload.version
        )
    )


@router.get(
    "/public/{code}",
    response=list[PointsPublicOut],
    url_name="api_points_public",
    auth=None,
    summary="村(社区)季度积分公示（公开）",
)
def public(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    return [
        {
            "year": x.year,
            "quarter": x.quarter,
            "published_on": x.published_on,
            "objection_until": x.objection_until,
            "status": x.status,
            "lines": lines,
        }
        for x, lines in public_listings(code)
    ]


# ---- merchants, redemption, settlement ---------------------------------------------------------------------------


@router.get(
    "/merchants", response=list[PointsMerchantOut], url_name="api_points_merchants", summary="合作商户与积分超市"
)
@paginate(Paged)
def merchants(request: HttpRequest) -> QuerySet[Merchant]:
    # Merchants join town by town: a page at a time (the list stopped at 500 without saying so).
    return merchants_visible(request.user).order_by("region_id", "name", "pk")


@router.post(
    "/merchants",
    response={201: PointsMerchantOut},
    url_name="api_points_merchant_new",
    summary="签约商户 / 设立积分超市",
)
def merchant_new(request: HttpRequest, payload: PointsMerchantIn) -> Status:
    data = payload.dict()
    return Status(201, (merchant_create(actor=acting_user(request), region_code=data.pop("region"), **data)))


@router.post(
    "/merchants/{merchant_id}/accounts",
    response={201: PointsMerchantOut},
    url_name="api_points_merchant_account",
    summary="开通商户账号",
)
def merchant_account(request: HttpRequest, merchant_id: int, payload: PointsAccountIn) -> Status:
    m = merchant_or_404(request.user, merchant_id)
    merchant_account_add(actor=acting_user(request), merchant=m, username=payload.username)
    return Status(201, m)


@router.post(
    "/merchants/{merchant_id}/redeem",
    response={201: PointsRedemptionOut},
    url_name="api_points_redeem",
    summary="凭兑换码兑换（同一兑换码重复提交不重复扣分）",
)
def redeem_api(request: HttpRequest, merchant_id: int, payload: PointsRedeemIn) -> Status:
    m = merchant_or_404(request.user, merchant_id)
    r = redeem(actor=acting_user(request), merchant=m, code=payload.code, points=payload.points, goods=payload.goods)
    return Status(201, r)


@router.get(
    "/redemptions",
    response=list[PointsRedemptionOut],
    url_name="api_points_redemptions",
    summary="兑换记录（商户账号只见本商户）",
)
@paginate(Paged)
def redemptions(request: HttpRequest) -> Any:
    return redemptions_visible(request.user).order_by("-redeemed_on", "-pk")


@router.post(
    "/merchants/{merchant_id}/settlements",
    response={201: PointsSettlementOut},
    url_name="api_points_settlement_new",
    summary="生成结算批次",
)
def settlement_new(request: HttpRequest, merchant_id: int, payload: PointsSettlementIn) -> Status:
    m = merchant_or_404(request.user, merchant_id)
    s = settlement_create(actor=acting_user(request), merchant=m, **payload.dict())
    return Status(201, s)


@router.get("/settlements", response=list[PointsSettlementOut], url_name="api_points_settlements", summary="结算批次")
@paginate(Paged)
def settlements(request: HttpRequest) -> QuerySet[Settlement]:
    # A merchant settles every month: a page at a time (the list stopped at 200 without saying so).
    return settlements_visible(request.user).order_by("-period_end", "-pk")


@router.get(
    "/settlements/{settlement_id}",
    response=PointsSettlementOut,
    url_name="api_points_settlement",
    summary="结算批次详情",
)
def settlement(request: HttpRequest, settlement_id: int) -> Settlement:
    return settlement_or_404(request.user, settlement_id)


@router.post(
    "/settlements/{settlement_id}/approve",
    response=PointsSettlementOut,
    url_name="api_points_settlement_approve",
    summary="审核结算",
)
def approve(request: HttpRequest, settlement_id: int, payload: PointsVersionIn) -> Settlement:
    s = settlement_or_404(request.user, settlement_id)
    return settlement_approve(actor=acting_user(request), settlement=s, expected_version=payload.version)


@router.post(
    "/settlements/{settlement_id}/pay",
    response=PointsSettlementOut,
    url_name="api_points_settlement_pay",
    summary="登记支付",
)
def pay(request: HttpRequest, settlement_id: int, payload: PointsPayIn) -> Settlement:
    s = settlement_or_404(request.user, settlement_id)
    return settlement_pay(
        actor=acting_user(request),
        settlement=s,
        paid_on=payload.paid_on,
        evidence=payload.evidence,
        expected_version=payload.version,
    )


@pdf_route(
    router,
    "/settlements/{settlement_id}/sheet.pdf",
    url_name="api_points_settlement_pdf",
    summary="结算单",
    title="结算单",
)
def settlement_sheet(request: HttpRequest, settlement_id: int) -> HttpResponse:
    s = settlement_or_404(request.user, settlement_id)
    return pdf_response(documents.settlement_pdf(s), f"{s.merchant.name}结算单.pdf")


@router.get(
    "/settlements/{settlement_id}/redemptions.xlsx",
    url_name="api_points_settlement_xlsx",
    summary="结算明细（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def settlement_xlsx(request: HttpRequest, settlement_id: int) -> HttpResponse:
    from cunshe.spreadsheets.layout import xlsx_response

    s = settlement_or_404(request.user, settlement_id)
    return xlsx_response(documents.settlement_xlsx(s), f"{s.merchant.name}结算明细.xlsx")
