#!/usr/bin/env python3
"""Solves random portfolio instances of 98 candidates (one per municipality) with `pulje portfolio` and with
an independent MILP solver (PuLP with its bundled CBC), and prints answers and times side by side.

    pip install pulp
    swift build -c release --scratch-path .build-release
    python3 benchmarks/portfolio_vs_milp.py --binary .build-release/release/pulje [--instances 30] [--seed 1]

Each instance: funds 13.000.000 kr., 3-25 municipalities sought, two or three target areas with a coverage
minimum, candidate amounts 300.000-1.500.000 kr., weighted scores 0-5 in steps the call's scale allows.
Times are wall-clock per instance, including process start for `pulje` and the CBC call for PuLP; the
ratio column is pulje time / PuLP time. Scores must agree to 1e-6 (selections may differ on ties).
"""
import argparse
import json
import random
import statistics
import subprocess
import sys
import time

import pulp


def instance(rng, n=98, family="random"):
    if family != "random":
        return hard_instance(rng, n, family)
    areas = ["handicap", "socialpsykiatri", "udsatte"][: rng.choice([2, 3])]
    lo = rng.randint(3, 10)
    hi = lo + rng.randint(0, 15)
    candidates = []
    for i in range(n):
        covered = [a for a in areas if rng.random() < 0.45] or [rng.choice(areas)]
        candidates.append({
            "id": f"k{i:03d}",
            # Weighted averages of half points with weights 1-3: not always round numbers.
            "score": round(sum(rng.randint(0, 10) / 2 * w for w in (3, 2, 1)) / 6, 4),
            "amount": rng.randint(6, 30) * 50_000,
            "areas": covered,
        })
    return {
        "funds": 13_000_000,
        "minCount": lo,
        "maxCount": hi,
        "coverage": {a: rng.randint(1, 3) for a in areas},
        "candidates": candidates,
    }


def hard_instance(rng, n, family):
    """Families that defeat a plain fractional-knapsack bound: equal candidates with a little money left over,
    scores exactly proportional to amounts (subset sum), and strongly correlated scores and amounts."""
    candidates = []
    for i in range(n):
        amount = rng.randint(6, 30) * 50_000
        if family == "equal":
            amount, score = 1_000_000, 3.0
        elif family == "proportional":
            score = amount / 100_000
        else:  # correlated
            score = round(amount / 300_000 + rng.choice([0, 0.1]), 4)
        candidates.append({"id": f"k{i:03d}", "score": score, "amount": amount,
                           "areas": [rng.choice(["handicap", "socialpsykiatri"])]})
    return {"funds": 13_025_000, "minCount": 3, "maxCount": 25,
            "coverage": {"handicap": 2, "socialpsykiatri": 2}, "candidates": candidates}


def solve_pulje(binary, inst):
    start = time.perf_counter()
    out = subprocess.run([binary, "portfolio"], input=json.dumps(inst).encode(), capture_output=True)
    elapsed = time.perf_counter() - start
    if out.returncode == 2:
        return None, elapsed
    if out.returncode != 0:
        sys.exit(f"pulje portfolio failed: {out.stderr.decode()}")
    return json.loads(out.stdout), elapsed


def solve_milp(inst):
    start = time.perf_counter()
    prob = pulp.LpProblem("portfolio", pulp.LpMaximize)
    x = {c["id"]: pulp.LpVariable(f"x_{c['id']}", cat="Binary") for c in inst["candidates"]}
    prob += pulp.lpSum(c["score"] * x[c["id"]] for c in inst["candidates"])
    prob += pulp.lpSum(c["amount"] * x[c["id"]] for c in inst["candidates"]) <= inst["funds"]
    prob += pulp.lpSum(x.values()) >= inst["minCount"]
    prob += pulp.lpSum(x.values()) <= inst["maxCount"]
    for area, minimum in inst["coverage"].items():
        prob += pulp.lpSum(x[c["id"]] for c in inst["candidates"] if area in c["areas"]) >= minimum
    status = prob.solve(pulp.PULP_CBC_CMD(msg=False))
    elapsed = time.perf_counter() - start
    if pulp.LpStatus[status] != "Optimal":
        return None, elapsed
    chosen = [c for c in inst["candidates"] if x[c["id"]].value() > 0.5]
    return {"selected": [c["id"] for c in chosen], "totalScore": sum(c["score"] for c in chosen),
            "totalAmount": sum(c["amount"] for c in chosen)}, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build-release/release/pulje")
    parser.add_argument("--instances", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--family", default="random", choices=["random", "equal", "proportional", "correlated"],
                        help="random instances, or a family that is hard for branch and bound")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print(f"{'#':>3} {'count':>6} {'pulje score':>12} {'MILP score':>12} {'pulje kr.':>12} {'MILP kr.':>12}"
          f" {'pulje ms':>9} {'MILP ms':>9} {'agree':>6}")
    pulje_times, milp_times, disagreements = [], [], 0
    for i in range(args.instances):
        inst = instance(rng, family=args.family)
        ours, t_ours = solve_pulje(args.binary, inst)
        theirs, t_theirs = solve_milp(inst)
        pulje_times.append(t_ours)
        milp_times.append(t_theirs)
        if ours is None or theirs is None:
            agree = ours is None and theirs is None
            print(f"{i:>3} {'-':>6} {'infeasible' if ours is None else ours['totalScore']:>12}"
                  f" {'infeasible' if theirs is None else theirs['totalScore']:>12} {'':>12} {'':>12}"
                  f" {t_ours * 1000:>9.1f} {t_theirs * 1000:>9.1f} {str(agree):>6}")
        else:
            agree = abs(ours["totalScore"] - theirs["totalScore"]) < 1e-6
            print(f"{i:>3} {len(ours['selected']):>6} {ours['totalScore']:>12.4f} {theirs['totalScore']:>12.4f}"
                  f" {ours['totalAmount']:>12,.0f} {theirs['totalAmount']:>12,.0f}"
                  f" {t_ours * 1000:>9.1f} {t_theirs * 1000:>9.1f} {str(agree):>6}")
        disagreements += 0 if agree else 1
    # Baseline in the same run: the same process solving an empty instance, i.e. start-up and JSON alone.
    empty = {"funds": 0, "minCount": 0, "maxCount": 0, "coverage": {}, "candidates": []}
    baseline = statistics.median(solve_pulje(args.binary, empty)[1] for _ in range(10))
    print()
    print(f"instances: {args.instances}, disagreements: {disagreements}")
    print(f"pulje portfolio on an empty instance (process start-up, baseline): median {baseline * 1000:.1f} ms")
    print(f"pulje portfolio: median {statistics.median(pulje_times) * 1000:.1f} ms,"
          f" max {max(pulje_times) * 1000:.1f} ms")
    print(f"PuLP + CBC:      median {statistics.median(milp_times) * 1000:.1f} ms,"
          f" max {max(milp_times) * 1000:.1f} ms")
    print(f"ratio pulje/MILP (median): {statistics.median(pulje_times) / statistics.median(milp_times):.2f}")
    sys.exit(1 if disagreements else 0)


if __name__ == "__main__":
    main()
