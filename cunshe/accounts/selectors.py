from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.db.models import Model
from django.http import HttpRequest

from cunshe.accounts.models import ApiToken, User


def acting_user(request: HttpRequest) -> User:
    """The signed-in account behind a request, for services that need one (views are already login-protected)."""
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        raise PermissionDenied("请先登录。")
    return user


def token_with_account(key_hash: str) -> ApiToken | None:
    """The unrevoked token of this hash with its account, in one written-out statement (issue 15).

    Every API request authenticates by its token. Through the ORM (`select_related("user").filter(...).first()`) the
    query cost 0.6 ms of CPU to build and compile, more than half of a kept API answer, for a lookup by a unique
    key that SQLite answers in microseconds. The columns are those the ORM reads and each value goes through the
    converters the ORM applies (a SQLite datetime is text until converted), so the instances are the ORM's."""
    connection = connections[router.db_for_read(ApiToken)]
    sql, token_columns, user_columns = _token_statement(connection.alias)
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, [key_hash])
        row = cursor.fetchone()
    if row is None:
        return None
    token_values, user_values = row[: len(token_columns)], row[len(token_columns) :]
    token = row_instance(ApiToken, connection, token_columns, token_values)
    token.user = row_instance(User, connection, user_columns, user_values)
    return token


type RowColumns = list[tuple[str, Any, list[Any]]]  # (attname, column expression, converters) per concrete field


@functools.cache
def _token_statement(alias: str) -> tuple[str, RowColumns, RowColumns]:
    connection = connections[alias]
    quote = connection.ops.quote_name
    token_table, user_table = ApiToken._meta.db_table, User._meta.db_table
    token_columns, user_columns = row_columns(connection, ApiToken), row_columns(connection, User)
    sql = (
        f"SELECT {selected(connection, token_columns)}, {selected(connection, user_columns)} "
        f"FROM {quote(token_table)} INNER JOIN {quote(user_table)} "
        f"ON {quote(user_table)}.{quote('id')} = {quote(token_table)}.{quote('user_id')} "
        f"WHERE {quote(token_table)}.{quote('key_hash')} = %s AND {quote(token_table)}.{quote('revoked_at')} IS NULL"
    )
    return sql, token_columns, user_columns


def prepared_cursor(connection: Any) -> Any:
    """A cursor for a statement that every request runs: on PostgreSQL one whose statements the server keeps
    prepared (cunshe.core.postgresql, planned once per connection instead of on every request); elsewhere the
    connection's own (SQLite's module keeps the statements it compiled)."""
    prepared = getattr(connection, "prepared_cursor", None)
    return prepared() if prepared is not None else connection.cursor()


def row_columns(connection: Any, model: type[Model]) -> RowColumns:
    """The model's concrete fields as the ORM reads them from its table: attname, column and the converters the
    ORM applies to the value (the backend's and the field's), for `row_instance`."""
    found = []
    for field in model._meta.concrete_fields:
        column = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        found.append((field.attname, column, converters))
    return found


def selected(connection: Any, columns: RowColumns) -> str:
    """The SELECT list of `row_columns`, each column qualified by its table."""
    quote = connection.ops.quote_name
    return ", ".join(f"{quote(c.alias)}.{quote(c.target.column)}" for _, c, _ in columns)


def row_instance[M: Model](model: type[M], connection: Any, columns: RowColumns, values: Sequence[Any]) -> M:
    """The instance the ORM would make of these values of `row_columns` (converted as it converts them)."""
    converted = []
    for (_, column, converters), value in zip(columns, values, strict=True):
        for convert in converters:
            value = convert(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias, [attname for attname, _, _ in columns], converted)
