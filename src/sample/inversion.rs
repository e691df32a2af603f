//! Exact Poisson and negative binomial counts by inversion of a cumulative
//! table with a guide table.
//!
//! A day's arrival rate is fixed within a month (often within a year), so
//! the same count law is drawn from many times in a row. For such a law a
//! table of its cumulative probabilities turns each draw into one uniform
//! `u` and a short search for the smallest count whose cumulative
//! probability reaches `u` — exact inversion. A guide table (Chen & Asau,
//! "On generating random variates from an empirical distribution", AIIE
//! Transactions 6(2), 1974; Devroye, "Non-Uniform Random Variate
//! Generation", 1986, ch. III.2.4) of [`GUIDE_CELLS_PER_ENTRY`] cells per
//! entry of the table, `m` in all, points each cell `[j/m, (j+1)/m)` of `u`
//! at the first count that can answer it (or, within rounding, the one
//! before: see [`CountTable::guide_cells`]), so a draw inspects fewer than
//! `1 + 1/2` entries on average (Devroye, Theorem III.2.1), however wide
//! the law. A draw compares the two entries from the guide's at once and
//! takes the answer without a branch; only the few uniforms whose count
//! lies further on (0.2% to 0.8% of Poisson draws of means 5 to 2400, see
//! [`GUIDE_CELLS_PER_ENTRY`]) search on.
//!
//! Probabilities are computed stably: relative to the mode (weight 1), by
//! the ratio of successive probabilities, outwards until the mass left
//! beyond each end is below [`TAIL_MASS`] of the total, then normalised.
//! Nothing below the table's first count can be drawn: the smallest
//! uniform `open_unit` returns, 2^-53, is above the mass left out there.
//! Above the table's last count, a uniform that rounding leaves beyond the
//! last cumulative probability continues the inversion sequentially with
//! the same ratios, so no count is ever cut off by the table.
//!
//! Building a table costs a few nanoseconds an entry; it pays only when
//! enough draws share it. [`CountTable::prepare`] builds at most
//! [`ENTRIES_PER_DRAW`] entries per draw the caller will make (and never
//! more than [`MAX_ENTRIES`]) and answers whether the law fits; when it
//! does not, the caller draws with a general exact sampler instead. The
//! answer depends on the law and the number of draws alone, never on what
//! the table held before, so results do not depend on which replications a
//! thread ran earlier.

/// The mass left out beyond each end of a table, relative to the table's
/// total: 2^-56 ≈ 1.4e-17, below the 2^-53 of the smallest uniform drawn.
pub(super) const TAIL_MASS: f64 = 1.0 / (1u64 << 56) as f64;

/// The most entries a table built for a run of draws may have per draw.
/// An entry costs a multiplication, a division off the chain of weights
/// and a few additions; a table draw one uniform and about two
/// comparisons, against a general sampler's gamma variate (negative
/// binomial laws) or PD's normal variate (Poisson). Measured on
/// `scenarios/large.toml`, whose monthly laws are met for 21 to 250 days
/// (`simulate_replication`, one thread, alternating builds): 14.0 ms a
/// replication at 1 or 2 entries per draw, 14.4 at 4, 15.7 at 8, 16.7 at
/// 16; the default scenario 1.41, 1.44 and 1.51 ms at 1, 2 and 4; the
/// peer's one law a year fits at any of them. Assumption (a cost ratio of
/// this implementation, not a property of the world).
pub(super) const ENTRIES_PER_DRAW: usize = 2;

/// The most entries any table holds: 16384 counts (256 KiB with the guide
/// table), enough for a Poisson mean of about 900 000 a day. Wider laws use
/// the general samplers.
pub(super) const MAX_ENTRIES: usize = 1 << 14;

