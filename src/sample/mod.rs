//! Per-replication random draws: the uncertain inputs and the daily arrivals.
//!
//! Every random number sscsim uses comes from a stream derived from
//! `(seed, replication, stream kind, indices)` alone, never from the thread
//! that happens to run the replication. That is what makes results
//! bit-identical at any thread count or shard split, and what gives every
//! strategy the same draws (common random numbers): arrivals belong to an
//! agency and a service line, not to the centre that processes them.

mod copula;
#[cfg(test)]
mod fit;
mod gamma;
mod inversion;
mod poisson;

/// The most bytes the table sampler of one worker's arrivals holds: its
/// kept tables.
pub(crate) const ARRIVAL_TABLE_BYTES: u64 =
    inversion::KEPT_TABLES as u64 * inversion::MAX_TABLE_BYTES;

use rand::rngs::Xoshiro256PlusPlus;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Poisson};
use sha2::{Digest, Sha256};

use gamma::Gamma;
use inversion::{CountLaw, CountTables};

use crate::model::{AgencyLine, ArrivalProcess, Draws, InputId, MONTHS_PER_YEAR, Scenario};

/// What a random stream is used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum StreamKind {
    /// The uncertain inputs of the scenario, drawn in declaration order.
    Inputs = 1,
    /// Daily arrivals of one (agency, service line).
    Arrivals = 2,
    /// Daily demand shocks shared by the agencies of one service line.
    CommonShocks = 3,
    /// The designs and bootstrap resamples of the global sensitivity analysis.
    Design = 4,
    /// The random starts of the coalition structure search, one per restart.
    Search = 5,
    /// The orders of joining sampled for Shapley values, one per block of
    /// permutations.
    Permutations = 6,
    /// The bootstrap resamples of the value of information, one per row.
    ValueOfInformation = 7,
}

/// The random stream for one purpose in one replication.
///
/// The generator is Xoshiro256++ (a named, portable algorithm), keyed by the
/// SHA-256 of `(seed, replication, kind, a, b)`, so streams are independent
/// and depend on nothing else.
pub fn stream(seed: u64, replication: u64, kind: StreamKind, a: u32, b: u32) -> Xoshiro256PlusPlus {
    let mut hasher = Sha256::new();
    hasher.update(b"sscsim stream v1");
    hasher.update(seed.to_le_bytes());
    hasher.update(replication.to_le_bytes());
    hasher.update([kind as u8]);
    hasher.update(a.to_le_bytes());
    hasher.update(b.to_le_bytes());
    Xoshiro256PlusPlus::from_seed(hasher.finalize().into())
}

/// A uniform number strictly between 0 and 1 (never exactly 0 or 1, so every
/// quantile function is finite): the midpoint of one of 2^52 equal cells.
/// (With 53 bits, the top cell's midpoint 1 − 2^-54 would round to 1.)
pub fn open_unit(rng: &mut impl Rng) -> f64 {
    open_unit_of(rng.next_u64())
}

/// The uniform [`open_unit`] makes of 64 random bits: their top 52 bits,
/// as a cell's midpoint.
#[inline(always)]
fn open_unit_of(bits: u64) -> f64 {
    ((bits >> 12) as f64 + 0.5) * (1.0 / (1u64 << 52) as f64)
}

/// The smallest number [`open_unit`] returns, 2^-53.
pub const OPEN_UNIT_LOWEST: f64 = 0.5 / (1u64 << 52) as f64;
/// The largest number [`open_unit`] returns, 1 − 2^-53.
pub const OPEN_UNIT_HIGHEST: f64 = 1.0 - OPEN_UNIT_LOWEST;

/// Draws every uncertain input of `scenario` for one replication into `out`.
///
/// One uniform per input, in declaration order, whether or not the input is
/// correlated: an input outside every correlation draws exactly what it
/// would in a scenario without correlations.
pub fn draw_inputs(scenario: &Scenario, seed: u64, replication: u64, out: &mut Vec<f64>) {
    draw_inputs_given(scenario, seed, replication, None, out);
}

