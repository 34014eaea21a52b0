"""core.hooks: the one registry behind the modules' hooks (issue board, teams, service orders, requests)."""

from __future__ import annotations

from cunshe.core.hooks import Hook, KeyedHook


def test_a_hook_calls_every_handler_and_a_second_registration_by_name_replaces_the_first() -> None:
    heard: list[str] = []
    hook: Hook[[int]] = Hook("test.changed")
    hook.register("a", lambda n: heard.append(f"a{n}"))
    hook.register("b", lambda n: heard.append(f"b{n}"))
    hook.register("a", lambda n: heard.append(f"A{n}"))  # a ready() run twice replaces, never doubles
    hook.call(1)
    assert heard == ["A1", "b1"]
    assert "a" in hook and "c" not in hook
    hook.unregister("a")
    hook.unregister("c")  # unknown names are no error
    hook.call(2)
    assert heard == ["A1", "b1", "b2"]


def test_a_keyed_hook_reaches_only_the_handler_of_its_key() -> None:
    heard: list[tuple[str, int]] = []
    hook: KeyedHook[[int]] = KeyedHook("test.order")
    hook.register("requests", lambda n: heard.append(("requests", n)))
    hook.register("points", lambda n: heard.append(("points", n)))
    hook.call("requests", 7)
    hook.call("nobody", 8)  # a key nobody registered is silent
    assert heard == [("requests", 7)]
