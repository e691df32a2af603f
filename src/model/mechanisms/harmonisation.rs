//! Harmonisation: a team serving several agencies' administrative rules and
//! ICT platforms works slower (JIU/REP/2009/6 para 133), until a
//! harmonisation project — which costs money and time — removes part of the
//! penalty. This is what makes pooling not free.

use super::{About, Effect, Scope, WorkingYear};
use crate::model::{Draws, Param};

/// How harmonisation is named in results.
pub(crate) const ABOUT: About = About {
    id: "harmonisation",
    label: "harmonisation",
    heading: "Harmonisation",
};

/// Extra effort per agency beyond the first when one team serves several
/// agencies' rules, ICT platforms and information systems (para 133): 10%.
/// Assumption.
pub(crate) const PENALTY_PER_ADDITIONAL_AGENCY: f64 = 0.10;

/// Cost of harmonising one service line's rules and systems with one more
/// agency, USD. Assumption.
pub(crate) const PROJECT_COST_USD_PER_ADDITIONAL_AGENCY: f64 = 500_000.0;

/// Years a harmonisation project takes. Assumption.
pub(crate) const PROJECT_YEARS: i64 = 2;

/// Share of the penalty left after harmonisation: rules converge, some
/// differences in entitlements and systems remain. Assumption.
pub(crate) const REMAINING_PENALTY_SHARE: f64 = 0.25;

/// Slower processing of a team serving several agencies' rules and systems.
#[derive(Clone, Debug)]
pub struct Harmonisation {
    /// Extra effort per agency beyond the first (0.1 = +10% for each).
    pub penalty_per_additional_agency: Param,
    /// Cost of the harmonisation project of one team, per agency beyond the first, USD.
    pub project_cost_usd_per_additional_agency: Param,
    /// Years the project takes; its cost is spread evenly over them.
    pub project_years: u32,
    /// Share of the penalty left once the project is complete (1 = no project).
    pub remaining_penalty_share: Param,
}

impl Harmonisation {
    /// The effort multiple of a team serving `additional_agencies + 1` rule
    /// sets in `year`, and its harmonisation spending that year, USD. The
    /// penalty `1 + p·(k − 1)` applies in full until the project ends, then
    /// only its remaining share; the project's cost is spread evenly over
    /// its years.
    pub fn effect(&self, draws: &Draws, year: u32, additional_agencies: f64) -> (f64, f64) {
        let penalty = draws.value(self.penalty_per_additional_agency) * additional_agencies;
        let remaining = if year >= self.project_years {
            draws.value(self.remaining_penalty_share)
        } else {
            1.0
        };
        let project_years = self.project_years.max(1);
        let cost = if year < project_years {
            draws.value(self.project_cost_usd_per_additional_agency) * additional_agencies
                / f64::from(project_years)
        } else {
            0.0
        };
        (1.0 + penalty * remaining, cost)
    }
}

/// The penalty and project of one team serving several agencies.
struct Penalty<'a> {
    harmonisation: &'a Harmonisation,
    draws: &'a Draws,
    additional_agencies: f64,
}

impl Penalty<'_> {
    fn effect(&self, year: &WorkingYear) -> (f64, f64) {
        (self.harmonisation).effect(self.draws, year.year, self.additional_agencies)
    }
}

impl Effect for Penalty<'_> {
    fn effort_factor(&self, year: &WorkingYear) -> f64 {
        self.effect(year).0
    }

    fn year_cost_usd(&self, year: &WorkingYear) -> Option<f64> {
        Some(self.effect(year).1)
    }
}

/// On a team of several agencies, when the scenario has its table.
pub fn effect<'a>(
    harmonisation: &'a Harmonisation,
    scope: &Scope<'a>,
) -> Option<Box<dyn Effect + 'a>> {
    let additional_agencies = scope.team?.members.len() as f64 - 1.0;
    (additional_agencies > 0.0).then(|| {
        Box::new(Penalty {
            harmonisation,
            draws: scope.draws,
            additional_agencies,
        }) as Box<dyn Effect>
    })
}

/// Only for a team of several agencies: one agency has no other rules to
/// harmonise with.
pub fn changes_team(_: Option<&Harmonisation>, member_count: usize) -> bool {
    member_count > 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn harmonisation_penalty_drops_when_the_project_ends() {
        let h = Harmonisation {
            penalty_per_additional_agency: Param::Fixed(0.1),
            project_cost_usd_per_additional_agency: Param::Fixed(300.0),
            project_years: 2,
            remaining_penalty_share: Param::Fixed(0.25),
        };
        let draws = Draws::default();
        // Three agencies: penalty 0.2, cost 600 over two years.
        assert_eq!(h.effect(&draws, 0, 2.0), (1.2, 300.0));
        assert_eq!(h.effect(&draws, 1, 2.0), (1.2, 300.0));
        assert_eq!(h.effect(&draws, 2, 2.0), (1.05, 0.0));
    }
}
