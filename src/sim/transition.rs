//! The arithmetic of moving work: when a team's staff arrive and its work
//! goes live, what separating, relocating and recruiting staff cost, the
//! optimism bias business cases leave out of their one-off costs, and what
//! a bad go-live takes away.
//!
//! Optimism bias: business cases underestimate one-off costs and how long
//! a move takes (JIU/REP/2009/6 paras 37, 125-126). HM Treasury's Green
//! Book supplementary guidance prescribes an uplift on both; sscsim adds
//! it to every one-off cost the move's plan estimates (separation,
//! relocation, recruitment, training, the project team, site set-up,
//! harmonisation projects) and to the double-running months, and reports
//! it as its own kind. It leaves the clearing of bad go-lives out: that
//! risk is modelled explicitly, and the guidance lowers the uplift for
//! risks that are.

use super::cost::OneOffCosts;
use crate::model::{Calendar, Draws, OneOff, Team, Transition};

/// The rules of `[transition]` that price a move, for one replication: the
/// one place where what a move's events cost is computed, by kind and with
/// the optimism-bias uplift, for any unit that moves — a centre's team
/// (its new staff, its project team, a bad go-live's backlog) or a
/// headquarters unit (its double running, its abolished posts). The
/// simulator says what happens and when (`sim::strategy`, `sim::centre`);
/// a new rule changes what an event costs here, and nowhere else.
#[derive(Clone, Copy)]
pub(crate) struct MoveRules<'a> {
    transition: &'a Transition,
    draws: &'a Draws,
}

impl<'a> MoveRules<'a> {
    /// The rules of `transition` on one replication's `draws`.
    pub(crate) fn new(transition: &'a Transition, draws: &'a Draws) -> Self {
        MoveRules { transition, draws }
    }

    /// Recruiting and training `new_staff` new members of staff (those
    /// who did not move with the work), uplifted for optimism bias.
    pub(crate) fn new_staff(&self, new_staff: f64) -> OneOffCosts {
        let recruitment_usd = new_staff * self.recruitment_usd_per_hire();
        let training_usd = new_staff * self.training_usd_per_new_staff();
        self.uplifted(
            (OneOff::Recruitment, recruitment_usd),
            (OneOff::TrainingAndKnowledgeTransfer, training_usd),
        )
    }

    /// Abolishing a headquarters unit's `posts`, whose yearly standard
    /// cost is `standard_cost_usd`, when `transfer_share` of their holders
    /// move with the work: the others separated or redeployed, the movers
    /// relocated, both uplifted for optimism bias.
    pub(crate) fn abolished_posts(
        &self,
        posts: f64,
        standard_cost_usd: f64,
        transfer_share: f64,
    ) -> OneOffCosts {
        let staying = 1.0 - transfer_share;
        let separation_usd = self.separation_cost_usd(posts * staying, standard_cost_usd * staying);
        let relocation_usd = self.relocation_cost_usd(posts * transfer_share);
        self.uplifted(
            (OneOff::Separation, separation_usd),
            (OneOff::Relocation, relocation_usd),
        )
    }

    /// A headquarters unit working on after its work has gone live, for
    /// the `planned` share of a year that costs `whole_year_usd` and the
    /// `late` share optimism bias adds to it.
    pub(crate) fn double_running(
        &self,
        whole_year_usd: f64,
        planned: f64,
        late: f64,
    ) -> OneOffCosts {
        let mut costs = OneOffCosts::default();
        costs[OneOff::DoubleRunning] = whole_year_usd * planned;
        costs[OneOff::OptimismBias] = whole_year_usd * late;
        costs
    }

    /// The optimism-bias uplift on a one-off cost the plan estimates
    /// elsewhere (site set-up, the project team, harmonisation projects).
    pub(crate) fn estimated(&self, estimate_usd: f64) -> OneOffCosts {
        OneOffCosts::of(OneOff::OptimismBias, self.uplift_usd(estimate_usd))
    }

    /// A centre's project team for the share of a year it works.
    pub(crate) fn project_team(&self, share_of_year: f64) -> OneOffCosts {
        let monthly = self.draws.value(self.transition.project_team_usd_per_month);
        OneOffCosts::of(OneOff::ProjectTeam, monthly * 12.0 * share_of_year)
    }

    /// Months the project team stays after a centre's last go-live.
    pub(crate) fn project_tail_months(&self) -> f64 {
        self.draws.value(self.transition.project_tail_months)
    }