/// Guide cells per entry of a table. With one, a draw's count lies past
/// the two entries it compares for 0.5% to 1.7% of draws of Poisson laws
/// of means 5 to 2400; with two, 0.2% to 0.8%, each of which then
/// mispredicts a branch; each cell costs a division to build and 4 bytes.
/// Measured with one against two (`hyperfine`, 5 runs each, one thread):
/// `benches/peer.toml` at 2000 replications, whose one law's table serves
/// every day, took 596 ms against 580; `scenarios/large.toml` at 100,
/// which builds a table for each month's law, 1.89 s against 1.92.
/// Assumption (a speed trade-off of this implementation, not a property of
/// the world).
pub(super) const GUIDE_CELLS_PER_ENTRY: usize = 2;

/// The most bytes a table holds: its cumulative probabilities with their
/// sentinel (8 bytes each) and its guide (4 bytes a cell), each grown by
/// doubling to at most its size for [`MAX_ENTRIES`] entries.
pub(super) const MAX_TABLE_BYTES: u64 =
    (MAX_ENTRIES as u64 + 1) * 8 + (MAX_ENTRIES * GUIDE_CELLS_PER_ENTRY) as u64 * 4;

/// How many tables [`CountTables`] keeps: a year's months, whose laws
/// repeat when their seasonal factors do (a year's growth is the same in
/// all of them), so a year of one agency and service line never builds a
/// law twice. Assumption (a memory and speed trade-off of this
/// implementation, not a property of the world).
pub(super) const KEPT_TABLES: usize = 12;

/// A count law a table can hold. Parameters are finite and positive.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum CountLaw {
    /// Poisson with this mean.
    Poisson { mean: f64 },
    /// Negative binomial with this shape `r` and mean `μ`: a Poisson count
    /// at rate `μ·G/r`, `G ~ Gamma(r, 1)`; `P(k+1)/P(k) = q·(k+r)/(k+1)`
    /// with `q = μ/(μ+r)`.
    NegativeBinomial { shape: f64, mean: f64 },
}

impl CountLaw {
    /// `P(k+1) / P(k)`.
    #[inline]
    fn ratio(self, k: f64) -> f64 {
        match self {
            CountLaw::Poisson { mean } => mean / (k + 1.0),
            CountLaw::NegativeBinomial { shape, mean } => {
                mean / (mean + shape) * (k + shape) / (k + 1.0)
            }
        }
    }

    /// `P(k−1) / P(k)`, the inverse of `ratio(k − 1)`, for `k ≥ 1`.
    #[inline]
    fn fall(self, k: f64) -> f64 {
        match self {
            CountLaw::Poisson { mean } => k / mean,
            CountLaw::NegativeBinomial { shape, mean } => {
                k * (mean + shape) / (mean * (k - 1.0 + shape))
            }
        }
    }

    /// The most likely count.
    fn mode(self) -> f64 {
        match self {
            CountLaw::Poisson { mean } => mean.floor(),
            CountLaw::NegativeBinomial { shape, mean } => {
                ((shape - 1.0) * mean / shape).floor().max(0.0)
            }
        }
    }

    /// About the fewest entries a table of this law has, so that a law
    /// whose estimate exceeds a budget is refused before anything is
    /// computed; the estimate depends on the law alone. The tails left out,
    /// of mass 2^-56 each, lie beyond about ±8 standard deviations of a
    /// normal law, further out on a skewed one's long side: a Poisson table
    /// spans 15 to 17 standard deviations, a negative binomial of shape `r`
    /// about `17 + 24/√r` (counted for means of 3 to 5000 and shapes of 0.5
    /// to 22.5). The estimate, `15` and `15 + 12/√r` standard deviations,
    /// stays below those counts for most laws, and is at most 4% above
    /// them for the rest (nearly Poisson laws of means near 10, counted for
    /// shapes of 0.3 to 1000 and means of 0.5 to 2000): such a law whose
    /// table would just fit its budget is refused, and drawn by the general
    /// samplers, which costs time, not exactness. A law that passes the
    /// estimate and does not fit is found out while it is built.
    fn least_entries(self) -> f64 {
        let (variance, spans) = match self {
            CountLaw::Poisson { mean } => (mean, 15.0),
            CountLaw::NegativeBinomial { shape, mean } => {
                (mean + mean * mean / shape, 15.0 + 12.0 / shape.sqrt())
            }
        };
        spans * variance.sqrt()
    }

