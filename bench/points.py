"""Benchmark of the points ledger (cunshe.points): a county's 1,000,000 entries, then what people wait for.

    .venv/bin/python bench/points.py                        # 1,000,000 entries in 邹平市, SQLite temp file
    .venv/bin/python bench/points.py --entries 100000
    .venv/bin/python bench/points.py --database-url postgres://user:pass@127.0.0.1/postgres

Imports the county's official regions (--county, default 371681 邹平市), registers --households people spread over
its villages with a household account each, and writes --entries ledger lines over 2024-2026 (earnings by the
county's rule book, some deductions and redemptions; bulk inserts: this is the setup, not what is timed). Then:
1. a household's balance page: the stored balance, what it may redeem (less the points not yet listed), its latest
   100 lines, and its recomputation from the whole ledger (what `cunshe points verify` does for one holder);
2. the quarterly listing of one village through `listing_publish` (grouped sums per holder, lines saved, recorded);
3. the quarterly listing of every village of the county (what a county-wide listing week costs);
4. a redemption through the services (code, lock, balance check, append, record);
5. `verify` of the whole county (every balance recomputed from the ledger).
Prints one JSON line and one human-readable row per step; JSON lines are appended to bench/results/points.jsonl.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._env import RESULTS_DIR, emit, fmt_int, fresh_database, machine, measure, region_files, server_version


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--county", default="371681")
    parser.add_argument("--source", default=None, help="folder with the five official region files")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--jsonl", default=str(RESULTS_DIR / "points.jsonl"))
    args = parser.parse_args(argv)
    jsonl = Path(args.jsonl) if args.jsonl else None
    rng = random.Random(args.seed)

    with fresh_database(args.database_url) as db:
        from django.db import transaction
        from django.db.models import Sum
        from django.utils import timezone

        from cunshe.core.actors import SYSTEM
        from cunshe.people import id_numbers
        from cunshe.people.models import Person
        from cunshe.points import ledger, selectors
        from cunshe.points.models import Balance, Entry, Holder, Listing, Merchant
        from cunshe.points.services import (
            _lines,
            add_years,
            available,
            book_create,
            book_publish,
            code_issue,
            listing_close,
            listing_publish,
            merchant_create,
            redeem,
            rule_add,
            verify,
        )
        from cunshe.regions.models import Level, Region
        from cunshe.regions.services import regions_import

        regions_import(actor=SYSTEM, files=region_files(args.source), under=args.county)
        villages = list(
            Region.objects.filter(code__startswith=args.county, level=Level.VILLAGE)
            .order_by("code")
            .values_list("code", flat=True)
        )
        book = book_create(
            actor=SYSTEM,
            region_code=args.county,
            title="信用+积分评定细则",
            effective_from=date(2024, 1, 1),
            valid_years=3,
        )
        for code, title, category, points in (
            ("A1", "志愿服务", "volunteering", 5),
            ("B1", "美丽庭院", "village_rules", 10),
            ("B3", "村民议事", "village_rules", 2),
            ("C1", "乱堆乱放", "deduction", -4),
        ):
            rule_add(actor=SYSTEM, book=book, code=code, title=title, category=category, points=points)
        book = book_publish(actor=SYSTEM, book=book, expected_version=book.version)
        rules = list(book.rules.order_by("code"))

        # setup: people, households, balances and ledger lines in bulk
        born = date(1960, 1, 1)
        people = [
            Person(
                region_id=villages[i % len(villages)],
                name=f"户主{i}",
                gender="1",
                birth_date=born,
                id_number=id_numbers.make(args.county, born + timedelta(days=i // 1000), i % 1000),
            )
            for i in range(args.households)
        ]
        Person.objects.bulk_create(people, batch_size=5000)
        people = list(Person.objects.order_by("pk"))
        Holder.objects.bulk_create(
            (Holder(region_id=p.region_id, kind="household", person=p, name=f"{p.name}户") for p in people),
            batch_size=5000,
        )
        holders = list(Holder.objects.order_by("pk").values_list("pk", "region_id"))
        start, days = date(2024, 1, 1), (date(2026, 11, 30) - date(2024, 1, 1)).days
        per_holder = max(1, args.entries // len(holders))
        batch: list[Entry] = []
        written = 0
        for pk, region in holders:
            lines = []
            for _ in range(per_holder):
                if written >= args.entries:
                    break
                day = start + timedelta(days=rng.randrange(days))
                rule = rules[rng.randrange(3)]  # earnings; deductions and redemptions follow below
                lines.append((day, rule.pk, rule.points))
                written += 1
            lines.sort()
            total = 0
            for n, (day, rule_id, points) in enumerate(lines):
                if n % 7 == 6 and total >= 10:  # now and then a redemption of 10
                    rule_id, points = None, -10
                total += points
                batch.append(
                    Entry(
                        key=f"bench:{pk}:{n}",
                        holder_id=pk,
                        region_id=region,
                        kind="earn" if points > 0 else "redeem",
                        points=points,
                        rule_id=rule_id,
                        occurred_on=day,
                        expires_on=add_years(day, 3) if points > 0 else None,
                        operator_name="系统",
                    )
                )
            if len(batch) >= 20_000:
                Entry.objects.bulk_create(batch, batch_size=5000)
                batch = []
        Entry.objects.bulk_create(batch, batch_size=5000)
        sums = dict(Entry.objects.values("holder_id").annotate(s=Sum("points")).values_list("holder_id", "s"))
        Balance.objects.bulk_create(
            (Balance(holder_id=pk, region_id=region, points=sums.get(pk, 0)) for pk, region in holders),
            batch_size=5000,
        )
        entries = Entry.objects.count()
        # listings final up to 2026 Q2 in one village, so "available" has a listed quarter to count from
        village = villages[0]
        for quarter in (1, 2):
            x = listing_publish(
                actor=SYSTEM,
                region_code=village,
                year=2026,
                quarter=quarter,
                published_on=date(2026, 3 * quarter + 1, 5),
            )
            listing_close(
                actor=SYSTEM, listing=x, closed_on=date(2026, 3 * quarter + 1, 20), expected_version=x.version
            )
        base = {
            "bench": "points",
            "database": db.vendor,
            "server": server_version(),
            "machine": machine(),
            "entries": entries,
            "households": len(holders),
            "villages": len(villages),
        }
        print(f"setup: {fmt_int(entries)} entries, {fmt_int(len(holders))} households, {len(villages)} villages")
        ok = True

        target = Holder.objects.filter(region_id=village).order_by("pk").first()
        assert target is not None

        def balance_page() -> tuple[int, int, int, list[str]]:
            h = Holder.objects.select_related("balance").get(pk=target.pk)
            latest = list(selectors.entries_of(h)[:100])
            lines = _lines([h.pk])[h.pk]
            return h.balance.points, available(h), len(latest), ledger.problems(lines, h.balance.points)

        (points, can, shown, problems), m = measure(balance_page)
        ok = ok and not problems
        emit(
            {**base, "step": "household_balance", **m.as_dict(), "balance": points, "available": can},
            f"household balance  {m.seconds * 1000:.1f} ms (balance {points}, redeemable {can}, {shown} lines shown, "
            f"recomputed {problems if problems else 'OK'})",
            jsonl,
        )

        x, m = measure(
            lambda: listing_publish(
                actor=SYSTEM, region_code=village, year=2026, quarter=3, published_on=date(2026, 10, 10)
            )
        )
        lines = x.lines.count()
        emit(
            {**base, "step": "listing_village", **m.as_dict(), "lines": lines},
            f"listing, 1 village {m.seconds * 1000:.1f} ms ({lines} households)",
            jsonl,
        )

        def county_listing() -> int:
            n = 0
            for code in villages[1:]:
                with transaction.atomic():
                    listing_publish(
                        actor=SYSTEM, region_code=code, year=2026, quarter=3, published_on=date(2026, 10, 10)
                    )
                n += 1
            return n

        n, m = measure(county_listing)
        total_lines = Listing.objects.filter(year=2026, quarter=3).count()
        emit(
            {**base, "step": "listing_county", **m.as_dict(), "listings": total_lines},
            f"listing, county    {m.seconds:.1f} s ({n} villages, {m.seconds / max(1, n) * 1000:.1f} ms each)",
            jsonl,
        )

        shop = merchant_create(
            actor=SYSTEM, region_code=args.county, name="惠民超市", kind="merchant", joined_on=date(2024, 1, 1)
        )
        assert isinstance(shop, Merchant)
        redeemable = next(
            (h for h in Holder.objects.filter(region_id=village).order_by("pk") if available(h) >= 5), None
        )
        if redeemable is not None:
            code = code_issue(actor=SYSTEM, holder=redeemable).code
            _r, m = measure(lambda: redeem(actor=SYSTEM, merchant=shop, code=code, points=5, goods="食用油"))
            emit({**base, "step": "redeem", **m.as_dict()}, f"redemption         {m.seconds * 1000:.1f} ms", jsonl)

        (checked, problems), m = measure(lambda: verify(args.county))
        ok = ok and not problems and checked == len(holders)
        emit(
            {**base, "step": "verify_county", **m.as_dict(), "holders": checked, "problems": len(problems)},
            f"verify county      {m.seconds:.1f} s ({fmt_int(checked)} households, {len(problems)} problems)",
            jsonl,
        )
        _ = timezone
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
