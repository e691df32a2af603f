//! Planning a strategy: its centres' teams and overhead, its sites, and —
//! when it has a migration plan — the move itself: headquarters units that
//! keep working until their work goes live elsewhere, separation of their
//! staff, recruitment, the project team and bad go-lives.
//!
//! All of it comes from plans (forecasts), not from the queues, so a
//! strategy's cost is known before its queues run.

use super::cost::staff_cost_usd;
use super::plan::{Requirement, RequirementCache, StrategyRequirements, TeamYear, plan_team};
use super::transition::{
    Disruption, Timeline, cost_per_new_staff_usd, separation_cost_usd, timeline,
};
use std::collections::HashMap;
use std::sync::Arc;

use crate::model::{
    ByGrade, Calendar, Centre, Grade, Location, Mechanism, Scenario, Strategy, Switches, Work,
};
use crate::model::{Draws, Transition};

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
    /// One-off costs of the move during the year — double running,
    /// separation, recruitment and training, the project team, clearing
    /// backlogs — USD.
    pub transition_cost_usd: f64,
    /// Site set-up paid at the start of the year, USD.
    pub setup_cost_usd: f64,
}

impl YearOutcome {
    /// Everything the year cost, USD.
    pub fn total_cost_usd(&self) -> f64 {
        self.staff_cost_usd
            + self.premises_cost_usd
            + self.fixed_cost_usd
            + self.harmonisation_cost_usd
            + self.transition_cost_usd
            + self.setup_cost_usd
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
        self.transition_cost_usd += other.transition_cost_usd;
        self.setup_cost_usd += other.setup_cost_usd;
    }
}

/// A team's plan: its staffing by year and when it works.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamPlan {
    /// Staffing and capacity of each year, as if working the whole year.
    pub years: Arc<[TeamYear]>,
    /// When its staff are paid and its work goes live.
    pub timeline: Timeline,
    /// First day the team processes its members' work.
    pub go_live_day: usize,
    /// A bad go-live, if it happens in this replication.
    pub disruption: Option<Disruption>,
}

impl TeamPlan {
    /// The team's capacity on `day` of the horizon.
    pub fn capacity(&self, day: usize, working_days_per_year: usize) -> f64 {
        self.capacity_in_year(day / working_days_per_year, day)
    }

    /// The team's capacity on `day` of the horizon, which falls in `year`.
    pub fn capacity_in_year(&self, year: usize, day: usize) -> f64 {
        if day < self.go_live_day {
            return 0.0;
        }
        let normal = self.years[year].capacity_per_day;
        self.disruption.map_or(normal, |d| d.capacity(day, normal))
    }
}

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
}

/// A centre in the last year of the horizon, when every move is over: a
/// point on the economies-of-scale curve.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CentreYear {
    /// Expected transactions of its member agencies in its service lines.
    pub transactions: f64,
    /// Staff, premises, fixed and harmonisation costs, and an equal share of
    /// its new site's running costs, USD (no set-up or transition costs).
    pub running_cost_usd: f64,
    /// All its staff.
    pub fte: f64,
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
    /// Headquarters units still working while the move happens.
    pub legacy: Vec<LegacyUnit>,
    /// Go-lives that went badly.
    pub bad_go_lives: u32,
}

/// The capacity requirements of every team of a strategy, from (and into)
/// the replication's `cache`.
pub fn strategy_requirements(
    strategy: &Strategy,
    cache: &mut RequirementCache,
) -> StrategyRequirements {
    strategy
        .centres
        .iter()
        .map(|c| c.teams.iter().map(|t| cache.requirement(t)).collect())
        .collect()
}