    /// A factor `ρ ≥ P(j+1)/P(j)` for every `j ≥ k`, so that the mass above
    /// `k` is at most `P(k)·ρ/(1−ρ)`. The Poisson ratio falls with `k`; the
    /// negative binomial one tends to `q`, from above when `r ≥ 1` and from
    /// below otherwise.
    fn ratio_bound_above(self, k: f64) -> f64 {
        match self {
            CountLaw::NegativeBinomial { shape, mean } if shape < 1.0 => mean / (mean + shape),
            _ => self.ratio(k),
        }
    }
}

/// Whether the mass beyond a last weight `weight`, whose successive ratios
/// stay below `ratio`, is below `mass`: that mass is at most
/// `weight·ratio/(1−ratio)` (unbounded if `ratio ≥ 1`), compared here
/// without the division.
#[inline]
fn tail_below(weight: f64, ratio: f64, mass: f64) -> bool {
    weight * ratio < mass * (1.0 - ratio)
}

/// A count law's cumulative probabilities over the counts that matter, and
/// its guide table; reused from one law to the next.
#[derive(Clone, Debug, Default)]
pub(super) struct CountTable {
    /// The law and entry budget of the last build, and whether it fitted.
    built: Option<(CountLaw, Built)>,
    /// The count of entry 0.
    first: f64,
    /// `P(X ≤ first + i)`, normalised; the last entry is 1 up to rounding.
    /// Once built, a sentinel `+∞` follows the last entry, so that a draw
    /// may read the entry after any entry the guide points at.
    cdf: Vec<f64>,
    /// `P(X = first + i)`, normalised (kept for the sequential continuation).
    last_probability: f64,
    /// `guide[j]`: the first entry whose cumulative probability reaches `j/m`.
    guide: Vec<u32>,
}

/// The outcome of a build.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Built {
    /// The table holds the law.
    Fitted,
    /// The law needs more than this many entries.
    TooWide(usize),
}

impl CountTable {
    /// Whether the last build was of `law` (fitted or not).
    fn holds(&self, law: CountLaw) -> bool {
        matches!(self.built, Some((held, _)) if held == law)
    }

    /// Makes the table hold `law` if it needs at most
    /// `min(ENTRIES_PER_DRAW × draws, MAX_ENTRIES)` entries, and says
    /// whether it does. A law already held is not rebuilt.
    pub(super) fn prepare(&mut self, law: CountLaw, draws: usize) -> bool {
        let budget = ENTRIES_PER_DRAW.saturating_mul(draws).min(MAX_ENTRIES);
        match self.built {
            Some((held, Built::Fitted)) if held == law => return self.entries() <= budget,
            Some((held, Built::TooWide(tried))) if held == law && tried >= budget => return false,
            _ => {}
        }
        let outcome = if law.least_entries() <= budget as f64 && self.build(law, budget) {
            Built::Fitted
        } else {
            Built::TooWide(budget)
        };
        self.built = Some((law, outcome));
        outcome == Built::Fitted
    }

