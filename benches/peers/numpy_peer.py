#!/usr/bin/env python3
"""The workload of benches/peer.toml in NumPy: sscsim's yardstick.

The same model sscsim simulates for that scenario, written as a Python
analyst would: every array is shaped (replications, ...) and the Python
loops are over the working days of the year (and, within a day, the dozen
ages of a backlog), and over blocks of replications that fit in the cache.

- Arrivals: each agency's work in each service line is Poisson with the
  scenario's daily mean (annual_volume / working_days_per_year).
- Staffing: each team is planned as sscsim plans it (README, "The model",
  Staffing): the smallest daily capacity c with exp(-theta*c*T)/(theta*mu)
  <= 1 - s, theta = 2(c - mu)/sigma^2, for Poisson demand (sigma^2 = mu);
  FTE = c * effort / (working minutes a day * availability).
- Queues: a backlog by age. Each day yesterday's work ages by a day, work
  older than the line's target becomes overdue, today's arrivals join, and
  the team completes up to c transactions oldest first: overdue work
  (late), then the oldest work still on time. With --queue curves, the same
  queues as sscsim keeps them (src/sim/queue.rs): two cumulative curves,
  arrived and completed so far, the late work read off the arrivals curve
  of target + 1 days back.
- Costs: staff (FTE x GS cost per FTE) and premises (FTE x premises per FTE)
  of every team, the pooled centre's and its site's fixed costs, discounted
  from the end of the year; Budapest's GS cost is drawn from its triangular
  distribution in every replication. Savings = status quo - pooled.
- Statistics: mean, standard deviation, standard error and percentiles
  (linear interpolation, as summary.csv) of the savings; per strategy and
  line the figures of sscsim's lines.csv.

Usage:
  numpy_peer.py [-n REPLICATIONS] [--seed SEED] [--block B] [--queue ages|curves]
                [--scenario FILE]
  numpy_peer.py -n 400 --check DIR   # DIR: `sscsim run benches/peer.toml -o DIR`

With --check, the peer's figures are compared with sscsim's lines.csv and
summary.csv: staffing to 1e-9 (the same formula), everything random within
four standard errors of the difference. Exit status 1 when one differs.
Run it on one core for timing: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1.
"""

import argparse
import csv
import math
import os
import sys
import time
import tomllib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCENARIO = os.path.join(HERE, "..", "peer.toml")

# Standard errors of the difference within which a figure agrees.
AGREEMENT_STANDARD_ERRORS = 4.0

# lines.csv's figures that are shares of something, each in [0, 1].
SHARES = {"service_level", "utilisation_share", "backlog_probability"}


def planned_capacity_per_day(mean, variance, target_days, target_share):
    """The planner's daily capacity (src/sim/staffing.rs), by Newton's method
    on the log-buffer x = ln(c - mu) of
    g(x) = 2e^x(mu + e^x)T/sigma^2 + x + ln(2mu/sigma^2) + ln(1 - s) = 0."""
    if mean <= 0.0:
        return 0.0
    if variance <= 0.0:
        return mean
    constant = math.log(2.0 * mean / variance) + math.log(1.0 - target_share)
    x = -constant
    for _ in range(200):
        b = math.exp(x)
        value = 2.0 * b * (mean + b) * target_days / variance + x + constant
        slope = 2.0 * b * (mean + 2.0 * b) * target_days / variance + 1.0
        step = value / slope
        x -= step
        if abs(step) <= 1e-13 * max(abs(x), 1.0):
            break
    return mean + math.exp(x)


def fixed(value, what):
    """A plain number of the scenario; the peer models no other uncertainty."""
    if isinstance(value, dict):
        sys.exit(f"{what}: the peer expects a fixed number, found {value}")
    return float(value)