/// The mechanisms whose switches can change `strategy`'s plan: fixed
/// overhead always; learning and scale, and span of control, when the
/// scenario has their table; variance pooling and harmonisation only when a
/// team serves more than one agency — a one-member team's combined demand
/// is its own, and it has no other rules to harmonise. A migrating strategy
/// keeps the status quo's headquarters units for a while, so whatever
/// changes the status quo's plan changes its plan too.
///
/// Plans under switches that agree on these mechanisms are the same to the
/// bit: the decomposition makes each only once.
pub fn mechanisms_in_play(scenario: &Scenario, strategy: &Strategy) -> Switches {
    let mechanisms = &scenario.mechanisms;
    let mut in_play = Switches::ALL_OFF.with(Mechanism::FixedOverhead);
    if mechanisms.learning.is_some() {
        in_play = in_play.with(Mechanism::LearningAndScale);
    }
    if mechanisms.span_of_control.is_some() {
        in_play = in_play.with(Mechanism::SpanOfControl);
    }
    let shared = strategy
        .centres
        .iter()
        .flat_map(|c| &c.teams)
        .any(|t| t.members.len() > 1);
    if shared {
        in_play = in_play
            .with(Mechanism::VariancePooling)
            .with(Mechanism::Harmonisation);
    }
    if strategy.migration.is_some() {
        in_play = in_play.or(mechanisms_in_play(scenario, &scenario.strategies[0]));
    }
    in_play
}

/// Plans a strategy under `switches`. A strategy with a migration plan needs
/// the status quo's plan under the same switches (`status_quo`): its
/// headquarters units keep working until their work moves.
pub fn plan_strategy(
    scenario: &Scenario,
    strategy: &Strategy,
    draws: &Draws,
    requirements: &StrategyRequirements,
    switches: Switches,
    status_quo: Option<&StrategyPlan>,
) -> StrategyPlan {
    plan_strategy_teams(
        scenario,
        strategy,
        draws,
        requirements,
        switches,
        status_quo,
        &mut |_, _, plan| plan().into(),
    )
}

/// The staffing of a strategy's teams already planned in a replication,
/// by centre, team and the switches it depends on: those of the
/// mechanisms in play for the strategy ([`mechanisms_in_play`]) but fixed
/// overhead, which does not change a team's staffing.
#[derive(Debug)]
pub struct TeamYearsCache {
    /// The switches a team's staffing depends on.
    depends_on: Switches,
    known: HashMap<(usize, usize, Switches), Arc<[TeamYear]>>,
}

impl TeamYearsCache {
    /// An empty cache for `strategy`'s teams.
    pub fn new(scenario: &Scenario, strategy: &Strategy) -> Self {
        TeamYearsCache {
            depends_on: mechanisms_in_play(scenario, strategy).without(Mechanism::FixedOverhead),
            known: HashMap::new(),
        }
    }
}

/// [`plan_strategy`], taking the teams' staffing from `teams` when it has
/// it, and keeping what it plans there. `teams` must be this strategy's in
/// this replication — or that of a strategy whose centres differ from its
/// own only in where they are: a team's staffing does not depend on the
/// location.
pub fn plan_strategy_with(
    scenario: &Scenario,
    strategy: &Strategy,
    draws: &Draws,
    requirements: &StrategyRequirements,
    switches: Switches,
    status_quo: Option<&StrategyPlan>,
    teams: &mut TeamYearsCache,
) -> StrategyPlan {
    plan_strategy_teams(
        scenario,
        strategy,
        draws,
        requirements,
        switches,
        status_quo,
        &mut |c, t, plan| {
            let key = (c, t, switches.and(teams.depends_on));
            teams
                .known
                .entry(key)
                .or_insert_with(|| plan().into())
                .clone()
        },
    )
}

/// The staffing of team `t` of centre `c`, made by the function given
/// unless it is known already.
type TeamYearsOf<'a> = dyn FnMut(usize, usize, &dyn Fn() -> Vec<TeamYear>) -> Arc<[TeamYear]> + 'a;

/// The staffing of team `t` of the centre being planned, made by the
/// function given unless it is known already.
type TeamYearsOfCentre<'a> = dyn FnMut(usize, &dyn Fn() -> Vec<TeamYear>) -> Arc<[TeamYear]> + 'a;

