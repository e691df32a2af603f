//! Planning a strategy: its centres' teams and overhead, its sites, and —
//! when it has a migration plan — the move itself: headquarters units that
//! keep working until their work goes live elsewhere, separation of their
//! staff or relocation of those who move with the work, recruitment of the
//! rest, the project team and bad go-lives.
//!
//! All of it comes from plans (forecasts), not from the queues, so a
//! strategy's cost is known before its queues run.

use std::sync::{Arc, OnceLock};

use super::centre::{CentreSimulator, CentreYear, TeamPlan, team_mechanisms};
use super::cost::{YearOutcome, staff_cost_usd};
use super::plan::{TeamYear, year_staff_cost_usd};
use super::transition::MoveRules;
use crate::model::mechanisms::{Effects, Scope, mechanisms_acting_on};
use crate::model::{Centre, Draws, Location, Scenario, Strategy, Switches};

/// A headquarters unit of the status quo that keeps one agency's work of one
/// service line until it goes live in a centre, and works off its backlog
/// during the overlap.
#[derive(Clone, Debug, PartialEq)]
pub struct LegacyUnit {
    /// Index of the agency.
    pub agency: usize,
    /// Index of the service line.
    pub service_line: usize,
    /// The unit's staffing and capacity in each year (as in the status quo).
    pub years: Arc<[TeamYear]>,
    /// Arrivals before this day are the unit's.
    pub receives_until_day: usize,
    /// The unit works until this day (the end of the overlap).
    pub works_until_day: usize,
    /// What the unit costs in each year — running, double running, the
    /// relocation or separation of its staff — USD: its agency's own cost.
    pub cost_usd_by_year: Vec<f64>,
}

/// A strategy's staff and costs over the horizon.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StrategyPlan {
    /// One entry per year, summed over centres, sites and headquarters units.
    pub years: Vec<YearOutcome>,
    /// Each centre in the last year, in strategy order.
    pub centres: Vec<CentreYear>,
    /// Each team's plan: `[centre][team]`.
    pub teams: Vec<Vec<TeamPlan>>,
    /// Each centre's own years, before sites and the move's shared costs:
    /// `[centre][year]`. Its members share them (`sim::agencies`).
    pub centre_years: Vec<Vec<YearOutcome>>,
    /// Headquarters units still working while the move happens.
    pub legacy: Vec<LegacyUnit>,
    /// Go-lives that went badly.
    pub bad_go_lives: u32,
    /// The month the strategy's first work goes live in a centre; 0 when
    /// none moves.
    pub first_go_live_month: f64,
    /// The status quo's only: what a whole year of each of its teams costs
    /// as a headquarters unit. Empty for every other strategy.
    pub(crate) unit_year_costs: UnitYearCosts,
}

/// What a whole year of each of the status quo's teams costs as a
/// headquarters unit, `[centre][team]` then by year, each worked out the
/// first time a migrating strategy moves the team's work and then kept for
/// every other strategy planned against the same status quo (the
/// decomposition plans dozens a replication); teams whose work no strategy
/// moves are never costed. What it holds changes no plan, so plans are
/// equal whatever it holds.
#[derive(Clone, Debug, Default)]
pub(crate) struct UnitYearCosts(Vec<Vec<OnceLock<Box<[UnitYearCost]>>>>);

impl PartialEq for UnitYearCosts {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl UnitYearCosts {
    /// Room for the costs of `teams`, `[centre][team]`, none yet worked out.
    fn for_teams(teams: &[Vec<TeamPlan>]) -> Self {
        UnitYearCosts(
            (teams.iter())
                .map(|plans| plans.iter().map(|_| OnceLock::new()).collect())
                .collect(),
        )
    }

