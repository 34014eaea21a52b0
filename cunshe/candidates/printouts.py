"""The published list of formal candidates (正式候选人名单公告) as an A4 poster: names, gender, age, party
membership and education per post in ballot order, never ID numbers."""

from __future__ import annotations

from django.http import HttpResponse
from reportlab.lib.units import mm

from cunshe.candidates.selectors import ballot_order, person_facts
from cunshe.core.errors import DomainError
from cunshe.core.printing import BODY, grid_table, heading, paragraph, pdf_response, render_pdf
from cunshe.elections.models import Election, Kind
from cunshe.teams.models import Post


def poster_pdf(election: Election) -> bytes:
    if election.candidates_published_on is None:
        raise DomainError("正式候选人名单尚未公布，不能打印公告。")
    candidates = ballot_order(election)
    day = election.election_day
    title = f"{election.heading}正式候选人名单"
    story = [*heading(title, f"选举日 {day:%Y-%m-%d}", f"公布日期 {election.candidates_published_on:%Y-%m-%d}")]
    seats = {p.post: p.seats for p in election.posts.all()}
    for post in dict.fromkeys(c.post for c in candidates):
        story.append(paragraph(f"{Post(post).label}（应选 {seats.get(post, 0)} 名）", BODY))
        rows = [["序号", "姓名", "性别", "年龄", "政治面貌", "学历"]]
        for c in (c for c in candidates if c.post == post):
            f = person_facts(c, day)
            rows.append([str(c.position), f["name"], f["gender"], f["age"], f["party"], f["education"]])
        story.append(grid_table(rows, [14 * mm, 36 * mm, 18 * mm, 18 * mm, 30 * mm, 40 * mm]))
    # The body that publishes the list: the villagers' election committee, or the party organisation for its own.
    publisher = election.region.named("村(社区)党组织" if election.kind == Kind.PARTY else "村(居)民选举委员会")
    story.append(paragraph(f"候选人按提名得票多少为序排列。对候选人有异议的，可向{publisher}反映。", BODY))
    story.append(paragraph(f"{publisher}　{election.candidates_published_on:%Y年%m月%d日}", BODY))
    return render_pdf(story, title)


def poster_response(election: Election) -> HttpResponse:
    return pdf_response(poster_pdf(election), f"{election.region.short_name}正式候选人名单.pdf")