    /// Temporary staff clearing `cleared` transactions of a bad go-live's
    /// backlog, at the team's own cost per transaction times the premium
    /// (not uplifted: the risk is modelled explicitly).
    pub(crate) fn clearing(&self, cleared: f64, usd_per_transaction: f64) -> OneOffCosts {
        let premium = self
            .draws
            .value(self.transition.temporary_staff_cost_premium);
        OneOffCosts::of(OneOff::Disruption, cleared * usd_per_transaction * premium)
    }

    /// The double-running months as planned and as they will be, with the
    /// optimism-bias uplift on durations.
    pub(crate) fn overlap_months(&self) -> (f64, f64) {
        let planned = self.draws.value(self.transition.overlap_months);
        let uplift = self
            .draws
            .value(self.transition.optimism_bias_duration_uplift);
        (planned, planned * (1.0 + uplift))
    }

    /// The share of a team's members' headquarters staff, `posts` in all,
    /// who move with the work: the transfer share, but no more than the
    /// team's own staff, `team_staff`, which is all the posts there are to
    /// fill.
    pub(crate) fn transfer_share(&self, posts: f64, team_staff: f64) -> f64 {
        let share = self.staff_transfer_share();
        if share * posts > team_staff {
            team_staff / posts
        } else {
            share
        }
    }

    /// The share of a member's headquarters staff who move with its work,
    /// before any limit: trained in the work when the team starts.
    pub(crate) fn staff_transfer_share(&self) -> f64 {
        self.draws.value(self.transition.staff_transfer_share)
    }

    /// Two estimated kinds of one-off cost and the optimism-bias uplift on
    /// their sum.
    fn uplifted(&self, first: (OneOff, f64), second: (OneOff, f64)) -> OneOffCosts {
        let mut costs = OneOffCosts::default();
        costs[first.0] = first.1;
        costs[second.0] = second.1;
        costs[OneOff::OptimismBias] = self.uplift_usd(first.1 + second.1);
        costs
    }

    /// The optimism-bias uplift on `estimate_usd`, a one-off cost as planned.
    fn uplift_usd(&self, estimate_usd: f64) -> f64 {
        self.draws.value(self.transition.optimism_bias_cost_uplift) * estimate_usd
    }

    /// The timeline of `team`. Recruitment starts at the beginning of the
    /// horizon; each declined offer restarts a search, so a post takes
    /// `time_to_fill / (1 − decline rate)` months to fill, and staff need
    /// `onboarding_months` before go-live. A go-live planned earlier than
    /// that slips to the first month it can happen.
    pub(crate) fn timeline(&self, team: &Team) -> Timeline {
        if !team.moves {
            return Timeline::IN_PLACE;
        }
        let (transition, draws) = (self.transition, self.draws);
        let onboarding = draws.value(transition.onboarding_months);
        let fill = draws.value(transition.time_to_fill_months)
            / (1.0 - draws.value(transition.offer_decline_rate));
        let go_live = f64::from(team.go_live_month).max((fill + onboarding).ceil());
        Timeline {
            payroll_from_month: (go_live - onboarding).max(0.0),
            go_live_month: go_live,
        }
    }

    /// A bad go-live of a team whose daily capacity in year `y` is
    /// `capacity_per_day[y]`, at `go_live_month`. The work lost is the
    /// capacity lost over the bad months; it is cleared evenly over the
    /// clearing months.
    pub(crate) fn disruption(
        &self,
        calendar: &Calendar,
        go_live_month: f64,
        capacity_per_day: &[f64],
    ) -> Disruption {
        let (transition, draws) = (self.transition, self.draws);
        let loss = draws.value(transition.disruption_capacity_loss);
        let bad_until_month = go_live_month + draws.value(transition.disruption_months);
        let clearing_until_month = bad_until_month + draws.value(transition.clearing_months);
        let from_day = calendar.day_at_month(go_live_month);
        let until_day = calendar.day_at_month(bad_until_month);
        let clearing_until_day = calendar.day_at_month(clearing_until_month);
        let year_of =
            |day: usize| (day / calendar.working_days_per_year).min(capacity_per_day.len() - 1);
        let lost: f64 = (from_day..until_day)
            .map(|d| loss * capacity_per_day[year_of(d)])
            .sum();
        let clearing_days = clearing_until_day.saturating_sub(until_day);
        Disruption {
            from_day,
            until_day,
            capacity_loss: loss,
            clearing_until_day,
            clearing_per_day: if clearing_days > 0 {
                lost / clearing_days as f64
            } else {
                0.0
            },
        }
    }