    /// The costs of team `team` of centre `centre`, by year: worked out by
    /// `cost` the first time they are asked for.
    fn get(
        &self,
        centre: usize,
        team: usize,
        cost: impl FnOnce() -> Box<[UnitYearCost]>,
    ) -> &[UnitYearCost] {
        (self.0.get(centre))
            .and_then(|teams| teams.get(team))
            .expect("the status quo's plan has room for its units' year costs")
            .get_or_init(cost)
    }
}

/// The mechanisms whose switches can change `strategy`'s plan: those acting
/// on its centres as a whole (the fixed overhead) always; learning and scale, and span of control, when the
/// scenario has their table; variance pooling and harmonisation only when a
/// team serves more than one agency — a one-member team's combined demand
/// is its own, and it has no other rules to harmonise. A migrating strategy
/// keeps the status quo's headquarters units for a while, so whatever
/// changes the status quo's plan changes its plan too.
///
/// Plans under switches that agree on these mechanisms are the same to the
/// bit: the decomposition makes each only once.
pub(crate) fn mechanisms_in_play(scenario: &Scenario, strategy: &Strategy) -> Switches {
    // Which mechanisms act on a centre does not depend on the draws.
    let draws = Draws::default();
    let on_centres = (strategy.centres.iter())
        .map(|centre| {
            let scope = Scope {
                draws: &draws,
                centre,
                team: None,
            };
            mechanisms_acting_on(&scenario.mechanisms, &scope)
        })
        .fold(Switches::ALL_OFF, Switches::or);
    let mut in_play = strategy
        .centres
        .iter()
        .flat_map(|c| &c.teams)
        .fold(on_centres, |s, t| s.or(team_mechanisms(scenario, t)));
    if strategy.migration.is_some() {
        in_play = in_play.or(mechanisms_in_play(scenario, &scenario.strategies[0]));
    }
    in_play
}

/// Plans a strategy under `switches`: its centres, one by one, then its
/// sites and, with a migration plan, the headquarters units that keep
/// working until their work moves — those are the status quo's under the
/// same switches, `status_quo`, planned by a simulator of the same draws
/// as `centres` (the units' year costs it keeps are at those draws).
pub(crate) fn plan_strategy(
    centres: &mut CentreSimulator,
    strategy: &Strategy,
    switches: Switches,
    status_quo: Option<&StrategyPlan>,
) -> StrategyPlan {
    let scenario = centres.scenario();
    let draws = centres.draws();
    let mut plan = StrategyPlan {
        years: vec![YearOutcome::default(); scenario.settings.horizon_years as usize],
        ..StrategyPlan::default()
    };
    let mut centre_starts = Vec::with_capacity(strategy.centres.len());
    let mut hires = Vec::with_capacity(strategy.centres.len());
    for centre in &strategy.centres {
        let outcome = centres.simulate(centre, strategy.migration.is_some(), switches);
        YearOutcome::add_each(&mut plan.years, &outcome.years);
        plan.centres.push(outcome.last_year);
        plan.bad_go_lives += outcome.bad_go_lives;
        centre_starts.push(outcome.start_month);
        plan.teams.push(outcome.teams);
        plan.centre_years.push(outcome.years);
        hires.push(outcome.hires_by_year);
    }
    if carries_site_costs(scenario, strategy, draws, switches) {
        let site_costs = add_sites(scenario, strategy, draws, &centre_starts, &mut plan.years);
        share_site_costs(strategy, &site_costs, &mut plan.centres);
    }
    if strategy.migration.is_some() {
        let status_quo =
            status_quo.expect("a migrating strategy is planned with the status quo's plan");
        let (legacy, movers) = add_legacy_units(
            scenario,
            strategy,
            draws,
            &plan.teams,
            status_quo,
            &mut plan.years,
        );
        plan.legacy = legacy;
        for (hires, movers) in hires.iter().zip(movers) {
            add_recruitment(scenario, draws, hires, movers, &mut plan.years);
        }
        let rules = MoveRules::new(&scenario.transition, draws);
        for y in &mut plan.years {
            y.move_cost_usd += rules.estimated(y.setup_cost_usd);
        }
        plan.first_go_live_month = first_go_live_month(strategy, &plan.teams);
    }
    if std::ptr::eq(strategy, &scenario.strategies[0]) {
        plan.unit_year_costs = UnitYearCosts::for_teams(&plan.teams);
    }
    plan
}

/// The month the first of a strategy's moving teams goes live; 0 if none moves.
fn first_go_live_month(strategy: &Strategy, teams: &[Vec<TeamPlan>]) -> f64 {
    strategy
        .centres
        .iter()
        .zip(teams)
        .flat_map(|(centre, plans)| centre.teams.iter().zip(plans))
        .filter(|(team, _)| team.moves)
        .map(|(_, plan)| plan.timeline.go_live_month)
        .reduce(f64::min)
        .unwrap_or(0.0)
}

/// Recruiting and training a centre's new staff, `hires` a year: staff who
/// moved with the work, `movers` in all, fill its first posts; the rest
/// are recruited, trained, and uplifted for optimism bias.
fn add_recruitment(
    scenario: &Scenario,
    draws: &Draws,
    hires: &[f64],
    movers: f64,
    years: &mut [YearOutcome],
) {
    let rules = MoveRules::new(&scenario.transition, draws);
    let mut movers_left = movers;
    for (y, &hired) in years.iter_mut().zip(hires) {
        let moved = hired.min(movers_left);
        movers_left -= moved;
        y.move_cost_usd += rules.new_staff(hired - moved);
    }
}

/// Whether, under `switches`, the strategy's new sites cost their set-up and
/// running costs: some mechanism on says so for its centres.
fn carries_site_costs(
    scenario: &Scenario,
    strategy: &Strategy,
    draws: &Draws,
    switches: Switches,
) -> bool {
    strategy.centres.iter().any(|centre| {
        let scope = Scope {
            draws,
            centre,
            team: None,
        };
        Effects::of(&scenario.mechanisms, &scope, switches).carries_site_costs()
    })
}

/// Splits each site's last-year running cost equally among its centres.
fn share_site_costs(strategy: &Strategy, last_year_usd: &[f64], centres: &mut [CentreYear]) {
    for (s, &cost) in last_year_usd.iter().enumerate() {
        let on_site = strategy.centres.iter().filter(|c| c.site == s).count();
        for (centre, year) in strategy.centres.iter().zip(centres.iter_mut()) {
            if centre.site == s {
                year.running_cost_usd += cost / on_site as f64;
            }
        }
    }
}

/// Site costs of a strategy's new sites, each opening when its first
/// centre's staff are paid. Returns each site's running cost in the last
/// year.
fn add_sites(
    scenario: &Scenario,
    strategy: &Strategy,
    draws: &Draws,
    centre_starts: &[f64],
    years: &mut [YearOutcome],
) -> Vec<f64> {
    let mut last_year_usd = vec![0.0; strategy.sites.len()];
    for (s, site) in strategy.sites.iter().enumerate() {
        // An existing site runs whatever the strategy: it adds no site costs.
        if site.existing {
            continue;
        }
        let opens = strategy
            .centres
            .iter()
            .zip(centre_starts)
            .filter(|(c, _)| c.site == s)
            .map(|(_, &start)| start)
            .fold(f64::INFINITY, f64::min);
        last_year_usd[s] = add_new_site(scenario, draws, site.location, opens, years);
    }
    last_year_usd
}

/// The costs of a new site at `location` that opens in month `opens`:
/// set-up at the start of the year it opens, running costs from then on.
/// Returns its running cost in the last year (0 if it never opens).
pub(crate) fn add_new_site(
    scenario: &Scenario,
    draws: &Draws,
    location: usize,
    opens: f64,
    years: &mut [YearOutcome],
) -> f64 {
    let calendar = scenario.calendar();
    if opens >= calendar.horizon_months() {
        return 0.0;
    }
    let location = &scenario.locations[location];
    years[calendar.year_of_month(opens) as usize].setup_cost_usd +=
        draws.value(location.site_setup_cost_usd);
    let fixed = draws.value(location.site_fixed_cost_usd_per_year);
    let mut last_year_usd = 0.0;
    for (year, y) in years.iter_mut().enumerate() {
        let running = fixed * calendar.share_of_year(year as u32, opens, f64::INFINITY);
        y.fixed_cost_usd += running;
        last_year_usd = running;
    }
    last_year_usd
}

/// A headquarters unit of the status quo: the location of its centre, its
/// plan and what a whole year of it costs.
#[derive(Clone, Copy)]
struct StatusQuoUnit<'p> {
    location: usize,
    plan: &'p TeamPlan,
    year_costs: &'p [UnitYearCost],
}

