"""The files the pages and the API both hand out under the same access rule: the roster (the import's layout; roster_import, which reads it, lives here too) and
the roll-up table of a village, town or county, in Excel."""

from __future__ import annotations

from io import BytesIO
from typing import Any, BinaryIO

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

from cunshe.core.actors import Actor
from cunshe.core.errors import DomainError
from cunshe.core.text import clean_text
from cunshe.people.models import Person
from cunshe.records.services import Pending, record_many
from cunshe.regions.models import Level, Region
from cunshe.spreadsheets.layout import (
    Column,
    ImportReport,
    bad_rows_error,
    parse_date,
    read_rows,
    write_workbook,
    xlsx_response,
)
from cunshe.termchanges.selectors import current_term_change
from cunshe.volunteers import selectors
from cunshe.volunteers.models import ROLE_LABELS, FormedBy, VolunteerMember, VolunteerTeam, roles_on
from cunshe.volunteers.permissions import team_policy
from cunshe.volunteers.services import summary_refresh

ROLLUP_COLUMNS = [
    Column("单位代码", "code", width=14, as_text=True),
    Column("单位", "name", width=20),
    Column("服务队（支）", "teams", width=12),
    Column("在队志愿者（人）", "people", width=14),
    Column("活动（次）", "activities", width=10),
    Column("参加（人次）", "turnouts", width=12),
    Column("覆盖户数", "households", width=10),
]


def roster_response(user: Any, region: Region) -> HttpResponse:
    buffer = BytesIO()
    rows = (roster_row(m) for m in selectors.members_under(user, region.code).iterator(2000))
    write_workbook("志愿者花名册", ROSTER_COLUMNS, rows, buffer)
    return xlsx_response(buffer.getvalue(), f"{region.name}换届志愿服务队花名册.xlsx")


def rollup_response(user: Any, region: Region) -> HttpResponse:
    rows, total = selectors.rollup(user, region)
    buffer = BytesIO()
    write_workbook("志愿服务汇总", ROLLUP_COLUMNS, (vars(r) for r in [*rows, total]), buffer)
    return xlsx_response(buffer.getvalue(), f"{region.name}换届志愿服务汇总.xlsx")


ROSTER_COLUMNS = [
    Column("村(社区)代码", "region", width=14, required=True, as_text=True),
    Column("村(社区)", "region_name", width=18, export_only=True),
    Column("服务队", "team", width=20, required=True),
    Column("成立日期", "formed_on", parse=parse_date, width=12, required=True),
    Column("姓名", "name", width=10, required=True),
    Column("联系电话", "phone", width=14, as_text=True),
    Column("职责", "role", width=8, required=True, choices={label: code for code, label in ROLE_LABELS.items()}),
    Column("加入日期", "joined_on", parse=parse_date, width=12, required=True),
    Column("居民档案", "resident", width=8, export_only=True),
]


def roster_row(m: VolunteerMember) -> dict[str, Any]:
    return {
        "region": m.team.region_id,
        "region_name": m.team.region.name,
        "team": m.team.name,
        "formed_on": m.team.formed_on,
        "name": m.name,
        "phone": m.phone,
        "role": ROLE_LABELS.get(m.role, m.role),
        "joined_on": m.joined_on,
        "resident": "是" if m.person_id else "否",
    }


def _resident(village: str, name: str, phone: str) -> Person | None:
    """The one resident of the village with this name (and this phone when several share it); else an outsider."""
    found = list(Person.objects.filter(region_id=village, name=name)[:5])
    if len(found) > 1:
        found = [p for p in found if phone and p.phone == phone]
    return found[0] if len(found) == 1 else None