/// [`plan_strategy`], with the teams' staffing from `team_years`.
fn plan_strategy_teams(
    scenario: &Scenario,
    strategy: &Strategy,
    draws: &Draws,
    requirements: &StrategyRequirements,
    switches: Switches,
    status_quo: Option<&StrategyPlan>,
    team_years: &mut TeamYearsOf,
) -> StrategyPlan {
    let calendar = scenario.calendar();
    let years = scenario.settings.horizon_years as usize;
    let mut plan = StrategyPlan {
        years: vec![YearOutcome::default(); years],
        ..StrategyPlan::default()
    };
    let mut centre_starts = Vec::with_capacity(strategy.centres.len());
    for (c, (centre, requirements)) in strategy.centres.iter().zip(requirements).enumerate() {
        let centre_plan = plan_centre(
            scenario,
            centre,
            draws,
            requirements,
            switches,
            strategy.migration.is_some(),
            &mut |t, plan| team_years(c, t, plan),
        );
        for (total, year) in plan.years.iter_mut().zip(&centre_plan.years) {
            total.add(year);
        }
        plan.centres
            .push(last_year(scenario, centre, draws, &centre_plan.years));
        plan.bad_go_lives += centre_plan.bad_go_lives();
        centre_starts.push(centre_plan.start_month);
        plan.teams.push(centre_plan.teams);
    }
    if switches.is_on(Mechanism::FixedOverhead) {
        let site_costs = add_sites(
            scenario,
            strategy,
            draws,
            &calendar,
            &centre_starts,
            &mut plan.years,
        );
        share_site_costs(strategy, &site_costs, &mut plan.centres);
    }
    if strategy.migration.is_some() {
        let status_quo =
            status_quo.expect("a migrating strategy is planned with the status quo's plan");
        plan.legacy = add_legacy_units(
            scenario,
            strategy,
            draws,
            &calendar,
            &plan.teams,
            status_quo,
            &mut plan.years,
        );
    }
    plan
}

/// A centre's plan.
struct CentrePlan {
    years: Vec<YearOutcome>,
    teams: Vec<TeamPlan>,
    /// The month its first staff are paid.
    start_month: f64,
}

impl CentrePlan {
    /// Go-lives that went badly: teams going live together share one.
    fn bad_go_lives(&self) -> u32 {
        let mut months: Vec<f64> = self
            .teams
            .iter()
            .filter(|t| t.disruption.is_some())
            .map(|t| t.timeline.go_live_month)
            .collect();
        months.sort_by(f64::total_cmp);
        months.dedup();
        months.len() as u32
    }
}

