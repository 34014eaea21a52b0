"""Excel (the ledger of a village, a settlement's redemptions) and printouts (the quarterly listing for the board,
the settlement sheet) of the points module; printouts carry real text (tested by extracting it)."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from cunshe.core.printing import grid_table, heading, paragraph, render_pdf
from cunshe.points.models import Entry, Listing, ListingLine, Objection, Settlement
from cunshe.points.services import quarter_bounds, yuan
from cunshe.spreadsheets.layout import Column, format_date, write_workbook

LEDGER_COLUMNS = [
    Column("流水号", "pk", width=10),
    Column("幂等键", "key", width=24, as_text=True),
    Column("积分账户", "holder", width=14),
    Column("类型", "kind", width=8),
    Column("积分", "points", width=8),
    Column("条目", "rule", width=24),
    Column("发生日期", "occurred_on", width=12),
    Column("到期日期", "expires_on", width=12),
    Column("佐证", "evidence", width=30),
    Column("经办人", "operator", width=10),
]

SETTLEMENT_COLUMNS = [
    Column("兑换日期", "redeemed_on", width=12),
    Column("积分账户", "holder", width=14),
    Column("兑换物品", "goods", width=24),
    Column("积分", "points", width=8),
    Column("金额(元)", "yuan", width=10),
    Column("兑换码", "code", width=14, as_text=True),
]


def ledger_xlsx(entries: Iterable[Entry], title: str) -> bytes:
    buffer = BytesIO()
    rows = (
        {
            "pk": e.pk,
            "key": e.key,
            "holder": e.holder.name,
            "kind": e.get_kind_display(),
            "points": e.points,
            "rule": f"{e.rule.code} {e.rule.title}" if e.rule else "",
            "occurred_on": format_date(e.occurred_on),
            "expires_on": format_date(e.expires_on),
            "evidence": e.evidence,
            "operator": e.operator_name,
        }
        for e in entries
    )
    write_workbook(title, LEDGER_COLUMNS, rows, buffer)
    return buffer.getvalue()


def settlement_xlsx(settlement: Settlement) -> bytes:
    buffer = BytesIO()
    rows = (
        {
            "redeemed_on": format_date(r.redeemed_on),
            "holder": r.holder.name,
            "goods": r.goods,
            "points": r.points,
            "yuan": yuan(r.fen),
            "code": r.code,
        }
        for r in settlement.redemptions.select_related("holder").order_by("redeemed_on", "pk")
    )
    write_workbook("结算明细", SETTLEMENT_COLUMNS, rows, buffer)
    return buffer.getvalue()


def listing_pdf(listing: Listing, lines: list[ListingLine], objections: list[Objection]) -> bytes:
    start, end = quarter_bounds(listing.year, listing.quarter)
    story: list[Any] = [
        *heading(f"{listing.region.name}{listing.year}年第{listing.quarter}季度信用积分公示", listing.region.name),
        paragraph(
            f"统计期间：{start:%Y年%m月%d日}至{end:%Y年%m月%d日}。公示期：{listing.published_on:%Y年%m月%d日}至"
            f"{listing.objection_until:%Y年%m月%d日}。对公示内容有异议的，请在公示期内向村(社区)两委反映。"
        ),
        Spacer(1, 4 * mm),
        grid_table(
            [["序号", "户(人)", "本季获得", "本季减少", "季末余额"]]
            + [
                [str(i), ln.holder.name, str(ln.earned), str(ln.spent), str(ln.balance)]
                for i, ln in enumerate(lines, 1)
            ],
            [15 * mm, 55 * mm, 30 * mm, 30 * mm, 30 * mm],
        ),
    ]
    if objections:
        story += [
            Spacer(1, 4 * mm),
            paragraph("异议及处理"),
            grid_table(
                [["涉及户(人)", "异议内容", "处理结果"]]
                + [[o.holder.name, o.reason, f"{o.get_status_display()} {o.decision}"] for o in objections],
                [35 * mm, 70 * mm, 60 * mm],
            ),
        ]
    story += [Spacer(1, 10 * mm), paragraph("村(社区)党组织（盖章）　　　　　村(居)民委员会（盖章）")]
    return render_pdf(story, f"{listing.region.name}{listing}")


def settlement_pdf(settlement: Settlement) -> bytes:
    rows = list(settlement.redemptions.select_related("holder").order_by("redeemed_on", "pk"))
    m = settlement.merchant
    story: list[Any] = [
        *heading(f"{m.name}积分兑换结算单", m.region.name),
        paragraph(
            f"结算期：{settlement.period_start:%Y-%m-%d} 至 {settlement.period_end:%Y-%m-%d}　"
            f"笔数：{settlement.count}　积分合计：{settlement.total_points}　金额合计：{yuan(settlement.total_fen)} 元　"
            f"状态：{settlement.get_status_display()}"
            + (f"　审核：{settlement.approved_on:%Y-%m-%d}" if settlement.approved_on else "")
            + (f"　支付：{settlement.paid_on:%Y-%m-%d}" if settlement.paid_on else "")
        ),
        paragraph(f"佐证：{settlement.evidence or '—'}"),
        Spacer(1, 4 * mm),
        grid_table(
            [["兑换日期", "户(人)", "兑换物品", "积分", "金额(元)"]]
            + [[f"{r.redeemed_on:%Y-%m-%d}", r.holder.name, r.goods, str(r.points), yuan(r.fen)] for r in rows],
            [25 * mm, 35 * mm, 60 * mm, 20 * mm, 25 * mm],
        ),
        Spacer(1, 12 * mm),
        paragraph("商户（签章）：　　　　　　经办人：　　　　　　审核人：　　　　　　日期："),
    ]
    return render_pdf(story, f"{m.name}结算单")
