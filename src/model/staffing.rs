//! Staffing policies: how a planned queue team meets the months of the
//! year whose demand is above the rest.
//!
//! A team needs a capacity in each month of the year (its service level
//! over that month's demand, `sim::plan`). A policy turns those twelve
//! requirements into the capacity its core staff are planned on — paid all
//! year — and the capacity added or taken away month by month, with what
//! that added capacity costs. The planner (`sim::plan`), the daily queue
//! (`sim::service`) and the staff costs read only that output
//! ([`StaffingRule`], [`Temporary`]): which policy a centre has is decided
//! here and nowhere else, so a new policy is a variant here (its
//! parameters, defaults with their sources, and its rule) and its word in
//! the scenario reader (`scenario::settings`).
//!
//! - `peak`: the core is staffed for the busiest month, all year.
//! - `flex`: the core is staffed for a percentile of the months; in the
//!   months above it temporary capacity (overtime, temporary staff) makes
//!   up the shortfall, capped as a share of the core's capacity and paid at
//!   a premium. The queue still measures the service level the plan gives.

use super::calendar::MONTHS_PER_YEAR;
use super::{Draws, Param};

/// Percentile of the twelve monthly capacity requirements a `flex` core is
/// planned on: the median month. Assumption: no published source gives the
/// share of the year a shared service centre staffs its core for; the
/// median leaves the busier half of the year to temporary capacity, within
/// its cap.
pub(crate) const CORE_PERCENTILE: f64 = 0.5;

/// Most temporary capacity a month may add, as a share of the core's:
/// FAO's Budapest centre had 23 temporary posts beside 72 regular ones in
/// October 2008, 23 / 72 = 0.32 of its regular staff (JIU/REP/2009/6,
/// para 16), rounded down to 0.3.
pub(crate) const TEMPORARY_CAP_SHARE: f64 = 0.3;

/// Premium of temporary capacity over the core staff's cost for the same
/// work, as a share of that cost: 0.5. Assumption: the United Nations' own
/// overtime rate for General Service staff could not be read (UNDP's
/// policy, "Overtime compensation", confirms that General Service staff
/// are paid for overtime but its rate was not available). A comparable
/// published rate: the Organization of American States pays General
/// Services staff overtime "at the rate of 1-1/2 times their regular hourly
/// pay" (OAS, Staff Rule 103.8, as summarised by its Staff Committee, FYI
/// 1/14-15, 7 August 2014), a premium of 0.5. Temporary agency staff, the
/// other way to meet a peak, also cost more than their pay by the agency's
/// margin. Differs from the transition's `temporary_staff_cost_premium`
/// (`TEMPORARY_STAFF_COST_PREMIUM` in `scenario/transition.rs`): this one prices
/// the `flex` policy's recurring peak capacity, month by month, as a share
/// added to the staff cost; that one prices clearing a transition backlog,
/// once, as a multiplier of the GS cost.
pub(crate) const TEMPORARY_PREMIUM_SHARE: f64 = 0.5;

/// How a planned queue team meets the months of the year whose demand is
/// above the rest (contact desks and fixed staffing tables are not
/// affected).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StaffingPolicy {
    /// Staffed all year for its busiest month.
    #[default]
    Peak,
    /// A core staffed for a percentile of the year's monthly requirements,
    /// temporary capacity (overtime, temporary staff) in the months above
    /// it, capped and paid at a premium ([`FlexStaffing`]).
    Flex,
}

/// The parameters of the policies, the same for every centre that uses
/// each: `[settings]`' keys.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StaffingParams {
    /// The `flex` policy's.
    pub flex: FlexStaffing,
}

/// The parameters of the [`StaffingPolicy::Flex`] policy, the same for
/// every centre that uses it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FlexStaffing {
    /// Percentile (0 to 1) of the year's twelve monthly capacity
    /// requirements the core staff is planned on, interpolated linearly
    /// between the sorted months: 0 the quietest month, 0.5 the median, 1
    /// the busiest (the `peak` capacity).
    pub core_percentile: f64,
    /// Most temporary capacity a month may add, as a share of the core's.
    pub temporary_cap_share: Param,
    /// What temporary capacity costs above the core staff's cost for the
    /// same work, as a share of it.
    pub temporary_premium_share: Param,
}

impl Default for FlexStaffing {
    /// The documented defaults.
    fn default() -> Self {
        FlexStaffing {
            core_percentile: CORE_PERCENTILE,
            temporary_cap_share: Param::Fixed(TEMPORARY_CAP_SHARE),
            temporary_premium_share: Param::Fixed(TEMPORARY_PREMIUM_SHARE),
        }
    }
}