    /// Cost of abolishing `posts`: holders of a share take voluntary
    /// separation — `salary × (indemnity months × multiple × (1 +
    /// incentive) + training grant months)`, with the monthly salary a
    /// share of the standard cost — and the rest are redeployed. `standard_cost_usd` is
    /// the posts' yearly standard cost (escalated).
    fn separation_cost_usd(&self, posts: f64, standard_cost_usd: f64) -> f64 {
        let transition = self.transition;
        let t = |p: &crate::model::Param| self.draws.value(*p);
        let monthly_salary_usd =
            standard_cost_usd / 12.0 * t(&transition.salary_share_of_standard_cost);
        let package_months = t(&transition.termination_indemnity_months)
            * t(&transition.separation_indemnity_multiple)
            * (1.0 + t(&transition.separation_incentive_share))
            + t(&transition.training_grant_months);
        let voluntary = t(&transition.voluntary_separation_share);
        voluntary * monthly_salary_usd * package_months
            + (1.0 - voluntary) * posts * t(&transition.redeployment_cost_usd_per_post)
    }

    /// Recruiting one new staff member: more offers than hires when
    /// candidates decline.
    fn recruitment_usd_per_hire(&self) -> f64 {
        self.draws.value(self.transition.cost_per_hire_usd)
            / (1.0 - self.draws.value(self.transition.offer_decline_rate))
    }

    /// Training and knowledge transfer of one new staff member, with its
    /// travel.
    fn training_usd_per_new_staff(&self) -> f64 {
        self.draws.value(self.transition.training_usd_per_hire)
            + self.draws.value(self.transition.travel_usd_per_hire)
    }

    /// Relocating `movers` staff members who move with the work.
    fn relocation_cost_usd(&self, movers: f64) -> f64 {
        movers
            * self
                .draws
                .value(self.transition.relocation_cost_usd_per_person)
    }
}

/// When a team's staff are on payroll and when its work goes live, in months
/// from the start of the horizon.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Timeline {
    /// New staff are paid from this month (on board for training before go-live).
    pub payroll_from_month: f64,
    /// The team processes its members' work from this month.
    pub go_live_month: f64,
}

impl Timeline {
    /// A team in place from the start.
    pub(crate) const IN_PLACE: Timeline = Timeline {
        payroll_from_month: 0.0,
        go_live_month: 0.0,
    };
}

/// A bad go-live: capacity falls for a while, then temporary staff clear the
/// work it left undone. Days are indices of the horizon.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Disruption {
    /// First day of reduced capacity (the go-live).
    pub from_day: usize,
    /// First day back at full capacity, when clearing starts.
    pub until_day: usize,
    /// Share of capacity lost in between.
    pub capacity_loss: f64,
    /// First day after clearing.
    pub clearing_until_day: usize,
    /// Extra transactions a day the temporary staff complete while clearing.
    pub clearing_per_day: f64,
}

impl Disruption {
    /// The team's capacity on `day`, given its normal capacity that day.
    pub(crate) fn capacity(&self, day: usize, normal: f64) -> f64 {
        if (self.from_day..self.until_day).contains(&day) {
            normal * (1.0 - self.capacity_loss)
        } else if (self.until_day..self.clearing_until_day).contains(&day) {
            normal + self.clearing_per_day
        } else {
            normal
        }
    }

    /// Transactions cleared by temporary staff in each year of the horizon.
    pub(crate) fn cleared_by_year(&self, working_days_per_year: usize, years: usize) -> Vec<f64> {
        let mut cleared = vec![0.0; years];
        for day in self.until_day..self.clearing_until_day {
            cleared[(day / working_days_per_year).min(years - 1)] += self.clearing_per_day;
        }
        cleared
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ByGrade, Param, Staffing};

    fn transition() -> Transition {
        let p = Param::Fixed;
        Transition {
            onboarding_months: p(3.0),
            overlap_months: p(2.0),
            termination_indemnity_months: p(8.0),
            separation_indemnity_multiple: p(1.5),
            separation_incentive_share: p(0.5),
            training_grant_months: p(3.0),
            salary_share_of_standard_cost: p(0.5),
            voluntary_separation_share: p(0.75),
            redeployment_cost_usd_per_post: p(1000.0),
            cost_per_hire_usd: p(4000.0),
            offer_decline_rate: p(0.2),
            time_to_fill_months: p(4.0),
            training_usd_per_hire: p(700.0),
            travel_usd_per_hire: p(300.0),
            project_team_usd_per_month: p(0.0),
            project_tail_months: p(0.0),
            disruption_probability: 0.0,
            big_bang_probability_multiplier: 1.0,
            new_erp_probability_multiplier: 1.0,
            disruption_capacity_loss: p(0.5),
            disruption_months: p(1.0),
            clearing_months: p(1.0),
            temporary_staff_cost_premium: p(1.0),
            staff_transfer_share: p(0.0),
            relocation_cost_usd_per_person: p(20_000.0),
            optimism_bias_cost_uplift: p(0.0),
            optimism_bias_duration_uplift: p(0.0),
        }
    }

