"""The printed documents of a handover: the handover letter (交接书) in the county's number of copies, and the two
notices sent beforehand (seed 003). Text is drawn with the embedded CJK font of cunshe.core.printing, so it stays
real, searchable text."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer

from cunshe.core.printing import H2, SMALL, TITLE, grid_table, paragraph, pdf_response, render_pdf
from cunshe.deadlines.calendar import deadline_text
from cunshe.handovers.models import PARTY_LABELS, FreezeNotice, Handover, ItemStatus, NoticeKind, Party, parties_of


def _local(moment: Any) -> str:
    return f"{timezone.localtime(moment):%Y年%m月%d日 %H:%M}"


def _heading(handover: Handover) -> str:
    if handover.unit_name:
        return f"{handover.unit_name}{handover.post}离任交接"
    return handover.region.named(handover.get_kind_display())


def _letter_title(handover: Handover) -> str:
    """ "西范村两委换届交接书": the kind already ends in 交接, which the letter's name must not repeat."""
    return f"{_heading(handover).removesuffix('交接')}交接书"


def _freeze_line(handover: Handover) -> str:
    if handover.status == "completed":
        return "交接已完成，账户已解冻。"
    if handover.accounts_frozen:
        return "交接完成前，本单位账户冻结。"
    return "尚未通知财政部门冻结本单位账户。"


def _due(handover: Handover) -> str:
    return deadline_text(handover.due_at, chinese=True)


def _item_outcome(item: Any) -> str:
    parts = []
    if item.count is not None:
        parts.append(f"{item.count} 件/册")
    if item.amount is not None:
        parts.append(f"{item.amount} 元")
    if item.details:
        parts.append(item.details)
    return "；".join(parts) or "—"


def letter_pdf(handover: Handover, *, copies: int) -> bytes:
    """One letter per copy, each saying which copy it is, so every filed copy is complete on its own."""
    story: list[Any] = []
    items = list(handover.items.all())
    leftovers = list(handover.leftovers.all())
    live = {c.party: c for c in handover.confirmations.all() if c.voided_at is None}
    for copy in range(1, copies + 1):
        story += [
            paragraph(f"第 {copy} 份 / 共 {copies} 份", SMALL),
            paragraph(_letter_title(handover), TITLE),
            paragraph(
                f"移交人：{handover.outgoing.name}{f'（{handover.post}）' if handover.post else ''}　"
                f"接收人：{handover.incoming.name}"
            ),
            paragraph(
                f"交接工作组：{handover.working_group.display_name}"
                f"{f'（成员：{handover.working_group_members}）' if handover.working_group_members else ''}　"
                f"监交人：{handover.supervisor.display_name}"
            ),
            paragraph(f"交接会：{_local(handover.meeting_at)}，{handover.meeting_place}　交接期限：{_due(handover)}"),
            paragraph(_freeze_line(handover)),
            paragraph("一、交接事项", H2),
            grid_table(
                [["序号", "类别", "事项", "应交内容", "交接情况", "交接明细"]]
                + [
                    [str(i.position), i.section, i.title, i.expected, i.get_status_display(), _item_outcome(i)]
                    for i in items
                ],
                [10 * mm, 22 * mm, 28 * mm, 42 * mm, 20 * mm, 52 * mm],
            ),
            paragraph("二、差异说明", H2),
        ]
        differing = [i for i in items if i.status in (ItemStatus.DISCREPANCY, ItemStatus.NOT_HANDED)]
        story += [
            paragraph(f"{i.position}. {i.title}（{i.get_status_display()}）：{i.discrepancy}") for i in differing
        ] or [paragraph("无。")]
        story.append(paragraph("三、遗留事项", H2))
        story += [
            paragraph(
                f"{n}. {lo.title}　责任人：{lo.owner}　办结期限：{lo.due_on:%Y年%m月%d日}　{lo.get_status_display()}"
            )
            for n, lo in enumerate(leftovers, start=1)
        ] or [paragraph("无。")]
        names = {
            Party.OUTGOING: handover.outgoing.name,
            Party.INCOMING: handover.incoming.name,
            Party.WORKING_GROUP: handover.working_group.display_name,
            Party.SUPERVISOR: handover.supervisor.display_name,
            **{m.party: f"{m.department} {m.user.display_name}" for m in handover.group.all()},
        }
        parties = parties_of(handover.kind)

        def confirmed(party: str) -> str:
            if party not in live:
                return "未确认"
            c = live[party]
            if c.on_paper:
                return f"纸质签字，{c.confirmed_by.display_name} {_local(c.confirmed_at)} 登记"
            return _local(c.confirmed_at)

        # The heading and the four parties stay on one page: a signature block split over a page break leaves
        # parties signing a sheet that shows nothing of what they sign for.
        story.append(
            KeepTogether(
                [
                    paragraph("四、签字确认", H2),
                    Spacer(1, 2 * mm),
                    grid_table(
                        [["签字方", "姓名", "签字", "系统确认"]]
                        + [[PARTY_LABELS[party], names[party], "", confirmed(party)] for party in parties],
                        [30 * mm, 40 * mm, 50 * mm, 54 * mm],
                        rowHeights=[8 * mm] + [14 * mm] * len(parties),  # room to sign
                    ),
                ]
            )
        )
        if copy < copies:
            story.append(PageBreak())
    return render_pdf(story, _letter_title(handover))


