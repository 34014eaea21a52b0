"""The board as plain data: what the API answers and what the page hands to its chart script (one shape)."""

from __future__ import annotations

from typing import Any

from cunshe.command.selectors import Board


def board_data(found: Board) -> dict[str, Any]:
    stage = found.stage
    return {
        "region": found.region.code,
        "name": found.region.name,
        "level": "county" if len(found.region.code) == 6 else "town",
        "stage": None
        if stage is None
        else {
            "status": stage.status,
            "label": stage.label,
            "title": stage.title,
            "milestones_done": stage.milestones_done,
            "milestones_total": stage.milestones_total,
            "next_title": stage.next_title,
            "next_due": stage.next_due.isoformat() if stage.next_due else None,
        },
        "charts": [
            {
                "key": c.key,
                "title": c.title,
                "note": c.note,
                "link": c.link,
                "series": [{"key": s.key, "label": s.label, "color": s.color, "stacked": s.stacked} for s in c.series],
                "rows": [{"code": r.code, "name": r.name, "url": r.url, "values": r.values} for r in c.rows],
                "total": c.total,
            }
            for c in found.charts
        ],
    }