    /// Fills the table for `law`, or gives up (false) past `budget` entries.
    /// Each weight is the last one times a ratio computed apart from it, so
    /// the divisions of successive entries overlap instead of waiting on
    /// one another.
    fn build(&mut self, law: CountLaw, budget: usize) -> bool {
        let mode = law.mode();
        // Below the mode, in falling order of counts: P(k−1) = P(k)·fall(k).
        self.cdf.clear();
        self.cdf.push(1.0);
        let (mut weight, mut total, mut k) = (1.0, 1.0, mode);
        while k > 0.0 {
            // Below the mode the fall steepens as k decreases (Poisson, and
            // negative binomial with r ≥ 1; with r < 1 the mode is 0).
            let fall = law.fall(k);
            if tail_below(weight, fall, TAIL_MASS * total) {
                break;
            }
            if self.cdf.len() >= budget {
                return false;
            }
            (weight, k) = (weight * fall, k - 1.0);
            total += weight;
            self.cdf.push(weight);
        }
        self.first = k;
        self.cdf.reverse();
        // Above the mode: P(k+1) = P(k)·ratio(k).
        let (mut weight, mut k) = (1.0, mode);
        while !tail_below(weight, law.ratio_bound_above(k), TAIL_MASS * total) {
            if self.cdf.len() >= budget {
                return false;
            }
            weight *= law.ratio(k);
            k += 1.0;
            total += weight;
            self.cdf.push(weight);
        }
        self.last_probability = weight / total;
        self.cumulate(total);
        self.guide_cells();
        // Exactly one more place: never a doubling of a full table.
        self.cdf.reserve_exact(1);
        self.cdf.push(f64::INFINITY);
        true
    }

    /// The table's entries, without the sentinel.
    fn entries(&self) -> usize {
        self.cdf.len() - 1
    }

    /// Turns the weights into normalised cumulative probabilities.
    fn cumulate(&mut self, total: f64) {
        let scale = total.recip();
        let mut sum = 0.0;
        for entry in &mut self.cdf {
            sum += *entry;
            *entry = sum * scale;
        }
    }

    /// Points guide cell `j` of `m` at the first entry whose cumulative
    /// probability `p` reaches `j/m` (the last entry, if rounding leaves it
    /// short of that), or at an earlier entry: a draw searches on from the
    /// guide's entry, so an earlier one changes no draw, only its search.
    /// Walks the entries, not the cells: entry `i` reaches the cells
    /// `j ≤ p·m`, counted from `p·m` enlarged by 2^-50, which covers the
    /// rounding of the product (two roundings of at most 2^-53 each), so no
    /// cell is ever pointed past the entry that reaches it.
    fn guide_cells(&mut self) {
        const WIDEN: f64 = 1.0 + 1.0 / (1u64 << 50) as f64;
        let entries = self.cdf.len();
        let cells = entries * GUIDE_CELLS_PER_ENTRY;
        let scale = cells as f64 * WIDEN;
        self.guide.clear();
        for (entry, &p) in self.cdf.iter().enumerate() {
            // `as` saturates, and `min` keeps a probability rounded above 1
            // within the cells.
            let reached = ((p * scale) as usize).saturating_add(1).min(cells);
            if reached > self.guide.len() {
                self.guide.resize(reached, entry as u32);
            }
        }
        self.guide.resize(cells, (entries - 1) as u32);
    }

    /// The smallest count whose cumulative probability reaches `u`, for `u`
    /// strictly between 0 and 1: one draw of the law held, from a uniform
    /// (the tests' way in; the simulation draws from bits, [`CountTable::draw`]).
    #[cfg(test)]
    pub(super) fn inverse(&self, u: f64) -> f64 {
        let cell = ((u * self.guide.len() as f64) as usize).min(self.guide.len() - 1);
        self.search(self.guide[cell] as usize, u)
    }

    /// One draw of the law held from 64 random bits: the count
    /// `CountTable::inverse` (the tests') gives for the uniform `open_unit` makes of
    /// them, `u = (⌊bits / 2^12⌋ + ½) / 2^52`. The guide cell is found from
    /// the top 32 bits by integer arithmetic, `⌊⌊bits / 2^32⌋ · m / 2^32⌋`:
    /// never past `u`'s own cell, since `⌊bits / 2^32⌋ / 2^32 ≤ u`, so its
    /// entry is never past `u`'s count and the search ends where it would
    /// from `u`'s cell (at most one cell earlier, when `u·m` is within
    /// `m / 2^32` of a cell's edge).
    #[inline(always)]
    pub(super) fn draw(&self, bits: u64) -> f64 {
        let u = super::open_unit_of(bits);
        let cell = ((bits >> 32) * self.guide.len() as u64) >> 32;
        self.search(self.guide[cell as usize] as usize, u)
    }