/// The status quo's unit for one agency's work in one service line, its
/// year costs at `draws`, the replication's the status quo was planned on.
fn status_quo_team<'p>(
    scenario: &Scenario,
    draws: &Draws,
    status_quo: &'p StrategyPlan,
    agency: usize,
    service_line: usize,
) -> StatusQuoUnit<'p> {
    let strategy = &scenario.strategies[0];
    for (c, centre) in strategy.centres.iter().enumerate() {
        for (t, team) in centre.teams.iter().enumerate() {
            if team.service_line == service_line && team.members == [agency] {
                let plan = &status_quo.teams[c][t];
                let location = &scenario.locations[centre.location];
                let year_costs = status_quo.unit_year_costs.get(c, t, || {
                    (plan.years.iter().enumerate())
                        .map(|(year, t)| UnitYearCost::of(location, draws, t, year))
                        .collect()
                });
                return StatusQuoUnit {
                    location: centre.location,
                    plan,
                    year_costs,
                };
            }
        }
    }
    unreachable!("the status quo has a team for every agency's work")
}

/// How a headquarters unit's work moves: when it goes live, the double
/// running planned and with optimism bias, and the share of its staff who
/// move with the work.
#[derive(Clone, Copy, Debug)]
struct UnitMove {
    go_live_month: f64,
    overlap_months: f64,
    uplifted_overlap_months: f64,
    transfer_share: f64,
}

