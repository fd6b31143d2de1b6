"""Full-text search over insights: one small interface, one engine per database.

* SQLite: an FTS5 table ``insight_fts(rowid = insight id, text)`` (created by migration
  0002 on SQLite only), kept in step by the services (``index``/``unindex``), ranked by
  bm25, with the Porter stemmer.
* PostgreSQL: a GIN expression index on ``to_tsvector('english', redacted_text)``
  (migration 0002 on PostgreSQL only), queried with ``websearch_to_tsquery``, ranked by
  ``ts_rank``; nothing to keep in step.

Only the redacted text is indexed, so nobody can find a comment by a person's name,
phone number or email address. User text reaches the engines only through
``query.fts5_expression`` / ``query.websearch_expression`` (words and quoted phrases,
nothing else) and as a bound parameter.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from heard.insight.models import Insight
from heard.insight.query import ParsedQuery, fts5_expression, websearch_expression


@dataclass(frozen=True)
class Hits:
    ids: list[int]
    total: int


class SearchBackend(Protocol):
    def index(self, rows: Iterable[tuple[int, str]]) -> None: ...

    def unindex(self, ids: Sequence[int]) -> None: ...

    def search(
        self,
        *,
        query: ParsedQuery,
        base: QuerySet[Insight],
        filtered: bool,
        newest_first: bool,
        limit: int,
        offset: int,
    ) -> Hits: ...


class SqliteFts5Backend:
    table = "insight_fts"

    def index(self, rows: Iterable[tuple[int, str]]) -> None:
        batch = list(rows)
        if not batch:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT OR REPLACE INTO {self.table}(rowid, text) VALUES (%s, %s)",  # noqa: S608
                batch,
            )

    def unindex(self, ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                part = list(ids[start : start + 500])
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(
                    f"DELETE FROM {self.table} WHERE rowid IN ({marks})",  # noqa: S608
                    part,
                )

    def _matching(self, match: str) -> RawSQL:
        # Constant SQL; the user's words arrive only as the bound parameter.
        return RawSQL(  # noqa: S611
            f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s",  # noqa: S608
            [match],
        )

    def search(
        self,
        *,
        query: ParsedQuery,
        base: QuerySet[Insight],
        filtered: bool,
        newest_first: bool,
        limit: int,
        offset: int,
    ) -> Hits:
        match = fts5_expression(query)
        if newest_first:
            qs = base.filter(pk__in=self._matching(match)).order_by("-occurred_on", "-pk")
            return Hits(list(qs.values_list("pk", flat=True)[offset : offset + limit]), qs.count())
        where, params = f"{self.table} MATCH %s", [match]
        if filtered:
            sql, filter_params = base.order_by().values("pk").query.sql_with_params()
            where += f" AND rowid IN ({sql})"
            params += list(filter_params)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {self.table} WHERE {where}", params)  # noqa: S608
            total = int(cursor.fetchone()[0])
            cursor.execute(
                f"SELECT rowid FROM {self.table} WHERE {where} ORDER BY rank LIMIT %s OFFSET %s",  # noqa: S608
                [*params, limit, offset],
            )
            ids = [int(row[0]) for row in cursor.fetchall()]
        return Hits(ids, total)


_TSVECTOR = "to_tsvector('english'::regconfig, insight_insight.redacted_text)"
_TSQUERY = "websearch_to_tsquery('english'::regconfig, %s)"


class PostgresBackend:
    def index(self, rows: Iterable[tuple[int, str]]) -> None:
        """Nothing to do: the GIN expression index follows the table."""

    def unindex(self, ids: Sequence[int]) -> None:
        """Nothing to do: deleting the row removes it from the index."""

    def search(
        self,
        *,
        query: ParsedQuery,
        base: QuerySet[Insight],
        filtered: bool,
        newest_first: bool,
        limit: int,
        offset: int,
    ) -> Hits:
        text = websearch_expression(query)
        # Constant SQL (matching the GIN index expression); user words only as parameters.
        matches = RawSQL(f"{_TSVECTOR} @@ {_TSQUERY}", [text], output_field=BooleanField())  # noqa: S611
        qs = base.alias(fts_match=matches).filter(fts_match=True)
        total = qs.count()
        if newest_first:
            qs = qs.order_by("-occurred_on", "-pk")
        else:
            qs = qs.annotate(
                fts_rank=RawSQL(  # noqa: S611
                    f"ts_rank({_TSVECTOR}, {_TSQUERY})", [text], output_field=FloatField()
                )
            ).order_by("-fts_rank", "-occurred_on", "-pk")
        return Hits(list(qs.values_list("pk", flat=True)[offset : offset + limit]), total)


def backend() -> SearchBackend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteFts5Backend()
    raise NotImplementedError(f"No insight search for the {connection.vendor} database.")