def leaving_notice_pdf(handover: Handover) -> bytes:
    story = [
        paragraph("离任通知书", TITLE),
        paragraph(f"{handover.outgoing.name}同志："),
        paragraph(
            f"根据工作安排，您将不再担任{handover.post or handover.region.short_name + '相关职务'}。请于"
            f"{_local(handover.meeting_at)}到{handover.meeting_place}参加交接会，向{handover.incoming.name}同志"
            f"移交工作，并于{_due(handover)}前完成交接。交接完成前，本单位集体账户冻结。"
        ),
        paragraph("请提前按《交接清单》准备印章、账簿、档案及遗留事项等材料。"),
        Spacer(1, 12 * mm),
        paragraph(f"{handover.region.short_name}交接工作组　{handover.working_group.display_name}"),
    ]
    return render_pdf(story, "离任通知书")


def handover_notice_pdf(handover: Handover) -> bytes:
    story = [
        paragraph("交接通知书", TITLE),
        paragraph(f"{handover.outgoing.name}、{handover.incoming.name}同志："),
        paragraph(
            f"定于{_local(handover.meeting_at)}在{handover.meeting_place}召开{_heading(handover)}会议。"
            f"移交人汇报情况，接收人询问核实，财会人员补充说明，交接工作组主持，{handover.supervisor.display_name}监交。"
            f"交接须于{_due(handover)}前完成，各方签字确认后归档。"
        ),
        paragraph("交接事项：" + "、".join(i.title for i in handover.items.all())),
        Spacer(1, 12 * mm),
        paragraph(f"{handover.region.short_name}交接工作组　{handover.working_group.display_name}"),
    ]
    return render_pdf(story, "交接通知书")


def letter_response(handover: Handover, *, copies: int) -> HttpResponse:
    return pdf_response(letter_pdf(handover, copies=copies), f"{_letter_title(handover)}.pdf")


def leaving_notice_response(handover: Handover) -> HttpResponse:
    return pdf_response(leaving_notice_pdf(handover), f"{handover.outgoing.name}离任通知书.pdf")


def handover_notice_response(handover: Handover) -> HttpResponse:
    return pdf_response(handover_notice_pdf(handover), f"{handover.region.short_name}交接通知书.pdf")


def freeze_notice_pdf(notice: FreezeNotice) -> bytes:
    """The notice to finance (seed 003: 同步通知财政局冻结离任单位账户，待交接完毕后解封)."""
    handover = notice.handover
    freeze = notice.kind == NoticeKind.FREEZE
    body = (
        f"因{handover.unit_label}{handover.post}{handover.outgoing.name}同志离任，现进行离任交接（交接期限："
        f"{_due(handover)}）。请自即日起冻结{handover.unit_label}账户，交接完成前暂停办理资金支付业务，"
        "待交接完毕另行通知解冻。"
        if freeze
        else f"{handover.unit_label}{handover.post}离任交接已于{_local(handover.completed_at or notice.sent_at)}完成，"
        f"各方及监交单位联合小组均已签字确认。请解除{handover.unit_label}账户冻结，由接任的{handover.incoming.name}同志"
        "按规定办理。"
    )
    group = "、".join(f"{m.department}{m.user.display_name}" for m in handover.group.all())
    story = [
        paragraph(notice.get_kind_display(), TITLE),
        paragraph(f"{notice.addressed_to}："),
        paragraph(body),
        paragraph(f"监交单位联合小组：{group or '—'}"),
        Spacer(1, 12 * mm),
        paragraph(f"组织者：{handover.working_group.display_name}　　{_local(notice.sent_at)}"),
    ]
    return render_pdf(story, notice.get_kind_display())


def freeze_notice_response(notice: FreezeNotice) -> HttpResponse:
    return pdf_response(freeze_notice_pdf(notice), f"{notice.handover.unit_label}{notice.get_kind_display()}.pdf")