    /// The smallest count at or after `entry` whose cumulative probability
    /// reaches `u`, `entry` being no further than that count.
    #[inline(always)]
    fn search(&self, entry: usize, u: f64) -> f64 {
        // The guide's entry or the next answers most draws: both compared
        // at once, the answer taken without a branch on which.
        let found = if self.cdf[entry + 1] < u {
            self.search_on(entry + 2, u)
        } else {
            entry + usize::from(self.cdf[entry] < u)
        };
        if found < self.entries() {
            self.first + found as f64
        } else {
            self.beyond(u)
        }
    }

    /// The first entry from `entry` on whose cumulative probability reaches
    /// `u`: the sentinel's index if none does.
    #[cold]
    fn search_on(&self, mut entry: usize, u: f64) -> usize {
        while self.cdf[entry] < u {
            entry += 1;
        }
        entry
    }

    /// Continues the inversion past the last entry, one count at a time,
    /// until the cumulative probability reaches `u` or stops growing (the
    /// mass left is then below the resolution of a double).
    fn beyond(&self, u: f64) -> f64 {
        let Some((law, _)) = self.built else {
            unreachable!("a table is sampled only once built")
        };
        let last = self.entries() - 1;
        let mut k = self.first + last as f64;
        let (mut cumulative, mut probability) = (self.cdf[last], self.last_probability);
        loop {
            probability *= law.ratio(k);
            k += 1.0;
            let next = cumulative + probability;
            if next >= u || next == cumulative {
                return k;
            }
            cumulative = next;
        }
    }
}

/// The tables of the last [`KEPT_TABLES`] laws drawn from, so that a law
/// met again (a month whose seasonal factor an earlier month of the year
/// had) is not built again. The least recently used table is rebuilt for a
/// new law. Which tables are kept changes only how often they are built:
/// whether a law fits and its table are the law's and the draws' alone
/// ([`CountTable::prepare`]), so the draws do not depend on it.
#[derive(Clone, Debug, Default)]
pub(super) struct CountTables {
    tables: Vec<CountTable>,
    /// When each table was last used, on `clock`.
    last_used: Vec<u64>,
    /// Counts the calls to [`CountTables::prepare`].
    clock: u64,
}

impl CountTables {
    /// A table holding `law`, if it fits `draws` draws, as
    /// [`CountTable::prepare`] decides.
    pub(super) fn prepare(&mut self, law: CountLaw, draws: usize) -> Option<&CountTable> {
        let index = match self.tables.iter().position(|t| t.holds(law)) {
            Some(index) => index,
            None if self.tables.len() < KEPT_TABLES => {
                self.tables.push(CountTable::default());
                self.last_used.push(0);
                self.tables.len() - 1
            }
            None => (0..self.tables.len())
                .min_by_key(|&i| self.last_used[i])
                .unwrap_or(0),
        };
        self.clock += 1;
        self.last_used[index] = self.clock;
        let table = &mut self.tables[index];
        table.prepare(law, draws).then_some(&*table)
    }
}

#[cfg(test)]
mod tests {
    //! The draws against the exact probabilities of `statrs`, which computes
    //! them independently (log-gamma functions, not ratios from the mode).

    use rand::rngs::Xoshiro256PlusPlus;
    use rand::{Rng, RngExt, SeedableRng};

    use super::*;
    use crate::sample::fit::{draws_to_see_one_percent, exact, failed_check};