/// [`draw_inputs`], with input `given.0`, if given, at its quantile
/// `given.1` (a share, strictly between 0 and 1) and the inputs correlated
/// with it drawn given that value, on the replication's own draws (see
/// `copula::correlate_given`): a one-at-a-time sensitivity run.
pub fn draw_inputs_given(
    scenario: &Scenario,
    seed: u64,
    replication: u64,
    given: Option<(InputId, f64)>,
    out: &mut Vec<f64>,
) {
    let mut rng = stream(seed, replication, StreamKind::Inputs, 0, 0);
    out.clear();
    out.extend(scenario.inputs.iter().map(|_| open_unit(&mut rng)));
    copula::correlate_given(&scenario.correlations, out, given);
    for (value, input) in out.iter_mut().zip(&scenario.inputs) {
        *value = input.dist.quantile(*value);
    }
}

impl Draws {
    /// Draws every uncertain input of `scenario` for one replication, as
    /// [`draw_inputs`] does, reusing this value's buffer.
    pub fn draw(&mut self, scenario: &Scenario, seed: u64, replication: u64) {
        self.make(|values| draw_inputs(scenario, seed, replication, values));
    }

    /// Draws as [`draw_inputs_given`] does, reusing this value's buffer.
    pub fn draw_given(
        &mut self,
        scenario: &Scenario,
        seed: u64,
        replication: u64,
        given: (InputId, f64),
    ) {
        self.make(|values| draw_inputs_given(scenario, seed, replication, Some(given), values));
    }
}

/// Daily arrivals of every (agency, service line) over the horizon, for one
/// replication. The buffers are reused from one replication to the next.
#[derive(Clone, Debug, Default)]
pub struct Arrivals {
    days: usize,
    service_lines: usize,
    /// `[agency][service line][day]`, flattened.
    counts: Vec<f64>,
    /// One service line's shared daily demand shocks (see [`Scenario::common_shock_shape`]).
    common: Vec<f64>,
    /// The inversion tables of the laws last drawn from.
    tables: CountTables,
}

impl Arrivals {
    /// Transactions arriving each working day of the horizon for one agency
    /// and service line (all zero where the agency has no such work).
    pub fn series(&self, agency: usize, service_line: usize) -> &[f64] {
        let start = (agency * self.service_lines + service_line) * self.days;
        &self.counts[start..start + self.days]
    }

    /// Draws all arrivals of one replication, given its input draws.
    ///
    /// Negative binomial arrivals are Poisson counts around a rate
    /// `mean × G / r`, with `G ~ Gamma(r, 1)`. When a service line's volume
    /// correlation is above 0, `G` is the sum of a shock shared by every
    /// agency of the line, `Gamma(k, 1)`, and the agency's own
    /// `Gamma(r − k, 1)`: each agency keeps its negative binomial marginal,
    /// and two agencies' shocks have correlation `k / √(r_a·r_b)`.
    ///
    /// A run of days of one law long enough to pay for a table draws its
    /// counts by inversion (see `inversion`): one uniform a day for a
    /// Poisson count or the agency's own negative binomial part, plus a
    /// Poisson count at the shared shock's rate when there is one.
    pub fn draw(&mut self, scenario: &Scenario, draws: &Draws, seed: u64, replication: u64) {
        self.days = scenario.calendar().horizon_days();
        self.service_lines = scenario.service_lines.len();
        // Not cleared first: every series is written below, drawn or zero.
        self.counts.resize(
            scenario.agencies.len() * self.service_lines * self.days,
            0.0,
        );
        for l in 0..self.service_lines {
            let common_shape = scenario.common_shock_shape(l, draws);
            self.common.clear();
            if common_shape > 0.0 {
                let mut rng = stream(seed, replication, StreamKind::CommonShocks, l as u32, 0);
                let gamma = Gamma::new(common_shape).expect("a validated positive shape");
                self.common
                    .extend((0..self.days).map(|_| gamma.sample(&mut rng)));
            }
            for (a, agency) in scenario.agencies.iter().enumerate() {
                let start = (a * self.service_lines + l) * self.days;
                let Some(line) = &agency.lines[l] else {
                    self.counts[start..start + self.days].fill(0.0);
                    continue;
                };
                let mut rng = stream(seed, replication, StreamKind::Arrivals, a as u32, l as u32);
                let mut days = DaySampler {
                    scenario,
                    line,
                    draws,
                    common: &self.common,
                    common_shape,
                    tables: &mut self.tables,
                };
                days.fill(&mut self.counts[start..start + self.days], &mut rng);
            }
        }
    }
}

