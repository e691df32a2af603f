//! Sweeps and break-even: the scenario run again at values of one of its
//! numbers, on common random numbers.
//!
//! A governing body asks at what GS salary, volume or harmonisation rate
//! pooling stops paying. [`sweep_point`] runs the scenario with one number
//! set to a value, and `sscsim sweep` does so at evenly spaced values
//! ([`Vary::values`]); [`find_breakeven`] looks for the value where one
//! strategy's mean savings against another cross zero.
//!
//! **How a value is set.** The key is the dotted path `--set` takes, and a
//! value is set exactly as `--set KEY=VALUE` sets it ([`Varied::scenario_at`]):
//! an uncertain input's distribution is replaced by the number, a fixed
//! number is replaced, and every check of the scenario applies to each
//! value. So a sweep at one value is `sscsim run --set KEY=VALUE`, to the
//! bit. Every value runs the same replications under the same seed, and
//! the scenario has the same uncertain inputs at every value (the swept
//! one is fixed at all of them), so every other input draws the same
//! numbers at every value: the curve moves only with the swept value.
//! An input that is rank-correlated with others cannot be swept: `--set`
//! refuses to fix a correlated input (its partners would have nothing to
//! be drawn given), and so does a sweep, with the same message.
//!
//! **Break-even.** The mean savings `f(x)` over the same replications are
//! a deterministic function of the value `x` (common random numbers), so
//! their zero can be found by bracketing and root finding: the Illinois
//! variant of regula falsi (M. Dowell and P. Jarratt, "A modified regula
//! falsi method for computing the root of an equation", BIT 11, 1971,
//! pp. 168–174), with a bisection step whenever an iteration fails to halve
//! the bracket, so it converges at least half as fast as bisection even
//! where `f` has steps (staff come in whole posts). Its 95% confidence
//! interval is the set of values at which zero lies inside the 95%
//! confidence interval of the mean savings — the inversion of a test by
//! which E. C. Fieller (1954) bounded a ratio of means ("Fieller's
//! theorem": the values of the ratio a test at 95% does not reject) —
//! whose ends are found by the same root finding on `f(x) ± Z_95·se(x)`.

use crate::metrics::Metric;
use crate::model::Scenario;
use crate::run::{ReplicationMetrics, RunControl, RunError, RunPlan, run};
use crate::scenario::{Diagnostics, parse_with_overrides};
use crate::stats::{MetricCollector, Series, Summary};

/// The metrics a sweep reports at each value: every strategy's NPV cost,
/// its NPV savings against the status quo, and the economies of scale the
/// fragmented strategy loses against the pooled one (with a comparison).
pub const SWEPT_METRICS: [Metric; 3] = [
    Metric::NpvCostUsd,
    Metric::NpvSavingsUsd,
    Metric::EconomiesOfScaleLostUsd,
];

/// The most values one sweep may take: each is a whole run.
pub const MAX_STEPS: u64 = 1_000;

/// How close to each other the ends of a bracket get before root finding
/// stops, as a share of the range searched. Assumption: a thousandth of
/// the range is finer than any input of a business case is known, and
/// costs about ten evaluations per root.
pub const TOLERANCE_SHARE: f64 = 1e-3;

/// The most evaluations one root may take (a bisection of the range to
/// [`TOLERANCE_SHARE`] takes 10; the bound only stops a root finding that
/// cannot shrink its bracket any more).
pub const MAX_EVALUATIONS_PER_ROOT: usize = 60;

/// `KEY=FROM..TO`: the number to vary and its range, as `--vary` takes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Vary {
    /// The dotted path of the number, as `--set` takes it.
    pub key: String,
    /// The first value.
    pub from: f64,
    /// The last value.
    pub to: f64,
}

