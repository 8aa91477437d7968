"""The shop's catalogue: products, a search over their names, and summary statistics.

Deterministic (a fixed seed), so every build of the same commit serves the same data and two
sides of a benchmark differ only by their code.
"""

from __future__ import annotations

import hashlib
import json
import random
import statistics

# fmt: off
ADJECTIVES = ["red", "blue", "green", "quiet", "rapid", "smart", "tiny", "grand", "solid",
              "bright", "classic", "modern"]
NOUNS = ["chair", "lamp", "table", "kettle", "blender", "backpack", "jacket", "speaker",
         "monitor", "bottle", "tent", "camera"]
MATERIALS = ["oak", "steel", "cotton", "leather", "glass", "bamboo", "carbon", "wool"]
# fmt: on
PAGE_SIZE = 50


class Catalogue:
    def __init__(self, size: int = 20_000, seed: int = 7) -> None:
        rng = random.Random(seed)  # noqa: S311 - sample data, not secrets
        self.products = [
            {
                "id": index,
                "name": f"{rng.choice(ADJECTIVES).title()} {rng.choice(MATERIALS).title()} "
                f"{rng.choice(NOUNS).title()} {rng.randint(100, 999)}",
                "price": round(rng.uniform(2, 500), 2),
                "stock": rng.randint(0, 250),
            }
            for index in range(size)
        ]
        # Lower-cased names, computed once: searching is then a plain substring test.
        self.search_keys = [product["name"].lower() for product in self.products]

    def page(self, number: int) -> list[dict]:
        start = max(0, number) * PAGE_SIZE
        return self.products[start : start + PAGE_SIZE]

    def search(self, query: str, limit: int = 20) -> list[dict]:
        needle = query.lower()
        hits = [self.products[i] for i, key in enumerate(self.search_keys) if needle in key]
        return hits[:limit]

    def stats(self) -> dict:
        prices = [product["price"] for product in self.products[:4000]]
        return {
            "count": len(self.products),
            "mean_price": round(statistics.fmean(prices), 2),
            "median_price": statistics.median(prices),
            "in_stock": sum(1 for product in self.products[:4000] if product["stock"] > 0),
        }

    def etag(self, number: int) -> str:
        body = json.dumps(self.page(number), sort_keys=True).encode()
        return hashlib.sha256(body).hexdigest()[:16]