/// Draws one agency's daily arrivals in one service line.
struct DaySampler<'a> {
    scenario: &'a Scenario,
    line: &'a AgencyLine,
    draws: &'a Draws,
    /// The line's shared shocks, one per day (empty when uncorrelated).
    common: &'a [f64],
    common_shape: f64,
    /// The inversion tables, reused while their laws are met again.
    tables: &'a mut CountTables,
}

/// The law of one day's count, fixed within a month.
#[derive(Clone, Copy, Debug, PartialEq)]
enum DayLaw {
    Zero,
    Exactly(f64),
    Poisson(f64),
    /// Negative binomial: `mean / r` to scale the gamma parts, and the shape
    /// of the agency's own part, `r − k` (`k` the shared shock's shape).
    Mixed {
        mean_per_shape: f64,
        own_shape: f64,
    },
}

impl DaySampler<'_> {
    /// Draws the days in runs that share one law: a month, or several in a
    /// row when their means are equal. The runs are found a month at a
    /// time, from each month's first day ([`month_days`]), rather than by
    /// working out every day's month: the same runs, without two integer
    /// divisions a day.
    fn fill(&mut self, out: &mut [f64], rng: &mut Xoshiro256PlusPlus) {
        let days_per_year = self.scenario.settings.working_days_per_year as usize;
        // The law of the run under way, and its first day.
        let mut run: Option<(DayLaw, usize)> = None;
        for year in 0..out.len().div_ceil(days_per_year) {
            for month in 0..MONTHS_PER_YEAR {
                let days = month_days(month, days_per_year);
                let start = year * days_per_year + days.start;
                // A month without working days (fewer than 12 a year) has
                // no law to draw from.
                if days.is_empty() || start >= out.len() {
                    continue;
                }
                let law = self.law(year as u32, month);
                match run {
                    Some((held, _)) if held == law => {}
                    Some((held, first)) => {
                        self.fill_run(held, first, &mut out[first..start], rng);
                        run = Some((law, start));
                    }
                    None => run = Some((law, start)),
                }
            }
        }
        if let Some((law, first)) = run {
            self.fill_run(law, first, &mut out[first..], rng);
        }
    }

    /// Draws a run of days of one law, the first being `first_day`: by
    /// inversion of a table when the run is long enough to pay for it, by
    /// the general samplers otherwise.
    ///
    /// With a shared shock `S ~ Gamma(k, 1)` the count is Poisson at rate
    /// `c·(S + G)`, `c = mean / r`, `G ~ Gamma(r − k, 1)` the agency's own
    /// part. Given `S` and `G`, a Poisson count at a sum of rates is the sum
    /// of independent Poisson counts at each, `Poisson(c·S) + Poisson(c·G)`;
    /// and `Poisson(c·G)` with `G ~ Gamma(r − k, 1)` drawn afresh for each
    /// day and agency is negative binomial of shape `r − k` and mean
    /// `c·(r − k)`, independent of `S` and of other agencies. So drawing
    /// `Poisson(c·S)` plus that negative binomial from the table gives, given
    /// the shocks, the same independent counts as before, hence the same
    /// joint law: each agency's marginal negative binomial of shape `r`, and
    /// between two agencies' counts the covariance `c_a·c_b·Var S =
    /// c_a·c_b·k` of the shared part alone.
    fn fill_run(
        &mut self,
        law: DayLaw,
        first_day: usize,
        out: &mut [f64],
        rng: &mut Xoshiro256PlusPlus,
    ) {
        match law {
            DayLaw::Zero => out.fill(0.0),
            DayLaw::Exactly(mean) => out.fill(mean),
            DayLaw::Poisson(mean) => {
                if let Some(table) = self.tables.prepare(CountLaw::Poisson { mean }, out.len()) {
                    // Drawn from a copy of the generator, which stays in
                    // registers, and handed back: the same numbers, without
                    // storing its state to memory every draw.
                    let mut local = rng.clone();
                    out.iter_mut()
                        .for_each(|count| *count = table.draw(local.next_u64()));
                    *rng = local;
                } else if let Ok(poisson) = Poisson::new(mean) {
                    out.iter_mut()
                        .for_each(|count| *count = poisson.sample(rng));
                } else {
                    // Validated volumes keep the mean far below the sampler's limit.
                    out.fill(mean.round());
                }
            }
            DayLaw::Mixed {
                mean_per_shape,
                own_shape,
            } => {
                // The line's shocks of these days; none where it has none.
                // Each case below is a loop of its own, so that no day
                // tests which case it is in.
                let shared = self.common.get(first_day..first_day + out.len());
                let own = CountLaw::NegativeBinomial {
                    shape: own_shape,
                    mean: mean_per_shape * own_shape,
                };
                let table = (own_shape > 0.0)
                    .then(|| self.tables.prepare(own, out.len()))
                    .flatten();
                if let Some(table) = table {
                    match shared {
                        Some(shared) => {
                            for (count, &shock) in out.iter_mut().zip(shared) {
                                let own = table.draw(rng.next_u64());
                                *count = own + poisson_count(mean_per_shape * shock, rng);
                            }
                        }
                        // A Poisson count at rate 0 is 0 and draws nothing.
                        None => out
                            .iter_mut()
                            .for_each(|count| *count = table.draw(rng.next_u64()) + 0.0),
                    }
                } else {
                    // Drawn from a copy of the generator, as above.
                    let mut local = rng.clone();
                    let rate = |shock: f64, own: f64| mean_per_shape * (shock + own);
                    match (Gamma::new(own_shape), shared) {
                        (Some(gamma), Some(shared)) => {
                            for (count, &shock) in out.iter_mut().zip(shared) {
                                let own = gamma.sample(&mut local);
                                *count = poisson_count(rate(shock, own), &mut local);
                            }
                        }
                        (Some(gamma), None) => {
                            for count in out.iter_mut() {
                                let own = gamma.sample(&mut local);
                                *count = poisson_count(rate(0.0, own), &mut local);
                            }
                        }
                        // No own part: the shared shock is the whole gamma
                        // factor (a volume correlation of 1). Seldom met, so
                        // one loop looks up each day's shock.
                        (None, shared) => {
                            for (i, count) in out.iter_mut().enumerate() {
                                let shock = shared.map_or(0.0, |shared| shared[i]);
                                *count = poisson_count(rate(shock, 0.0), &mut local);
                            }
                        }
                    }
                    *rng = local;
                }
            }
        }
    }

    fn law(&self, year: u32, month: usize) -> DayLaw {
        let settings = &self.scenario.settings;
        let mean = self
            .line
            .daily_mean(self.draws, year, month, settings.working_days_per_year);
        if mean <= 0.0 {
            return DayLaw::Zero;
        }
        match self.line.arrivals {
            ArrivalProcess::Deterministic => DayLaw::Exactly(mean),
            ArrivalProcess::Poisson => DayLaw::Poisson(mean),
            ArrivalProcess::NegativeBinomial { dispersion } => {
                let shape = self.draws.value(dispersion);
                DayLaw::Mixed {
                    mean_per_shape: mean / shape,
                    own_shape: shape - self.common_shape,
                }
            }
        }
    }
}