impl Vary {
    /// Reads `KEY=FROM..TO`.
    ///
    /// # Errors
    /// A message saying what is wrong and what is expected.
    ///
    /// # Examples
    /// ```
    /// let v = sscsim::sweep::Vary::parse("settings.discount_rate_per_year=0.01..0.05").unwrap();
    /// assert_eq!((v.from, v.to), (0.01, 0.05));
    /// assert!(sscsim::sweep::Vary::parse("x=1..1").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Vary, String> {
        let expected = "expected KEY=FROM..TO, such as \
                        location.budapest.annual_cost_usd_per_fte.GS=20000..40000";
        let Some((key, range)) = text.split_once('=') else {
            return Err(format!("`{text}` has no `=`; {expected}"));
        };
        let key = key.trim();
        if key.is_empty() || key.split('.').any(str::is_empty) {
            return Err(format!("`{key}` is not a dotted key; {expected}"));
        }
        let Some((from, to)) = range.split_once("..") else {
            return Err(format!("`{range}` is not a range FROM..TO; {expected}"));
        };
        let number = |t: &str| match t.trim().parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(format!("`{}` is not a finite number; {expected}", t.trim())),
        };
        let (from, to) = (number(from)?, number(to)?);
        if from == to {
            return Err(format!(
                "the range {from}..{to} is empty; expected two different ends"
            ));
        }
        Ok(Vary {
            key: key.to_owned(),
            from,
            to,
        })
    }

    /// `steps` evenly spaced values from `from` to `to`, both included
    /// (`from` alone for one step).
    ///
    /// # Examples
    /// ```
    /// let v = sscsim::sweep::Vary::parse("k=0..1").unwrap();
    /// assert_eq!(v.values(5), [0.0, 0.25, 0.5, 0.75, 1.0]);
    /// ```
    pub fn values(&self, steps: u64) -> Vec<f64> {
        if steps <= 1 {
            return vec![self.from];
        }
        let last = (steps - 1) as f64;
        // Ends far apart (`-1e308..1e308`) overflow the width; weighing
        // the ends then stays within them.
        let wide = !(self.to - self.from).is_finite();
        (0..steps)
            .map(|i| match i {
                0 => self.from,
                i if i == steps - 1 => self.to,
                i if wide => {
                    let t = i as f64 / last;
                    self.from * (1.0 - t) + self.to * t
                }
                i => self.from + (self.to - self.from) * (i as f64 / last),
            })
            .collect()
    }
}

/// A scenario's text and its own `--set` overrides, with one key to set.
#[derive(Clone, Copy, Debug)]
pub struct Varied<'a> {
    /// The name problems are reported under (the file's path).
    pub source_name: &'a str,
    /// The scenario's TOML.
    pub text: &'a str,
    /// The overrides given with `--set`, applied first.
    pub overrides: &'a [String],
    /// The dotted key varied.
    pub key: &'a str,
}

impl Varied<'_> {
    /// The `--set` argument that sets the key to `value`: a TOML float,
    /// Rust's shortest form that reads back as the same number.
    pub(crate) fn set_argument(&self, value: f64) -> String {
        format!("{}={value:?}", self.key)
    }

    /// The scenario with the key at `value`, as `--set KEY=VALUE` gives it
    /// (warnings about implausible values dropped: a sweep goes through
    /// implausible values on purpose).
    ///
    /// # Errors
    /// Every problem of the scenario at that value, positioned; those of
    /// the value itself are told as `--vary`'s when no `--set` was given
    /// (with some, the value is the last line of the `--set` arguments).
    pub fn scenario_at(&self, value: f64) -> Result<Scenario, Vec<Diagnostics>> {
        let mut overrides = self.overrides.to_vec();
        overrides.push(self.set_argument(value));
        parse_with_overrides(self.source_name, self.text, &overrides)
            .map(|(s, _)| s)
            .map_err(|mut problems| {
                if self.overrides.is_empty() {
                    for d in problems.iter_mut().filter(|d| d.source_name == "--set") {
                        d.source_name = "--vary".to_owned();
                    }
                }
                problems
            })
    }
}

/// Runs `plan` on `scenario` and summarises every strategy's metrics, as
/// `summary.csv` does; each replication is also handed to `observe`.
///
/// # Errors
/// An undefined metric, or [`crate::run::Interrupted`].
pub fn sweep_point(
    scenario: &Scenario,
    plan: RunPlan,
    control: &RunControl,
    mut observe: impl FnMut(&ReplicationMetrics),
) -> Result<MetricCollector, RunError> {
    let mut collector = MetricCollector::new(scenario.strategies.len());
    run(scenario, plan, control, |m: ReplicationMetrics| {
        collector.observe(&m.strategies);
        observe(&m);
        Ok::<_, RunError>(())
    })?;
    Ok(collector)
}

/// One strategy's savings against another at one value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Paired {
    /// Mean over the replications of `versus`'s NPV cost minus `strategy`'s.
    pub mean_usd: f64,
    /// Half-width of its 95% confidence interval, `Z_95·se` (0 for one
    /// replication).
    pub half_width_usd: f64,
}

impl Paired {
    /// The paired savings of a summary of them.
    pub fn of(summary: &Summary) -> Paired {
        Paired {
            mean_usd: summary.mean,
            half_width_usd: summary.half_width_95().unwrap_or(0.0),
        }
    }
}

