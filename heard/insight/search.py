"""Full-text search over insights: one small interface, one engine per database.

* SQLite: an FTS5 table ``insight_fts(rowid = insight id, text)`` (created by migration
  0002 on SQLite only), kept in step by the services (``index``/``unindex``), ranked by
  bm25, with the Porter stemmer.
* PostgreSQL: a stored generated tsvector column ``search_vector`` with a GIN index
  (migration 0002 on PostgreSQL only), queried with ``websearch_to_tsquery``, ranked by
  ``ts_rank``; nothing to keep in step.

Ranking is bounded: the best matches are chosen among the ``RANK_WINDOW`` most recently
added matches (all of them, when there are fewer). A word found in half a million
comments would otherwise be scored half a million times per page; staff searching for
so common a word narrow it with filters or more words, and the page says so.

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

RANK_WINDOW = 20_000


@dataclass(frozen=True)
class Hits:
    ids: list[int]
    total: int
    # True when there were more matches than RANK_WINDOW, so "best match" ranked only
    # the most recently added RANK_WINDOW of them.
    ranked_recent_only: bool = False


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
            # "+rowid" keeps SQLite from handing the IN list to FTS5 as lookups (one
            # full-text query per id); the list is probed per match instead.
            where += f" AND +rowid IN ({sql})"
            params += list(filter_params)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {self.table} WHERE {where}", params)  # noqa: S608
            total = int(cursor.fetchone()[0])
            cursor.execute(
                f"SELECT id FROM (SELECT rowid AS id, rank AS score FROM {self.table} "  # noqa: S608
                f"WHERE {where} ORDER BY rowid DESC LIMIT %s) ORDER BY score, id DESC "
                "LIMIT %s OFFSET %s",
                [*params, RANK_WINDOW, limit, offset],
            )
            ids = [int(row[0]) for row in cursor.fetchall()]
        return Hits(ids, total, total > RANK_WINDOW)


_TSVECTOR = "insight_insight.search_vector"
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
        # Constant SQL on the indexed column; user words only as parameters.
        matches = RawSQL(f"{_TSVECTOR} @@ {_TSQUERY}", [text], output_field=BooleanField())  # noqa: S611
        qs = base.alias(fts_match=matches).filter(fts_match=True)
        total = qs.count()
        if newest_first:
            qs = qs.order_by("-occurred_on", "-pk")
            return Hits(list(qs.values_list("pk", flat=True)[offset : offset + limit]), total)
        window = qs.order_by("-pk").values("pk")[:RANK_WINDOW]
        ranked = (
            Insight.objects.filter(pk__in=window)
            .annotate(
                fts_rank=RawSQL(  # noqa: S611
                    f"ts_rank({_TSVECTOR}, {_TSQUERY})", [text], output_field=FloatField()
                )
            )
            .order_by("-fts_rank", "-pk")
        )
        ids = list(ranked.values_list("pk", flat=True)[offset : offset + limit])
        return Hits(ids, total, total > RANK_WINDOW)


def backend() -> SearchBackend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteFts5Backend()
    raise NotImplementedError(f"No insight search for the {connection.vendor} database.")