/// The days of a year (0-based, of `days_per_year` working days) that fall
/// in calendar month `month`: those whose [`crate::model::month_of_day`] is `month`. Day
/// `d` is in month `⌊12·d / days_per_year⌋`, so the month's first day is
/// the smallest `d` with `12·d ≥ month·days_per_year`,
/// `⌈month·days_per_year / 12⌉`.
fn month_days(month: usize, days_per_year: usize) -> std::ops::Range<usize> {
    let first = |m: usize| (m * days_per_year).div_ceil(MONTHS_PER_YEAR);
    first(month)..first(month + 1)
}

/// A Poisson count with the given rate, by `rand_distr::Poisson`'s methods
/// (see `poisson`). Rates beyond what the sampler takes
/// (about 1.8e19, unreachable for validated volumes except in a gamma draw's
/// far tail) are returned rounded: the Poisson's relative spread there is
/// below 1e-9. Inlined into the day loops, as [`poisson::poisson`] is
/// into this.
#[inline]
fn poisson_count(rate: f64, rng: &mut Xoshiro256PlusPlus) -> f64 {
    if rate <= 0.0 {
        return 0.0;
    }
    // Rounded only where refused: `round` is a C library call too.
    poisson::poisson(rate, rng).unwrap_or_else(|| rate.round())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_depend_only_on_their_key() {
        let draw = |seed, rep, a| stream(seed, rep, StreamKind::Arrivals, a, 0).next_u64();
        assert_eq!(draw(1, 2, 3), draw(1, 2, 3));
        assert_ne!(draw(1, 2, 3), draw(1, 3, 3));
        assert_ne!(draw(1, 2, 3), draw(2, 2, 3));
        assert_ne!(draw(1, 2, 3), draw(1, 2, 4));
        let draws = stream(1, 2, StreamKind::Inputs, 3, 0).next_u64();
        assert_ne!(draws, draw(1, 2, 3));
    }

    use crate::model::month_of_day;

    /// The months' first days put every day of the year in the month
    /// [`month_of_day`] says, for years of 1 to 400 working days (months
    /// without days included when a year has fewer than 12).
    #[test]
    fn a_month_s_days_are_the_days_month_of_day_puts_in_it() {
        for days_per_year in 1..=400 {
            let mut covered = 0;
            for month in 0..MONTHS_PER_YEAR {
                let days = month_days(month, days_per_year);
                assert_eq!(days.start, covered, "{days_per_year} days, month {month}");
                for day in days.clone() {
                    assert_eq!(month_of_day(day, days_per_year), month, "day {day}");
                }
                covered = days.end;
            }
            assert_eq!(covered, days_per_year);
        }
        // 250 days: months of 20 or 21 days, the first from day 21 on
        // (12·21 = 252 ≥ 250 > 12·20 = 240).
        assert_eq!(month_days(0, 250), 0..21);
        assert_eq!(month_days(1, 250), 21..42);
        assert_eq!(month_days(11, 250), 230..250);
    }

    #[test]
    fn open_unit_never_returns_the_end_points() {
        struct Fixed(u64);
        impl rand::TryRng for Fixed {
            type Error = std::convert::Infallible;
            fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
                Ok(self.0 as u32)
            }
            fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
                Ok(self.0)
            }
            fn try_fill_bytes(&mut self, _: &mut [u8]) -> Result<(), Self::Error> {
                Ok(())
            }
        }
        let low = open_unit(&mut Fixed(0));
        let high = open_unit(&mut Fixed(u64::MAX));
        assert_eq!(low, 0.5 / 2f64.powi(52));
        assert_eq!(high, 1.0 - 0.5 / 2f64.powi(52));
        assert!(high < 1.0);
        assert_eq!((low, high), (OPEN_UNIT_LOWEST, OPEN_UNIT_HIGHEST));
    }
}