/// The savings of `strategy` against `versus` in one replication: its
/// `npv_savings_usd` against the status quo (index 0), else the difference
/// of their NPV costs.
pub(crate) fn paired_savings_usd(
    metrics: &ReplicationMetrics,
    strategy: usize,
    versus: usize,
) -> Option<f64> {
    let cost = |s: usize| metrics.strategies[s][Metric::NpvCostUsd];
    if versus == 0 {
        metrics.strategies[strategy][Metric::NpvSavingsUsd]
    } else {
        Some(cost(versus)? - cost(strategy)?)
    }
}

/// Runs `plan` on `scenario` and returns the mean savings of `strategy`
/// against `versus`, paired by replication.
///
/// # Errors
/// As [`sweep_point`].
pub(crate) fn paired_point(
    scenario: &Scenario,
    plan: RunPlan,
    control: &RunControl,
    (strategy, versus): (usize, usize),
) -> Result<Paired, RunError> {
    let mut savings = Series::default();
    sweep_point(scenario, plan, control, |m| {
        savings.observe_if_present(paired_savings_usd(m, strategy, versus));
    })?;
    Ok(savings.summary().map_or(
        Paired {
            mean_usd: 0.0,
            half_width_usd: 0.0,
        },
        |s| Paired::of(&s),
    ))
}

/// Where the mean savings cross zero, and the interval of values where
/// zero is inside their 95% confidence interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Crossing {
    /// The value found (an evaluated one, within the tolerance of the root).
    pub value: f64,
    /// The mean savings there.
    pub at_value: Paired,
    /// The interval's end towards `from`; `None` when the interval reaches
    /// `from` (zero is inside the savings' interval there).
    pub ci_from_side: Option<f64>,
    /// The interval's end towards `to`; `None` when it reaches `to`.
    pub ci_to_side: Option<f64>,
}

/// What break-even root finding found in a range.
#[derive(Clone, Debug, PartialEq)]
pub struct Breakeven {
    /// The crossing, or `None` when the mean savings have the same sign at
    /// both ends of the range.
    pub crossing: Option<Crossing>,
    /// The mean savings at `from` and at `to`.
    pub at_ends: [Paired; 2],
    /// Every value evaluated, in the order it was, with its savings.
    pub evaluations: Vec<(f64, Paired)>,
}

/// Finds where the mean of `evaluate(x)` crosses zero between `from` and
/// `to`, and the interval of `x` where zero is inside its 95% confidence
/// interval (see the module's doc). Each value is evaluated at most once.
///
/// # Errors
/// The first error of `evaluate`.
///
/// # Examples
/// ```
/// use sscsim::sweep::{Paired, find_breakeven};
/// // Savings 2x − 6 ± 1: zero at 3; zero inside the interval for |2x − 6| ≤ 1,
/// // from 2.5 to 3.5.
/// let b = find_breakeven(0.0, 10.0, |x| {
///     Ok::<_, ()>(Paired { mean_usd: 2.0 * x - 6.0, half_width_usd: 1.0 })
/// }).unwrap();
/// let c = b.crossing.unwrap();
/// assert!((c.value - 3.0).abs() < 0.01);
/// assert!((c.ci_from_side.unwrap() - 2.5).abs() < 0.01);
/// assert!((c.ci_to_side.unwrap() - 3.5).abs() < 0.01);
/// ```
pub fn find_breakeven<E>(
    from: f64,
    to: f64,
    evaluate: impl FnMut(f64) -> Result<Paired, E>,
) -> Result<Breakeven, E> {
    let mut memo = Memo {
        evaluate,
        evaluations: Vec::new(),
    };
    let at_from = memo.at(from)?;
    let at_to = memo.at(to)?;
    let at_ends = [at_from, at_to];
    let sign = |p: Paired| p.mean_usd.signum();
    let crosses = at_from.mean_usd == 0.0 || at_to.mean_usd == 0.0 || sign(at_from) != sign(at_to);
    if !crosses {
        return Ok(Breakeven {
            crossing: None,
            at_ends,
            evaluations: memo.evaluations,
        });
    }
    let tolerance = (to - from).abs() * TOLERANCE_SHARE;
    let mean = |p: Paired| p.mean_usd;
    let root = root_of(&mut memo, (from, to), tolerance, mean)?;
    // On the side of `from`, the bound of the savings' interval that has
    // the sign of the savings at `from` meets zero; on the side of `to`,
    // the one with the sign at `to`.
    let bound_towards = |end: Paired| {
        move |p: Paired| {
            if end.mean_usd < 0.0 {
                p.mean_usd + p.half_width_usd
            } else {
                p.mean_usd - p.half_width_usd
            }
        }
    };
    let ci_from_side = interval_end(
        &mut memo,
        (from, root.beyond),
        tolerance,
        bound_towards(at_from),
    )?;
    let ci_to_side = interval_end(
        &mut memo,
        (to, root.before),
        tolerance,
        bound_towards(at_to),
    )?;
    let value = root.best;
    Ok(Breakeven {
        crossing: Some(Crossing {
            value,
            at_value: memo.at(value)?,
            ci_from_side,
            ci_to_side,
        }),
        at_ends,
        evaluations: memo.evaluations,
    })
}