/// Plans a centre; `team_years(t, plan)` is team `t`'s staffing, made by
/// `plan` unless it is known already.
fn plan_centre(
    scenario: &Scenario,
    centre: &Centre,
    draws: &Draws,
    requirements: &[Requirement],
    switches: Switches,
    migrating: bool,
    team_years: &mut TeamYearsOfCentre,
) -> CentrePlan {
    let calendar = scenario.calendar();
    let location = &scenario.locations[centre.location];
    let transition = &scenario.transition;
    let timelines: Vec<Timeline> = centre
        .teams
        .iter()
        .map(|t| {
            if migrating {
                timeline(transition, t, draws)
            } else {
                Timeline::IN_PLACE
            }
        })
        .collect();
    let start_month = timelines
        .iter()
        .map(|t| t.payroll_from_month)
        .fold(f64::INFINITY, f64::min)
        .min(calendar.horizon_months());
    let teams: Vec<TeamPlan> = centre
        .teams
        .iter()
        .zip(requirements)
        .zip(&timelines)
        .enumerate()
        .map(|(t, ((team, requirement), timeline))| {
            let years = team_years(t, &|| {
                plan_team(
                    scenario,
                    centre,
                    team,
                    draws,
                    requirement,
                    switches,
                    timeline,
                )
            });
            let capacity: Vec<f64> = years.iter().map(|y| y.capacity_per_day).collect();
            // A contact desk answers calls as they come: a bad go-live's
            // backlog is a queue line's notion.
            let bad = team.moves
                && matches!(
                    scenario.service_lines[team.service_line].work,
                    Work::Queue(_)
                )
                && draws.value(team.bad_go_live) >= 0.5
                && timeline.go_live_month < calendar.horizon_months();
            TeamPlan {
                years,
                timeline: *timeline,
                go_live_day: calendar.day_at_month(timeline.go_live_month),
                disruption: bad.then(|| {
                    Disruption::new(
                        transition,
                        draws,
                        &calendar,
                        timeline.go_live_month,
                        &capacity,
                    )
                }),
            }
        })
        .collect();

    let overhead_on = switches.is_on(Mechanism::FixedOverhead);
    let overhead = ByGrade::from_fn(|g| {
        if overhead_on {
            draws.value(centre.overhead_staff_fte[g])
        } else {
            0.0
        }
    });
    let premises = draws.value(location.premises_usd_per_fte_per_year);
    let service_charge = draws.value(centre.service_charge_share);
    let fixed = if overhead_on {
        draws.value(centre.fixed_cost_usd_per_year)
    } else {
        0.0
    };
    let mut years: Vec<YearOutcome> = (0..scenario.settings.horizon_years)
        .map(|year| {
            let open = calendar.share_of_year(year, start_month, f64::INFINITY);
            let mut y = YearOutcome {
                fte: ByGrade::from_fn(|g| overhead[g] * open),
                overhead_fte: overhead.total() * open,
                fixed_cost_usd: fixed * open,
                ..YearOutcome::default()
            };
            for team in &teams {
                let t = &team.years[year as usize];
                for grade in Grade::ALL {
                    y.fte[grade] +=
                        (t.processing_fte[grade] + t.supervision_fte[grade]) * t.payroll_share;
                }
                y.processing_fte += t.processing_fte.total() * t.payroll_share;
                y.supervision_fte += t.supervision_fte.total() * t.payroll_share;
                y.harmonisation_cost_usd += t.harmonisation_cost_usd;
            }
            y.staff_cost_usd = staff_cost_usd(location, &y.fte, draws, year);
            y.premises_cost_usd = y.fte.total() * premises;
            y.fixed_cost_usd += y.staff_cost_usd * service_charge;
            y
        })
        .collect();
    if migrating {
        let transition = &scenario.transition;
        let hires = hires_by_year(&teams, overhead.total());
        let per_new_staff = cost_per_new_staff_usd(transition, draws);
        for (y, hired) in years.iter_mut().zip(hires) {
            y.transition_cost_usd += hired * per_new_staff;
        }
        // The dedicated project team is an overhead of each centre.
        if overhead_on {
            add_project_team(transition, draws, &calendar, centre, &timelines, &mut years);
        }
        for plan in &teams {
            if let Some(disruption) = plan.disruption {
                add_clearing(
                    transition,
                    draws,
                    &calendar,
                    location,
                    &plan.years,
                    &disruption,
                    &mut years,
                );
            }
        }
    }
    CentrePlan {
        years,
        teams,
        start_month,
    }
}

/// New staff each year: the growth of the staff on payroll by the year's end
/// (teams whose staff have started, and the centre's overhead staff once any has).
fn hires_by_year(teams: &[TeamPlan], overhead_fte: f64) -> Vec<f64> {
    let years = teams.first().map_or(0, |t| t.years.len());
    let mut previous: f64 = 0.0;
    (0..years)
        .map(|year| {
            let year_end = 12.0 * (year + 1) as f64;
            let started = |t: &TeamPlan| t.timeline.payroll_from_month < year_end;
            let mut staff: f64 = teams
                .iter()
                .filter(|t| started(t))
                .map(|t| {
                    t.years[year].processing_fte.total() + t.years[year].supervision_fte.total()
                })
                .sum();
            if teams.iter().any(started) {
                staff += overhead_fte;
            }
            let hired = (staff - previous).max(0.0);
            previous = previous.max(staff);
            hired
        })
        .collect()
}

