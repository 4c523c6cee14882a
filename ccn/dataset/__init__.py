"""The synthetic national dataset (`make dataset`): deterministic from a seed, loaded in bulk, labelled synthetic.

Each part is a function `generate(ctx)` in a module of this package; `PARTS` lists them in order. The context
carries the random generator, the target sizes and what earlier parts made (ids of clusters, projects, users)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

SYNTHETIC_PREFIX = "SYN-"
SYNTHETIC_NOTE = "Dữ liệu tổng hợp (synthetic) để đo hiệu năng — không phải số liệu thật."


@dataclass
class Sizes:
    clusters: int = 2000
    tenant_projects: int = 40000
    years: int = 10
    obstacles: int = 5000


@dataclass
class Context:
    seed: int
    sizes: Sizes
    # Added to codes and document numbers after SYN- so that several batches can live in one database (tests).
    batch: str = ""
    rng: random.Random = field(init=False)
    made: dict = field(default_factory=dict)

    def __post_init__(self):
        self.rng = random.Random(self.seed)


def pick(rng: random.Random, weighted):
    """One value of `weighted` ((value, weight) pairs), drawn with `rng` in proportion to its weight."""
    total = sum(w for _, w in weighted)
    x = rng.uniform(0, total)
    for value, w in weighted:
        x -= w
        if x <= 0:
            return value
    return weighted[-1][0]


PARTS = [
    "ccn.dataset.registry",
    "ccn.dataset.plans",
    "ccn.dataset.obstacles",
    "ccn.dataset.reports",
]
