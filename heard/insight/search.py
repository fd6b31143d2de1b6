"""Full-text search over insights: one small interface, one engine per database.

* SQLite: an FTS5 table ``insight_fts(rowid = insight id, text, facets)`` (migrations
  0002/0003, SQLite only), kept in step by the services (``index``/``unindex``), ranked
  by bm25 on the text, with the Porter stemmer. ``facets`` holds tokens for the place,
  source, topics and date of the insight (see facets.py), so those filters are answered
  inside the full-text index by intersecting lists, not by looking up every match.
* PostgreSQL: a stored generated tsvector column ``search_vector`` with a GIN index
  (migration 0002, PostgreSQL only), queried with ``websearch_to_tsquery``, ranked by
  ``ts_rank``; filters are ordinary SQL; nothing to keep in step. Its ranking window
  is ``PostgresBackend.window`` (2,000) and the count stops there (the page then says
  "more than").

Ranking is bounded: the best matches are chosen among the ``RANK_WINDOW`` most recently
added matches (all of them, when there are fewer). A word found in half a million
comments would otherwise be scored half a million times per page; staff searching for
so common a word narrow it with filters or more words, and the page says so. The theme
filter is checked per match, so with it the count stops at ``COUNT_CAP``.

Only the redacted text is indexed, so nobody can find a comment by a person's name,
phone number or email address. User text reaches the engines only through
``query.fts5_expression`` / ``query.websearch_expression`` (words and quoted phrases,
nothing else) and as a bound parameter.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from heard.insight.facets import date_range_tokens, facet_token
from heard.insight.models import Insight
from heard.insight.query import ParsedQuery, fts5_expression, websearch_expression

RANK_WINDOW = 5_000
COUNT_CAP = 10_000


@dataclass(frozen=True)
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    topic: str = ""  # topic slug
    locality: str = ""
    source: str = ""
    theme: str = ""

    def any(self) -> bool:
        return bool(self.facet_tokens() or self.residual())

    def residual(self) -> bool:
        """Filters the full-text index cannot answer itself (checked per match)."""
        return bool(self.theme)

    def facet_tokens(self) -> list[str]:
        pairs = (("loc", self.locality), ("src", self.source), ("topic", self.topic))
        return [facet_token(kind, value) for kind, value in pairs if value]

    def queryset(self, *, facets: bool = True) -> QuerySet[Insight]:
        """The filters as a queryset; ``facets=False``: only those the index lacks."""
        qs = Insight.objects.all()
        if self.theme:
            # themes is a JSON list of names; match the quoted name (SQLite and PostgreSQL).
            qs = qs.filter(themes__icontains=f'"{self.theme}"')
        if facets:
            if self.date_from:
                qs = qs.filter(occurred_on__gte=self.date_from)
            if self.date_to:
                qs = qs.filter(occurred_on__lte=self.date_to)
            if self.topic:
                qs = qs.filter(topics__slug=self.topic)
            if self.locality:
                qs = qs.filter(locality=self.locality)
            if self.source:
                qs = qs.filter(source=self.source)
        return qs


@dataclass(frozen=True)
class Hits:
    ids: list[int]
    total: int
    # True when there were more matches than RANK_WINDOW, so "best match" ranked only
    # the most recently added RANK_WINDOW of them.
    ranked_recent_only: bool = False
    # True when the count stopped at COUNT_CAP (there are more).
    count_capped: bool = False


class SearchBackend(Protocol):
    def index(self, rows: Iterable[tuple[int, str, str]]) -> None:
        """Add or replace (insight id, redacted text, facets.facets_for(...)) rows."""

    def unindex(self, ids: Sequence[int]) -> None: ...

    def search(
        self,
        *,
        query: ParsedQuery,
        filters: Filters,
        newest_first: bool,
        limit: int,
        offset: int,
    ) -> Hits: ...


class SqliteFts5Backend:
    table = "insight_fts"

    def index(self, rows: Iterable[tuple[int, str, str]]) -> None:
        batch = list(rows)
        if not batch:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT OR REPLACE INTO {self.table}(rowid, text, facets) "  # noqa: S608
                "VALUES (%s, %s, %s)",
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
        filters: Filters,
        newest_first: bool,
        limit: int,
        offset: int,
    ) -> Hits:
        parts = [fts5_expression(query, column="text")]
        parts += [f'facets : "{token}"' for token in filters.facet_tokens()]
        if filters.date_from or filters.date_to:
            # An open end is bounded by the dates held (one index seek each; MIN and MAX
            # in one query would scan the table).
            dates = Insight.objects.values_list("occurred_on", flat=True)
            start = filters.date_from or dates.order_by("occurred_on").first()
            end = filters.date_to or dates.order_by("-occurred_on").first()
            if start is None or end is None:
                return Hits([], 0)
            days = date_range_tokens(start, end)
            if not days:
                return Hits([], 0)
            parts.append("(" + " OR ".join(f'facets : "{token}"' for token in days) + ")")
        match = " AND ".join(parts)
        if newest_first:
            qs = (
                filters.queryset(facets=False)
                .filter(pk__in=self._matching(match))
                .order_by("-occurred_on", "-pk")
            )
            return Hits(list(qs.values_list("pk", flat=True)[offset : offset + limit]), qs.count())
        where, params = f"{self.table} MATCH %s", [match]
        if filters.residual():
            # Themes: checked against each match's row (by primary key).
            correlated = (
                filters.queryset(facets=False)
                .order_by()
                .filter(pk=RawSQL(f"{self.table}.rowid", []))  # noqa: S611 – constant
                .values("pk")
            )
            sql, filter_params = correlated.query.sql_with_params()
            where += f" AND EXISTS ({sql})"
            params += list(filter_params)
        with connection.cursor() as cursor:
            if filters.residual():
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {self.table} WHERE {where} "  # noqa: S608
                    "LIMIT %s)",
                    [*params, COUNT_CAP + 1],
                )
            else:
                cursor.execute(f"SELECT count(*) FROM {self.table} WHERE {where}", params)  # noqa: S608
            total = int(cursor.fetchone()[0])
            cursor.execute(
                f"SELECT id FROM (SELECT rowid AS id, bm25({self.table}, 1.0, 0.0) AS score "  # noqa: S608
                f"FROM {self.table} WHERE {where} ORDER BY rowid DESC LIMIT %s) "
                "ORDER BY score, id DESC LIMIT %s OFFSET %s",
                [*params, RANK_WINDOW, limit, offset],
            )
            ids = [int(row[0]) for row in cursor.fetchall()]
        return Hits(
            ids,
            min(total, COUNT_CAP) if filters.residual() else total,
            total > RANK_WINDOW,
            count_capped=filters.residual() and total > COUNT_CAP,
        )


_TSVECTOR = "insight_insight.search_vector"
_TSQUERY = "websearch_to_tsquery('english'::regconfig, %s)"


class PostgresBackend:
    # Smaller than SQLite's window: PostgreSQL checks matches row by row from the newest
    # (or fetches them all for the bitmap), so the window bounds each page's work.
    window = 2_000

    def index(self, rows: Iterable[tuple[int, str, str]]) -> None:
        """Nothing to do: the generated column and its GIN index follow the table."""

    def unindex(self, ids: Sequence[int]) -> None:
        """Nothing to do: deleting the row removes it from the index."""

    def search(
        self,
        *,
        query: ParsedQuery,
        filters: Filters,
        newest_first: bool,
        limit: int,
        offset: int,
    ) -> Hits:
        text = websearch_expression(query)
        # Constant SQL on the indexed column of the outer (unaliased) table; the user's
        # words only as a parameter. (Not RawSQL in an annotation: Django aliases the
        # table inside subqueries, and the raw column name would then point outside.)
        qs = filters.queryset().extra(  # noqa: S610
            where=[f"{_TSVECTOR} @@ {_TSQUERY}"], params=[text]
        )
        if newest_first:
            total = qs.order_by()[: self.window + 1].count()
            ordered = qs.order_by("-occurred_on", "-pk")
            ids = list(ordered.values_list("pk", flat=True)[offset : offset + limit])
            capped = total > self.window
            return Hits(ids, min(total, self.window), count_capped=capped)
        # One pass: the newest matches up to the window (one more tells us there are
        # more, and the count stops there – the page then says "more than"), then rank.
        window = list(qs.order_by("-pk").values_list("pk", flat=True)[: self.window + 1])
        capped = len(window) > self.window
        window = window[: self.window]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM insight_insight WHERE id = ANY(%s) "  # noqa: S608
                f"ORDER BY ts_rank(search_vector, {_TSQUERY}) DESC, id DESC "
                "LIMIT %s OFFSET %s",
                [window, text, limit, offset],
            )
            ids = [int(row[0]) for row in cursor.fetchall()]
        return Hits(ids, len(window), ranked_recent_only=capped, count_capped=capped)


def backend() -> SearchBackend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteFts5Backend()
    raise NotImplementedError(f"No insight search for the {connection.vendor} database.")
