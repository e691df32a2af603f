//! `[[strategy.centre]]`: one centre of a strategy — where it is, whom it
//! serves in which lines, and how it is staffed — as written, and checked
//! into a [`Centre`] whose teams the strategy's migration then schedules.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::by_grade::RawByGrade;
use super::number::RawNumber;
use super::settings::RawStaffingPolicy;
use super::validate::{Context, Domain, NON_NEGATIVE, Validator};
use crate::model::{ByGrade, Centre, Location, Overhead, Param, Staffing, Team};

/// `[[strategy.centre]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCentre {
    pub id: Spanned<String>,
    pub location: Spanned<String>,
    pub site: Option<Spanned<String>>,
    #[serde(default)]
    pub existing: bool,
    pub agencies: Spanned<Vec<Spanned<String>>>,
    pub service_lines: Spanned<Vec<Spanned<String>>>,
    pub grade_mix: Option<Spanned<RawByGrade<Spanned<f64>>>>,
    pub fixed_staff_fte: Option<Spanned<RawStaffTables>>,
    pub fixed_cost_usd_per_year: Option<Spanned<RawNumber>>,
    pub overhead_staff_fte: Option<Spanned<RawByGrade<Spanned<RawNumber>>>>,
    pub supervisor_grade_mix: Option<Spanned<RawByGrade<Spanned<f64>>>>,
    pub service_charge_share: Option<Spanned<RawNumber>>,
    pub staffing_policy: Option<RawStaffingPolicy>,
}

/// `fixed_staff_fte`: a staffing table by grade per service line id.
pub(crate) type RawStaffTables = BTreeMap<Spanned<String>, Spanned<RawByGrade<Spanned<RawNumber>>>>;

const SERVICE_CHARGE_SHARE: Domain =
    Domain::closed(0.0, 10.0, "a share of staff costs from 0 to 10");

impl RawCentre {
    /// The centre of strategy `strategy_id`, on site 0 until the strategy
    /// places it; `None` when what it refers to is unknown.
    pub(super) fn validate(
        &self,
        v: &mut Validator,
        strategy_id: &str,
        ctx: &Context,
    ) -> Option<Centre> {
        let id = self.id.get_ref().clone();
        // Centre ids are unique within a strategy only: the strategy keeps input names unique.
        let path = format!("strategy.{strategy_id}.centre.{id}");
        let location = v.reference("location", ctx.location_ids, &self.location);
        if let Some(site) = &self.site {
            v.identifier("site", site);
        }
        let members = v.reference_list("agency", ctx.agency_ids, &self.agencies);
        let lines = v.reference_list("service line", ctx.line_ids, &self.service_lines);
        let (location, members, lines) = (location?, members?, lines?);
        let members: Vec<usize> = members.into_iter().map(|(a, _)| a).collect();
        let mut teams: Vec<Team> = (lines.into_iter())
            .filter_map(|(l, span)| self.team(v, l, span, &members, location, ctx))
            .collect();
        self.staffing(v, &path, &ctx.locations[location], &mut teams, ctx);
        let own_overhead = (self.overhead_staff_fte.as_ref())
            .map(|table| Overhead::Own(v.fte_table(&format!("{path}.overhead_staff_fte"), table)));
        let defaults = Centre::new(id, location, 0, self.existing, teams, &ctx.centre_defaults);
        let overhead = own_overhead.unwrap_or(defaults.overhead);
        self.overhead_priced(v, &ctx.locations[location], &overhead);
        Some(Centre {
            fixed_cost_usd_per_year: v.optional_param(
                format!("{path}.fixed_cost_usd_per_year"),
                &self.fixed_cost_usd_per_year,
                NON_NEGATIVE,
                0.0,
            ),
            service_charge_share: v.optional_param(
                format!("{path}.service_charge_share"),
                &self.service_charge_share,
                SERVICE_CHARGE_SHARE,
                0.0,
            ),
            overhead,
            supervisor_grade_mix: (self.supervisor_grade_mix.as_ref())
                .map(|mix| v.grade_shares("supervisor_grade_mix", mix)),
            staffing_policy: (self.staffing_policy)
                .map_or(defaults.staffing_policy, RawStaffingPolicy::policy),
            ..defaults
        })
    }

