"""The pure sampler: allocation, determinism, shortfalls and redistribution."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heard.involvement.sampling import (
    cross_shares,
    largest_remainder,
    nested_targets,
    stratified_sample,
)


def test_largest_remainder_adds_up_and_gives_leftovers_to_biggest_fractions():
    assert largest_remainder({"a": 0.5, "b": 0.3, "c": 0.2}, 7) == {"a": 4, "b": 2, "c": 1}
    # 3.5 / 2.1 / 1.4 -> floors 3, 2, 1; one left goes to the largest remainder (a: .5)


@given(
    st.dictionaries(st.text(min_size=1, max_size=3), st.floats(0, 100), min_size=1, max_size=12),
    st.integers(0, 500),
)
def test_largest_remainder_always_sums_to_n_and_stays_within_one_of_quota(shares, n):
    counts = largest_remainder(shares, n)
    assert sum(counts.values()) == n
    total = sum(shares.values())
    if total > 0:
        for key, count in counts.items():
            assert abs(count - shares[key] * n / total) < 1 + 1e-9


def test_cross_shares_multiplies_independent_marginals():
    shares = cross_shares([{"F": 0.5, "M": 0.5}, {"White": 0.9, "Asian": 0.1}])
    assert shares[("F", "Asian")] == pytest.approx(0.05)
    assert sum(shares.values()) == pytest.approx(1.0)


def _pool(spec):
    """spec: {category: how many members}; ids are consecutive."""
    pool, next_id = [], 1
    for category, n in spec.items():
        for _ in range(n):
            pool.append((next_id, {"sex": category} if category else {}))
            next_id += 1
    return pool


def test_sample_matches_targets_when_pool_is_big_enough():
    pool = _pool({"Female": 100, "Male": 100})
    result = stratified_sample(
        pool, dimensions=["sex"], target_shares={("Female",): 0.6, ("Male",): 0.4}, n=20, seed=1
    )
    assert result.achieved == {("Female",): 12, ("Male",): 8}
    assert result.size == 20 and len(set(result.selected)) == 20
    assert not result.shortfalls


def test_same_seed_same_sample_and_different_seed_different_sample():
    pool = _pool({"Female": 100, "Male": 100})
    kwargs = {"dimensions": ["sex"], "target_shares": {("Female",): 0.5, ("Male",): 0.5}, "n": 10}
    a = stratified_sample(pool, seed=42, **kwargs)
    b = stratified_sample(list(reversed(pool)), seed=42, **kwargs)
    c = stratified_sample(pool, seed=43, **kwargs)
    assert a.selected == b.selected
    assert a.selected != c.selected


def test_short_stratum_is_taken_whole_reported_and_redistributed():
    pool = _pool({"Female": 1, "Male": 50, "": 7})
    result = stratified_sample(
        pool, dimensions=["sex"], target_shares={("Female",): 0.5, ("Male",): 0.5}, n=10, seed=3
    )
    assert [s.message for s in result.shortfalls] == ["Female: wanted 5, only 1 in the pool"]
    assert result.achieved == {("Female",): 1, ("Male",): 9}
    assert result.redistributed == {("Male",): 4}
    assert result.unknown == 7
    assert result.size == 10


def test_without_redistribution_the_sample_is_smaller_and_says_how_many_unfilled():
    pool = _pool({"Female": 0, "Male": 50})
    result = stratified_sample(
        pool,
        dimensions=["sex"],
        target_shares={("Female",): 0.5, ("Male",): 0.5},
        n=10,
        seed=3,
        redistribute=False,
    )
    assert result.shortfalls[0].message == "Female: wanted 5, nobody in the pool"
    assert result.size == 5 and result.unfilled == 5


def test_pool_smaller_than_n_takes_everyone_known():
    pool = _pool({"Female": 2, "Male": 3})
    result = stratified_sample(
        pool, dimensions=["sex"], target_shares={("Female",): 0.5, ("Male",): 0.5}, n=20, seed=1
    )
    assert sorted(result.selected) == [1, 2, 3, 4, 5]
    assert result.unfilled == 15


@given(
    st.lists(st.sampled_from(["A", "B", "C", ""]), max_size=80),
    st.integers(0, 60),
    st.integers(0, 2**32),
)
def test_sample_never_repeats_never_draws_unknowns_and_never_exceeds_n(categories, n, seed):
    pool = [(i, {"d": c} if c else {}) for i, c in enumerate(categories)]
    result = stratified_sample(
        pool,
        dimensions=["d"],
        target_shares={("A",): 0.5, ("B",): 0.3, ("C",): 0.2},
        n=n,
        seed=seed,
    )
    known = {i for i, c in enumerate(categories) if c}
    assert len(result.selected) == len(set(result.selected)) <= n
    assert set(result.selected) <= known
    assert len(result.selected) == min(n, len(known))


def test_nested_targets_keep_small_groups_that_full_cross_rounding_loses():
    from heard.involvement.population import built_in_population

    population = built_in_population()
    marginals = [population.shares["sex_age"], population.shares["ethnic_group"]]
    shares = cross_shares(marginals)
    flat = largest_remainder(shares, 100)
    nested = nested_targets(marginals, 100)
    assert sum(nested.values()) == 100 and set(nested) == set(shares)

    def ethnic_totals(targets):
        totals: dict[str, int] = {}
        for (_, ethnic), count in targets.items():
            totals[ethnic] = totals.get(ethnic, 0) + count
        return totals

    # 2.1% Asian of 100: the full cross rounds most of them away
    assert ethnic_totals(flat)["Asian, Asian British or Asian Welsh"] < 2
    # nested: exactly the largest-remainder split of 94.7 / 2.1 / 1.6 / 0.9 / 0.7
    assert ethnic_totals(nested) == {
        "White": 95,
        "Asian, Asian British or Asian Welsh": 2,
        "Mixed or Multiple ethnic groups": 1,
        "Black, Black British, Black Welsh, Caribbean or African": 1,
        "Other ethnic group": 1,
    }


@given(
    st.lists(st.floats(0.01, 10), min_size=1, max_size=5),
    st.lists(st.floats(0.01, 10), min_size=1, max_size=5),
    st.integers(0, 300),
)
def test_nested_targets_always_add_up_and_stay_near_the_quota(a, b, n):
    marginals = [{f"a{i}": w for i, w in enumerate(a)}, {f"b{i}": w for i, w in enumerate(b)}]
    targets = nested_targets(marginals, n)
    shares = cross_shares(marginals)
    assert sum(targets.values()) == n and set(targets) == set(shares)
    for key, count in targets.items():
        assert abs(count - shares[key] * n) < 2 + 1e-9


def test_targets_that_do_not_add_up_are_refused():
    with pytest.raises(ValueError, match="add up to n"):
        stratified_sample(
            [], dimensions=["d"], target_shares={("A",): 1.0}, n=3, seed=1, targets={("A",): 2}
        )
