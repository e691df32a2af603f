//! Per-replication random draws: the uncertain inputs and the daily arrivals.
//!
//! Every random number sscsim uses comes from a stream derived from
//! `(seed, replication, stream kind, indices)` alone, never from the thread
//! that happens to run the replication. That is what makes results
//! bit-identical at any thread count or shard split, and what gives every
//! strategy the same draws (common random numbers): arrivals belong to an
//! agency and a service line, not to the centre that processes them.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Gamma, Poisson};
use sha2::{Digest, Sha256};

use crate::model::{ArrivalProcess, Scenario, month_of_day};

/// What a random stream is used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum StreamKind {
    /// The uncertain inputs of the scenario, drawn in declaration order.
    Inputs = 1,
    /// Daily arrivals of one (agency, service line).
    Arrivals = 2,
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
    ((rng.next_u64() >> 12) as f64 + 0.5) * (1.0 / (1u64 << 52) as f64)
}

/// Draws every uncertain input of `scenario` for one replication into `out`.
pub fn draw_inputs(scenario: &Scenario, seed: u64, replication: u64, out: &mut Vec<f64>) {
    let mut rng = stream(seed, replication, StreamKind::Inputs, 0, 0);
    out.clear();
    out.extend(
        scenario
            .inputs
            .iter()
            .map(|input| input.dist.quantile(open_unit(&mut rng))),
    );
}

/// Daily arrivals of every (agency, service line) over the horizon, for one
/// replication. The buffer is reused from one replication to the next.
#[derive(Clone, Debug, Default)]
pub struct Arrivals {
    days: usize,
    service_lines: usize,
    /// `[agency][service line][day]`, flattened.
    counts: Vec<f64>,
}

impl Arrivals {
    /// Transactions arriving each working day of the horizon for one agency
    /// and service line (all zero where the agency has no such work).
    pub fn series(&self, agency: usize, service_line: usize) -> &[f64] {
        let start = (agency * self.service_lines + service_line) * self.days;
        &self.counts[start..start + self.days]
    }

    /// Draws all arrivals of one replication, given its input draws.
    pub fn draw(&mut self, scenario: &Scenario, inputs: &[f64], seed: u64, replication: u64) {
        let settings = &scenario.settings;
        self.days = settings.horizon_days();
        self.service_lines = scenario.service_lines.len();
        self.counts.clear();
        self.counts.resize(
            scenario.agencies.len() * self.service_lines * self.days,
            0.0,
        );
        let days_per_year = settings.working_days_per_year as usize;
        for (a, agency) in scenario.agencies.iter().enumerate() {
            for (l, line) in agency.lines.iter().enumerate() {
                let Some(line) = line else { continue };
                let start = (a * self.service_lines + l) * self.days;
                let out = &mut self.counts[start..start + self.days];
                let mut rng = stream(seed, replication, StreamKind::Arrivals, a as u32, l as u32);
                for (year, year_days) in out.chunks_mut(days_per_year).enumerate() {
                    for (month, month_days) in month_runs(year_days, days_per_year) {
                        let mean = line.daily_mean(
                            inputs,
                            year as u32,
                            month,
                            settings.working_days_per_year,
                        );
                        fill_month(month_days, mean, line.arrivals, inputs, &mut rng);
                    }
                }
            }
        }
    }
}

/// Splits one year's days into the runs that fall in each calendar month.
fn month_runs(
    year_days: &mut [f64],
    days_per_year: usize,
) -> impl Iterator<Item = (usize, &mut [f64])> {
    let mut rest = year_days;
    let mut first_day = 0;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let month = month_of_day(first_day, days_per_year);
        let run = (first_day..days_per_year)
            .take_while(|&d| month_of_day(d, days_per_year) == month)
            .count();
        let (this, next) = std::mem::take(&mut rest).split_at_mut(run);
        rest = next;
        first_day += run;
        Some((month, this))
    })
}

/// Fills one month's days with arrival counts around `mean` per day.
fn fill_month(
    days: &mut [f64],
    mean: f64,
    process: ArrivalProcess,
    inputs: &[f64],
    rng: &mut Xoshiro256PlusPlus,
) {
    if mean <= 0.0 {
        days.fill(0.0);
        return;
    }
    match process {
        ArrivalProcess::Deterministic => days.fill(mean),
        ArrivalProcess::Poisson => match Poisson::new(mean) {
            Ok(poisson) => days.iter_mut().for_each(|d| *d = poisson.sample(rng)),
            Err(_) => days.fill(mean.round()),
        },
        ArrivalProcess::NegativeBinomial { dispersion } => {
            let shape = dispersion.value(inputs);
            let gamma = Gamma::new(shape, mean / shape)
                .expect("validated dispersion and mean are positive and finite");
            for d in days.iter_mut() {
                *d = poisson_count(gamma.sample(rng), rng);
            }
        }
    }
}

/// A Poisson count with the given rate. Rates beyond what the sampler takes
/// (about 1.8e19, unreachable for validated volumes except in a gamma draw's
/// far tail) are returned rounded: the Poisson's relative spread there is
/// below 1e-9.
fn poisson_count(rate: f64, rng: &mut Xoshiro256PlusPlus) -> f64 {
    if rate <= 0.0 {
        return 0.0;
    }
    Poisson::new(rate).map_or(rate.round(), |p| p.sample(rng))
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
        let inputs = stream(1, 2, StreamKind::Inputs, 3, 0).next_u64();
        assert_ne!(inputs, draw(1, 2, 3));
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
    }

    #[test]
    fn month_runs_cover_the_year_in_order() {
        let mut year = vec![0.0; 250];
        let runs: Vec<(usize, usize)> = month_runs(&mut year, 250)
            .map(|(m, d)| (m, d.len()))
            .collect();
        assert_eq!(runs.len(), 12);
        assert_eq!(runs.iter().map(|r| r.1).sum::<usize>(), 250);
        assert!(runs.iter().enumerate().all(|(i, r)| r.0 == i));
        // 250 days over 12 months: runs of 20 or 21 days.
        assert!(runs.iter().all(|r| r.1 == 20 || r.1 == 21));
    }
}
