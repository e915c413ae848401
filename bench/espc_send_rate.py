#!/usr/bin/env python3
"""ESPC's expected send rate under paper 003 §4.4's own rule, with i.i.d. Gaussian utilities.

usage: espc_send_rate.py [--agents 50] [--workers 200] [--rounds 300]

Each worker draws u ~ N(0, 1) per round, keeps its last k utilities (the current one included,
as §4.4 defines the rolling mean and variance), and sends with
p_comm = P(Bi(n − 1, Φ((u − ū)/s)) ≥ n − m). If the utilities were N(ū, s²) with known ū and s
the mean of p_comm would be m/n exactly (§4.4, Fig. 4.1); estimated from k samples that include
u itself, z = (u − ū)/s is not standard normal, so the rate departs from m/n for m ≠ n/2 even
with perfectly Gaussian i.i.d. utilities. The second table makes the utilities left-skewed, as a
capped return is once most episodes reach the cap: a fraction q of them fail (u ~ N(−10, 1)).
A failure in the window lowers ū and widens s, so the ordinary utilities after it stand above
the window and the rate at m = n/2 rises above 1/2. The rounds before the window is full are
skipped. Standard library only.
"""
import argparse
import math
import random


def send_probability(p, n, m):
    return sum(math.comb(n - 1, j) * p ** j * (1 - p) ** (n - 1 - j) for j in range(n - m, n))


def normal_cdf(z):
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def mean_rate(n, m, k, workers, rounds, rng, failures=0.0):
    total, count = 0.0, 0
    for _ in range(workers):
        window = []
        for t in range(rounds):
            u = rng.gauss(-10, 1) if rng.random() < failures else rng.gauss(0, 1)
            window = (window + [u])[-k:]
            mean = sum(window) / len(window)
            variance = sum((x - mean) ** 2 for x in window) / len(window) or 1.0
            if t >= k:
                total += send_probability(normal_cdf((u - mean) / math.sqrt(variance)), n, m)
                count += 1
    return total / count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--workers", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(1)
    n = args.agents
    print(f"n = {n}, i.i.d. N(0, 1) utilities, {args.workers} workers x {args.rounds} rounds")
    for k in (3, 5, 10, 30):
        for m in (5, 15, 25, 30, 45):
            rate = mean_rate(n, m, k, args.workers, args.rounds, rng)
            print(f"  k = {k:2d}  m = {m:2d}: mean send rate {rate:.3f}  (m/n {m / n:.2f}, {100 * (rate / (m / n) - 1):+.1f} %)")
    m, k = n // 2, 5
    print(f"m = {m}, k = {k}, a fraction q of failed episodes (u ~ N(-10, 1)), the others N(0, 1)")
    for q in (0.0, 0.02, 0.05, 0.1, 0.2):
        rate = mean_rate(n, m, k, args.workers, args.rounds, rng, failures=q)
        print(f"  q = {q:.2f}: mean send rate {rate:.3f}  ({100 * (rate / (m / n) - 1):+.1f} %)")


if __name__ == "__main__":
    main()