class Workload:
    """benches/peer.toml read into the arrays the simulation needs."""

    def __init__(self, path):
        with open(path, "rb") as f:
            s = tomllib.load(f)
        settings = s["settings"]
        self.days = int(settings["working_days_per_year"])
        if int(settings["horizon_years"]) != 1:
            sys.exit("the peer simulates a horizon of one year")
        self.discount = 1.0 / (1.0 + fixed(settings["discount_rate_per_year"], "discount"))
        minutes = fixed(settings["working_minutes_per_day"], "working_minutes_per_day")
        availability = fixed(settings["availability_share"], "availability_share")
        self.lines = [line["id"] for line in s["service_line"]]
        self.target_days = np.array([line["service_level_target_days"] for line in s["service_line"]])
        target_share = [line["service_level_target_share"] for line in s["service_line"]]
        effort = [fixed(line["effort_minutes_per_transaction"], "effort") for line in s["service_line"]]
        locations = {loc["id"]: loc for loc in s["location"]}
        agencies = s["agency"]
        self.agencies = len(agencies)
        # Daily mean of each (agency, line): shape (agencies, lines).
        self.mean_per_day = np.array(
            [[fixed(a["service_line"][l]["annual_volume"], "annual_volume") / self.days for l in self.lines]
             for a in agencies])
        for a in agencies:
            for l in self.lines:
                if a["service_line"][l].get("arrivals", "poisson") != "poisson":
                    sys.exit("the peer draws Poisson arrivals only")
        # Status quo: one team per (agency, line) at the agency's headquarters.
        sq_capacity = np.array(
            [[planned_capacity_per_day(m, m, t, sh) for m, t, sh in zip(row, self.target_days, target_share)]
             for row in self.mean_per_day])
        fte_per_capacity = np.array(effort) / (minutes * availability)
        self.sq_capacity = sq_capacity.reshape(-1)
        self.sq_fte = (sq_capacity * fte_per_capacity).reshape(-1)
        per_fte = np.array([self.cost_per_fte(locations[a["hq_location"]]) for a in agencies])
        self.sq_cost = float((sq_capacity * fte_per_capacity * per_fte[:, None]).sum()) * self.discount
        # Pooled: one team per line for all agencies at the centre's location.
        (strategy,) = s["strategy"]
        (centre,) = strategy["centre"]
        pooled_mean = self.mean_per_day.sum(axis=0)
        self.pooled_capacity = np.array(
            [planned_capacity_per_day(m, m, t, sh) for m, t, sh in zip(pooled_mean, self.target_days, target_share)])
        self.pooled_fte = self.pooled_capacity * fte_per_capacity
        centre_location = locations[centre["location"]]
        self.pooled_gs = centre_location["annual_cost_usd_per_fte"]["GS"]
        self.pooled_premises = float(centre_location.get("premises_usd_per_fte_per_year", 0.0))
        self.pooled_fixed = float(centre_location.get("site_fixed_cost_usd_per_year", 0.0)) + float(
            centre.get("fixed_cost_usd_per_year", 0.0))

    @staticmethod
    def cost_per_fte(location):
        return fixed(location["annual_cost_usd_per_fte"]["GS"], "GS cost") + float(
            location.get("premises_usd_per_fte_per_year", 0.0))

    def pooled_costs(self, rng, replications):
        """The pooled strategy's NPV cost in each replication."""
        gs = self.pooled_gs
        if isinstance(gs, dict):
            assert gs["dist"] == "triangular"
            gs = rng.triangular(gs["min"], gs["mode"], gs["max"], size=replications)
        per_fte = gs + self.pooled_premises
        return (self.pooled_fte.sum() * per_fte + self.pooled_fixed) * self.discount


