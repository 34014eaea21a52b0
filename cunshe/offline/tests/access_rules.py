from typing import Any

from cunshe.access.tests.walk import Rule, World


def setup(world: World, make_user: Any, **_: Any) -> None:
    """Nothing region-owned: the queue lives on the phone, and a resend's record belongs to the module that made it
    (those modules' rules cover their pages and API operations)."""


WEB_RULES = {
    # The worker and the manifest hold no data: the browser fetches them before (and without) a session.
    "offline:service_worker": Rule("public"),
    "offline:manifest": Rule("public"),
    "offline:queue": Rule("signed_in"),
    "offline:state": Rule("signed_in"),
}
API_RULES: dict[str, Rule] = {}