impl UnitMove {
    /// When the unit stops working and its posts are abolished.
    fn end_month(&self) -> f64 {
        self.go_live_month + self.uplifted_overlap_months
    }
}

/// The headquarters units of a migrating strategy: each keeps its agency's
/// work of a line until the line goes live, works on through the overlap
/// (double running, a transition cost), and then its posts are abolished:
/// the staff who move with the work are relocated, the rest separated.
/// Returns the units and the staff who moved to each centre.
fn add_legacy_units(
    scenario: &Scenario,
    strategy: &Strategy,
    draws: &Draws,
    teams: &[Vec<TeamPlan>],
    status_quo: &StrategyPlan,
    years: &mut [YearOutcome],
) -> (Vec<LegacyUnit>, Vec<f64>) {
    let calendar = scenario.calendar();
    let (overlap, uplifted) = MoveRules::new(&scenario.transition, draws).overlap_months();
    let mut legacy = Vec::new();
    let mut movers = vec![0.0; strategy.centres.len()];
    for ((centre, team_plans), moved) in strategy.centres.iter().zip(teams).zip(&mut movers) {
        for (team, team_plan) in centre.teams.iter().zip(team_plans) {
            if !team.moves {
                continue;
            }
            let units: Vec<StatusQuoUnit> = (team.members.iter())
                .map(|&agency| {
                    status_quo_team(scenario, draws, status_quo, agency, team.service_line)
                })
                .collect();
            let mut unit_move = UnitMove {
                go_live_month: team_plan.timeline.go_live_month,
                overlap_months: overlap,
                uplifted_overlap_months: uplifted,
                transfer_share: 0.0,
            };
            unit_move.transfer_share =
                team_transfer_share(scenario, draws, centre, team_plan, &units, &unit_move);
            for (&agency, unit) in team.members.iter().zip(&units) {
                // The unit's own cost is what it adds to the strategy's years.
                let before: Vec<f64> = years.iter().map(YearOutcome::total_cost_usd).collect();
                let (joined, works_until_day) = if centre.absorbs_units_at(unit.location) {
                    let joined = add_absorbed_unit_costs(scenario, unit, team_plan, years);
                    (joined, team_plan.go_live_day)
                } else {
                    let moved = add_legacy_costs(scenario, draws, unit, &unit_move, years);
                    (moved, calendar.day_at_month(unit_move.end_month()))
                };
                *moved += joined;
                let cost_usd_by_year = (years.iter().zip(before))
                    .map(|(y, before)| y.total_cost_usd() - before)
                    .collect();
                legacy.push(LegacyUnit {
                    agency,
                    service_line: team.service_line,
                    years: unit.plan.years.clone(),
                    receives_until_day: team_plan.go_live_day,
                    works_until_day,
                    cost_usd_by_year,
                });
            }
        }
    }
    (legacy, movers)
}

