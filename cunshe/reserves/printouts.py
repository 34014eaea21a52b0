"""The paper of the 三度测评一试岗 procedure (seed 004, 文成): the blank scoring form each member of the evaluation
panel fills in for a reserve cadre, and the public notice (公示) of the reserves a village puts up after the
evaluation meeting. Both read through the same scoped queries as the pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from cunshe.core.errors import DomainError
from cunshe.core.printing import BODY, H2, TITLE, grid_table, heading, paragraph, pdf_response, render_pdf
from cunshe.regions.models import Region
from cunshe.reserves.models import ReserveCadre, Stage
from cunshe.reserves.selectors import reserves_visible

# The reserves a notice names: evaluated at the meeting (the notice is about to go up) or already on notice.
NOTICE_STAGES = (Stage.EVALUATED, Stage.NOTICED)
_BLANK_PERIOD = "____年__月__日至____年__月__日"


def _person_line(reserve: ReserveCadre, today: date) -> list[str]:
    person = reserve.person
    return [
        person.name,
        person.get_gender_display(),
        f"{person.birth_date:%Y.%m}（{person.age_on(today)} 岁）",
        person.get_education_display() or "—",
        reserve.get_source_display(),
    ]


def evaluation_form_pdf(reserve: ReserveCadre) -> bytes:
    """One panel member's form: who is evaluated, the three degrees scored 0–100, a comment and a signature."""
    title = "村级后备干部“三度”测评表"
    person_rows = [["姓名", "性别", "出生年月", "学历", "来源"], _person_line(reserve, timezone.localdate())]
    story: list[Any] = [
        *heading(title, reserve.region.name),
        grid_table(person_rows, [34 * mm, 20 * mm, 44 * mm, 36 * mm, 40 * mm], style=BODY),
        Spacer(1, 4 * mm),
        paragraph(
            "测评方法：通过与对象本人谈、向身边群众问、请乡贤能人说，分别对忠诚度、满意度、胜任度打分（0—100 分）。",
            BODY,
        ),
        Spacer(1, 2 * mm),
        grid_table(
            [
                ["测评项目", "考察要点", "得分"],
                ["忠诚度", "政治立场、对党忠诚、遵规守纪、群众口碑中的品行", ""],
                ["满意度", "身边群众、党员、乡贤对其为人处事和服务群众的认可程度", ""],
                ["胜任度", "带头致富、议事协调、处理村务和完成急难险重任务的能力", ""],
            ],
            [28 * mm, 116 * mm, 30 * mm],
            style=BODY,
            rowHeights=[9 * mm, 14 * mm, 14 * mm, 14 * mm],
        ),
        paragraph("评价意见", H2),
        grid_table([[""]], [174 * mm], header=False, rowHeights=[40 * mm]),
        Spacer(1, 10 * mm),
        paragraph("测评人（签名）：______________　　　　测评日期：____年__月__日", BODY),
    ]
    return render_pdf(story, f"{reserve.person.name}{title}")


def notice_pdf(village: Region, reserves: list[ReserveCadre]) -> bytes:
    """The notice a village posts: who is proposed as a reserve cadre, for how long, and how to object."""
    title = f"关于{village.short_name}后备干部人选的公示"
    today = timezone.localdate()
    periods = {(r.notice_from, r.notice_until) for r in reserves if r.notice_from and r.notice_until}
    period = _BLANK_PERIOD
    if len(periods) == 1:
        start, end = periods.pop()
        period = f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}"
    rows = [["序号", "姓名", "性别", "出生年月", "学历", "来源"]]
    rows += [[str(n), *_person_line(r, today)] for n, r in enumerate(reserves, start=1)]
    story: list[Any] = [
        paragraph(title, TITLE),  # posted on the wall: no print stamp
        paragraph(
            f"经个人谈话、群众走访和“三度”测评会议研究，拟将以下 {len(reserves)} 名同志列为{village.short_name}后备干部人选，"
            f"现予公示。公示期：{period}。",
            BODY,
        ),
        Spacer(1, 3 * mm),
        grid_table(rows, [12 * mm, 30 * mm, 16 * mm, 42 * mm, 34 * mm, 40 * mm], style=BODY),
        Spacer(1, 4 * mm),
        paragraph(
            "公示期间，党员群众如对公示对象有不同意见，可通过来电、来信、来访等方式向乡镇(街道)党(工)委反映。"
            "反映问题应实事求是，提倡署名反映。",
            BODY,
        ),
        Spacer(1, 3 * mm),
        paragraph("受理电话：______________　　受理地点：______________", BODY),
        Spacer(1, 12 * mm),
        paragraph(f"{village.short_name}党组织　　　　____年__月__日", BODY),
    ]
    return render_pdf(story, title)


def evaluation_form_response(reserve: ReserveCadre) -> HttpResponse:
    return pdf_response(evaluation_form_pdf(reserve), f"{reserve.person.name}三度测评表.pdf")


def notice_response(user: Any, village: Region) -> HttpResponse:
    reserves = list(
        reserves_visible(user, under=village.code).filter(stage__in=NOTICE_STAGES).order_by("added_on", "pk")
    )
    if not reserves:
        raise DomainError("没有待公示或公示中的后备干部（须先开过“三度”测评会议）。")
    return pdf_response(notice_pdf(village, reserves), f"{village.name}后备干部公示.pdf")