impl StaffingPolicy {
    /// Whether the policy's rule reads each month's requirement, not only
    /// the busiest month's: the planner keeps them only when some centre's
    /// policy does.
    pub(crate) fn reads_months(self) -> bool {
        match self {
            StaffingPolicy::Peak => false,
            StaffingPolicy::Flex => true,
        }
    }

    /// The policy as a number in the key under which the simulator
    /// remembers staffings: distinct for every variant.
    pub(crate) fn key(self) -> u64 {
        self as u64
    }

    /// The policy's rule in one replication: its parameters in `params`,
    /// drawn from `draws`.
    pub(crate) fn rule(self, params: &StaffingParams, draws: &Draws) -> StaffingRule {
        match self {
            StaffingPolicy::Peak => StaffingRule::default(),
            StaffingPolicy::Flex => StaffingRule(Rule::Flex(Flex {
                percentile: params.flex.core_percentile,
                cap_share: draws.value(params.flex.temporary_cap_share),
                cost_factor: 1.0 + draws.value(params.flex.temporary_premium_share),
            })),
        }
    }
}

/// A staffing policy drawn for one replication: what the planner asks of
/// it, whatever the policy. The default is `peak`'s.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct StaffingRule(Rule);

#[derive(Clone, Copy, Debug, Default)]
enum Rule {
    #[default]
    Peak,
    Flex(Flex),
}

/// The `flex` policy's parameters, drawn for one replication.
#[derive(Clone, Copy, Debug)]
struct Flex {
    /// Percentile of the monthly requirements the core is planned on.
    percentile: f64,
    /// Most temporary capacity in a month, as a share of the core's.
    cap_share: f64,
    /// 1 + the premium on temporary capacity.
    cost_factor: f64,
}

/// The capacity one year of a team adds to its core's in each month, and
/// what it costs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Temporary {
    /// Added to the core's capacity in each month, transactions a day.
    pub per_day_by_month: [f64; MONTHS_PER_YEAR],
    /// Its FTE in each month, at the core's productivity.
    pub fte_by_month: [f64; MONTHS_PER_YEAR],
    /// What its FTE cost as a multiple of the core staff's: 1 + the premium.
    pub cost_factor: f64,
}

impl StaffingRule {
    /// The capacity, transactions a day, the core staff of a year are
    /// planned on: from `busiest_per_day`, the year's busiest month's
    /// requirement, and `months`, each month's (when the policy
    /// [reads them](StaffingPolicy::reads_months)).
    pub(crate) fn core_per_day(
        &self,
        busiest_per_day: f64,
        months: Option<&[f64; MONTHS_PER_YEAR]>,
    ) -> f64 {
        match (self.0, months) {
            (Rule::Flex(flex), Some(months)) => core_capacity_per_day(months, flex.percentile),
            _ => busiest_per_day,
        }
    }

    /// The capacity the year adds to a core of `core_fte` delivering
    /// `core_per_day` in each of the `months` requirements, if any.
    pub(crate) fn temporary(
        &self,
        months: Option<&[f64; MONTHS_PER_YEAR]>,
        core_fte: f64,
        core_per_day: f64,
    ) -> Option<Temporary> {
        match (self.0, months) {
            (Rule::Flex(flex), Some(months)) => {
                Some(flex.temporary(months, core_fte, core_per_day))
            }
            _ => None,
        }
    }
}

impl Flex {
    /// Temporary capacity that makes up each month's shortfall of the
    /// requirement `months` below the core's `core_per_day` (delivered by
    /// `core_fte`), up to the cap; its FTE are the core's per unit of
    /// capacity.
    fn temporary(
        &self,
        months: &[f64; MONTHS_PER_YEAR],
        core_fte: f64,
        core_per_day: f64,
    ) -> Temporary {
        let cap = self.cap_share * core_per_day;
        let per_day_by_month = months.map(|needed| (needed - core_per_day).clamp(0.0, cap));
        let fte_per_capacity = if core_per_day > 0.0 {
            core_fte / core_per_day
        } else {
            0.0
        };
        Temporary {
            per_day_by_month,
            fte_by_month: per_day_by_month.map(|c| c * fte_per_capacity),
            cost_factor: self.cost_factor,
        }
    }
}

