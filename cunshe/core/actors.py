"""Who acts: a signed-in user, or the explicit system actor for work no person does (the demo builder, imports at
setup, daily jobs, a change one service makes on behalf of another's recorded decision).

Passing SYSTEM is a deliberate choice that shows in the code and in the record book (as 系统); there is no implicit
"no actor means no check" any more in new code: services always ask the policy, and the policy lets SYSTEM through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from cunshe.accounts.models import User


class SystemActor:
    """The one system actor. Not a user: it has no grants, no session and no account row."""

    is_authenticated: Final = False
    is_active: Final = True
    pk: Final = None
    display_name: Final = "系统"

    def __repr__(self) -> str:
        return "SYSTEM"

    def __bool__(self) -> bool:  # never mistaken for "no actor"
        return True


SYSTEM: Final = SystemActor()

type Actor = "User | SystemActor"


def is_system(actor: Any) -> bool:
    return actor is SYSTEM


def user_of(actor: Actor) -> User | None:
    """The account to keep in a "… by" column: the signed-in user, or nothing for the system actor (the record book
    names it 系统)."""
    return None if isinstance(actor, SystemActor) else actor
