"""Pages of the points module: the rule books, holders and their ledgers, earning by rule, redemption codes (QR),
the quarterly listing with objections (board printout, public page), merchants with the counter's redemption form
(a merchant's account sees only its own), settlements, the ledger in Excel and the balance check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import segno
from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from cunshe.access.policy import region_prefixes
from cunshe.accounts.selectors import acting_user
from cunshe.core.paging import page_of
from cunshe.core.printing import pdf_response
from cunshe.people.models import Person
from cunshe.points import documents, selectors
from cunshe.points.forms import (
    AccountForm,
    BookForm,
    CloseForm,
    DecideForm,
    EarnForm,
    HolderForm,
    ListingForm,
    MerchantForm,
    ObjectionForm,
    PayForm,
    RedeemForm,
    RegionForm,
    RuleForm,
    SettlementForm,
    VersionForm,
)
from cunshe.points.models import Holder, Listing, ListingLine, ListingStatus, Objection, Rule
from cunshe.points.permissions import (
    book_policy,
    entry_policy,
    holder_policy,
    listing_policy,
    merchant_ids_of,
    merchant_or_404,
    merchants_visible,
    objection_policy,
    redemptions_visible,
    settlement_or_404,
    settlement_policy,
    settlements_visible,
)
from cunshe.points.services import (
    available,
    book_create,
    book_in_force,
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
    yuan,
)
from cunshe.regions.models import Level, Region
from cunshe.serviceteams.views import villages_for
from cunshe.spreadsheets.layout import xlsx_response
from cunshe.web.forms import form_action, form_errors_text
from cunshe.web.kept_pages import list_page_kept, render_kept


def _regions(user: Any, capability: str, levels: tuple[int, ...]) -> list[tuple[str, str]]:
    prefixes = region_prefixes(user, capability)
    rows = [r for r in Region.objects.filter(code__in=prefixes, level__in=levels).order_by("code")]
    return [(r.code, r.name) for r in rows]


def _act(
    request: HttpRequest, form: djforms.Form, call: Callable[[dict[str, Any]], Any], done: str, back: str, **kwargs: Any
) -> HttpResponse:
    """Run the service on a valid form; a refusal comes back as a message on the page the user came from."""
    result = form_action(request, form, call)
    if result is None:
        messages.error(request, form_errors_text(form, labelled=True) or "未能保存。")
    else:
        messages.success(request, done)
    return redirect(back, **kwargs)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    # Kept whole under the reader, the query string, the change number of the reader's regions and the day (the
    # lists show dates only; balances move with the entries, redemptions and expiries recorded on the holder's
    # village): read and rendered again only when something changed (issue 15). A merchant's account has no grants:
    # its page is keyed on every chain.
    kept = list_page_kept(request, "points.index")
    return render_kept(request, kept, "points/index.html", lambda: _index_context(request))


def _index_context(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    villages = villages_for(user, "points.change")
    configured = villages_for(user, "points.configure")  # asked once for both forms (it was read twice)
    return {
        # Each list pages on its own (they stopped at 100 or 200 without saying so).
        "books": page_of(request, selectors.books_visible(user), 20, param="books"),
        "listings": page_of(request, selectors.listings_visible(user), 20, param="listings"),
        "holders": page_of(request, selectors.holders_visible(user), 50, param="holders"),
        "merchants": page_of(
            request,
            merchants_visible(user).select_related("region").order_by("region_id", "name", "pk"),
            50,
            param="merchants",
        ),
        "settlements": page_of(request, settlements_visible(user), 20, param="settlements"),
        "is_merchant": bool(merchant_ids_of(user)),
        "book_form": BookForm(
            choices={"region": _regions(user, "points.configure", (Level.COUNTY, Level.VILLAGE)) + configured}
        ),
        "merchant_form": MerchantForm(choices={"region": _regions(user, "points.configure", (3, 4, 5)) + configured}),
        "listing_form": ListingForm(choices={"region": villages}, initial={"year": timezone.localdate().year}),
        "region_form": RegionForm(choices={"region": villages}),
        "can_change": bool(villages),
    }


@login_required
@require_POST
def book_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = BookForm(
        request.POST,
        choices={"region": _regions(user, "points.configure", (3, 5)) + villages_for(user, "points.configure")},
    )
    book = form_action(
        request,
        form,
        lambda d: book_create(
            actor=acting_user(request), region_code=d["region"], **{k: v for k, v in d.items() if k != "region"}
        ),
    )
    if book is None:
        messages.error(request, form_errors_text(form, labelled=True))
        return redirect("points:index")
    messages.success(request, "已新建细则草稿，请添加条目后发布。")
    return redirect("points:book", pk=book.pk)


@login_required
@require_GET
def book(request: HttpRequest, pk: int) -> HttpResponse:
    b = book_policy.get_or_404(request.user, pk=pk)
    return render(
        request,
        "points/book.html",
        {
            "book": b,
            "rules": b.rules.order_by("code"),
            "can_change": book_policy.can(request.user, "change", b),
            "rule_form": RuleForm(),
        },
    )


@login_required
@require_POST
def rule_new(request: HttpRequest, pk: int) -> HttpResponse:
    b = book_policy.get_or_404(request.user, pk=pk)
    return _act(
        request,
        RuleForm(request.POST),
        lambda d: rule_add(actor=acting_user(request), book=b, **d),
        "已添加条目。",
        "points:book",
        pk=pk,
    )


@login_required
@require_POST
def book_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    b = book_policy.get_or_404(request.user, pk=pk)
    return _act(
        request,
        VersionForm(request.POST),
        lambda d: book_publish(actor=acting_user(request), book=b, expected_version=d["version"]),
        "细则已发布。",
        "points:book",
        pk=pk,
    )


@login_required
@require_POST
def holder_new(request: HttpRequest) -> HttpResponse:
    village = request.POST.get("village", "")
    holder_policy.village_or_404(request.user, village, "change")
    people = Person.objects.filter(region_id=village).values_list("pk", "name")
    form = HolderForm(request.POST, choices={"person": list(people)})
    h = form_action(
        request,
        form,
        lambda d: holder_open(actor=acting_user(request), person=Person.objects.get(pk=d["person"]), kind=d["kind"]),
    )
    if h is None:
        messages.error(request, form_errors_text(form, labelled=True))
        return redirect("points:index")
    return redirect("points:holder", pk=h.pk)


def _holder(request: HttpRequest, pk: int) -> Holder:
    return holder_policy.get_or_404(request.user, queryset=Holder.objects.select_related("balance", "region"), pk=pk)


def _rule_choices(h: Holder) -> list[tuple[int, str]]:
    b = book_in_force(h.region_id, timezone.localdate())
    return [(r.pk, f"{r.code} {r.title}（{r.points:+d}）") for r in (b.rules.order_by("code") if b else [])]


@login_required
@require_GET
def holder(request: HttpRequest, pk: int) -> HttpResponse:
    h = _holder(request, pk)
    return render(
        request,
        "points/holder.html",
        {
            "holder": h,
            "available": available(h),
            "entries": page_of(request, selectors.entries_of(h), 50),  # it stopped at 200
            "can_change": holder_policy.can(request.user, "change", h),
            "earn_form": EarnForm(choices={"rule": _rule_choices(h)}, initial={"occurred_on": timezone.localdate()}),
        },
    )


@login_required
@require_POST
def earn(request: HttpRequest, pk: int) -> HttpResponse:
    h = _holder(request, pk)
    form = EarnForm(request.POST, choices={"rule": _rule_choices(h)})
    return _act(
        request,
        form,
        lambda d: points_earn(
            actor=acting_user(request),
            holder=h,
            rule=Rule.objects.select_related("book").get(pk=d["rule"]),
            occurred_on=d["occurred_on"],
            evidence=d["evidence"],
            key=d["key"],
            times=d["times"],
        ),
        "已登记积分。",
        "points:holder",
        pk=pk,
    )


@login_required
@require_POST
def code(request: HttpRequest, pk: int) -> HttpResponse:
    """A fresh one-time code shown as a QR code and digits for the resident to show at the counter."""
    h = _holder(request, pk)
    issued = code_issue(actor=acting_user(request), holder=h)
    svg = segno.make(issued.code, micro=False).svg_inline(scale=6)
    return render(request, "points/code.html", {"holder": h, "code": issued, "svg": mark_safe(svg)})


@login_required
@require_POST
def credit(request: HttpRequest) -> HttpResponse:
    form = RegionForm(request.POST, choices={"region": villages_for(request.user, "points.change")})
    result = form_action(request, form, lambda d: hours_credit(actor=acting_user(request), region_code=d["region"]))
    if result is None:
        messages.error(request, form_errors_text(form, labelled=True))
    else:
        messages.success(
            request,
            f"服务时长计入积分：{result.credited} 笔，共 {result.points} 分；"
            f"{result.skipped} 笔无适用条目或不足 1 分。",
        )
    return redirect("points:index")


@login_required
@require_POST
def expire(request: HttpRequest) -> HttpResponse:
    form = RegionForm(request.POST, choices={"region": villages_for(request.user, "points.change")})
    total = form_action(
        request,
        form,
        lambda d: points_expire(actor=acting_user(request), region_code=d["region"], on=timezone.localdate()),
    )
    if total is None:
        messages.error(request, form_errors_text(form, labelled=True))
    else:
        messages.success(request, f"到期积分已清零：共 {total} 分。")
    return redirect("points:index")


def ledger_response(user: Any, code: str) -> HttpResponse:
    village = entry_policy.village_or_404(user, code)
    entries = entry_policy.visible_to(user).filter(region_id=village.code).select_related("holder", "rule")
    return xlsx_response(
        documents.ledger_xlsx(entries.order_by("pk").iterator(chunk_size=2000), "积分流水"),
        f"{village.name}积分流水.xlsx",
    )


@login_required
@require_GET
def ledger(request: HttpRequest, code: str) -> HttpResponse:
    return ledger_response(request.user, code)


def verify_region(user: Any, asked: str, *, fallback: bool = True) -> str:
    return str(holder_policy.rollup_region(user, asked, fallback=fallback).code)


@login_required
@require_GET
def verify_page(request: HttpRequest) -> HttpResponse:
    code = verify_region(request.user, request.GET.get("region", ""))
    checked, problems = verify(code)
    return render(
        request,
        "points/verify.html",
        {"region": Region.objects.get(code=code), "checked": checked, "problems": problems},
    )


# ---- listings ----------------------------------------------------------------------------------------------------


@login_required
@require_POST
def listing_new(request: HttpRequest) -> HttpResponse:
    form = ListingForm(request.POST, choices={"region": villages_for(request.user, "points.change")})
    x = form_action(
        request,
        form,
        lambda d: listing_publish(
            actor=acting_user(request), region_code=d["region"], **{k: v for k, v in d.items() if k != "region"}
        ),
    )
    if x is None:
        messages.error(request, form_errors_text(form, labelled=True))
        return redirect("points:index")
    messages.success(request, "已发布季度公示。")
    return redirect("points:listing", pk=x.pk)


def _listing(request: HttpRequest, pk: int) -> Listing:
    return listing_policy.get_or_404(request.user, queryset=Listing.objects.select_related("region"), pk=pk)


@login_required
@require_GET
def listing(request: HttpRequest, pk: int) -> HttpResponse:
    x = _listing(request, pk)
    lines = selectors.lines_of(x)
    return render(
        request,
        "points/listing.html",
        {
            "listing": x,
            "lines": lines,
            "objections": selectors.objections_of(x),
            "can_change": listing_policy.can(request.user, "change", x),
            "objection_form": ObjectionForm(choices={"holder": [(ln.holder_id, ln.holder.name) for ln in lines]}),
            "decide_form": DecideForm(),
            "close_form": CloseForm(initial={"version": x.version}),
        },
    )


@login_required
@require_GET
def board(request: HttpRequest, pk: int) -> HttpResponse:
    x = _listing(request, pk)
    return pdf_response(
        documents.listing_pdf(x, selectors.lines_of(x), selectors.objections_of(x)), f"{x.region.name}{x}.pdf"
    )


@login_required
@require_POST
def objection_new(request: HttpRequest, pk: int) -> HttpResponse:
    x = _listing(request, pk)
    form = ObjectionForm(request.POST, choices={"holder": list(x.lines.values_list("holder_id", "holder__name"))})
    return _act(
        request,
        form,
        lambda d: objection_raise(
            actor=acting_user(request),
            listing=x,
            holder=Holder.objects.get(pk=d["holder"]),
            raised_by=d["raised_by"],
            raised_on=d["raised_on"],
            reason=d["reason"],
        ),
        "已登记异议。",
        "points:listing",
        pk=pk,
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    o = objection_policy.get_or_404(request.user, queryset=Objection.objects.select_related("holder"), pk=pk)
    return _act(
        request,
        DecideForm(request.POST),
        lambda d: objection_decide(
            actor=acting_user(request),
            objection=o,
            upheld=d["upheld"],
            decision=d["decision"],
            decided_on=d["decided_on"],
            correction=d["correction"] or 0,
            expected_version=d["version"],
        ),
        "异议已处理。",
        "points:listing",
        pk=o.listing_id,
    )


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    x = _listing(request, pk)
    return _act(
        request,
        CloseForm(request.POST),
        lambda d: listing_close(
            actor=acting_user(request), listing=x, closed_on=d["closed_on"], expected_version=d["version"]
        ),
        "公示已结束，本季积分可兑换。",
        "points:listing",
        pk=pk,
    )


def public_listings(code: str) -> list[tuple[Listing, list[ListingLine]]]:
    """What the public sees of a village: its published listings (the latest four quarters)."""
    out = []
    for x in Listing.objects.filter(region_id=code).order_by("-year", "-quarter")[:4]:
        out.append((x, list(x.lines.select_related("holder").order_by("-balance", "holder__name"))))
    return out


@require_GET
def public(request: HttpRequest, code: str) -> HttpResponse:
    village = Region.objects.filter(code=code, level=Level.VILLAGE).first()
    if village is None:
        return render(request, "404.html", {"message": "未找到该村(社区)。"}, status=404)
    return render(
        request,
        "points/public.html",
        {"village": village, "listings": public_listings(code), "published": ListingStatus.PUBLISHED},
    )


# ---- merchants and settlements -----------------------------------------------------------------------------------


@login_required
@require_POST
def merchant_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = MerchantForm(
        request.POST,
        choices={"region": _regions(user, "points.configure", (3, 4, 5)) + villages_for(user, "points.configure")},
    )
    m = form_action(
        request,
        form,
        lambda d: merchant_create(
            actor=acting_user(request), region_code=d["region"], **{k: v for k, v in d.items() if k != "region"}
        ),
    )
    if m is None:
        messages.error(request, form_errors_text(form, labelled=True))
        return redirect("points:index")
    return redirect("points:merchant", pk=m.pk)


@login_required
@require_GET
def merchant(request: HttpRequest, pk: int) -> HttpResponse:
    m = merchant_or_404(request.user, pk)
    # Both lists page under their own parameter (they stopped at 200 and 50 and hid the rest).
    rows = redemptions_visible(request.user).filter(merchant=m).order_by("-redeemed_on", "-pk")
    own = m.pk in merchant_ids_of(request.user)
    return render(
        request,
        "points/merchant.html",
        {
            "merchant": m,
            "redemptions": page_of(request, rows, 50, param="redemptions"),
            "own": own,
            "may_redeem": own
            or (m.kind == "shop" and holder_policy.can_in_region(request.user, "change", m.region_id)),
            "can_settle": settlement_policy.can_in_region(request.user, "change", m.region_id),
            "can_change": book_policy.can_in_region(request.user, "change", m.region_id),
            "settlements": page_of(
                request,
                settlements_visible(request.user).filter(merchant=m).order_by("-period_end", "-pk"),
                50,
                param="settlements",
            ),
            "redeem_form": RedeemForm(),
            "settlement_form": SettlementForm(),
            "account_form": AccountForm(),
        },
    )


@login_required
@require_POST
def redeem_view(request: HttpRequest, pk: int) -> HttpResponse:
    m = merchant_or_404(request.user, pk)
    form = RedeemForm(request.POST)
    r = form_action(request, form, lambda d: redeem(actor=acting_user(request), merchant=m, **d))
    if r is None:
        messages.error(request, form_errors_text(form, labelled=True))
    else:
        messages.success(request, f"兑换成功：{r.holder.name} {r.points} 分（{yuan(r.fen)} 元），{r.goods}。")
    return redirect("points:merchant", pk=pk)


@login_required
@require_POST
def merchant_account(request: HttpRequest, pk: int) -> HttpResponse:
    m = merchant_or_404(request.user, pk)
    return _act(
        request,
        AccountForm(request.POST),
        lambda d: merchant_account_add(actor=acting_user(request), merchant=m, username=d["username"]),
        "已开通商户账号。",
        "points:merchant",
        pk=pk,
    )


@login_required
@require_POST
def settlement_new(request: HttpRequest, pk: int) -> HttpResponse:
    m = merchant_or_404(request.user, pk)
    form = SettlementForm(request.POST)
    s = form_action(request, form, lambda d: settlement_create(actor=acting_user(request), merchant=m, **d))
    if s is None:
        messages.error(request, form_errors_text(form, labelled=True))
        return redirect("points:merchant", pk=pk)
    return redirect("points:settlement", pk=s.pk)


@login_required
@require_GET
def settlement(request: HttpRequest, pk: int) -> HttpResponse:
    s = settlement_or_404(request.user, pk)
    return render(
        request,
        "points/settlement.html",
        {
            "settlement": s,
            "yuan": yuan(s.total_fen),
            "rows": s.redemptions.select_related("holder").order_by("redeemed_on", "pk"),
            "can_approve": settlement_policy.can(request.user, "approve", s),
            "version_form": VersionForm(initial={"version": s.version}),
            "pay_form": PayForm(initial={"version": s.version, "paid_on": timezone.localdate()}),
        },
    )


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    s = settlement_or_404(request.user, pk)
    return _act(
        request,
        VersionForm(request.POST),
        lambda d: settlement_approve(actor=acting_user(request), settlement=s, expected_version=d["version"]),
        "结算已审核。",
        "points:settlement",
        pk=pk,
    )


@login_required
@require_POST
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    s = settlement_or_404(request.user, pk)
    return _act(
        request,
        PayForm(request.POST),
        lambda d: settlement_pay(
            actor=acting_user(request),
            settlement=s,
            paid_on=d["paid_on"],
            evidence=d["evidence"],
            expected_version=d["version"],
        ),
        "已登记支付。",
        "points:settlement",
        pk=pk,
    )


@login_required
@require_GET
def settlement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    s = settlement_or_404(request.user, pk)
    return pdf_response(documents.settlement_pdf(s), f"{s.merchant.name}结算单.pdf")


@login_required
@require_GET
def settlement_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    s = settlement_or_404(request.user, pk)
    return xlsx_response(documents.settlement_xlsx(s), f"{s.merchant.name}结算明细.xlsx")