/// The share of the staff of a team's headquarters `units` that `centre`
/// does not absorb ([`Centre::absorbs_units_at`]) who move with the work when their posts are
/// abolished (none after the horizon), up to the posts the units at the
/// team's location leave free.
fn team_transfer_share(
    scenario: &Scenario,
    draws: &Draws,
    centre: &Centre,
    team: &TeamPlan,
    units: &[StatusQuoUnit],
    unit_move: &UnitMove,
) -> f64 {
    let calendar = scenario.calendar();
    if unit_move.end_month() >= calendar.horizon_months() {
        return 0.0;
    }
    let year = calendar.year_of_month(unit_move.end_month()) as usize;
    let staff = |hosts: bool| -> f64 {
        (units.iter())
            .filter(|unit| centre.absorbs_units_at(unit.location) == hosts)
            .map(|unit| unit.plan.years[year].staff().total())
            .sum()
    };
    let posts = staff(false);
    if posts <= 0.0 {
        return 0.0;
    }
    let team_staff = (team.years[year].staff().total() - staff(true)).max(0.0);
    MoveRules::new(&scenario.transition, draws).transfer_share(posts, team_staff)
}

/// A headquarters unit already where its team's existing centre is (a host
/// agency's own unit): the team absorbs it. It runs as in the status quo until the
/// team's staff are paid, and its staff are then the team's: no double
/// running, no separation, no relocation, no recruitment. Returns the staff
/// who joined the team (none if the team starts after the horizon).
fn add_absorbed_unit_costs(
    scenario: &Scenario,
    unit: &StatusQuoUnit,
    team: &TeamPlan,
    years: &mut [YearOutcome],
) -> f64 {
    let calendar = scenario.calendar();
    let joins = team.timeline.payroll_from_month;
    for (year, y) in years.iter_mut().enumerate() {
        let running = calendar.share_of_year(year as u32, 0.0, joins);
        unit.plan.years[year].add_staff(running, y);
        unit.year_costs[year].add_running(running, y);
    }
    if joins >= calendar.horizon_months() {
        return 0.0;
    }
    unit.plan.years[calendar.year_of_month(joins) as usize]
        .staff()
        .total()
}

/// What a whole year of a headquarters unit's staff costs.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct UnitYearCost {
    staff_cost_usd: f64,
    premises_cost_usd: f64,
}

impl UnitYearCost {
    fn of(location: &Location, draws: &Draws, t: &TeamYear, year: usize) -> Self {
        let staff = t.staff();
        // Temporary capacity is paid like the unit's staff while it works.
        let staff_cost_usd = year_staff_cost_usd(location, &staff, [t], draws, year as u32);
        let premises_cost_usd = staff.total() * draws.value(location.premises_usd_per_fte_per_year);
        UnitYearCost {
            staff_cost_usd,
            premises_cost_usd,
        }
    }