    /// The team serving line `l` for those of `members` with work in it;
    /// whether and when the work moves is set with the strategy's migration.
    fn team(
        &self,
        v: &mut Validator,
        l: usize,
        line_span: Range<usize>,
        members: &[usize],
        location: usize,
        ctx: &Context,
    ) -> Option<Team> {
        let id = self.id.get_ref();
        let line = &ctx.service_lines[l];
        let team_members: Vec<usize> = (members.iter().copied())
            .filter(|&a| ctx.agencies[a].lines[l].is_some())
            .collect();
        if team_members.is_empty() {
            v.problem(
                line_span,
                format!(
                    "centre `{id}` serves `{}` but none of its agencies has work in it",
                    line.id
                ),
                "only service lines in which at least one of the centre's agencies has volume",
            );
            return None;
        }
        let away_from_hq = (team_members.iter()).any(|&a| ctx.agencies[a].hq_location != location);
        if !line.relocatable && away_from_hq {
            v.problem(
                line_span,
                format!("service line `{}` may not be relocated, but centre `{id}` is not at its agencies' headquarters", line.id),
                "non-relocatable lines served at each agency's headquarters location",
            );
        }
        Some(Team {
            service_line: l,
            members: team_members,
            staffing: Staffing::Planned {
                grade_mix: ByGrade::default(),
            },
            moves: false,
            go_live_month: 0,
            bad_go_live: Param::Fixed(0.0),
        })
    }

    /// Reports a grade the centre's `overhead` may employ that its
    /// location does not price.
    fn overhead_priced(&self, v: &mut Validator, location: &Location, overhead: &Overhead) {
        let priced = overhead.priced_fte();
        let span = (self.overhead_staff_fte.as_ref()).map_or(self.id.span(), |t| t.span());
        let used = ByGrade::from_fn(|g| v.can_be_positive(priced[g]));
        let whose = format!("the overhead staff of centre `{}`", self.id.get_ref());
        v.grades_have_costs(span, location, &used, &whose);
    }

    /// Sets each team's staffing from the centre's `grade_mix` (planned) or
    /// `fixed_staff_fte` (a staffing table per service line).
    fn staffing(
        &self,
        v: &mut Validator,
        path: &str,
        location: &Location,
        teams: &mut [Team],
        ctx: &Context,
    ) {
        let id = self.id.get_ref();
        match (&self.grade_mix, &self.fixed_staff_fte) {
            (Some(_), Some(fixed)) => v.problem(
                fixed.span(),
                format!("centre `{id}` has both grade_mix and fixed_staff_fte"),
                "grade_mix for planned staffing or fixed_staff_fte for a fixed staffing table, not both",
            ),
            (None, None) => v.problem(
                self.id.span(),
                format!("centre `{id}` says neither how its staff is planned nor how it is fixed"),
                "grade_mix = { GS = ..., ... } (planned) or a [strategy.centre.fixed_staff_fte] table",
            ),
            (Some(mix), None) => {
                let grade_mix = v.grade_shares("grade_mix", mix);
                let used = ByGrade::from_fn(|g| grade_mix[g] > 0.0);
                v.grades_have_costs(mix.span(), location, &used, &format!("centre `{id}`"));
                for team in teams.iter_mut() {
                    team.staffing = Staffing::Planned { grade_mix };
                }
            }
            (None, Some(fixed)) => self.fixed_staffing(v, path, fixed, location, teams, ctx),
        }
    }

