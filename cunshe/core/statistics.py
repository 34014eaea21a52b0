"""The query planner's statistics, refreshed after a bulk load.

PostgreSQL plans joins from statistics that autovacuum gathers some time after rows arrive; right after a bulk load
(the demo county, a register of thousands) they may still say a table is empty, and a join of a few such tables can
then nest sequential scans inside each other and run for minutes. SQLite's planner likewise reads sqlite_stat1 only
once ANALYZE has written it. A bulk load therefore ends with ANALYZE, which both databases run inside a transaction
and which counts the transaction's own new rows.
"""

from __future__ import annotations

from django.db import connection


def statistics_refresh() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
