//! `[mechanisms.variance_pooling]`: the correlation of agencies' demand
//! shocks for service lines that give none, with the documented default of
//! `model::mechanisms::variance_pooling`.

use serde::Deserialize;
use toml::Spanned;

use crate::model::Param;
use crate::model::mechanisms::variance_pooling;
use crate::scenario::number::RawNumber;
use crate::scenario::validate::{SHARE, Validator};

/// `[mechanisms.variance_pooling]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVariancePooling {
    pub volume_correlation: Option<Spanned<RawNumber>>,
}

impl RawVariancePooling {
    /// The correlation of agencies' demand shocks in a service line that
    /// gives none of its own, from `table` if it is given.
    pub(super) fn default_correlation(table: Option<&Self>, v: &mut Validator) -> Param {
        let correlation = table.and_then(|p| p.volume_correlation.as_ref());
        let path = "mechanisms.variance_pooling.volume_correlation".to_owned();
        match correlation {
            Some(c) => v.param(path, c, SHARE),
            None => v.default_param(path, variance_pooling::VOLUME_CORRELATION),
        }
    }
}