class Queues:
    """Backlogs by age of many queues in many replications.

    `work[p, r, q]`: position 0 is the overdue work, position p >= 1 the work
    of age K - p (K = the longest target + 1 ages), oldest first, so the
    day's completions follow from a cumulative sum over positions. A queue
    whose target is shorter keeps its older positions empty. Ages come
    first so that each is one contiguous (replications, queues) block: the
    cumulative sum is then K additions of whole blocks, several times faster
    than numpy's cumsum along a short axis (which walks each queue's K
    values one at a time).
    """

    def __init__(self, replications, target_days, capacity):
        queues = len(target_days)
        self.ages = int(target_days.max()) + 1
        self.work = np.zeros((self.ages + 1, replications, queues))
        self.cum = np.empty_like(self.work)
        self.capacity = capacity
        # Where each queue's oldest on-time work (age = its target) sits.
        self.queue = np.arange(queues)
        self.oldest = self.ages - target_days
        shape = (replications, queues)
        self.on_time, self.late = np.zeros(shape), np.zeros(shape)
        self.backlog_days, self.backlog_transaction_days = np.zeros(shape), np.zeros(shape)

    def work_day(self, arrivals):
        work, cum = self.work, self.cum
        # Work at its target's age becomes overdue; then everything ages a day.
        oldest = work[self.oldest, :, self.queue]
        work[self.oldest, :, self.queue] = 0.0
        work[0] += oldest.T
        work[1:-1] = work[2:]
        work[-1] = arrivals
        # Oldest first: what is left of the cumulative work past the capacity.
        cum[0] = work[0]
        for p in range(1, self.ages + 1):
            np.add(cum[p - 1], work[p], out=cum[p])
        total = cum[-1].copy()
        late = np.minimum(cum[0], self.capacity)
        np.subtract(cum, self.capacity, out=cum)
        np.maximum(cum, 0.0, out=cum)
        work[0] = cum[0]
        np.subtract(cum[1:], cum[:-1], out=work[1:])
        left = cum[-1]
        self.late += late
        self.on_time += total - left - late
        self.backlog_days += left > 0.0
        self.backlog_transaction_days += left

    def served(self):
        """Each replication's and queue's totals over the year, by figure."""
        return {
            "on_time": self.on_time,
            "late": self.late,
            "overdue_at_end": self.work[0].copy(),
            "backlog_days": self.backlog_days,
            "backlog_transaction_days": self.backlog_transaction_days,
        }


class Curves:
    """The backlogs of `Queues` as sscsim keeps them: for each replication
    and queue, the transactions arrived so far (A) and completed so far
    (C). Work is done oldest first, so a day of capacity c takes C to
    min(C + c, A), and what it completes below A of target + 1 days back
    is late. `arrived_by_day[d % K]` holds A at the end of day d for the
    last K = longest target + 1 days, where each queue reads its own lag.
    Fewer whole-array operations a day than `Queues` (none per age); the
    same figures up to rounding."""

    def __init__(self, replications, target_days, capacity):
        queues = len(target_days)
        self.ring = int(target_days.max()) + 1
        self.target_days = target_days
        self.queue = np.arange(queues)
        self.arrived_by_day = np.zeros((self.ring, replications, queues))
        shape = (replications, queues)
        self.arrived, self.completed = np.zeros(shape), np.zeros(shape)
        self.overdue_below = np.zeros(shape)
        self.capacity = capacity
        self.day = 0
        self.on_time, self.late = np.zeros(shape), np.zeros(shape)
        self.backlog_days, self.backlog_transaction_days = np.zeros(shape), np.zeros(shape)

    def work_day(self, arrivals):
        # A of target + 1 days back (0 before the first day: those slots
        # are not written yet), read before today's A takes its slot.
        lag = (self.day - self.target_days - 1) % self.ring
        self.overdue_below = self.arrived_by_day[lag, :, self.queue].T
        np.add(self.arrived, arrivals, out=self.arrived)
        self.arrived_by_day[self.day % self.ring] = self.arrived
        self.day += 1
        before = self.completed
        after = np.minimum(before + self.capacity, self.arrived)
        late = np.maximum(np.minimum(after, self.overdue_below) - before, 0.0)
        self.late += late
        self.on_time += (after - before) - late
        self.completed = after
        waiting = self.arrived - after
        self.backlog_days += waiting > 0.0
        self.backlog_transaction_days += waiting

    def served(self):
        """As `Queues.served`."""
        return {
            "on_time": self.on_time,
            "late": self.late,
            "overdue_at_end": np.maximum(self.overdue_below - self.completed, 0.0),
            "backlog_days": self.backlog_days,
            "backlog_transaction_days": self.backlog_transaction_days,
        }


QUEUES = {"ages": Queues, "curves": Curves}