/// Evaluations remembered by value, so that no value runs twice.
struct Memo<F> {
    evaluate: F,
    evaluations: Vec<(f64, Paired)>,
}

impl<E, F: FnMut(f64) -> Result<Paired, E>> Memo<F> {
    fn at(&mut self, x: f64) -> Result<Paired, E> {
        if let Some((_, p)) = self
            .evaluations
            .iter()
            .find(|(v, _)| v.to_bits() == x.to_bits())
        {
            return Ok(*p);
        }
        let p = (self.evaluate)(x)?;
        self.evaluations.push((x, p));
        Ok(p)
    }
}

/// A root's final bracket.
#[derive(Clone, Copy, Debug)]
struct Root {
    /// The evaluated value with the smallest |g|.
    best: f64,
    /// The bracket's end on the side of the search's first end.
    before: f64,
    /// The bracket's end on the side of its second end.
    beyond: f64,
}

/// The end of the confidence interval between `end` (a range end) and
/// `inner` (a value past the crossing): where `g` meets zero, or `None`
/// when `g` at `end` is already on the inside (zero at or past it).
fn interval_end<E, F: FnMut(f64) -> Result<Paired, E>>(
    memo: &mut Memo<F>,
    (end, inner): (f64, f64),
    tolerance: f64,
    g: impl Fn(Paired) -> f64,
) -> Result<Option<f64>, E> {
    let at_end = g(memo.at(end)?);
    let at_inner = g(memo.at(inner)?);
    if at_end == 0.0 || at_end.signum() == at_inner.signum() {
        return Ok(None);
    }
    Ok(Some(root_of(memo, (end, inner), tolerance, g)?.best))
}

