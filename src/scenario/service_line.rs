//! `[[service_line]]`: a back-office queue or a contact line, as written,
//! and checked into a [`ServiceLine`]. Each kind has its own keys; a key of
//! the other kind is a problem, not silently ignored.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::number::RawNumber;
use super::validate::{CONTACT_SECONDS, Domain, EFFORT, SHARE, Validator, WeightWords};
use crate::model::{ContactWork, HOURS_PER_DAY, Param, QueueWork, ServiceLine, Work};

// --- The documented defaults of contact lines: each names its basis -----------

/// Share of agents' paid time off the phones: breaks, training, meetings,
/// absence. 30-35% is the figure contact-centre planners commonly use.
/// Assumption.
pub(crate) const SHRINKAGE_SHARE: f64 = 0.3;

/// Contacts arrive evenly over a business day of 08:00-17:00 local time when
/// a contact line gives no hourly profile. Assumption.
pub(crate) fn business_hours_profile() -> [f64; crate::model::HOURS_PER_DAY] {
    std::array::from_fn(|hour| {
        if (8..17).contains(&hour) {
            1.0 / 9.0
        } else {
            0.0
        }
    })
}

/// `[[service_line]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawServiceLine {
    pub id: Spanned<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub kind: RawLineKind,
    pub effort_minutes_per_transaction: Option<Spanned<RawNumber>>,
    pub service_level_target_days: Option<Spanned<i64>>,
    pub service_level_target_share: Option<Spanned<f64>>,
    pub handle_time_seconds: Option<Spanned<RawNumber>>,
    pub answer_within_seconds: Option<Spanned<f64>>,
    pub answer_share: Option<Spanned<f64>>,
    pub patience_seconds: Option<Spanned<RawNumber>>,
    pub shrinkage_share: Option<Spanned<RawNumber>>,
    pub hourly_profile: Option<Spanned<Vec<Spanned<f64>>>>,
    #[serde(default = "yes")]
    pub relocatable: bool,
    pub volume_correlation: Option<Spanned<RawNumber>>,
}

/// `kind = "queue"` (the default) or `"contact"`.
#[derive(Debug, Default, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawLineKind {
    #[default]
    Queue,
    Contact,
}

fn yes() -> bool {
    true
}

/// Where a key was given, if it was.
fn span<T>(value: &Option<Spanned<T>>) -> Option<Range<usize>> {
    value.as_ref().map(Spanned::span)
}

const HOURLY_PROFILE: WeightWords = WeightWords {
    key: "hourly_profile",
    weight: "an hourly_profile weight",
    expected_count: "24 weights, from 00:00-01:00 local time",
    expected_nonzero: "at least one hour with contacts",
};

impl RawServiceLine {
    /// The line; its demand shocks correlate across agencies by its own
    /// `volume_correlation` or else by `default_correlation`.
    pub(super) fn validate(&self, v: &mut Validator, default_correlation: Param) -> ServiceLine {
        let id = self.id.get_ref().clone();
        let path = format!("service_line.{id}");
        let work = match self.kind {
            RawLineKind::Queue => Work::Queue(self.queue_work(v, &path)),
            RawLineKind::Contact => Work::Contact(Box::new(self.contact_work(v, &path))),
        };
        ServiceLine {
            name: self.name.clone().unwrap_or_else(|| id.clone()),
            work,
            relocatable: self.relocatable,
            volume_correlation: match &self.volume_correlation {
                Some(c) => v.param(format!("{path}.volume_correlation"), c, SHARE),
                None => default_correlation,
            },
            id,
        }
    }

    /// Reports each key given that does not belong to the line's kind, with
    /// what is expected instead.
    fn not_for_kind(v: &mut Validator, kind: &str, keys: &[(&str, Option<Range<usize>>, &str)]) {
        for (key, span, expected) in keys {
            if let Some(span) = span {
                v.problem(
                    span.clone(),
                    format!("{key} is not a key of a {kind} line"),
                    expected,
                );
            }
        }
    }