def simulate_block(workload, replications, rng, queues):
    """Runs the year for a block of replications; returns what the two
    strategies' queues (`queues`: Queues or Curves) served."""
    lines = len(workload.lines)
    mean = workload.mean_per_day.reshape(-1)
    status_quo = queues(replications, np.tile(workload.target_days, workload.agencies), workload.sq_capacity)
    pooled = queues(replications, workload.target_days, workload.pooled_capacity)
    for _ in range(workload.days):
        arrivals = rng.poisson(mean, size=(replications, mean.size)).astype(np.float64)
        status_quo.work_day(arrivals)
        pooled.work_day(arrivals.reshape(replications, workload.agencies, lines).sum(axis=1))
    return status_quo.served(), pooled.served()


def simulate(workload, replications, seed, block, queues):
    """Runs every replication, `block` at a time: a day's arrays of a block
    of 250 replications (96 queues x 12 ages x 250 x 8 bytes, 2.3 MB) stay
    in the processor's cache, where 2000 at once (18 MB) would not, and the
    queues take half the time. Returns what the status quo's and the
    pooled strategy's queues served, and the pooled strategy's costs."""
    rng = np.random.default_rng(seed)
    blocks = [simulate_block(workload, min(block, replications - first), rng, queues)
              for first in range(0, replications, block)]
    status_quo, pooled = ({figure: np.concatenate([b[s][figure] for b in blocks]) for figure in blocks[0][s]}
                          for s in (0, 1))
    return status_quo, pooled, workload.pooled_costs(rng, replications)


def summary(values):
    """summary.csv's figures of one series: mean, se and percentiles."""
    n = len(values)
    sd = values.std(ddof=1) if n > 1 else 0.0
    p05, p50, p95 = np.percentile(values, [5, 50, 95])
    return {"mean": values.mean(), "sd": sd, "se": sd / math.sqrt(n), "p05": p05, "p50": p50, "p95": p95}


def ratio(numerators, denominators):
    """A ratio of means over replications and its standard error (delta method)."""
    r = numerators.sum() / denominators.sum()
    n = len(numerators)
    residual = numerators - r * denominators
    se = residual.std(ddof=1) / (math.sqrt(n) * denominators.mean()) if n > 1 else 0.0
    return r, se


def line_figures(workload, served, capacity, fte, strategy):
    """lines.csv's figures of one strategy, each with its standard error:
    {(strategy, line, figure): (value, se)}. `served`: Queues.served of
    every replication; `capacity` and `fte`: each queue's, a day."""
    lines = len(workload.lines)
    replications, queues = served["on_time"].shape

    def by_line(a):
        return a.reshape(replications, -1, lines).sum(axis=1)

    queues_per_line = queues // lines
    capacity = capacity.reshape(-1, lines).sum(axis=0) * workload.days
    on_time, late = by_line(served["on_time"]), by_line(served["late"])
    resolved = on_time + late + by_line(served["overdue_at_end"])
    backlog = by_line(served["backlog_transaction_days"]) / workload.days
    backlog_share = by_line(served["backlog_days"]) / (workload.days * queues_per_line)
    line_fte = fte.reshape(-1, lines).sum(axis=0)
    figures = {}
    for l, line in enumerate(workload.lines):
        key = (strategy, line)
        figures[key + ("fte",)] = (line_fte[l], 0.0)
        figures[key + ("service_level",)] = ratio(on_time[:, l], resolved[:, l])
        figures[key + ("utilisation_share",)] = ratio(on_time[:, l] + late[:, l], np.full(replications, capacity[l]))
        figures[key + ("backlog_probability",)] = (backlog_share[:, l].mean(), backlog_share[:, l].std(ddof=1) / math.sqrt(replications))
        figures[key + ("mean_backlog_transactions",)] = (backlog[:, l].mean(), backlog[:, l].std(ddof=1) / math.sqrt(replications))
    return figures