/// The centre's project team works from the start until some months after
/// its last go-live.
fn add_project_team(
    transition: &Transition,
    draws: &Draws,
    calendar: &Calendar,
    centre: &Centre,
    timelines: &[Timeline],
    years: &mut [YearOutcome],
) {
    let moving = centre
        .teams
        .iter()
        .zip(timelines)
        .filter(|(team, _)| team.moves);
    let Some(last_go_live) = moving.map(|(_, t)| t.go_live_month).reduce(f64::max) else {
        return;
    };
    let until = last_go_live + draws.value(transition.project_tail_months);
    let monthly = draws.value(transition.project_team_usd_per_month);
    for (year, y) in years.iter_mut().enumerate() {
        y.transition_cost_usd += monthly * 12.0 * calendar.share_of_year(year as u32, 0.0, until);
    }
}

/// Temporary staff clear a bad go-live's backlog at the team's own cost per
/// transaction times the premium.
fn add_clearing(
    transition: &Transition,
    draws: &Draws,
    calendar: &Calendar,
    location: &Location,
    team: &[TeamYear],
    disruption: &Disruption,
    years: &mut [YearOutcome],
) {
    let premium = draws.value(transition.temporary_staff_cost_premium);
    let cleared = disruption.cleared_by_year(calendar.working_days_per_year, years.len());
    for (year, cleared) in cleared.into_iter().enumerate() {
        let t = &team[year];
        if cleared <= 0.0 || t.capacity_per_day <= 0.0 {
            continue;
        }
        let yearly = staff_cost_usd(location, &t.processing_fte, draws, year as u32);
        let per_transaction = yearly / (t.capacity_per_day * calendar.working_days_per_year as f64);
        years[year].transition_cost_usd += cleared * per_transaction * premium;
    }
}

/// A centre's last year: its expected transactions and running costs.
fn last_year(
    scenario: &Scenario,
    centre: &Centre,
    draws: &Draws,
    years: &[YearOutcome],
) -> CentreYear {
    let Some(last) = years.last() else {
        return CentreYear::default();
    };
    let year = years.len() as u32 - 1;
    let transactions = centre
        .teams
        .iter()
        .flat_map(|t| {
            t.members
                .iter()
                .filter_map(|&a| scenario.agencies[a].lines[t.service_line].as_ref())
        })
        .map(|line| line.annual_mean(draws, year))
        .sum();
    CentreYear {
        transactions,
        running_cost_usd: last.staff_cost_usd
            + last.premises_cost_usd
            + last.fixed_cost_usd
            + last.harmonisation_cost_usd,
        fte: last.fte.total(),
    }
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

/// Site costs of new sites: set-up at the start of the year the site opens
/// (when its first centre's staff are paid), running costs from then on.
/// Returns each site's running cost in the last year.
fn add_sites(
    scenario: &Scenario,
    strategy: &Strategy,
    draws: &Draws,
    calendar: &Calendar,
    centre_starts: &[f64],
    years: &mut [YearOutcome],
) -> Vec<f64> {
    let mut last_year_usd = vec![0.0; strategy.sites.len()];
    for (s, site) in strategy.sites.iter().enumerate() {
        let opens = strategy
            .centres
            .iter()
            .zip(centre_starts)
            .filter(|(c, _)| c.site == s)
            .map(|(_, &start)| start)
            .fold(f64::INFINITY, f64::min);
        // An existing site runs whatever the strategy: it adds no site costs.
        if site.existing || opens >= calendar.horizon_months() {
            continue;
        }
        let location = &scenario.locations[site.location];
        years[calendar.year_of_month(opens) as usize].setup_cost_usd +=
            draws.value(location.site_setup_cost_usd);
        let fixed = draws.value(location.site_fixed_cost_usd_per_year);
        for (year, y) in years.iter_mut().enumerate() {
            let running = fixed * calendar.share_of_year(year as u32, opens, f64::INFINITY);
            y.fixed_cost_usd += running;
            last_year_usd[s] = running;
        }
    }
    last_year_usd
}

/// The status quo's plan for one agency's work in one service line.
fn status_quo_team<'p>(
    scenario: &Scenario,
    status_quo: &'p StrategyPlan,
    agency: usize,
    service_line: usize,
) -> (usize, &'p TeamPlan) {
    let strategy = &scenario.strategies[0];
    for (c, centre) in strategy.centres.iter().enumerate() {
        for (t, team) in centre.teams.iter().enumerate() {
            if team.service_line == service_line && team.members == [agency] {
                return (centre.location, &status_quo.teams[c][t]);
            }
        }
    }
    unreachable!("the status quo has a team for every agency's work")
}