    /// Sets each team's staffing from its table in `fixed_staff_fte`.
    fn fixed_staffing(
        &self,
        v: &mut Validator,
        path: &str,
        fixed: &Spanned<RawStaffTables>,
        location: &Location,
        teams: &mut [Team],
        ctx: &Context,
    ) {
        let id = self.id.get_ref();
        let tables = fixed.get_ref();
        for line_id in tables.keys() {
            let served =
                (teams.iter()).any(|t| ctx.service_lines[t.service_line].id == *line_id.get_ref());
            if !served {
                v.problem(
                    line_id.span(),
                    format!(
                        "fixed_staff_fte names `{}`, which centre `{id}` does not serve",
                        line_id.get_ref()
                    ),
                    "one staffing table per service line the centre serves",
                );
            }
        }
        for team in teams.iter_mut() {
            let line_id = &ctx.service_lines[team.service_line].id;
            let Some((_, table)) = tables.iter().find(|(k, _)| k.get_ref() == line_id) else {
                v.problem(
                    fixed.span(),
                    format!("fixed_staff_fte of centre `{id}` has no table for `{line_id}`"),
                    format!("{line_id} = {{ GS = ..., ... }} in fixed_staff_fte"),
                );
                continue;
            };
            let fte = v.fte_table(&format!("{path}.fixed_staff_fte.{line_id}"), table);
            let entries = table.get_ref().entries();
            let used = ByGrade::from_fn(|g| entries[g as usize].is_some());
            v.grades_have_costs(table.span(), location, &used, &format!("centre `{id}`"));
            team.staffing = Staffing::Fixed { fte };
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Centre, Overhead, Param, StaffingPolicy};

    /// The hand-computed scenario with `settings` added to `[settings]`,
    /// `centre` to its offshore centre and `rest` at the end, the offshore
    /// location pricing a director; its offshore centre and the status
    /// quo's headquarters centre.
    fn centres(settings: &str, centre: &str, rest: &str) -> (Centre, Centre) {
        let text = include_str!("../../tests/fixtures/hand-computed.toml")
            .replace("[settings]\n", &format!("[settings]\n{settings}\n"))
            .replace("{ GS = 400, P = 800 }", "{ GS = 400, P = 800, D = 2000 }")
            .replace(
                "fixed_cost_usd_per_year = 10",
                &format!("fixed_cost_usd_per_year = 10\n{centre}"),
            );
        let scenario = crate::scenario::parse("test.toml", &format!("{text}\n{rest}")).unwrap();
        let centre = scenario.strategies[1].centres[0].clone();
        (centre, scenario.strategies[0].centres[0].clone())
    }

    #[test]
    fn centres_without_settings_of_their_own_take_the_scenario_s() {
        let (centre, hq) = centres("staffing_policy = \"flex\"", "", "");
        assert_eq!(centre.staffing_policy, StaffingPolicy::Flex);
        assert_eq!(hq.staffing_policy, StaffingPolicy::Flex);
        // No [mechanisms.fixed_overhead]: no overhead staff.
        assert_eq!(
            (centre.overhead, hq.overhead),
            (Overhead::None, Overhead::None)
        );
        assert_eq!(centre.fixed_cost_usd_per_year, Param::Fixed(10.0));
        assert_eq!(hq.fixed_cost_usd_per_year, Param::Fixed(0.0));
        let (centre, _) = centres(
            "staffing_policy = \"flex\"",
            "staffing_policy = \"peak\"",
            "",
        );
        assert_eq!(centre.staffing_policy, StaffingPolicy::Peak);
    }

    #[test]
    fn the_default_overhead_table_written_out_is_sized_and_a_centre_s_own_is_kept() {
        let (centre, hq) = centres("", "", "[mechanisms.fixed_overhead]");
        assert_eq!(centre.overhead, Overhead::SizedDefault);
        // Headquarters management is not attributed to its processing units.
        assert_eq!(hq.overhead, Overhead::None);
        let written = "[mechanisms.fixed_overhead]\ncentre_staff_fte = { GS = 1, P = 1, D = 1 }";
        let (centre, _) = centres("", "", written);
        assert_eq!(centre.overhead, Overhead::SizedDefault);
        let own = "overhead_staff_fte = { GS = 0.5 }";
        let (centre, _) = centres("", own, written);
        let table = crate::model::ByGrade([0.5, 0.0, 0.0, 0.0, 0.0].map(Param::Fixed));
        assert_eq!(centre.overhead, Overhead::Own(table));
        let floor = "[mechanisms.fixed_overhead]\ncentre_staff_fte = { GS = 2, P = 1 }";
        let (centre, _) = centres("", "", floor);
        let table = crate::model::ByGrade([2.0, 0.0, 1.0, 0.0, 0.0].map(Param::Fixed));
        assert_eq!(centre.overhead, Overhead::Floor(table));
    }

    #[test]
    fn an_existing_centre_without_a_table_of_its_own_has_no_overhead() {
        let rest = "[mechanisms.fixed_overhead]";
        let (centre, _) = centres("", "existing = true", rest);
        assert_eq!(centre.overhead, Overhead::None);
    }
}
