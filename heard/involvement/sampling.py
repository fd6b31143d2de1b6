"""Representative samples: stratified random selection matched to a reference population.

Pure Python, no Django. A *stratum* is one combination of categories on the chosen
dimensions (e.g. ("Female 18-24", "White")). The caller supplies:

- the pool: (member id, {dimension: category}) for every member who matches the criteria;
- target shares per stratum (from the reference population; see ``cross_shares``);
- the sample size N and a seed.

``stratified_sample`` allocates N across strata by the largest-remainder method, draws
each stratum at random (deterministically for a given seed and pool), takes all of a
stratum whose pool is too small and says so plainly, and can hand the places it could
not fill to the other strata in proportion to their targets.

Members with no answer on a chosen dimension, or an answer the population does not
have, are counted as "unknown" and never drawn: a representative sample can only be
matched on what we know.
"""

import random
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

Stratum = tuple[str, ...]


def largest_remainder(shares: Mapping[K, float], n: int) -> dict[K, int]:
    """Split ``n`` whole places in proportion to ``shares`` (any non-negative weights).

    Each key gets the floor of its quota; the places left go to the largest fractional
    remainders (ties broken by the key's order, so the result is deterministic). The
    counts always add up to ``n``. All-zero weights are treated as equal weights.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    if not shares:
        return {}
    if any(w < 0 for w in shares.values()):
        raise ValueError("shares must not be negative")
    total = sum(shares.values())
    weights = dict(shares) if total > 0 else dict.fromkeys(shares, 1.0)
    total = sum(weights.values())
    quotas = {k: w * n / total for k, w in weights.items()}
    counts = {k: int(q) for k, q in quotas.items()}
    left = n - sum(counts.values())
    order = sorted(quotas, key=lambda k: (-(quotas[k] - counts[k]), str(k)))
    for k in order[:left]:
        counts[k] += 1
    return counts


def cross_shares(marginals: Sequence[Mapping[str, float]]) -> dict[Stratum, float]:
    """Target shares for the cross of several dimensions, assuming they are independent.

    The reference population gives each dimension on its own (e.g. sex and age, and
    ethnic group), so the share of ("Female 18-24", "White") is the product of the two.
    Each marginal is normalised to add up to 1 first.
    """
    result: dict[Stratum, float] = {(): 1.0}
    for marginal in marginals:
        total = sum(marginal.values())
        if total <= 0:
            raise ValueError("a dimension has no population")
        result = {
            (*key, category): share * value / total
            for key, share in result.items()
            for category, value in marginal.items()
        }
    return result


def nested_targets(marginals: Sequence[Mapping[str, float]], n: int) -> dict[Stratum, int]:
    """Whole-number targets for the cross of several dimensions that keep small groups.

    Rounding the full cross at once can round a small group away entirely (2% Asian
    spread over 14 sex and age cells is under one person in each). Instead, allocate
    ``n`` over the dimension whose smallest share is smallest first (largest
    remainder), then each of its counts over the next dimension, and so on. The first
    dimension's totals are then exactly its largest-remainder allocation, and every
    stratum's target stays within about one person per dimension of its quota.
    Keys are in the order the marginals were given.
    """
    order = sorted(
        range(len(marginals)),
        key=lambda i: (min(marginals[i].values()) / (sum(marginals[i].values()) or 1), i),
    )

    def allocate(level: int, count: int) -> dict[tuple[str, ...], int]:
        if level == len(order):
            return {(): count}
        result: dict[tuple[str, ...], int] = {}
        for category, k in largest_remainder(marginals[order[level]], count).items():
            for rest, m in allocate(level + 1, k).items():
                result[(category, *rest)] = m
        return result

    targets: dict[Stratum, int] = {}
    for key, count in allocate(0, n).items():
        original = [""] * len(order)
        for position, dimension_index in enumerate(order):
            original[dimension_index] = key[position]
        targets[tuple(original)] = count
    return targets


def stratum_label(stratum: Stratum) -> str:
    return ", ".join(stratum) if stratum else "Everyone"


@dataclass(frozen=True)
class Shortfall:
    stratum: Stratum
    wanted: int
    available: int

    @property
    def message(self) -> str:
        only = "nobody" if self.available == 0 else f"only {self.available}"
        return f"{stratum_label(self.stratum)}: wanted {self.wanted}, {only} in the pool"


@dataclass
class SampleResult:
    selected: list[int]
    target: dict[Stratum, int]
    achieved: dict[Stratum, int]
    pool: dict[Stratum, int]
    target_shares: dict[Stratum, float]
    shortfalls: list[Shortfall] = field(default_factory=list)
    # Extra places given to strata that had members to spare, when others fell short.
    redistributed: dict[Stratum, int] = field(default_factory=dict)
    unknown: int = 0
    unfilled: int = 0  # places nobody could fill (the whole known pool was too small)

    @property
    def size(self) -> int:
        return len(self.selected)


def stratified_sample(
    pool: Sequence[tuple[int, Mapping[str, str]]],
    *,
    dimensions: Sequence[str],
    target_shares: Mapping[Stratum, float],
    n: int,
    seed: int,
    redistribute: bool = True,
    targets: Mapping[Stratum, int] | None = None,
) -> SampleResult:
    """Draw a stratified random sample of ``n`` members from ``pool``.

    ``targets``: whole-number targets per stratum adding up to ``n`` (e.g. from
    ``nested_targets``); by default, the largest-remainder allocation of the shares.

    Raises ValueError if n is negative or no dimension is chosen.
    """
    if n < 0:
        raise ValueError("The sample size must not be negative.")
    if not dimensions:
        raise ValueError("Choose at least one dimension to match on.")
    members: dict[Stratum, list[int]] = {key: [] for key in target_shares}
    unknown = 0
    for member_id, categories in pool:
        key = tuple(categories.get(d, "") for d in dimensions)
        if key in members:
            members[key].append(member_id)
        else:
            unknown += 1
    target = dict(targets) if targets is not None else largest_remainder(target_shares, n)
    if sum(target.values()) != n or set(target) != set(target_shares):
        raise ValueError("The targets must cover every stratum and add up to n.")
    take = {key: min(target[key], len(members[key])) for key in target}
    shortfalls = [
        Shortfall(stratum=key, wanted=target[key], available=len(members[key]))
        for key in sorted(target)
        if len(members[key]) < target[key]
    ]
    redistributed: dict[Stratum, int] = {}
    remaining = n - sum(take.values())
    if redistribute:
        while remaining > 0:
            spare = {k: target_shares[k] for k in take if len(members[k]) > take[k]}
            if not spare:
                break
            extra = largest_remainder(spare, remaining)
            added = 0
            for key, count in extra.items():
                room = min(count, len(members[key]) - take[key])
                if room > 0:
                    take[key] += room
                    redistributed[key] = redistributed.get(key, 0) + room
                    added += room
            remaining -= added
            if added == 0:
                break
    # Not for security: a reproducible draw that staff can repeat from the seed.
    rng = random.Random(seed)  # noqa: S311
    selected: list[int] = []
    for key in sorted(take):
        if take[key]:
            selected.extend(rng.sample(sorted(members[key]), take[key]))
    return SampleResult(
        selected=selected,
        target=target,
        achieved=take,
        pool={k: len(v) for k, v in members.items()},
        target_shares=dict(target_shares),
        shortfalls=shortfalls,
        redistributed=redistributed,
        unknown=unknown,
        unfilled=max(remaining, 0),
    )


def result_rows(result: SampleResult) -> list[dict[str, object]]:
    """One row per stratum, biggest target share first, for storing and showing."""
    return [
        {
            "stratum": stratum_label(key),
            "target_share": round(result.target_shares[key], 6),
            "target": result.target[key],
            "pool": result.pool[key],
            "achieved": result.achieved[key],
            "extra": result.redistributed.get(key, 0),
        }
        for key in sorted(result.target, key=lambda k: (-result.target_shares[k], k))
    ]