/// The core capacity of a `flex` team: the `percentile` (0 to 1) of the
/// twelve monthly requirements, interpolated linearly between the sorted
/// months (position `percentile × 11`): 0 the quietest month, 1 the
/// busiest.
fn core_capacity_per_day(months: &[f64; MONTHS_PER_YEAR], percentile: f64) -> f64 {
    let mut sorted = *months;
    sorted.sort_by(f64::total_cmp);
    let position = percentile * (MONTHS_PER_YEAR - 1) as f64;
    let (below, above) = (position.floor() as usize, position.ceil() as usize);
    sorted[below] + (position - below as f64) * (sorted[above] - sorted[below])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Monthly requirements 1, 2, …, 12 transactions a day, in a shuffled
    /// order: the rule sorts them.
    const MONTHS: [f64; MONTHS_PER_YEAR] = [
        7.0, 1.0, 12.0, 4.0, 9.0, 2.0, 11.0, 5.0, 3.0, 10.0, 6.0, 8.0,
    ];

    fn flex(core_percentile: f64, cap: f64, premium: f64) -> StaffingRule {
        let params = StaffingParams {
            flex: FlexStaffing {
                core_percentile,
                temporary_cap_share: Param::Fixed(cap),
                temporary_premium_share: Param::Fixed(premium),
            },
        };
        StaffingPolicy::Flex.rule(&params, &Draws::default())
    }

    #[test]
    fn peak_staffs_the_busiest_month_and_adds_nothing() {
        let peak = StaffingPolicy::Peak.rule(&StaffingParams::default(), &Draws::default());
        assert_eq!(peak.core_per_day(12.0, Some(&MONTHS)), 12.0);
        assert_eq!(peak.temporary(Some(&MONTHS), 6.0, 12.0), None);
        assert!(!StaffingPolicy::Peak.reads_months());
    }

    #[test]
    fn a_flex_core_is_the_percentile_of_the_sorted_months() {
        // Position 0.5 × 11 = 5.5: between the 6th (6) and 7th (7) smallest, 6.5.
        assert_eq!(flex(0.5, 0.3, 0.5).core_per_day(12.0, Some(&MONTHS)), 6.5);
        // 0: the quietest month; 1: the busiest, as `peak`.
        assert_eq!(flex(0.0, 0.3, 0.5).core_per_day(12.0, Some(&MONTHS)), 1.0);
        assert_eq!(flex(1.0, 0.3, 0.5).core_per_day(12.0, Some(&MONTHS)), 12.0);
        // Position 0.1 × 11 = 1.1: 2 + 0.1 × (3 − 2) = 2.1.
        let core = flex(0.1, 0.3, 0.5).core_per_day(12.0, Some(&MONTHS));
        assert!((core - 2.1).abs() < 1e-12, "{core}");
        // Without monthly requirements, flex falls back to the busiest month.
        assert_eq!(flex(0.5, 0.3, 0.5).core_per_day(12.0, None), 12.0);
        assert!(StaffingPolicy::Flex.reads_months());
    }

    #[test]
    fn flex_temporary_capacity_makes_up_the_shortfall_up_to_its_cap() {
        // A core of 4 FTE delivering 8 a day (0.5 FTE per transaction a
        // day), cap 0.3 × 8 = 2.4 a day, premium 0.5.
        let t = flex(0.5, 0.3, 0.5)
            .temporary(Some(&MONTHS), 4.0, 8.0)
            .expect("flex adds capacity");
        // Months 7, 1, 12, 4, 9, 2, 11, 5, 3, 10, 6, 8 against 8: short by
        // 0, 0, 4 → 2.4 (capped), 0, 1, 0, 3 → 2.4, 0, 0, 2, 0, 0.
        let expected = [0.0, 0.0, 2.4, 0.0, 1.0, 0.0, 2.4, 0.0, 0.0, 2.0, 0.0, 0.0];
        for (got, want) in t.per_day_by_month.iter().zip(expected) {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
        // FTE at 0.5 per transaction a day: 1.2, 0.5, 1.2, 1.0.
        let fte: f64 = t.fte_by_month.iter().sum();
        assert!((fte - (1.2 + 0.5 + 1.2 + 1.0)).abs() < 1e-12, "{fte}");
        assert_eq!(t.cost_factor, 1.5);
        // A core without capacity has no FTE per unit of it.
        let none = flex(0.5, 0.3, 0.5)
            .temporary(Some(&MONTHS), 0.0, 0.0)
            .unwrap();
        assert_eq!(none.fte_by_month, [0.0; MONTHS_PER_YEAR]);
        assert_eq!(flex(0.5, 0.3, 0.5).temporary(None, 4.0, 8.0), None);
    }

    #[test]
    fn every_policy_has_its_own_key() {
        assert_ne!(StaffingPolicy::Peak.key(), StaffingPolicy::Flex.key());
    }

    #[test]
    fn the_default_parameters_are_the_documented_ones() {
        let flex = FlexStaffing::default();
        assert_eq!(flex.core_percentile, 0.5);
        assert_eq!(flex.temporary_cap_share, Param::Fixed(0.3));
        assert_eq!(flex.temporary_premium_share, Param::Fixed(0.5));
    }
}
