//! Cost arithmetic: standard costs by grade, escalation, exchange rates and
//! discounting.

use crate::model::{ByGrade, Draws, Location, OneOff, powi};

/// One year of a centre, or of a whole strategy.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct YearOutcome {
    /// All staff by grade, averaged over the year: processing, supervision,
    /// overhead, and headquarters units still working.
    pub fte: ByGrade<f64>,
    /// Processing staff, all grades.
    pub processing_fte: f64,
    /// Supervisors and team leads, all grades.
    pub supervision_fte: f64,
    /// Director, management and support staff of centres, all grades.
    pub overhead_fte: f64,
    /// Staff cost, USD.
    pub staff_cost_usd: f64,
    /// Premises cost, USD.
    pub premises_cost_usd: f64,
    /// Fixed running costs of centres and sites, USD.
    pub fixed_cost_usd: f64,
    /// Harmonisation projects, USD.
    pub harmonisation_cost_usd: f64,
    /// One-off costs of the move during the year by kind — double running,
    /// separation, relocation, recruitment and training, the project team,
    /// clearing backlogs, the optimism-bias uplift — USD. Site set-up and
    /// harmonisation projects have their own fields and stay 0 here.
    pub move_cost_usd: OneOffCosts,
    /// Site set-up paid at the start of the year, USD.
    pub setup_cost_usd: f64,
}

/// One amount per kind of one-off cost, USD, indexed by [`OneOff`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct OneOffCosts([f64; OneOff::ALL.len()]);

impl OneOffCosts {
    /// The sum of every kind, added in [`OneOff::ALL`] order.
    pub fn total(&self) -> f64 {
        self.0.iter().sum()
    }

    /// `usd` of `kind` and nothing of the others.
    pub(crate) fn of(kind: OneOff, usd: f64) -> Self {
        let mut costs = OneOffCosts::default();
        costs[kind] = usd;
        costs
    }
}

impl std::ops::AddAssign for OneOffCosts {
    /// Adds each kind of `other` to this one's.
    fn add_assign(&mut self, other: OneOffCosts) {
        for kind in OneOff::ALL {
            self[kind] += other[kind];
        }
    }
}

impl std::ops::Index<OneOff> for OneOffCosts {
    type Output = f64;
    fn index(&self, kind: OneOff) -> &f64 {
        &self.0[kind as usize]
    }
}

impl std::ops::IndexMut<OneOff> for OneOffCosts {
    fn index_mut(&mut self, kind: OneOff) -> &mut f64 {
        &mut self.0[kind as usize]
    }
}

impl YearOutcome {
    /// Everything the year cost, USD.
    pub(crate) fn total_cost_usd(&self) -> f64 {
        self.staff_cost_usd
            + self.premises_cost_usd
            + self.fixed_cost_usd
            + self.harmonisation_cost_usd
            + self.transition_cost_usd()
            + self.setup_cost_usd
    }

    /// The move's one-off costs during the year, but site set-up and
    /// harmonisation projects, USD.
    pub fn transition_cost_usd(&self) -> f64 {
        self.move_cost_usd.total()
    }

    /// The year's one-off cost of `kind`, USD: site set-up and
    /// harmonisation projects from their fields, the rest from the move's.
    pub(crate) fn one_off_usd(&self, kind: OneOff) -> f64 {
        match kind {
            OneOff::SiteSetup => self.setup_cost_usd,
            OneOff::HarmonisationProject => self.harmonisation_cost_usd,
            _ => self.move_cost_usd[kind],
        }
    }

    /// Adds each of `years` to the year of `totals` at its index, in
    /// order: a strategy's years are the sum of its centres'.
    pub(crate) fn add_each(totals: &mut [YearOutcome], years: &[YearOutcome]) {
        for (total, year) in totals.iter_mut().zip(years) {
            total.add(year);
        }
    }

    /// Adds another centre's year to this one.
    pub fn add(&mut self, other: &YearOutcome) {
        for (grade, fte) in other.fte.iter() {
            self.fte[grade] += fte;
        }
        self.processing_fte += other.processing_fte;
        self.supervision_fte += other.supervision_fte;
        self.overhead_fte += other.overhead_fte;
        self.staff_cost_usd += other.staff_cost_usd;
        self.premises_cost_usd += other.premises_cost_usd;
        self.fixed_cost_usd += other.fixed_cost_usd;
        self.harmonisation_cost_usd += other.harmonisation_cost_usd;
        self.move_cost_usd += other.move_cost_usd;
        self.setup_cost_usd += other.setup_cost_usd;
    }
}

/// Yearly staff cost in USD of `fte` by grade at `location` in `year` (0-based):
/// Σ FTE × standard cost × (1 + escalation)^year, with locally recruited
/// grades (GS, NPO) also multiplied by the location's exchange-rate factor
/// and, from the year a salary shock happens, by `1 + its size`.
pub fn staff_cost_usd(location: &Location, fte: &ByGrade<f64>, draws: &Draws, year: u32) -> f64 {
    let escalation = powi(
        1.0 + draws.value(location.salary_escalation_rate_per_year),
        year as i32,
    );
    let shock = match location.salary_shock {
        Some(s) if draws.value(s.happens) >= 0.5 && year >= s.year => 1.0 + draws.value(s.size),
        _ => 1.0,
    };
    let local = draws.value(location.exchange_rate_factor) * shock;
    fte.iter()
        .filter(|(_, f)| **f > 0.0)
        .map(|(grade, f)| {
            let standard = location.annual_cost_usd_per_fte[grade].map_or(0.0, |c| draws.value(c));
            let currency = if grade.is_locally_recruited() {
                local
            } else {
                1.0
            };
            f * standard * escalation * currency
        })
        .sum()
}