    /// A table holding `law`.
    fn table_of(law: CountLaw) -> CountTable {
        let mut table = CountTable::default();
        assert!(table.prepare(law, MAX_ENTRIES), "{law:?} fits a table");
        table
    }

    /// `n` draws of `law` from a table, with a fixed seed.
    fn draws(law: CountLaw, n: usize, seed: u64) -> Vec<u64> {
        let table = table_of(law);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        (0..n)
            .map(|_| table.inverse(rng.random::<f64>()) as u64)
            .collect()
    }

    const LAWS: [CountLaw; 7] = [
        CountLaw::Poisson { mean: 0.4 },
        CountLaw::Poisson { mean: 3.7 },
        CountLaw::Poisson { mean: 200.0 },
        CountLaw::Poisson { mean: 25_000.5 },
        CountLaw::NegativeBinomial {
            shape: 25.0,
            mean: 300.0,
        },
        CountLaw::NegativeBinomial {
            shape: 2.3,
            mean: 40.0,
        },
        CountLaw::NegativeBinomial {
            shape: 0.5,
            mean: 4.0,
        },
    ];

    #[test]
    fn draws_follow_the_exact_probabilities_including_the_tails() {
        for (i, law) in LAWS.into_iter().enumerate() {
            let counts = draws(law, draws_to_see_one_percent(law), 17 + i as u64);
            assert_eq!(failed_check(&counts, law), None, "{law:?}");
        }
    }

    #[test]
    fn the_checks_reject_a_rate_one_percent_too_high() {
        for (i, law) in LAWS.into_iter().enumerate() {
            let wrong = match law {
                CountLaw::Poisson { mean } => CountLaw::Poisson { mean: mean * 1.01 },
                CountLaw::NegativeBinomial { shape, mean } => CountLaw::NegativeBinomial {
                    shape,
                    mean: mean * 1.01,
                },
            };
            let counts = draws(wrong, draws_to_see_one_percent(law), 17 + i as u64);
            assert!(failed_check(&counts, law).is_some(), "{law:?}");
        }
    }

    /// Inversion: the table's count for `u` is the smallest `k` with
    /// `F(k) ≥ u` for the exact `F`, wherever `u` is not within 1e-12 of
    /// an `F(k)` (where rounding may decide either way).
    #[test]
    fn the_table_inverts_the_exact_distribution_function() {
        for law in LAWS {
            let table = table_of(law);
            let probability = exact(law);
            let cdf = |k: u64| 1.0 - probability(k).1;
            let steps = 100_000;
            let mut k = 0;
            for step in 0..steps {
                let u = (step as f64 + 0.5) / steps as f64;
                while cdf(k) < u {
                    k += 1;
                }
                let near = (cdf(k) - u).abs() < 1e-12 || (k > 0 && (cdf(k - 1) - u).abs() < 1e-12);
                if !near {
                    assert_eq!(table.inverse(u), k as f64, "{law:?} at u = {u}");
                }
            }
            // The uniforms' extremes land on counts, however far out.
            let (lowest, highest) = (
                table.inverse(OPEN_UNIT_LOWEST),
                table.inverse(OPEN_UNIT_HIGHEST),
            );
            assert!(lowest <= highest && highest.is_finite(), "{law:?}");
        }
    }