    fn team(go_live_month: u32) -> Team {
        Team {
            service_line: 0,
            members: vec![0],
            staffing: Staffing::Planned {
                grade_mix: ByGrade::default(),
            },
            moves: true,
            go_live_month,
            bad_go_live: Param::Fixed(0.0),
        }
    }

    #[test]
    fn a_go_live_slips_until_staff_can_be_recruited_and_trained() {
        // Filling takes 4 / (1 − 0.2) = 5 months, training 3: no go-live before month 8.
        let (t, d) = (transition(), Draws::default());
        let rules = MoveRules::new(&t, &d);
        let early = rules.timeline(&team(6));
        assert_eq!(
            early,
            Timeline {
                payroll_from_month: 5.0,
                go_live_month: 8.0
            }
        );
        let planned = rules.timeline(&team(12));
        assert_eq!(
            planned,
            Timeline {
                payroll_from_month: 9.0,
                go_live_month: 12.0
            }
        );
        let mut staying = team(12);
        staying.moves = false;
        assert_eq!(rules.timeline(&staying), Timeline::IN_PLACE);
    }

    #[test]
    fn separation_packages_follow_the_terms() {
        // 4 posts costing 240 000 a year: monthly salary 240 000/12 × 0.5 = 10 000.
        // Package: 8 × 1.5 × 1.5 + 3 = 21 months → 210 000 for all four;
        // 75% separate: 157 500; 25% redeployed: 0.25 × 4 × 1 000 = 1 000.
        let (t, d) = (transition(), Draws::default());
        let cost = MoveRules::new(&t, &d).separation_cost_usd(4.0, 240_000.0);
        assert!((cost - 158_500.0).abs() < 1e-9, "{cost}");
    }

    #[test]
    fn each_new_staff_member_costs_offers_training_and_travel() {
        // 4 000 / 0.8 + 700 + 300.
        let (t, d) = (transition(), Draws::default());
        let rules = MoveRules::new(&t, &d);
        let per_new_staff = rules.recruitment_usd_per_hire() + rules.training_usd_per_new_staff();
        assert!((per_new_staff - 6000.0).abs() < 1e-9);
        assert_eq!(rules.recruitment_usd_per_hire(), 5000.0);
    }

    #[test]
    fn optimism_bias_uplifts_estimates_and_double_running() {
        let mut t = transition();
        let d = Draws::default();
        assert_eq!(MoveRules::new(&t, &d).uplift_usd(1000.0), 0.0);
        assert_eq!(MoveRules::new(&t, &d).overlap_months(), (2.0, 2.0));
        // The Green Book's bounds for equipment/development: costs +10% to
        // +200%, durations +10% to +54%.
        t.optimism_bias_cost_uplift = Param::Fixed(2.0);
        t.optimism_bias_duration_uplift = Param::Fixed(0.54);
        // 1 000 × 2 = 2 000 on top; 2 months × 1.54 = 3.08.
        assert_eq!(MoveRules::new(&t, &d).uplift_usd(1000.0), 2000.0);
        let (planned, uplifted) = MoveRules::new(&t, &d).overlap_months();
        assert_eq!(planned, 2.0);
        assert!((uplifted - 3.08).abs() < 1e-12);
        t.optimism_bias_cost_uplift = Param::Fixed(0.1);
        assert!((MoveRules::new(&t, &d).uplift_usd(1000.0) - 100.0).abs() < 1e-9);
    }

    #[test]
    fn movers_are_the_transfer_share_up_to_the_posts_the_team_has() {
        let mut t = transition();
        let d = Draws::default();
        assert_eq!(MoveRules::new(&t, &d).transfer_share(10.0, 6.0), 0.0);
        t.staff_transfer_share = Param::Fixed(0.5);
        // 5 of 10 move to a team of 6; to a team of 4, only 4: a share of 0.4.
        let rules = MoveRules::new(&t, &d);
        assert_eq!(rules.transfer_share(10.0, 6.0), 0.5);
        assert_eq!(rules.transfer_share(10.0, 4.0), 0.4);
        // Relocation: 4 movers × 20 000.
        assert_eq!(rules.relocation_cost_usd(4.0), 80_000.0);
    }

