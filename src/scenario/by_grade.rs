//! Tables by grade (`{ GS = ..., P = ... }`) as written, and their checks:
//! staff counts, grade mixes that sum to 1, and grades that must have a
//! cost at the location that employs them.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::number::RawNumber;
use super::validate::{FTE, SHARE, Validator};
use crate::model::{ByGrade, Location, Param, readable};

/// A value for some of the grades.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawByGrade<T> {
    #[serde(rename = "GS")]
    pub gs: Option<T>,
    #[serde(rename = "NPO")]
    pub npo: Option<T>,
    #[serde(rename = "P")]
    pub p: Option<T>,
    #[serde(rename = "D")]
    pub d: Option<T>,
    #[serde(rename = "FS")]
    pub fs: Option<T>,
}

impl<T> RawByGrade<T> {
    /// The entries in [`crate::model::Grade::ALL`] order.
    pub fn entries(&self) -> [&Option<T>; 5] {
        [&self.gs, &self.npo, &self.p, &self.d, &self.fs]
    }

    /// Each grade's entry read by `read`, which is handed the entry's path
    /// (`{path}.GS`, …) for its messages; `absent` for a grade left out.
    pub fn read<U: Clone>(
        &self,
        path: &str,
        absent: U,
        mut read: impl FnMut(String, &T) -> U,
    ) -> ByGrade<U> {
        let entries = self.entries();
        ByGrade::from_fn(|g| match entries[g as usize] {
            Some(entry) => read(format!("{path}.{}", g.label()), entry),
            None => absent.clone(),
        })
    }
}

impl Validator {
    /// A table of FTE by grade, each uncertain; a grade left out has none.
    pub(super) fn fte_table(
        &mut self,
        path: &str,
        table: &Spanned<RawByGrade<Spanned<RawNumber>>>,
    ) -> ByGrade<Param> {
        (table.get_ref()).read(path, Param::Fixed(0.0), |path, v| self.param(path, v, FTE))
    }

    /// Grade shares that must sum to 1; scaled to sum to exactly 1.
    pub(super) fn grade_shares(
        &mut self,
        name: &str,
        mix: &Spanned<RawByGrade<Spanned<f64>>>,
    ) -> ByGrade<f64> {
        let shares = (mix.get_ref()).read(name, 0.0, |path, v| {
            self.real(&path, v, SHARE).unwrap_or(0.0)
        });
        let total = shares.total();
        if (total - 1.0).abs() > 1e-6 {
            self.problem(
                mix.span(),
                format!("{name} shares sum to {}", readable(total)),
                "shares that sum to 1",
            );
        }
        // Shares within the tolerance are scaled to sum to exactly 1.
        ByGrade::from_fn(|g| if total > 0.0 { shares[g] / total } else { 0.0 })
    }

    /// Reports each grade in `used` that `location` has no cost for.
    pub(super) fn grades_have_costs(
        &mut self,
        span: Range<usize>,
        location: &Location,
        used: &ByGrade<bool>,
        whose: &str,
    ) {
        for (g, &is_used) in used.iter() {
            if is_used && location.annual_cost_usd_per_fte[g].is_none() {
                self.problem(
                    span.clone(),
                    format!(
                        "{whose} employs {} staff but location `{}` has no {} cost",
                        g.label(),
                        location.id,
                        g.label()
                    ),
                    format!(
                        "annual_cost_usd_per_fte.{} for location `{}`",
                        g.label(),
                        location.id
                    ),
                );
            }
        }
    }
}
