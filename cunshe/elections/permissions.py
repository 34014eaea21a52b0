from typing import Any

from django.core.exceptions import PermissionDenied

from cunshe.access.policy import RegionPolicy
from cunshe.core.errors import NotPermitted
from cunshe.elections.models import CommitteeMember, Election, ElectionRules

# Town officers run their villages' elections (the county's organizers may step in); village cadres enter what they
# are given (register data, count sheets); supervisors read everything; the count's differences are settled by
# the town (or the county).
ELECTION_ACTIONS = {
    "view": "elections.view",
    "change": "elections.change",
    "enter": "elections.enter",
    "settle": "elections.settle",
}
election_policy = RegionPolicy(Election, region_path="region", actions=ELECTION_ACTIONS)
committee_member_policy = RegionPolicy(CommitteeMember, region_path="election__region", actions=ELECTION_ACTIONS)
# National and provincial rule sets have no county and are read by everyone (selectors); a county's own rules are
# read by everyone working under it and made by its organizers.
rules_policy = RegionPolicy(
    ElectionRules,
    region_path="county",
    actions={"view": "elections.view", "change": "elections.configure"},
    seen_from_below=("view",),
)


def election_for(actor: Any, pk: Any, action: str = "view", *, page: bool = False) -> Election:
    """The election `pk` as `actor` may reach it, for every module hanging off an election: not visible → Http404
    with the neutral message; visible but `action` not allowed → NotPermitted (the API's 403), or on a page
    (`page=True`) PermissionDenied (the 403 page)."""
    election = election_policy.get_or_404(
        actor, queryset=Election.objects.select_related("region", "rules", "term_change"), pk=pk
    )
    if action != "view":
        try:
            election_policy.check(actor, action, election)
        except NotPermitted as exc:
            if page:
                raise PermissionDenied(exc.message) from exc
            raise
    return election