@transaction.atomic
def roster_import(*, actor: Actor, town_code: str, stream: BinaryIO) -> ImportReport:
    """A town's lists of its villages' teams (the export's layout): a team not yet known is formed by the town on
    its 成立日期; a member is a team's active member of the same name and phone (a changed 职责 is updated, an equal
    row left alone), else joins. Every row is checked first; one bad row and nothing is saved."""
    town = Region.objects.filter(code=town_code, level=Level.TOWN).first()
    if town is None:
        raise DomainError("请选择乡镇(街道)。", {"region": ["须为乡镇(街道)。"]})
    team_policy.check_in_region(actor, "change", town.code)
    villages = set(Region.objects.filter(parent_id=town.code, level=Level.VILLAGE).values_list("code", flat=True))
    teams = {(t.region_id, t.name): t for t in VolunteerTeam.objects.filter(region_id__in=villages)}
    members = {
        (m.team_id, m.name, m.phone): m
        for m in VolunteerMember.objects.filter(team__region_id__in=villages, left_on__isnull=True)
    }
    report = ImportReport(unit="人")
    new_teams: dict[tuple[str, str], dict[str, Any]] = {}
    joins: list[dict[str, Any]] = []
    changes: list[tuple[VolunteerMember, str]] = []
    seen: set[tuple[str, str, str, str]] = set()
    today = timezone.localdate()
    for row in read_rows(stream, ROSTER_COLUMNS, max_rows=20_000):
        if not row.errors:
            v: dict[str, Any] = {k: clean_text(x) if isinstance(x, str) else x for k, x in row.values.items()}
            key = (v["region"], v["team"], v["name"], v["phone"])
            if v["region"] not in villages:
                row.errors.append(f"村(社区)代码 {v['region']} 不在{town.name}")
            if len(v["team"]) > 60 or len(v["name"]) > 50 or len(v["phone"]) > 20:
                row.errors.append("服务队不超过 60 字，姓名不超过 50 字，联系电话不超过 20 字")
            if v["joined_on"] > today or v["formed_on"] > today:
                row.errors.append("日期不能晚于今天")
            if v["joined_on"] < v["formed_on"]:
                row.errors.append("加入日期不能早于成立日期")
            if v["role"] not in roles_on(v["joined_on"]):
                row.errors.append("该职责在加入日期尚未施行")
            if key in seen:
                row.errors.append(f"{v['name']}在{v['team']}重复")
            seen.add(key)
            team = teams.get((v["region"], v["team"]))
            if team is not None and v["joined_on"] < team.formed_on:
                row.errors.append(f"加入日期不能早于{team.name}成立日期 {team.formed_on:%Y-%m-%d}")
            if not row.errors:
                found = members.get((team.pk, v["name"], v["phone"])) if team else None
                if found is None:
                    new_teams.setdefault((v["region"], v["team"]), v)
                    joins.append(v)
                elif found.role != v["role"]:
                    changes.append((found, v["role"]))
                else:
                    report.unchanged += 1
        if row.errors:
            report.bad_rows.append(row)
    if report.bad_rows:
        raise bad_rows_error(report.bad_rows)
    names = dict(Region.objects.filter(code__in=villages).values_list("code", "name"))
    entries: list[Pending] = []
    term_change = current_term_change(town.code)
    for (code, name), v in new_teams.items():
        if (code, name) in teams:
            continue
        team = teams[(code, name)] = VolunteerTeam.objects.create(
            region_id=code, term_change=term_change, name=name, formed_by=FormedBy.TOWN, formed_on=v["formed_on"]
        )
        entries.append(
            Pending(
                region_code=code,
                event="volunteers.team_formed",
                summary=f"{names[code]}成立换届志愿服务队：{name}（乡镇(街道)组建，Excel 导入）",
                obj=team,
                after={"队名": name, "组建方式": "乡镇(街道)组建", "成立日期": v["formed_on"]},
            )
        )
    for v in joins:
        team = teams[(v["region"], v["team"])]
        member = VolunteerMember.objects.create(
            team=team,
            person=_resident(v["region"], v["name"], v["phone"]),
            name=v["name"],
            phone=v["phone"],
            role=v["role"],
            joined_on=v["joined_on"],
        )
        entries.append(
            Pending(
                region_code=team.region_id,
                event="volunteers.member_joined",
                summary=f"{team.name}：{member.name}入队（{member.role_label}，Excel 导入）",
                obj=member,
                after={"姓名": member.name, "职责": member.role_label, "加入日期": member.joined_on},
            )
        )
    for member, role in changes:
        before = member.role_label
        member.role = role
        member.save(update_fields=["role"])
        entries.append(
            Pending(
                region_code=member.team.region_id,
                event="volunteers.member_changed",
                summary=f"{member.team.name}：{member.name}职责改为{member.role_label}（Excel 导入）",
                obj=member,
                before={"职责": before},
                after={"职责": member.role_label},
            )
        )
    if entries:
        summary_refresh({e.region_code for e in entries})
        record_many(actor=actor, entries=entries)
    report.created, report.updated, report.saved = len(joins), len(changes), True
    return report