/// Factor that discounts a cost incurred during `year` (0-based) to today:
/// yearly costs are taken at the end of their year, `1 / (1 + r)^(year + 1)`.
pub fn discount_factor(rate_per_year: f64, year: u32) -> f64 {
    powi(1.0 + rate_per_year, -(year as i32 + 1))
}

/// The net present value of a strategy's costs, and its parts, in USD.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct NpvParts {
    /// Everything: the sum of the parts below.
    pub total_usd: f64,
    /// Staff.
    pub staff_usd: f64,
    /// Premises.
    pub premises_usd: f64,
    /// Centre and site fixed running costs.
    pub fixed_usd: f64,
    /// Harmonisation projects.
    pub harmonisation_usd: f64,
    /// One-off costs of moving work (double running, separation,
    /// recruitment, project team, clearing backlogs).
    pub transition_usd: f64,
    /// Site set-up.
    pub setup_usd: f64,
}

/// Discounts each year's costs: yearly flows from the end of their year
/// ([`discount_factor`]), site set-up from the start of its year, so set-up
/// in year 0 is not discounted.
pub fn npv_parts(discount_rate_per_year: f64, years: &[YearOutcome]) -> NpvParts {
    let mut parts = NpvParts::default();
    for (year, y) in years.iter().enumerate() {
        let factor = discount_factor(discount_rate_per_year, year as u32);
        parts.staff_usd += y.staff_cost_usd * factor;
        parts.premises_usd += y.premises_cost_usd * factor;
        parts.fixed_usd += y.fixed_cost_usd * factor;
        parts.harmonisation_usd += y.harmonisation_cost_usd * factor;
        parts.transition_usd += y.transition_cost_usd() * factor;
        parts.setup_usd += y.setup_cost_usd * powi(1.0 + discount_rate_per_year, -(year as i32));
    }
    parts.total_usd = parts.setup_usd
        + parts.staff_usd
        + parts.premises_usd
        + parts.fixed_usd
        + parts.harmonisation_usd
        + parts.transition_usd;
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Grade, Param, SalaryShock};

    fn location() -> Location {
        let mut costs = ByGrade::from_fn(|_| None);
        costs[Grade::Gs] = Some(Param::Fixed(50_000.0));
        costs[Grade::P] = Some(Param::Fixed(150_000.0));
        Location {
            id: "x".into(),
            name: "X".into(),
            annual_cost_usd_per_fte: costs,
            salary_escalation_rate_per_year: Param::Fixed(0.1),
            exchange_rate_factor: Param::Fixed(1.2),
            premises_usd_per_fte_per_year: Param::Fixed(0.0),
            site_setup_cost_usd: Param::Fixed(0.0),
            site_fixed_cost_usd_per_year: Param::Fixed(0.0),
            salary_shock: None,
            utc_offset_hours: None,
        }
    }

    #[test]
    fn staff_cost_escalates_and_converts_only_local_grades() {
        let mut fte = ByGrade::default();
        fte[Grade::Gs] = 10.0;
        fte[Grade::P] = 2.0;
        // Year 0: 10 × 50 000 × 1.2 + 2 × 150 000 = 900 000.
        assert!((staff_cost_usd(&location(), &fte, &Draws::default(), 0) - 900_000.0).abs() < 1e-6);
        // Year 2: × 1.1² = 1 089 000.
        assert!(
            (staff_cost_usd(&location(), &fte, &Draws::default(), 2) - 1_089_000.0).abs() < 1e-6
        );
    }

    #[test]
    fn a_salary_shock_raises_local_grades_from_its_year() {
        let mut location = location();
        location.salary_shock = Some(SalaryShock {
            size: Param::Fixed(0.25),
            happens: Param::Fixed(1.0),
            year: 1,
        });
        let mut fte = ByGrade::default();
        fte[Grade::Gs] = 10.0;
        fte[Grade::P] = 2.0;
        // Year 0 unchanged: 900 000. Year 1: GS 10 × 50 000 × 1.2 × 1.25 × 1.1 + P 2 × 150 000 × 1.1.
        assert!((staff_cost_usd(&location, &fte, &Draws::default(), 0) - 900_000.0).abs() < 1e-6);
        let expected = 10.0 * 50_000.0 * 1.2 * 1.25 * 1.1 + 2.0 * 150_000.0 * 1.1;
        assert!((staff_cost_usd(&location, &fte, &Draws::default(), 1) - expected).abs() < 1e-6);
        location.salary_shock = Some(SalaryShock {
            size: Param::Fixed(0.25),
            happens: Param::Fixed(0.0),
            year: 1,
        });
        assert!((staff_cost_usd(&location, &fte, &Draws::default(), 1) - 990_000.0).abs() < 1e-6);
    }

    #[test]
    fn yearly_costs_are_discounted_from_the_end_of_their_year() {
        assert!((discount_factor(0.05, 0) - 1.0 / 1.05).abs() < 1e-15);
        assert!((discount_factor(0.05, 2) - 1.0 / 1.05f64.powi(3)).abs() < 1e-15);
        assert_eq!(discount_factor(0.0, 7), 1.0);
    }
}
