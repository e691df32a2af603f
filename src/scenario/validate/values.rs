//! Checks of single values: integers and reals within their range, and
//! numbers that may be uncertain, which become [`Param`]s — the uncertain
//! ones registered as the scenario's inputs, in the order they are read.

use std::ops::Range;

use toml::Spanned;

use super::limits::{Domain, NON_NEGATIVE};
use super::plausible::implausible;
use super::validator::{Named, Validator};
use crate::model::{Dist, InputId, Param, UncertainInput, readable};
use crate::scenario::number::RawNumber;

/// How a list of weights is spoken of in messages.
pub(in crate::scenario) struct WeightWords {
    /// The key, e.g. `seasonality`.
    pub key: &'static str,
    /// One of its weights, e.g. `a seasonality weight`.
    pub weight: &'static str,
    /// What the list should hold, e.g. `12 monthly weights`.
    pub expected_count: &'static str,
    /// What the list needs besides zeros.
    pub expected_nonzero: &'static str,
}

impl Validator {
    pub(in crate::scenario) fn integer(
        &mut self,
        name: &str,
        value: &Spanned<i64>,
        min: i64,
        max: i64,
    ) -> Option<u64> {
        let v = *value.get_ref();
        if v < min || v > max {
            self.problem(
                value.span(),
                format!("{name} is {v}"),
                format!("an integer from {min} to {max}"),
            );
            return None;
        }
        u64::try_from(v).ok()
    }

    pub(in crate::scenario) fn real(
        &mut self,
        name: &str,
        value: &Spanned<f64>,
        domain: Domain,
    ) -> Option<f64> {
        let v = *value.get_ref();
        if !v.is_finite() || !domain.contains(v) {
            self.problem(
                value.span(),
                format!("{name} is {}", readable(v)),
                domain.expected,
            );
            return None;
        }
        Some(v)
    }

    /// Turns a number or distribution into a [`Param`], registering it as an
    /// uncertain input when it is not fixed.
    pub(in crate::scenario) fn param(
        &mut self,
        path: String,
        raw: &Spanned<RawNumber>,
        domain: Domain,
    ) -> Param {
        self.param_at(path, raw.get_ref(), raw.span(), domain)
    }

    pub(in crate::scenario) fn param_at(
        &mut self,
        path: String,
        raw: &RawNumber,
        span: Range<usize>,
        domain: Domain,
    ) -> Param {
        match self.checked_dist(&path, raw, span.clone(), domain) {
            Some(dist) => {
                if let Some(message) = implausible(&path, &dist) {
                    self.warning(span, message);
                }
                self.register(path, dist)
            }
            None => {
                self.names.insert(path, Named::Invalid);
                Param::Fixed(0.0)
            }
        }
    }

    /// A parameter the scenario may leave out, which then takes `default`.
    pub(in crate::scenario) fn optional_param(
        &mut self,
        path: String,
        raw: &Option<Spanned<RawNumber>>,
        domain: Domain,
        default: f64,
    ) -> Param {
        match raw {
            Some(raw) => self.param(path, raw, domain),
            None => self.default_param(path, default),
        }
    }

    /// The key `key` of the table at path `table`, which the scenario may
    /// leave out.
    pub(in crate::scenario) fn optional_key(
        &mut self,
        table: &str,
        key: &str,
        raw: &Option<Spanned<RawNumber>>,
        domain: Domain,
        default: f64,
    ) -> Param {
        self.optional_param(format!("{table}.{key}"), raw, domain, default)
    }

    /// The fixed `default` of a key the scenario leaves out.
    pub(in crate::scenario) fn default_param(&mut self, path: String, default: f64) -> Param {
        self.names.insert(path, Named::Default);
        Param::Fixed(default)
    }

