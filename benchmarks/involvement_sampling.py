"""Benchmark the representative sampler on synthetic pools (pure Python, no database).

Run: .venv/bin/python benchmarks/involvement_sampling.py
Prints, per pool size: time to draw (nested largest-remainder targets, as the product
does), how far the achieved mix is from the population (total variation distance, TVD),
the same for a simple random sample of the same size, and how many strata fell short.
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from heard.involvement.population import built_in_population, member_categories
from heard.involvement.sampling import cross_shares, nested_targets, stratified_sample

AGES = ["18_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_plus", "prefer_not_to_say"]
ETHNIC = ["white_british"] * 90 + ["asian_indian", "black_african", "mixed_other", "other_arab"] * 2


def synthetic_pool(n: int, rng: random.Random) -> list[tuple[int, dict[str, str]]]:
    # Members skew older and whiter than the population, as membership schemes do.
    weights = [2, 4, 6, 10, 16, 20, 14, 3]
    return [
        (
            i,
            member_categories(
                age_band=rng.choices(AGES, weights)[0],
                sex=rng.choice(["female", "female", "male", ""]),
                ethnic_group=rng.choice(ETHNIC),
            ),
        )
        for i in range(n)
    ]


def main() -> None:
    population = built_in_population()
    dims = ["sex_age", "ethnic_group"]
    shares = cross_shares([population.shares[d] for d in dims])
    rng = random.Random(1)
    print(f"strata: {len(shares)} (sex x age band x broad ethnic group)")
    print(
        f"{'pool':>8} {'n':>6} {'ms':>8} {'achieved':>9} {'TVD sample':>11} "
        f"{'TVD random':>11} {'short strata':>13}"
    )
    for pool_size, n in [(2_000, 100), (20_000, 500), (100_000, 1_000), (200_000, 5_000)]:
        pool = synthetic_pool(pool_size, rng)
        start = time.perf_counter()
        targets = nested_targets([population.shares[d] for d in dims], n)
        result = stratified_sample(
            pool, dimensions=dims, target_shares=shares, n=n, seed=7, targets=targets
        )
        ms = (time.perf_counter() - start) * 1000
        total = max(result.size, 1)
        tvd = 0.5 * sum(abs(result.achieved[k] / total - shares[k]) for k in shares)
        # a simple random sample of the same size from the known pool, for comparison
        known = [c for _, c in pool if all(d in c for d in dims)]
        simple = rng.sample(known, n)
        counts: dict[tuple[str, ...], int] = {}
        for c in simple:
            key = tuple(c[d] for d in dims)
            counts[key] = counts.get(key, 0) + 1
        tvd_random = 0.5 * sum(abs(counts.get(k, 0) / n - shares[k]) for k in shares)
        print(
            f"{pool_size:>8} {n:>6} {ms:>8.1f} {result.size:>9} {tvd:>11.3f} "
            f"{tvd_random:>11.3f} {len(result.shortfalls):>13}"
        )


if __name__ == "__main__":
    main()
