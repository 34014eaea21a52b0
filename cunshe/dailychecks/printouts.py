"""The month of daily checks printed for the file (每日必查月度情况): one cadre's month (days done of working days
due, each day's four items, problems found and closed) and a town's or county's month table, with lines for the
officials who sign them. Both read what the pages read: the month rows and the checks the user may see."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpResponse
from reportlab.lib.units import mm

from cunshe.core.months import month_end
from cunshe.core.printing import H2, grid_table, heading, paragraph, pdf_response, render_pdf
from cunshe.dailychecks import selectors
from cunshe.dailychecks.models import ITEM_KEYS, DailyCheck, ItemKey
from cunshe.dailychecks.permissions import check_policy
from cunshe.regions.models import Level, Region
from cunshe.teams.models import TeamMember

LABELS = dict(ItemKey.choices)


def _signatures(first: str, second: str) -> list[Any]:
    rows = [[f"{first}（签字）", "", f"{second}（签字）", ""], ["日期", "　　年　　月　　日", "", ""]]
    return [paragraph("签字", H2), grid_table(rows, [52 * mm, 35 * mm, 52 * mm, 35 * mm], header=False)]


def _line(line: selectors.CadreLine | selectors.UnitRow) -> list[str]:
    return [str(line.due), str(line.done), line.rate, str(line.found), str(line.closed)]


INDICATORS = ["应查天数(工作日)", "已查天数", "完成率", "发现问题", "已整改"]


def cadre_month_pdf(village: Region, line: selectors.CadreLine, month: date, checks: list[DailyCheck]) -> bytes:
    title = f"{line.name}同志{month:%Y年%m月}每日必查情况"
    header = ["日期", *[LABELS[k].removesuffix("必查") for k in ITEM_KEYS], "问题说明"]
    days = []
    for c in checks:
        results = {r.key: r for r in c.results.all()}
        marks = [("正常" if results[k].ok else "有问题") if k in results else "" for k in ITEM_KEYS]
        notes = "；".join(f"{r.note}（{'已整改' if r.closed_on else '未整改'}）" for r in results.values() if not r.ok)
        days.append([f"{c.day:%m-%d}", *marks, notes])
    story: list[Any] = [
        *heading(title, village.name, f"{month:%Y年%m月}"),
        grid_table([INDICATORS, _line(line)], [36 * mm, 32 * mm, 32 * mm, 32 * mm, 32 * mm]),
        paragraph("逐日必查", H2),
        grid_table([header, *days], [18 * mm, 24 * mm, 24 * mm, 24 * mm, 24 * mm, 60 * mm])
        if days
        else paragraph("本月无必查记录。"),
        *_signatures("村干部本人", "村党组织书记"),
    ]
    return render_pdf(story, title)


def cadre_month_response(user: Any, code: str, person_id: int, month: date, as_of: date) -> HttpResponse:
    village = check_policy.village_or_404(user, code)
    line = next((x for x in selectors.cadre_lines(user, village, month, as_of) if x.person_id == person_id), None)
    if line is None:
        # No month row yet (opened by the daily job or the first check): a cadre in office still has a month to
        # print, with nothing done; anyone else is not the village's cadre.
        post = (
            TeamMember.objects.filter(region_id=village.code, person_id=person_id, started_on__lte=as_of)
            .exclude(ended_on__lt=month)
            .select_related("person")
            .order_by("started_on")
            .first()
        )
        if post is None:
            raise Http404("未找到该记录。")
        due = selectors.days_due(max(month, post.started_on), month, as_of)
        line = selectors.CadreLine(village.code, village.name, person_id, post.person.name, due, 0, 0, 0)
    checks = list(
        check_policy.visible_to(user)
        .filter(region_id=village.code, person_id=person_id, day__gte=month, day__lte=month_end(month))
        .prefetch_related("results")
        .order_by("day")
    )
    return pdf_response(cadre_month_pdf(village, line, month, checks), f"{line.name}{month:%Y-%m}每日必查.pdf")


def region_month_pdf(
    region: Region, month: date, rows: list[selectors.UnitRow], total: selectors.UnitRow, cadres: list[Any]
) -> bytes:
    title = f"{region.name}{month:%Y年%m月}每日必查情况汇总表"
    unit = "村(社区)" if region.level == Level.TOWN else "乡镇(街道)"
    widths = [44 * mm, 16 * mm, 24 * mm, 18 * mm, 18 * mm, 18 * mm, 18 * mm]
    table = [[unit, "干部人数", *INDICATORS]]
    table += [[r.name, str(r.cadres), *_line(r)] for r in [*rows, total]]
    story: list[Any] = [*heading(title, region.name, f"{month:%Y年%m月}"), grid_table(table, widths)]
    if cadres:
        story += [
            paragraph("村干部月度指标", H2),
            grid_table(
                [["村(社区)", "姓名", *INDICATORS], *[[c.village, c.name, *_line(c)] for c in cadres]],
                [36 * mm, 20 * mm, 24 * mm, 18 * mm, 18 * mm, 18 * mm, 18 * mm],
            ),
        ]
    signer = "乡镇(街道)分管负责人" if region.level == Level.TOWN else "县委组织部负责人"
    story += _signatures("填表人", signer)
    return render_pdf(story, title)


def region_month_response(user: Any, region: Region, month: date, as_of: date) -> HttpResponse:
    rows, total = selectors.rollup(user, region, month, as_of)
    cadres = selectors.cadre_lines(user, region, month, as_of) if region.level == Level.TOWN else []
    content = region_month_pdf(region, month, rows, total, cadres)
    return pdf_response(content, f"{region.name}{month:%Y-%m}每日必查汇总.pdf")