    /// A 0/1 input that is 1 with probability `p`.
    pub(in crate::scenario) fn bernoulli(&mut self, path: String, p: f64) -> Param {
        if p <= 0.0 || p >= 1.0 {
            self.names.insert(path, Named::Fixed);
            return Param::Fixed(p.clamp(0.0, 1.0));
        }
        let dist = Dist::discrete(&[0.0, 1.0], &[1.0 - p, p])
            .expect("a probability strictly between 0 and 1");
        self.register(path, dist)
    }

    /// A list of `N` weights of at least 0, not all 0, as written; `None`
    /// once a problem with it is reported.
    pub(in crate::scenario) fn weights<const N: usize>(
        &mut self,
        raw: &Spanned<Vec<Spanned<f64>>>,
        words: &WeightWords,
    ) -> Option<[f64; N]> {
        let weights = raw.get_ref();
        if weights.len() != N {
            self.problem(
                raw.span(),
                format!("{} has {} weights", words.key, weights.len()),
                words.expected_count,
            );
            return None;
        }
        let mut checked = [0.0; N];
        for (c, w) in checked.iter_mut().zip(weights) {
            *c = self.real(words.weight, w, NON_NEGATIVE)?;
        }
        if checked.iter().sum::<f64>() <= 0.0 {
            self.problem(
                raw.span(),
                format!("{} weights are all 0", words.key),
                words.expected_nonzero,
            );
            return None;
        }
        Some(checked)
    }

    /// The distribution of a number, if it is valid and within `domain`.
    fn checked_dist(
        &mut self,
        path: &str,
        raw: &RawNumber,
        span: Range<usize>,
        domain: Domain,
    ) -> Option<Dist> {
        let field = path.rsplit('.').next().unwrap_or(path).to_owned();
        if let RawNumber::Plain(v) = raw
            && !v.is_finite()
        {
            self.problem(
                span,
                format!("{field} is {}", readable(*v)),
                "a finite number",
            );
            return None;
        }
        let dist = match raw.to_dist() {
            Ok(dist) => dist,
            Err(e) => {
                self.problem(span, format!("{field}: {}", e.found), e.expected);
                return None;
            }
        };
        let (low, high) = dist.support();
        if !domain.contains(low) || !domain.contains(high) {
            let what = if dist.is_fixed() {
                format!("{field} is {}", readable(low))
            } else if low.is_infinite() || high.is_infinite() {
                format!(
                    "{field} is an unbounded distribution (truncate it with min and max; a lognormal needs a max)"
                )
            } else {
                format!(
                    "{field} can take values from {} to {}",
                    readable(low),
                    readable(high)
                )
            };
            self.problem(span, what, domain.expected);
            return None;
        }
        Some(dist)
    }

    /// The parameter at `path`: a fixed number, or a new uncertain input.
    fn register(&mut self, path: String, dist: Dist) -> Param {
        if dist.is_fixed() {
            self.names.insert(path, Named::Fixed);
            return Param::Fixed(dist.support().0);
        }
        let id = InputId(self.inputs.len());
        self.names.insert(path.clone(), Named::Input(id));
        self.inputs.push(UncertainInput { name: path, dist });
        Param::Input(id)
    }

    /// Whether a parameter can take a value above 0.
    pub(in crate::scenario) fn can_be_positive(&self, param: Param) -> bool {
        self.highest(param) > 0.0
    }

    /// The highest value a parameter can take.
    pub(in crate::scenario) fn highest(&self, param: Param) -> f64 {
        match param {
            Param::Fixed(v) => v,
            Param::Input(InputId(i)) => self.inputs[i].dist.support().1,
        }
    }

    /// The lowest value a parameter can take in a run: an input's quantile
    /// at the smallest uniform the sampler draws (a lognormal's support
    /// starts at 0, its draws do not).
    pub(in crate::scenario) fn lowest_drawn(&self, param: Param) -> f64 {
        match param {
            Param::Fixed(v) => v,
            Param::Input(InputId(i)) => self.inputs[i]
                .dist
                .quantile(crate::sample::OPEN_UNIT_LOWEST),
        }
    }
}
