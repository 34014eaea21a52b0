"""Access rules of the command view for the walk (cunshe/access/tests/test_every_url.py): town A's officer opens
town A's view and gets a 404 for town B's (the view reads the other modules' roll-ups: nothing to set up)."""

from __future__ import annotations

from conftest import TOWN_A, TOWN_B
from cunshe.access.tests.walk import Rule

WEB_RULES = {
    "command:index": Rule("signed_in"),
    "command:board": Rule("scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}),
    "command:wall_chart": Rule("scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}),
}

API_RULES = {
    "GET /api/v1/command/{code}": Rule("scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}),
    "GET /api/v1/command/{code}/wall-chart.pdf": Rule(
        "scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}
    ),
}
