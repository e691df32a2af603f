//! Moving work from headquarters to a centre: the migration plan of a
//! strategy, and the costs and risks of the move (JIU/REP/2009/6 paras 37,
//! 63-72, 88-102, 111, 125-126; README, "The model").

use super::Param;

/// How a strategy's work moves: when each service line goes live in its new
/// centre, and how.
#[derive(Clone, Debug, PartialEq)]
pub struct Migration {
    /// Phased (lines move in waves) or big bang (everything at once).
    pub approach: Approach,
    /// Planned go-live month of each service line, counted from the start of
    /// the horizon, indexed like [`crate::model::Scenario::service_lines`].
    pub go_live_month: Vec<u32>,
    /// Whether a new ERP goes live with the centre (WHO, 1 July 2008).
    pub new_erp: bool,
}

/// The two ways business cases moved work (paras 88-102).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Approach {
    /// Service lines move in waves, non-critical first (UNHCR, FAO, WFP).
    Phased,
    /// All service lines go live on one day (WHO).
    BigBang,
}

/// The costs and risks of a move, common to the scenario's migrating strategies.
#[derive(Clone, Debug)]
pub struct Transition {
    /// Months new staff are on board before go-live (training, knowledge transfer).
    pub onboarding_months: Param,
    /// Months headquarters staff keep working after go-live (double running).
    pub overlap_months: Param,
    /// Months of salary in the standard termination indemnity, on average.
    pub termination_indemnity_months: Param,
    /// Multiple of the standard indemnity paid on voluntary separation.
    pub separation_indemnity_multiple: Param,
    /// Incentive on top of the indemnity, as a share of it.
    pub separation_incentive_share: Param,
    /// Training grant on separation, in months of salary.
    pub training_grant_months: Param,
    /// Salary (the base of indemnities) as a share of the standard cost.
    pub salary_share_of_standard_cost: Param,
    /// Share of abolished posts whose holders take voluntary separation; the
    /// rest are redeployed.
    pub voluntary_separation_share: Param,
    /// Cost of redeploying the holder of one abolished post, USD.
    pub redeployment_cost_usd_per_post: Param,
    /// Cost of recruiting one new staff member, USD, before declined offers.
    pub cost_per_hire_usd: Param,
    /// Share of offers candidates decline.
    pub offer_decline_rate: Param,
    /// Months to fill a post when no offer is declined.
    pub time_to_fill_months: Param,
    /// Knowledge transfer and training per new staff member, USD.
    pub training_usd_per_hire: Param,
    /// Travel per new staff member (training at headquarters, missions), USD.
    pub travel_usd_per_hire: Param,
    /// Cost of a centre's dedicated project team per month, USD.
    pub project_team_usd_per_month: Param,
    /// Months the project team stays after a centre's last go-live.
    pub project_tail_months: Param,
    /// Probability that a phased go-live without a new ERP goes badly.
    pub disruption_probability: f64,
    /// Multiple of that probability for a big bang.
    pub big_bang_probability_multiplier: f64,
    /// Multiple of that probability when a new ERP goes live at the same time.
    pub new_erp_probability_multiplier: f64,
    /// Share of capacity lost while a bad go-live lasts.
    pub disruption_capacity_loss: Param,
    /// Months a bad go-live lasts.
    pub disruption_months: Param,
    /// Months temporary staff take to clear the backlog a bad go-live leaves.
    pub clearing_months: Param,
    /// Cost of temporary staff or overtime as a multiple of the standard GS cost.
    pub temporary_staff_cost_premium: Param,
    /// Share of the headquarters staff whose posts a move abolishes who move
    /// with the work: they are relocated instead of separated, and fill the
    /// centre's posts instead of new hires.
    pub staff_transfer_share: Param,
    /// Relocating one member of staff who moves with the work, USD.
    pub relocation_cost_usd_per_person: Param,
    /// Optimism bias: uplift on the move's one-off costs, as a share
    /// (HM Treasury Green Book supplementary guidance).
    pub optimism_bias_cost_uplift: Param,
    /// Optimism bias: uplift on the double-running months, as a share.
    pub optimism_bias_duration_uplift: Param,
}

/// The kinds of one-off costs of a strategy, in the order they are reported
/// (`one_off_<id>_usd`) and added up into `transition_cost_usd`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OneOff {
    /// Voluntary separation packages and redeployment of headquarters staff
    /// who do not move with the work.
    Separation,
    /// Relocating headquarters staff who move with the work.
    Relocation,
    /// Recruiting the centres' new staff (more offers than hires).
    Recruitment,
    /// Training, knowledge transfer and travel of the centres' new staff.
    TrainingAndKnowledgeTransfer,
    /// Headquarters units working on after their work has gone live.
    DoubleRunning,
    /// The centres' dedicated project teams.
    ProjectTeam,
    /// Setting up new sites.
    SiteSetup,
    /// Harmonisation projects of teams serving several agencies.
    HarmonisationProject,
    /// Temporary staff clearing the backlog of a bad go-live.
    Disruption,
    /// The optimism-bias uplift on the other kinds and on double running.
    OptimismBias,
}

impl OneOff {
    /// Every kind, in reporting order.
    pub const ALL: [OneOff; 10] = [
        OneOff::Separation,
        OneOff::Relocation,
        OneOff::Recruitment,
        OneOff::TrainingAndKnowledgeTransfer,
        OneOff::DoubleRunning,
        OneOff::ProjectTeam,
        OneOff::SiteSetup,
        OneOff::HarmonisationProject,
        OneOff::Disruption,
        OneOff::OptimismBias,
    ];

    /// The kind's id, as in `one_off_<id>_usd`.
    pub const fn id(self) -> &'static str {
        match self {
            OneOff::Separation => "separation",
            OneOff::Relocation => "relocation",
            OneOff::Recruitment => "recruitment",
            OneOff::TrainingAndKnowledgeTransfer => "training_and_knowledge_transfer",
            OneOff::DoubleRunning => "double_running",
            OneOff::ProjectTeam => "project_team",
            OneOff::SiteSetup => "site_setup",
            OneOff::HarmonisationProject => "harmonisation_project",
            OneOff::Disruption => "disruption",
            OneOff::OptimismBias => "optimism_bias",
        }
    }

    /// The kind in prose.
    pub const fn label(self) -> &'static str {
        match self {
            OneOff::Separation => "separation",
            OneOff::Relocation => "relocation",
            OneOff::Recruitment => "recruitment",
            OneOff::TrainingAndKnowledgeTransfer => "training and knowledge transfer",
            OneOff::DoubleRunning => "double running",
            OneOff::ProjectTeam => "project team",
            OneOff::SiteSetup => "site set-up",
            OneOff::HarmonisationProject => "harmonisation project",
            OneOff::Disruption => "disruption",
            OneOff::OptimismBias => "optimism-bias uplift",
        }
    }
}

impl Transition {
    /// The probability that a go-live goes badly.
    pub(crate) fn disruption_probability(&self, approach: Approach, new_erp: bool) -> f64 {
        let mut p = self.disruption_probability;
        if approach == Approach::BigBang {
            p *= self.big_bang_probability_multiplier;
        }
        if new_erp {
            p *= self.new_erp_probability_multiplier;
        }
        p.min(1.0)
    }
}

/// A one-off rise in a location's local salaries (ICSC raised Budapest GS
/// salaries by 25% in May 2008, para 111).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SalaryShock {
    /// Rise of locally recruited (GS, NPO) salaries, as a share.
    pub size: Param,
    /// 1 if the shock happens in this replication, 0 if not.
    pub happens: Param,
    /// The year (0-based) from which it applies.
    pub year: u32,
}
