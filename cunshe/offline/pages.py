"""The pages a cadre uses in the field, as the service worker knows them: each is kept on the phone when opened
online (network first, the stored copy when there is no signal). A module whose page should work offline adds one
line here (a regular expression over the path) and puts `data-offline="<kind>"` on the page's form (see queued.py).

Only these pages are kept: a phone may be shared or lost, so the worker does not store every page a user opens."""

from __future__ import annotations

FIELD_PAGES: list[tuple[str, str]] = [
    ("离线待发送", r"^/offline/$"),
    ("首页", r"^/home/$"),
    ("走访：村(社区)名单", r"^/visits/\d{12}/$"),
    ("走访：记录走访", r"^/visits/plan/\d+/$"),
    ("问题清单：村(社区)", r"^/issueboard/\d{12}/$"),
    ("开门一件事：村(社区)台账", r"^/commitments/villages/\d{12}/$"),
    ("开门一件事：事项与进展", r"^/commitments/\d+/$"),
    ("暖心清单：登记走访", r"^/carelist/household/\d+/visit/$"),
    ("每日必查：村干部打卡", r"^/dailychecks/village/\d{12}/check/\d+/$"),
]
