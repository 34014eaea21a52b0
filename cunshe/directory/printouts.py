"""The printable directory (A4): one ruled table per unit with name, post, duties and phones (a private number only
with the person's consent)."""

from __future__ import annotations

from reportlab.lib.units import mm

from cunshe.core.printing import H2, grid_table, heading, paragraph, render_pdf
from cunshe.directory.selectors import public_groups
from cunshe.regions.models import Region


def directory_pdf(region: Region) -> bytes:
    title = f"{region.name}领导干部电话公开"
    story: list = [*heading(title, "公开的是办公电话；手机号码经本人同意后公开")]
    groups = public_groups(region)
    if not groups:
        story.append(paragraph("暂无公开信息。"))
    for unit, entries in groups:
        story.append(paragraph(unit.name, H2))
        rows = [["姓名", "职务", "分工职责", "办公电话", "手机号码"]]
        rows += [[e.name, e.post, e.duties, e.office_phone, e.public_mobile] for e in entries]
        story.append(grid_table(rows, [22 * mm, 32 * mm, 60 * mm, 30 * mm, 30 * mm]))
    return render_pdf(story, title)