/// The zero of `g` of the evaluations between `a` and `b`, where `g` has
/// opposite signs (or is zero at one), by the Illinois method with a
/// bisection step whenever an iteration did not halve the bracket.
fn root_of<E, F: FnMut(f64) -> Result<Paired, E>>(
    memo: &mut Memo<F>,
    (mut a, mut b): (f64, f64),
    tolerance: f64,
    g: impl Fn(Paired) -> f64,
) -> Result<Root, E> {
    let (mut ga, mut gb) = (g(memo.at(a)?), g(memo.at(b)?));
    // The values interpolated on: the true ones, halved at an end that
    // stays while the other moves twice (Illinois).
    let (mut wa, mut wb) = (ga, gb);
    let mut last_moved: Option<bool> = None;
    let mut bisect = false;
    for _ in 0..MAX_EVALUATIONS_PER_ROOT {
        if ga == 0.0 || gb == 0.0 || (b - a).abs() <= tolerance {
            break;
        }
        let width = (b - a).abs();
        let secant = b - wb * (b - a) / (wb - wa);
        let inside = |x: f64| x.is_finite() && (x - a) * (x - b) < 0.0;
        let x = if bisect || !inside(secant) {
            a + (b - a) / 2.0
        } else {
            secant
        };
        if !inside(x) {
            break;
        }
        let gx = g(memo.at(x)?);
        let moved_b = gx.signum() == gb.signum();
        if moved_b {
            (b, gb, wb) = (x, gx, gx);
            if last_moved == Some(true) {
                wa /= 2.0;
            }
        } else {
            (a, ga, wa) = (x, gx, gx);
            if last_moved == Some(false) {
                wb /= 2.0;
            }
        }
        last_moved = Some(moved_b);
        bisect = (b - a).abs() > width / 2.0;
    }
    let best = if ga.abs() <= gb.abs() { a } else { b };
    Ok(Root {
        best,
        before: a,
        beyond: b,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linear(slope: f64, root: f64, half_width: f64) -> impl FnMut(f64) -> Result<Paired, ()> {
        move |x| {
            Ok(Paired {
                mean_usd: slope * (x - root),
                half_width_usd: half_width,
            })
        }
    }

    #[test]
    fn a_falling_line_crosses_at_its_root_with_the_interval_of_its_band() {
        // f(x) = −4(x − 7) ± 2: zero at 7; |f| ≤ 2 for |x − 7| ≤ 0.5.
        let b = find_breakeven(0.0, 20.0, linear(-4.0, 7.0, 2.0)).unwrap();
        let c = b.crossing.unwrap();
        let tolerance = 20.0 * TOLERANCE_SHARE;
        assert!((c.value - 7.0).abs() <= tolerance, "{c:?}");
        assert!((c.ci_from_side.unwrap() - 6.5).abs() <= tolerance, "{c:?}");
        assert!((c.ci_to_side.unwrap() - 7.5).abs() <= tolerance, "{c:?}");
        // A line is found by regula falsi in one step per root.
        assert!(b.evaluations.len() <= 8, "{}", b.evaluations.len());
    }

    #[test]
    fn a_range_swept_downwards_gives_the_interval_ends_by_side() {
        // The same line searched from 20 to 0: the end towards `from` is 7.5.
        let b = find_breakeven(20.0, 0.0, linear(-4.0, 7.0, 2.0)).unwrap();
        let c = b.crossing.unwrap();
        assert!((c.ci_from_side.unwrap() - 7.5).abs() <= 0.02, "{c:?}");
        assert!((c.ci_to_side.unwrap() - 6.5).abs() <= 0.02, "{c:?}");
    }

    #[test]
    fn no_crossing_when_both_ends_have_the_same_sign() {
        let b = find_breakeven(0.0, 5.0, linear(1.0, -1.0, 0.5)).unwrap();
        assert!(b.crossing.is_none());
        // f(0) = 1, f(5) = 6.
        assert_eq!(b.at_ends.map(|p| p.mean_usd), [1.0, 6.0]);
        assert_eq!(b.evaluations.len(), 2);
    }

    #[test]
    fn an_interval_wider_than_the_range_is_open_at_its_ends() {
        // f(x) = x − 1 ± 10 on 0..2: zero is inside the interval everywhere.
        let c = find_breakeven(0.0, 2.0, linear(1.0, 1.0, 10.0))
            .unwrap()
            .crossing
            .unwrap();
        assert!((c.value - 1.0).abs() <= 0.002);
        assert_eq!((c.ci_from_side, c.ci_to_side), (None, None));
    }

    #[test]
    fn a_step_is_found_to_the_tolerance_by_the_bisection_safeguard() {
        // f jumps from −1 to +1 at 0.3137: regula falsi alone would crawl.
        let step = |x: f64| {
            Ok::<_, ()>(Paired {
                mean_usd: if x < 0.3137 { -1.0 } else { 1.0 },
                half_width_usd: 0.0,
            })
        };
        let b = find_breakeven(0.0, 1.0, step).unwrap();
        let c = b.crossing.unwrap();
        assert!((c.value - 0.3137).abs() <= 1e-3, "{c:?}");
        // Bisection to 1/1000 of the range takes 10 halvings; the
        // safeguard at most doubles that, with the two ends.
        assert!(
            b.evaluations.len() <= 2 + 2 * 10 + 4,
            "{}",
            b.evaluations.len()
        );
    }

    #[test]
    fn values_are_evenly_spaced_with_both_ends_exact() {
        let v = Vary::parse("a.b=0.1..0.3").unwrap();
        let values = v.values(3);
        assert_eq!(values[0], 0.1);
        assert_eq!(values[2], 0.3);
        assert!((values[1] - 0.2).abs() < 1e-15);
        assert_eq!(v.values(1), [0.1]);
    }

    #[test]
    fn ends_whose_distance_overflows_still_give_finite_values_between_them() {
        // 1e308 − (−1e308) is infinite; the middle of the range is 0 and
        // a quarter in is −0.5e308.
        let v = Vary::parse("a.b=-1e308..1e308").unwrap();
        assert_eq!(v.values(3), [-1e308, 0.0, 1e308]);
        let quarter = v.values(5)[1];
        assert!((quarter / -0.5e308 - 1.0).abs() < 1e-15, "{quarter}");
    }

    #[test]
    fn a_malformed_vary_says_what_is_expected() {
        for (text, says) in [
            ("a.b", "has no `=`"),
            ("=1..2", "is not a dotted key"),
            ("a..b=1..2", "is not a dotted key"),
            ("a.b=1-2", "is not a range"),
            ("a.b=x..2", "`x` is not a finite number"),
            ("a.b=1..inf", "`inf` is not a finite number"),
            ("a.b=2..2", "is empty"),
        ] {
            let e = Vary::parse(text).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
    }
}