    /// Charges the unit's running costs for the `running` share of the year.
    fn add_running(&self, running: f64, y: &mut YearOutcome) {
        y.staff_cost_usd += self.staff_cost_usd * running;
        y.premises_cost_usd += self.premises_cost_usd * running;
    }
}

/// A headquarters unit's running cost until go-live, its double running
/// during the overlap (the part optimism bias adds, its own kind), and at
/// the overlap's end the relocation of the staff who move and the
/// separation of the rest. Returns the staff who moved.
fn add_legacy_costs(
    scenario: &Scenario,
    draws: &Draws,
    unit: &StatusQuoUnit,
    unit_move: &UnitMove,
    years: &mut [YearOutcome],
) -> f64 {
    let calendar = scenario.calendar();
    let rules = MoveRules::new(&scenario.transition, draws);
    let go_live = unit_move.go_live_month;
    let planned_end = go_live + unit_move.overlap_months;
    for (year, y) in years.iter_mut().enumerate() {
        let t = &unit.plan.years[year];
        let cost = unit.year_costs[year];
        let running = calendar.share_of_year(year as u32, 0.0, go_live);
        let double = calendar.share_of_year(year as u32, go_live, planned_end);
        let late = calendar.share_of_year(year as u32, planned_end, unit_move.end_month());
        t.add_staff(running + double + late, y);
        cost.add_running(running, y);
        let whole_year_usd = cost.staff_cost_usd + cost.premises_cost_usd;
        y.move_cost_usd += rules.double_running(whole_year_usd, double, late);
    }
    let separation_month = unit_move.end_month();
    if separation_month >= calendar.horizon_months() {
        return 0.0;
    }
    let year = calendar.year_of_month(separation_month);
    let posts = unit.plan.years[year as usize].staff();
    let location = &scenario.locations[unit.location];
    let standard = staff_cost_usd(location, &posts, draws, year);
    years[year as usize].move_cost_usd +=
        rules.abolished_posts(posts.total(), standard, unit_move.transfer_share);
    posts.total() * unit_move.transfer_share
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Mechanism;
    use crate::sim::hand_computed;

    /// The hand-computed offshore strategy: its centre (610 USD in year 0,
    /// 910 in year 1, see the centre's tests) on a new site that opens at
    /// once: set-up 300 in year 0 and 20 a year to run.
    #[test]
    fn a_strategy_is_its_centres_plus_its_new_sites() {
        let scenario = hand_computed();
        let draws = Draws::default();
        let mut centres = CentreSimulator::new(&scenario, &draws);
        let plan = plan_strategy(
            &mut centres,
            &scenario.strategies[1],
            Switches::ALL_ON,
            None,
        );
        let total: Vec<f64> = plan.years.iter().map(|y| y.total_cost_usd()).collect();
        assert_eq!(total, [610.0 + 300.0 + 20.0, 910.0 + 20.0]);
        assert_eq!(plan.years[0].setup_cost_usd, 300.0);
        // The centre's last year carries its site's running cost: 910 + 20.
        assert_eq!(plan.centres[0].running_cost_usd, 930.0);
        assert!(plan.legacy.is_empty());
    }

    #[test]
    fn a_site_that_never_opens_costs_nothing() {
        let scenario = hand_computed();
        let mut years = vec![YearOutcome::default(); 2];
        let draws = Draws::default();
        // The horizon is 24 months.
        assert_eq!(add_new_site(&scenario, &draws, 1, 24.0, &mut years), 0.0);
        assert_eq!(years, vec![YearOutcome::default(); 2]);
        // Opening half-way through year 1: set-up then, half a year's running.
        assert_eq!(add_new_site(&scenario, &draws, 1, 18.0, &mut years), 10.0);
        assert_eq!(
            (years[1].setup_cost_usd, years[1].fixed_cost_usd),
            (300.0, 10.0)
        );
        assert_eq!(years[0], YearOutcome::default());
    }

    #[test]
    fn one_member_teams_leave_pooling_and_harmonisation_out_of_play() {
        let scenario = hand_computed();
        let in_play = mechanisms_in_play(&scenario, &scenario.strategies[1]);
        assert!(in_play.is_on(Mechanism::FixedOverhead));
        assert!(!in_play.is_on(Mechanism::VariancePooling));
        assert!(!in_play.is_on(Mechanism::Harmonisation));
    }

    /// The status quo's units' year costs, kept in its plan for every
    /// migrating strategy planned against it, are each unit's own costs
    /// worked out afresh, and are worked out for the teams whose work some
    /// strategy moves and no others: on every bundled scenario, each
    /// migrating strategy planned twice against one status quo (the second
    /// from the kept costs) is the same plan to the bit, legacy costs
    /// included, as one planned against a status quo of its own.
    #[test]
    fn a_unit_s_year_costs_are_worked_out_once_and_as_afresh() {
        let mut checked = 0;
        for scenario in crate::sim::bundled_scenarios() {
            let mut draws = Draws::default();
            draws.draw(&scenario, 11, 3);
            let mut centres = CentreSimulator::new(&scenario, &draws);
            let status_quo = &scenario.strategies[0];
            let kept = plan_strategy(&mut centres, status_quo, Switches::ALL_ON, None);
            for strategy in scenario.strategies.iter().filter(|s| s.migration.is_some()) {
                for _ in 0..2 {
                    let plan = plan_strategy(&mut centres, strategy, Switches::ALL_ON, Some(&kept));
                    let mut fresh = CentreSimulator::new(&scenario, &draws);
                    let own = plan_strategy(&mut fresh, status_quo, Switches::ALL_ON, None);
                    let afresh = plan_strategy(&mut fresh, strategy, Switches::ALL_ON, Some(&own));
                    let bits = |p: &StrategyPlan| -> Vec<u64> {
                        (p.years.iter().map(|y| y.total_cost_usd().to_bits()))
                            .chain(
                                p.legacy
                                    .iter()
                                    .flat_map(|u| &u.cost_usd_by_year)
                                    .map(|c| c.to_bits()),
                            )
                            .collect()
                    };
                    assert_eq!(
                        bits(&plan),
                        bits(&afresh),
                        "{}: {}",
                        scenario.name,
                        strategy.id
                    );
                    assert!(
                        !plan.legacy.is_empty(),
                        "{}: {}",
                        scenario.name,
                        strategy.id
                    );
                    checked += 1;
                }
            }
            // Kept: the costs of every team whose work moves, as
            // `UnitYearCost::of` gives them; none for the rest.
            for (c, centre) in status_quo.centres.iter().enumerate() {
                let location = &scenario.locations[centre.location];
                for (t, team) in centre.teams.iter().enumerate() {
                    let moves = (scenario.strategies.iter())
                        .filter(|s| s.migration.is_some())
                        .flat_map(|s| s.centres.iter().flat_map(|c| &c.teams))
                        .any(|m| {
                            m.moves
                                && m.service_line == team.service_line
                                && m.members.contains(&team.members[0])
                        });
                    let held = kept.unit_year_costs.0[c][t].get();
                    assert_eq!(held.is_some(), moves, "{}: {}", scenario.name, centre.id);
                    if let Some(costs) = held {
                        let years = &kept.teams[c][t].years;
                        let afresh: Vec<UnitYearCost> = (years.iter().enumerate())
                            .map(|(year, y)| UnitYearCost::of(location, &draws, y, year))
                            .collect();
                        assert_eq!(costs.as_ref(), afresh.as_slice());
                    }
                }
            }
        }
        assert!(checked >= 10, "{checked} plans checked");
    }
}
