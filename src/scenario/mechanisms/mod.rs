//! `[mechanisms]`: one optional table per economies-of-scale mechanism, as
//! written, and checked into the model's [`Mechanisms`]. Each mechanism's
//! table is a file here named as its mechanism's file in
//! `model::mechanisms`, with one function that turns it into the
//! mechanism's parameters, taking the documented defaults of its model file
//! for the keys it leaves out. The tables live here, not with their
//! mechanisms, so that the model never depends on the parser; this module
//! composes them: a mechanism's field in [`RawMechanisms`] and its line in
//! [`RawMechanisms::validate`]. A table that names something else of the
//! scenario (an agency, a location, a service line) or depends on its
//! settings reads it from the one context every reader may take,
//! [`Declared`], so that needing it changes only the mechanism's own file.

mod declared;
mod fixed_overhead;
mod harmonisation;
mod learning_and_scale;
mod span_of_control;
mod variance_pooling;

pub(crate) use declared::Declared;
pub(in crate::scenario) use span_of_control::supervisors_have_costs;

use serde::Deserialize;
use toml::Spanned;

use super::validate::Validator;
use crate::model::{Mechanisms, Overhead, Param};
use fixed_overhead::RawFixedOverhead;
use harmonisation::RawHarmonisation;
use learning_and_scale::RawLearning;
use span_of_control::RawSpanOfControl;
use variance_pooling::RawVariancePooling;

/// `[mechanisms]`: one optional table per mechanism.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMechanisms {
    pub fixed_overhead: Option<Spanned<RawFixedOverhead>>,
    pub variance_pooling: Option<Spanned<RawVariancePooling>>,
    pub learning_and_scale: Option<Spanned<RawLearning>>,
    pub span_of_control: Option<Spanned<RawSpanOfControl>>,
    pub harmonisation: Option<Spanned<RawHarmonisation>>,
}

impl RawMechanisms {
    /// Each mechanism whose table is given. Without its table the fixed
    /// overhead has no staff (only the site and centre costs the file
    /// gives), as the README says. A table may name what the rest of the
    /// scenario `declared` (harmonisation declares platforms and rule sets
    /// for its agencies).
    pub(super) fn validate(&self, v: &mut Validator, declared: &Declared) -> Mechanisms {
        let centre_overhead = match &self.fixed_overhead {
            None => Overhead::None,
            Some(f) => f.get_ref().validate(v),
        };
        let learning = (self.learning_and_scale.as_ref()).map(|l| l.get_ref().validate(v));
        let span_of_control = (self.span_of_control.as_ref()).map(|s| s.get_ref().validate(v));
        let harmonisation =
            (self.harmonisation.as_ref()).map(|h| h.get_ref().validate(v, declared));
        Mechanisms {
            centre_overhead,
            learning,
            span_of_control,
            harmonisation,
        }
    }

    /// The correlation of agencies' demand shocks in a service line that
    /// gives none of its own.
    pub(super) fn default_correlation(&self, v: &mut Validator) -> Param {
        let table = self.variance_pooling.as_ref().map(Spanned::get_ref);
        RawVariancePooling::default_correlation(table, v)
    }
}

/// A mechanism's table read from `text`, for the tables' unit tests.
#[cfg(test)]
fn table<T: serde::de::DeserializeOwned>(text: &str) -> T {
    toml::from_str(text).expect("a valid table")
}

/// The default scenario's settings over `horizon_years`.
#[cfg(test)]
fn settings(horizon_years: u32) -> crate::model::Settings {
    let mut settings = crate::scenario::default_scenario().settings;
    settings.horizon_years = horizon_years;
    settings
}

/// Ids of one kind, in this order.
#[cfg(test)]
fn ids(list: &[&str]) -> super::validate::Ids {
    super::validate::Ids(
        list.iter()
            .enumerate()
            .map(|(i, id)| (id.to_string(), i))
            .collect(),
    )
}
