//! `[comparison]`: the strategies whose gap is the headline, as written,
//! and checked into a [`Comparison`].

use serde::Deserialize;
use toml::Spanned;

use super::validate::{Ids, Validator};
use crate::model::{Comparison, STATUS_QUO_ID};

/// `[comparison]`: the strategies whose gap is the headline.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawComparison {
    pub fragmented: Spanned<String>,
    pub pooled: Spanned<String>,
}

/// The comparison the scenario names, or without `[comparison]` the
/// strategies `solo` and `pooled` if it has both.
pub(super) fn comparison(
    v: &mut Validator,
    raw: Option<&Spanned<RawComparison>>,
    strategy_ids: &Ids,
) -> Option<Comparison> {
    // Strategies are numbered after the status quo, which is index 0.
    let index = |id: &str| strategy_ids.get(id).map(|i| i + 1);
    let Some(raw) = raw else {
        return Some(Comparison {
            fragmented: index("solo")?,
            pooled: index("pooled")?,
        });
    };
    let c = raw.get_ref();
    let mut ids = strategy_ids.clone();
    ids.0.insert(STATUS_QUO_ID.to_owned(), usize::MAX);
    let fragmented = v.reference("strategy", &ids, &c.fragmented);
    let pooled = v.reference("strategy", &ids, &c.pooled);
    let to_index = |i: usize| if i == usize::MAX { 0 } else { i + 1 };
    let (fragmented, pooled) = (to_index(fragmented?), to_index(pooled?));
    if fragmented == pooled {
        v.problem(
            c.pooled.span(),
            "the fragmented and pooled strategies are the same",
            "two different strategies",
        );
        return None;
    }
    Some(Comparison { fragmented, pooled })
}
