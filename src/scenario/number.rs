//! A number as a scenario writes it: a plain number, or a table naming one
//! of the distributions of [`crate::model::Dist`]. Reading one checks only
//! its syntax; [`RawNumber::to_dist`] checks its parameters, and the
//! validator judges the values it can take against the key's limits.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::model::{Dist, DistError, PERT_DEFAULT_SHAPE};

/// A number that may be uncertain: a plain number, or a table naming a
/// distribution, such as `{ dist = "triangular", min = 1, mode = 2, max = 4 }`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RawNumber {
    /// A plain number.
    Plain(f64),
    /// A distribution table.
    Dist(RawDist),
}

/// The distribution tables a scenario may use.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "dist", rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum RawDist {
    Fixed {
        value: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    Pert {
        min: f64,
        mode: f64,
        max: f64,
        shape: Option<f64>,
    },
    Normal {
        mean: f64,
        sd: f64,
        min: Option<f64>,
        max: Option<f64>,
    },
    Lognormal {
        mean: f64,
        sd: f64,
        min: Option<f64>,
        max: Option<f64>,
    },
    Discrete {
        values: Vec<f64>,
        weights: Option<Vec<f64>>,
    },
}

const NUMBER_EXPECTED: &str = "a number or a distribution table such as \
    { dist = \"triangular\", min = 1, mode = 2, max = 3 }";

impl<'de> Deserialize<'de> for RawNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor;
        impl<'de> Visitor<'de> for NumberVisitor {
            type Value = RawNumber;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(NUMBER_EXPECTED)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawNumber, E> {
                Ok(RawNumber::Plain(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawNumber, E> {
                Ok(RawNumber::Plain(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawNumber, E> {
                Ok(RawNumber::Plain(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawNumber, A::Error> {
                RawDist::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawNumber::Dist)
            }
        }
        deserializer.deserialize_any(NumberVisitor)
    }
}

impl RawNumber {
    /// The distribution the number stands for: a plain number is a fixed one.
    ///
    /// # Errors
    /// When the distribution's parameters are invalid.
    pub(crate) fn to_dist(&self) -> Result<Dist, DistError> {
        match self {
            RawNumber::Plain(v) => Dist::fixed(*v),
            RawNumber::Dist(dist) => dist.to_dist(),
        }
    }
}

impl RawDist {
    /// The distribution the table names, with the defaults it leaves out:
    /// PERT shape [`PERT_DEFAULT_SHAPE`], an untruncated normal, a lognormal
    /// from 0 up.
    fn to_dist(&self) -> Result<Dist, DistError> {
        match self {
            RawDist::Fixed { value } => Dist::fixed(*value),
            RawDist::Uniform { min, max } => Dist::uniform(*min, *max),
            RawDist::Triangular { min, mode, max } => Dist::triangular(*min, *mode, *max),
            RawDist::Pert {
                min,
                mode,
                max,
                shape,
            } => Dist::pert(*min, *mode, *max, shape.unwrap_or(PERT_DEFAULT_SHAPE)),
            RawDist::Normal { mean, sd, min, max } => Dist::normal(
                *mean,
                *sd,
                min.unwrap_or(f64::NEG_INFINITY),
                max.unwrap_or(f64::INFINITY),
            ),
            RawDist::Lognormal { mean, sd, min, max } => {
                Dist::lognormal(*mean, *sd, min.unwrap_or(0.0), max.unwrap_or(f64::INFINITY))
            }
            RawDist::Discrete { values, weights } => {
                Dist::discrete(values, weights.as_deref().unwrap_or(&[]))
            }
        }
    }
}