    /// Reports a key the line's kind requires.
    fn required<'r, T>(
        &self,
        v: &mut Validator,
        key: &str,
        value: &'r Option<Spanned<T>>,
    ) -> Option<&'r Spanned<T>> {
        if value.is_none() {
            v.problem(
                self.id.span(),
                format!("service line `{}` has no {key}", self.id.get_ref()),
                format!("{key} = ..."),
            );
        }
        value.as_ref()
    }

    fn queue_work(&self, v: &mut Validator, path: &str) -> QueueWork {
        let contact_only = "the keys of a queue line (or kind = \"contact\")";
        let contact_keys = [
            ("handle_time_seconds", span(&self.handle_time_seconds)),
            ("answer_within_seconds", span(&self.answer_within_seconds)),
            ("answer_share", span(&self.answer_share)),
            ("patience_seconds", span(&self.patience_seconds)),
            ("shrinkage_share", span(&self.shrinkage_share)),
            ("hourly_profile", span(&self.hourly_profile)),
        ];
        let contact_keys = contact_keys.map(|(key, span)| (key, span, contact_only));
        Self::not_for_kind(v, "queue", &contact_keys);
        let effort = self.required(
            v,
            "effort_minutes_per_transaction",
            &self.effort_minutes_per_transaction,
        );
        let effort = effort.map_or(Param::Fixed(1.0), |e| {
            v.param(format!("{path}.effort_minutes_per_transaction"), e, EFFORT)
        });
        let days = self.required(
            v,
            "service_level_target_days",
            &self.service_level_target_days,
        );
        let target_days = days.and_then(|d| v.integer("service_level_target_days", d, 0, 250));
        let share = self.required(
            v,
            "service_level_target_share",
            &self.service_level_target_share,
        );
        let target_share = share.and_then(|s| {
            v.real(
                "service_level_target_share",
                s,
                Domain::closed(
                    0.5,
                    0.999_999,
                    "a share from 0.5 to 0.999999 (0.95 means 95% on time)",
                ),
            )
        });
        QueueWork {
            effort_minutes_per_transaction: effort,
            target_days: target_days.unwrap_or(0) as u32,
            target_share: target_share.unwrap_or(0.5),
        }
    }

    fn contact_work(&self, v: &mut Validator, path: &str) -> ContactWork {
        let queue_keys = [
            (
                "effort_minutes_per_transaction",
                span(&self.effort_minutes_per_transaction),
                "handle_time_seconds",
            ),
            (
                "service_level_target_days",
                span(&self.service_level_target_days),
                "answer_within_seconds",
            ),
            (
                "service_level_target_share",
                span(&self.service_level_target_share),
                "the keys of a contact line",
            ),
        ];
        Self::not_for_kind(v, "contact", &queue_keys);
        let handle = self.required(v, "handle_time_seconds", &self.handle_time_seconds);
        let handle_time_seconds = handle.map_or(Param::Fixed(1.0), |h| {
            v.param(format!("{path}.handle_time_seconds"), h, CONTACT_SECONDS)
        });
        let within = self.required(v, "answer_within_seconds", &self.answer_within_seconds);
        let answer_within_seconds = within
            .and_then(|w| {
                v.real(
                    "answer_within_seconds",
                    w,
                    Domain::closed(0.0, 86_400.0, "seconds from 0 to a day"),
                )
            })
            .unwrap_or(0.0);
        let share = self.required(v, "answer_share", &self.answer_share);
        let answer_share = share
            .and_then(|s| {
                v.real(
                    "answer_share",
                    s,
                    Domain::above(
                        0.0,
                        0.999_999,
                        "a share greater than 0 and less than 1 (0.8 means 80% answered in time)",
                    ),
                )
            })
            .unwrap_or(0.5);
        let patience_seconds = self
            .patience_seconds
            .as_ref()
            .map(|p| v.param(format!("{path}.patience_seconds"), p, CONTACT_SECONDS));
        let shrinkage_share = v.optional_param(
            format!("{path}.shrinkage_share"),
            &self.shrinkage_share,
            Domain::closed(0.0, 0.9, "a share from 0 to 0.9"),
            SHRINKAGE_SHARE,
        );
        ContactWork {
            handle_time_seconds,
            answer_within_seconds,
            answer_share,
            patience_seconds,
            shrinkage_share,
            hourly_profile: self.hourly_profile(v),
        }
    }

    /// Twenty-four hourly weights of the callers' local day, scaled to sum
    /// to 1; business hours when the line gives none or they are invalid.
    fn hourly_profile(&self, v: &mut Validator) -> [f64; HOURS_PER_DAY] {
        let hours = (self.hourly_profile.as_ref()).and_then(|p| v.weights(p, &HOURLY_PROFILE));
        let Some(hours) = hours else {
            return business_hours_profile();
        };
        let total: f64 = hours.iter().sum();
        hours.map(|w| w / total)
    }
}