    /// Every kind of `costs` but those named is 0.
    fn only(costs: &OneOffCosts, kinds: &[OneOff]) {
        for kind in OneOff::ALL.into_iter().filter(|k| !kinds.contains(k)) {
            assert_eq!(costs[kind], 0.0, "{}", kind.id());
        }
    }

    #[test]
    fn move_rules_price_new_staff_and_abolished_posts_with_their_uplift() {
        let mut t = transition();
        t.optimism_bias_cost_uplift = Param::Fixed(0.1);
        let d = Draws::default();
        let rules = MoveRules::new(&t, &d);
        // 2 new staff: 2 × 4 000 / 0.8 = 10 000 recruitment, 2 × (700 + 300)
        // = 2 000 training, 10% of 12 000 = 1 200 uplift.
        let hired = rules.new_staff(2.0);
        assert_eq!(hired[OneOff::Recruitment], 10_000.0);
        assert_eq!(hired[OneOff::TrainingAndKnowledgeTransfer], 2_000.0);
        assert!((hired[OneOff::OptimismBias] - 1_200.0).abs() < 1e-9);
        only(
            &hired,
            &[
                OneOff::Recruitment,
                OneOff::TrainingAndKnowledgeTransfer,
                OneOff::OptimismBias,
            ],
        );
        // 4 posts costing 240 000 a year, a quarter of their holders move:
        // 3 stay, costing 180 000, monthly salary 180 000 / 12 × 0.5 = 7 500;
        // 75% take 21 months' package: 0.75 × 7 500 × 21 = 118 125; 25% of 3
        // redeployed at 1 000: 750. One mover relocated: 20 000. Uplift 10%
        // of 138 875.
        let abolished = rules.abolished_posts(4.0, 240_000.0, 0.25);
        assert!((abolished[OneOff::Separation] - 118_875.0).abs() < 1e-9);
        assert_eq!(abolished[OneOff::Relocation], 20_000.0);
        assert!((abolished[OneOff::OptimismBias] - 13_887.5).abs() < 1e-9);
        only(
            &abolished,
            &[OneOff::Separation, OneOff::Relocation, OneOff::OptimismBias],
        );
    }

    #[test]
    fn move_rules_price_double_running_the_project_team_and_clearing() {
        let mut t = transition();
        t.optimism_bias_cost_uplift = Param::Fixed(0.1);
        t.project_team_usd_per_month = Param::Fixed(1_000.0);
        t.temporary_staff_cost_premium = Param::Fixed(1.3);
        let d = Draws::default();
        let rules = MoveRules::new(&t, &d);
        // A year costing 1 200: a quarter planned, a tenth late.
        let double = rules.double_running(1_200.0, 0.25, 0.1);
        assert_eq!(double[OneOff::DoubleRunning], 300.0);
        assert_eq!(double[OneOff::OptimismBias], 120.0);
        only(&double, &[OneOff::DoubleRunning, OneOff::OptimismBias]);
        // Half a year of 1 000 a month.
        assert_eq!(
            rules.project_team(0.5),
            OneOffCosts::of(OneOff::ProjectTeam, 6_000.0)
        );
        // 100 transactions at 2 USD each, × 1.3.
        assert_eq!(
            rules.clearing(100.0, 2.0),
            OneOffCosts::of(OneOff::Disruption, 260.0)
        );
        // 10% of an estimate of 1 000.
        let uplift = rules.estimated(1_000.0);
        assert!((uplift[OneOff::OptimismBias] - 100.0).abs() < 1e-9);
        only(&uplift, &[OneOff::OptimismBias]);
    }

    #[test]
    fn a_bad_go_live_loses_capacity_then_clears_what_it_lost() {
        let calendar = Calendar {
            horizon_years: 2,
            working_days_per_year: 240,
        };
        // 20 days a month: go-live month 11 is days 220-239, bad for one month,
        // clearing in month 12 (days 240-259, the next year).
        let (t, draws) = (transition(), Draws::default());
        let d = MoveRules::new(&t, &draws).disruption(&calendar, 11.0, &[10.0, 12.0]);
        assert_eq!(
            (d.from_day, d.until_day, d.clearing_until_day),
            (220, 240, 260)
        );
        // Lost: 20 days × 50% × 10 = 100, cleared over 20 days: 5 a day.
        assert_eq!(d.clearing_per_day, 5.0);
        assert_eq!(d.capacity(225, 10.0), 5.0);
        assert_eq!(d.capacity(245, 12.0), 17.0);
        assert_eq!(d.capacity(260, 12.0), 12.0);
        assert_eq!(d.cleared_by_year(240, 2), vec![0.0, 100.0]);
    }
}
