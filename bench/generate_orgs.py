"""Write an itadesk-assessment JSON file of many organizations, as a district or province holds.

Each organization gets indicator scores for every year and every item of the latest year's
catalog, so the import, summary and merge benchmarks see the shape of a real national file.
Deterministic for a given seed, so two runs measure the same work.

    python bench/generate_orgs.py --orgs 400 --years 2563-2568 -o /tmp/orgs400.json
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from itadesk.ita.catalog import load_catalog

PROVINCES = ["อุดรธานี", "ขอนแก่น", "เชียงใหม่", "นครราชสีมา", "สงขลา", "ชลบุรี", "พิษณุโลก", "อุบลราชธานี"]
KINDS = [("อบต.", "องค์การบริหารส่วนตำบล"), ("เทศบาลตำบล", "เทศบาลตำบล"), ("เทศบาลเมือง", "เทศบาลเมือง")]


def _score(rng: random.Random, low: float = 60.0) -> float:
    return 100.0 if rng.random() < 0.3 else round(rng.uniform(low, 100.0), 2)


def generate(orgs: int, first: int, last: int, seed: int = 2568) -> list[dict]:
    rng = random.Random(seed)
    latest = load_catalog(last)
    entries = []
    for n in range(orgs):
        province = PROVINCES[n % len(PROVINCES)]
        kind, prefix = KINDS[n % len(KINDS)]
        org = {"name": f"{prefix}ทดสอบที่{n + 1}", "kind": kind,
               "district": f"อำเภอที่{n % 25 + 1}", "province": province}
        for year in range(first, last + 1):
            entry = {"format": "itadesk-assessment", "version": 1, "organization": org,
                     "fiscal_year": year,
                     "indicators": {str(i): _score(rng) for i in range(1, 11)}}
            if year == last:
                entry["items"] = {item.code: _score(rng) for ind in latest.indicators
                                  for item in ind.items}
            entries.append(entry)
    return entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=400)
    parser.add_argument("--years", default="2563-2568")
    parser.add_argument("--seed", type=int, default=2568)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    first, last = (int(y) for y in args.years.split("-"))
    args.output.write_text(json.dumps(generate(args.orgs, first, last, args.seed), ensure_ascii=False),
                           encoding="utf-8")


if __name__ == "__main__":
    main()