    /// A draw from 64 random bits is the smallest count whose cumulative
    /// probability reaches their uniform, found by reading the table from
    /// its first entry: for random bits, for bits at both ends, and for
    /// bits whose uniform is each entry's cumulative probability or its
    /// neighbours (where the guide's cell and the next are decided).
    #[test]
    fn a_draw_from_bits_is_the_first_entry_reaching_their_uniform() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        for law in LAWS {
            let table = table_of(law);
            let entries = &table.cdf[..table.entries()];
            let linear = |u: f64| match entries.iter().position(|&p| p >= u) {
                Some(i) => table.first + i as f64,
                None => table.beyond(u),
            };
            // The bits whose uniform is nearest to each entry's probability.
            let near_entries = entries.iter().flat_map(|&p| {
                let bits = ((p * (1u64 << 52) as f64) as u64) << 12;
                [
                    bits.saturating_sub(1 << 12),
                    bits,
                    bits.saturating_add(1 << 12),
                ]
            });
            let ends = [0, 1 << 12, u64::MAX - (1 << 12), u64::MAX];
            for bits in (0..200_000)
                .map(|_| rng.next_u64())
                .chain(ends)
                .chain(near_entries)
            {
                let u = crate::sample::open_unit_of(bits);
                let expected = linear(u);
                assert_eq!(table.draw(bits), expected, "{law:?}, bits {bits:#x}");
                assert_eq!(table.inverse(u), expected, "{law:?}, u = {u}");
            }
        }
    }

    /// Each guide cell points at the first entry whose cumulative
    /// probability reaches the cell's lower edge `j/m`, or at the one
    /// before when the two are within rounding of each other: never past
    /// it, which would skip counts, and never further back.
    #[test]
    fn the_guide_points_at_the_first_entry_reaching_each_cell() {
        for law in LAWS {
            let table = table_of(law);
            let entries = &table.cdf[..table.entries()];
            let cells = table.guide.len();
            assert_eq!(cells, entries.len() * GUIDE_CELLS_PER_ENTRY);
            for (j, &guide) in table.guide.iter().enumerate() {
                let edge = j as f64 / cells as f64;
                let first = entries
                    .iter()
                    .position(|&p| p >= edge)
                    .unwrap_or(entries.len() - 1);
                let guide = guide as usize;
                let within_rounding =
                    guide + 1 == first && (entries[guide] - edge).abs() <= 4.0 * f64::EPSILON;
                assert!(
                    guide == first || within_rounding,
                    "{law:?}: cell {j} at {guide}, not {first}"
                );
            }
        }
    }

    /// Past the last entry, the inversion goes on with the law's ratios,
    /// and stops where the cumulative probability stops growing.
    #[test]
    fn a_uniform_beyond_the_table_continues_the_inversion() {
        let law = CountLaw::Poisson { mean: 3.7 };
        let table = table_of(law);
        let last = table.first + (table.entries() - 1) as f64;
        let top = table.cdf[table.entries() - 1];
        assert!(table.inverse(top) <= last);
        // A uniform above the last cumulative probability (only rounding
        // could produce one) is answered by a later count, not cut off.
        assert_eq!(table.inverse(f64::from_bits(top.to_bits() + 1)), last + 1.0);
        assert_eq!(table.beyond(1.0), last + 1.0);
        // With the last entries dropped, the continuation recomputes them:
        // P(k+1) = P(k)·3.7/(k+1) from the last kept probability.
        let mut short = table.clone();
        short.cdf.truncate(8);
        short.guide_cells();
        short.cdf.push(f64::INFINITY);
        let p7 = short.cdf[7] - short.cdf[6];
        short.last_probability = p7;
        let u = short.cdf[7] + p7 * 3.7 / 8.0 + p7 * 3.7 / 8.0 * 3.7 / 9.0 * 0.5;
        assert_eq!(short.inverse(u), table.first + 9.0);
        assert_eq!(table.inverse(u), table.first + 9.0);
    }

    #[test]
    fn the_table_covers_the_law_to_a_tail_mass_below_two_to_the_minus_53() {
        for law in LAWS {
            let table = table_of(law);
            let probability = exact(law);
            let last = table.first as u64 + table.entries() as u64 - 1;
            assert!(
                probability(last).1 < OPEN_UNIT_LOWEST,
                "{law:?} above {last}"
            );
            if table.first > 0.0 {
                let below = 1.0 - probability(table.first as u64 - 1).1;
                assert!(below < OPEN_UNIT_LOWEST, "{law:?} below {}", table.first);
            }
        }
    }

    /// A table is built only within its budget, whatever was built before,
    /// and wide laws never allocate more than [`MAX_ENTRIES`].
    #[test]
    fn whether_a_law_fits_depends_on_the_law_and_the_draws_alone() {
        // Poisson(200) needs about 240 entries: 120 draws pay for it, 119 do not.
        let law = CountLaw::Poisson { mean: 200.0 };
        let mut table = CountTable::default();
        let needed = {
            assert!(table.prepare(law, MAX_ENTRIES));
            table.entries()
        };
        let enough = needed.div_ceil(ENTRIES_PER_DRAW);
        for draws in [enough - 1, enough, enough - 1, MAX_ENTRIES, enough - 1] {
            assert_eq!(table.prepare(law, draws), draws >= enough, "{draws} draws");
            let mut fresh = CountTable::default();
            assert_eq!(fresh.prepare(law, draws), draws >= enough, "{draws} draws");
        }
        for wide in [
            CountLaw::Poisson { mean: 1e9 },
            CountLaw::NegativeBinomial {
                shape: 0.01,
                mean: 1e9,
            },
            CountLaw::NegativeBinomial {
                shape: 1e9,
                mean: 1e9,
            },
        ] {
            assert!(!table.prepare(wide, usize::MAX), "{wide:?}");
            assert!(table.cdf.capacity() <= 2 * MAX_ENTRIES);
        }
        // A month of 21 days of a negative binomial of mean 600 and shape 25
        // (sd 122, so at least 2 120 entries against a budget of 42) is
        // refused before anything is computed.
        let mut fresh = CountTable::default();
        let month = CountLaw::NegativeBinomial {
            shape: 25.0,
            mean: 600.0,
        };
        assert!(!fresh.prepare(month, 21));
        assert_eq!(fresh.cdf.capacity(), 0);
    }

    /// Kept tables answer as a fresh table would, bit for bit, whichever
    /// laws came before: laws met again while kept, after being evicted,
    /// refused for a short run and then fitted for a long one.
    #[test]
    fn kept_tables_draw_what_a_fresh_table_draws() {
        // Thirteen Poisson means and one negative binomial: more laws than
        // are kept, so the least recently used are rebuilt.
        let mut laws: Vec<CountLaw> = (0..13)
            .map(|i| CountLaw::Poisson {
                mean: 50.0 + 10.0 * f64::from(i),
            })
            .collect();
        laws.push(CountLaw::NegativeBinomial {
            shape: 25.0,
            mean: 150.0,
        });
        let mut kept = CountTables::default();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(17);
        let (mut fitted, mut refused) = (0, 0);
        for step in 0..400 {
            let law = laws[rng.random_range(0..laws.len())];
            // 5 draws fit no law here (at most 10 entries); 300 fit all.
            let draws = [5, 21, 300][step % 3];
            let mut fresh = CountTable::default();
            let fits = fresh.prepare(law, draws);
            match kept.prepare(law, draws) {
                Some(table) => {
                    assert!(fits, "step {step}: {law:?}");
                    assert_eq!(table.first, fresh.first);
                    assert_eq!(table.cdf, fresh.cdf);
                    assert_eq!(table.guide, fresh.guide);
                    let u = rng.random::<f64>();
                    assert_eq!(table.inverse(u), fresh.inverse(u));
                    fitted += 1;
                }
                None => {
                    assert!(!fits, "step {step}: {law:?}");
                    refused += 1;
                }
            }
            assert!(kept.tables.len() <= KEPT_TABLES);
        }
        assert!(fitted > 100 && refused > 100, "{fitted} {refused}");
    }

    /// The smallest and largest uniforms the simulation draws, 2^-53 and
    /// 1 − 2^-53.
    const OPEN_UNIT_LOWEST: f64 = 1.0 / (1u64 << 53) as f64;
    const OPEN_UNIT_HIGHEST: f64 = 1.0 - OPEN_UNIT_LOWEST;
}