def check(figures, savings, folder):
    """Compares the peer's figures with sscsim's result folder; returns the
    number of disagreements."""
    with open(os.path.join(folder, "lines.csv"), newline="") as f:
        theirs = {(r["strategy"], r["service_line"]): r for r in csv.DictReader(f)}
    with open(os.path.join(folder, "summary.csv"), newline="") as f:
        summary_rows = {(r["strategy"], r["metric"]): r for r in csv.DictReader(f)}
    savings_row = summary_rows[("pooled", "npv_savings_usd")]
    their_n = float(savings_row["n"])
    our_n = savings["n"]
    failures = 0
    rows = []
    for (strategy, line, figure), (ours, se) in figures.items():
        their = float(theirs[(strategy, line)][figure])
        if figure == "fte":
            ok = abs(ours - their) <= 1e-9 * max(abs(their), 1.0)
            bound = 1e-9 * max(abs(their), 1.0)
        else:
            # sscsim's estimate has the same spread from its own replications.
            bound = AGREEMENT_STANDARD_ERRORS * se * math.sqrt(1.0 + our_n / their_n) + 1e-12
            if se == 0.0 and figure in SHARES:
                # No replication of ours varied (no late work at all, say), so
                # our spread says nothing of sscsim's, whose rare late
                # transactions may fall in a few replications. A mean of n
                # replications' shares, each in [0, 1], has a variance of at
                # most p(1 - p)/n (Bhatia and Davis, "A better bound on the
                # variance", Amer. Math. Monthly 107, 2000): the bound for
                # sscsim's side.
                bound += AGREEMENT_STANDARD_ERRORS * math.sqrt(their * (1.0 - their) / their_n)
            ok = abs(ours - their) <= bound
        rows.append((strategy, line, figure, ours, their, bound, ok))
    for stat, se_column in [("mean", "se"), ("p05", "p05_se"), ("p50", "p50_se"), ("p95", "p95_se")]:
        their = float(savings_row[stat])
        their_se = float(savings_row[se_column])
        our_se = savings["se"] if stat == "mean" else their_se * math.sqrt(their_n / our_n)
        bound = AGREEMENT_STANDARD_ERRORS * math.hypot(our_se, their_se)
        rows.append(("pooled", "all", f"npv_savings_usd {stat}", savings[stat], their, bound,
                     abs(savings[stat] - their) <= bound))
    print(f"{'strategy':<10} {'line':<12} {'figure':<26} {'numpy':>16} {'sscsim':>16} {'bound':>12}")
    for strategy, line, figure, ours, their, bound, ok in rows:
        failures += not ok
        print(f"{strategy:<10} {line:<12} {figure:<26} {ours:>16.6f} {their:>16.6f} {bound:>12.3g}"
              f"{'' if ok else '  DIFFERENT'}")
    print(f"{len(rows) - failures} of {len(rows)} figures agree "
          f"(numpy {our_n} replications, sscsim {their_n:.0f})")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--replications", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20100301)
    parser.add_argument("--block", type=int, default=250, help="replications simulated together")
    parser.add_argument("--queue", choices=sorted(QUEUES), default="ages",
                        help="backlogs by age (as first written) or as cumulative curves (as sscsim keeps them)")
    parser.add_argument("--scenario", default=DEFAULT_SCENARIO)
    parser.add_argument("--check", metavar="DIR", help="compare with sscsim's result folder DIR")
    args = parser.parse_args()
    if args.replications < 2 or args.block < 1:
        sys.exit("--replications at least 2 and --block at least 1; expected counts of replications")

    started = time.perf_counter()
    workload = Workload(args.scenario)
    status_quo, pooled, pooled_cost = simulate(workload, args.replications, args.seed, args.block, QUEUES[args.queue])
    savings = summary(workload.sq_cost - pooled_cost)
    savings["n"] = args.replications
    elapsed = time.perf_counter() - started

    agency_line_days = workload.mean_per_day.size * workload.days * args.replications
    print(f"numpy {np.__version__}: {args.replications} replications in {elapsed:.2f} s "
          f"({elapsed / agency_line_days * 1e9:.1f} ns per agency-line-day)")
    print(f"pooled npv_savings_usd: mean {savings['mean']:.0f} (se {savings['se']:.0f}), "
          f"p05 {savings['p05']:.0f}, p50 {savings['p50']:.0f}, p95 {savings['p95']:.0f}")
    if args.check:
        figures = line_figures(workload, status_quo, workload.sq_capacity, workload.sq_fte, "status_quo")
        figures.update(line_figures(workload, pooled, workload.pooled_capacity, workload.pooled_fte, "pooled"))
        if check(figures, savings, args.check):
            sys.exit(1)


if __name__ == "__main__":
    main()