/// The headquarters units of a migrating strategy: each keeps its agency's
/// work of a line until the line goes live, works on through the overlap
/// (double running, a transition cost), and then its posts are abolished.
fn add_legacy_units(
    scenario: &Scenario,
    strategy: &Strategy,
    draws: &Draws,
    calendar: &Calendar,
    teams: &[Vec<TeamPlan>],
    status_quo: &StrategyPlan,
    years: &mut [YearOutcome],
) -> Vec<LegacyUnit> {
    let transition = &scenario.transition;
    let overlap = draws.value(transition.overlap_months);
    let mut legacy = Vec::new();
    for (centre, team_plans) in strategy.centres.iter().zip(teams) {
        for (team, team_plan) in centre.teams.iter().zip(team_plans) {
            if !team.moves {
                continue;
            }
            let go_live = team_plan.timeline.go_live_month;
            for &agency in &team.members {
                let (hq, unit) = status_quo_team(scenario, status_quo, agency, team.service_line);
                let location = &scenario.locations[hq];
                add_legacy_costs(
                    draws, calendar, location, unit, go_live, overlap, transition, years,
                );
                legacy.push(LegacyUnit {
                    agency,
                    service_line: team.service_line,
                    years: unit.years.clone(),
                    receives_until_day: team_plan.go_live_day,
                    works_until_day: calendar.day_at_month(go_live + overlap),
                });
            }
        }
    }
    legacy
}

/// A headquarters unit's running cost until go-live, its double running
/// during the overlap, and the separation of its staff at the overlap's end.
#[allow(clippy::too_many_arguments)]
fn add_legacy_costs(
    draws: &Draws,
    calendar: &Calendar,
    location: &Location,
    unit: &TeamPlan,
    go_live: f64,
    overlap: f64,
    transition: &Transition,
    years: &mut [YearOutcome],
) {
    let premises = draws.value(location.premises_usd_per_fte_per_year);
    for (year, y) in years.iter_mut().enumerate() {
        let t = &unit.years[year];
        let staff = ByGrade::from_fn(|g| t.processing_fte[g] + t.supervision_fte[g]);
        let staff_cost = staff_cost_usd(location, &staff, draws, year as u32);
        let premises_cost = staff.total() * premises;
        let running = calendar.share_of_year(year as u32, 0.0, go_live);
        let double = calendar.share_of_year(year as u32, go_live, go_live + overlap);
        for grade in Grade::ALL {
            y.fte[grade] += staff[grade] * (running + double);
        }
        y.processing_fte += t.processing_fte.total() * (running + double);
        y.supervision_fte += t.supervision_fte.total() * (running + double);
        y.staff_cost_usd += staff_cost * running;
        y.premises_cost_usd += premises_cost * running;
        y.transition_cost_usd += (staff_cost + premises_cost) * double;
    }
    let separation_month = go_live + overlap;
    if separation_month < calendar.horizon_months() {
        let year = calendar.year_of_month(separation_month);
        let t = &unit.years[year as usize];
        let posts = ByGrade::from_fn(|g| t.processing_fte[g] + t.supervision_fte[g]);
        let standard = staff_cost_usd(location, &posts, draws, year);
        years[year as usize].transition_cost_usd +=
            separation_cost_usd(transition, draws, posts.total(), standard);
    }
}
