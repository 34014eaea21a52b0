"""The HTML (or JSON) of every pages.py target as a tree serves it, with the per-request tokens masked, one file per
target: run it for two checkouts on the same demo database and `diff -r` the folders to show that a change made
the pages cheaper without changing a byte of what they say (issue 15).

    CUNSHE_SQLITE_PATH=/tmp/prof.sqlite3 .venv/bin/python bench/pages_html.py --tree /tmp/base /tmp/html-before
    CUNSHE_SQLITE_PATH=/tmp/prof.sqlite3 .venv/bin/python bench/pages_html.py /tmp/html-after
    diff -r /tmp/html-before /tmp/html-after && echo identical

Each page is fetched three times (the first fills what is kept, the last is written): a page that changed between
its cold and its kept answer differs from the other tree's."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

# CSRF tokens and CSP nonces differ per request; nothing else may.
MASKS = [
    (re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+'), rb"\1*"),
    (re.compile(rb'(nonce=")[^"]+'), rb"\1*"),
    (re.compile(rb'(name="csrf-token" content=")[^"]+'), rb"\1*"),
    (re.compile(rb'("X-CSRFToken": ")[^"]+'), rb"\1*"),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="folder for the files")
    parser.add_argument("--tree", default=str(Path(__file__).resolve().parent.parent), help="the checkout to serve")
    args = parser.parse_args(argv)
    if not os.environ.get("CUNSHE_SQLITE_PATH"):
        parser.error("set CUNSHE_SQLITE_PATH to a copy of a demo database (pages.py --demo-copy)")
    tree = Path(args.tree).resolve()
    sys.path.insert(0, str(tree))
    os.chdir(tree)
    from bench.pages import BARE, SECRET, targets

    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.pages_site"
    os.environ["DJANGO_SECRET_KEY"] = SECRET
    os.environ["CUNSHE_SSL_REDIRECT"] = "0"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    import cunshe

    print(f"# serving {Path(cunshe.__file__).parent}", flush=True)
    from django.db import transaction
    from django.test import Client

    from cunshe.accounts.models import User
    from cunshe.accounts.services import token_issue

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    clients: dict[str, Client] = {}
    for t in targets():
        if t.path == BARE:
            continue
        if t.token:
            with transaction.atomic():
                _, token = token_issue(user=User.objects.get(username=t.account), name="pages_html")
            client = Client(headers={"x-forwarded-proto": "https", "authorization": f"Bearer {token}"})
        else:
            if t.account not in clients:
                clients[t.account] = Client(headers={"x-forwarded-proto": "https"})
                if t.account:
                    clients[t.account].force_login(User.objects.get(username=t.account))
            client = clients[t.account]
        for _ in range(3):
            body = client.get(t.path, HTTP_HOST="127.0.0.1").content
        for pattern, replacement in MASKS:
            body = pattern.sub(replacement, body)
        (out / f"{t.name.replace(' ', '_')}.html").write_bytes(body)
        print(f"# {t.name:<28} {len(body):>8} bytes", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
