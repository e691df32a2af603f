//! The typed model of a scenario: agencies, locations, service lines, centres
//! and strategies. It does no I/O; [`crate::scenario`] builds it from a file
//! and [`crate::sim`] evaluates it.

mod beta_quantile;
mod calendar;
mod correlation;
mod dist;
mod draws;
mod grade;
pub mod mechanisms;
mod param;
mod power;
mod readable;
mod staffing;
mod strategy;
mod transition;

pub use calendar::Calendar;
pub(crate) use calendar::MONTHS_PER_YEAR;
pub use correlation::{CorrelatedGroup, Correlations, Inconsistent, RankCorrelation};
pub use dist::{Dist, DistError, PERT_DEFAULT_SHAPE};
pub use draws::Draws;
pub(crate) use draws::{BYTES_PER_INPUT, Reads};
pub use grade::{ByGrade, Grade};
pub use mechanisms::{Harmonisation, Learning, Mechanism, Mechanisms, SpanOfControl, Switches};
pub use param::{InputId, Param, UncertainInput};
pub use power::powi;
pub(crate) use readable::readable;
pub(crate) use staffing::{
    CORE_PERCENTILE, StaffingRule, TEMPORARY_CAP_SHARE, TEMPORARY_PREMIUM_SHARE, Temporary,
};
pub use staffing::{FlexStaffing, StaffingParams, StaffingPolicy};
pub use strategy::{Centre, CentreDefaults, Overhead, Site, Staffing, Strategy, Team};
pub use transition::{Approach, Migration, OneOff, SalaryShock, Transition};

/// The calendar month (0-11) of a working day of the year: the year's working
/// days are spread evenly over the twelve months.
pub(crate) fn month_of_day(day_of_year: usize, working_days_per_year: usize) -> usize {
    day_of_year * MONTHS_PER_YEAR / working_days_per_year
}

/// The id of the baseline strategy sscsim builds from the agencies' headquarters.
pub const STATUS_QUO_ID: &str = "status_quo";

impl Scenario {
    /// The horizon's years, months and days.
    pub fn calendar(&self) -> Calendar {
        self.settings.calendar()
    }

    /// The mean of a parameter over replications: its value if fixed, its
    /// distribution's mean if uncertain.
    pub(crate) fn mean_of(&self, param: Param) -> f64 {
        match param {
            Param::Fixed(v) => v,
            Param::Input(InputId(i)) => self.inputs[i].dist.mean(),
        }
    }

    /// The gamma shape `k` of the daily demand shock shared by the agencies
    /// of a service line: the line's volume correlation times the smallest
    /// negative binomial dispersion among them (0 when uncorrelated or when
    /// no agency's arrivals are negative binomial). See [`crate::sample::Arrivals::draw`].
    pub fn common_shock_shape(&self, service_line: usize, draws: &Draws) -> f64 {
        let correlation = draws.value(self.service_lines[service_line].volume_correlation);
        if correlation <= 0.0 {
            return 0.0;
        }
        let smallest = self
            .agencies
            .iter()
            .filter_map(|a| a.lines[service_line].as_ref()?.dispersion(draws))
            .fold(f64::INFINITY, f64::min);
        if smallest.is_finite() {
            correlation * smallest
        } else {
            0.0
        }
    }
}

/// A complete, validated scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Short title.
    pub name: String,
    /// Longer description, sources, caveats.
    pub description: String,
    /// Simulation settings.
    pub settings: Settings,
    /// Back-office processes, in file order.
    pub service_lines: Vec<ServiceLine>,
    /// Duty stations, in file order.
    pub locations: Vec<Location>,
    /// Organizations, in file order.
    pub agencies: Vec<Agency>,
    /// The status quo first, then the scenario's strategies in file order.
    pub strategies: Vec<Strategy>,
    /// Parameters of the economies-of-scale mechanisms.
    pub mechanisms: Mechanisms,
    /// Costs and risks of moving work, for strategies with a migration plan.
    pub transition: Transition,
    /// How `sscsim pool` builds a centre for any coalition of agencies.
    pub pool: Option<PoolSettings>,
    /// The fragmented and pooled strategies whose cost gap is the headline,
    /// when the scenario has a pooled strategy.
    pub comparison: Option<Comparison>,
    /// Every uncertain input, in the order they are drawn.
    pub inputs: Vec<UncertainInput>,
    /// Rank correlations between some of the inputs (empty: all independent).
    pub correlations: Correlations,
    /// The scenario's `[[input_group]]`s, in file order, for the value of
    /// information.
    pub input_groups: Vec<InputGroup>,
}

/// A named group of uncertain inputs whose value of information is
/// estimated together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputGroup {
    /// Its name, unique among the scenario's groups.
    pub name: String,
    /// Its members, as indices in [`Scenario::inputs`], ascending.
    pub inputs: Vec<usize>,
}

/// The strategies compared for economies of scale, as indices in
/// [`Scenario::strategies`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// The fragmented strategy (e.g. solo centres).
    pub fragmented: usize,
    /// The pooled strategy (e.g. one shared service centre).
    pub pooled: usize,
}

/// The centre `sscsim pool` builds for a coalition of agencies at a
/// candidate location: one team per relocatable service line, planned.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolSettings {
    /// Candidate locations, indices in [`Scenario::locations`].
    pub locations: Vec<usize>,
    /// Grades of processing staff.
    pub grade_mix: ByGrade<f64>,
    /// Grades of supervisors, when they differ from span of control's.
    pub supervisor_grade_mix: Option<ByGrade<f64>>,
    /// Each coalition centre's own yearly fixed cost, USD.
    pub fixed_cost_usd_per_year: Param,
}

/// Simulation settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Years simulated.
    pub horizon_years: u32,
    /// Working days in a year: the queue steps in working days.
    pub working_days_per_year: u32,
    /// Rate at which annual costs are discounted to a net present value.
    pub discount_rate_per_year: Param,
    /// Default number of replications.
    pub replications: u64,
    /// Default seed.
    pub seed: u64,
    /// Currency of every amount: always `USD`, as validation refuses any
    /// other (the defaults that fill in left-out keys are in USD).
    pub currency: String,
    /// Paid working minutes of one FTE in a working day.
    pub working_minutes_per_day: Param,
    /// Share of paid time an FTE spends processing transactions (after leave,
    /// training, meetings).
    pub availability_share: Param,
    /// How planned queue teams meet their busiest months, unless their
    /// centre says otherwise.
    pub staffing_policy: StaffingPolicy,
    /// The parameters of the staffing policies.
    pub staffing: StaffingParams,
}

impl CentreDefaults {
    /// The defaults of a scenario's centres, from its settings (`None`
    /// while they could not be read: the built-in defaults) and its
    /// mechanisms.
    pub fn new(settings: Option<&Settings>, mechanisms: &Mechanisms) -> CentreDefaults {
        CentreDefaults {
            overhead: mechanisms.centre_overhead,
            staffing_policy: settings.map_or(StaffingPolicy::default(), |s| s.staffing_policy),
        }
    }
}

impl Settings {
    /// Minutes of processing one FTE delivers in a working day.
    pub(crate) fn productive_minutes_per_fte_day(&self, draws: &Draws) -> f64 {
        draws.value(self.working_minutes_per_day) * draws.value(self.availability_share)
    }

    /// The horizon's years, months and days; [`Calendar::horizon_days`] is
    /// the one place the horizon's length in working days is computed.
    pub fn calendar(&self) -> Calendar {
        Calendar {
            horizon_years: self.horizon_years,
            working_days_per_year: self.working_days_per_year as usize,
        }
    }
}

/// A back-office process (JIU/REP/2009/6 Table 1), or a contact line such as
/// a service desk.
#[derive(Clone, Debug)]
pub struct ServiceLine {
    /// Identifier used in files.
    pub id: String,
    /// Display name.
    pub name: String,
    /// How its work is done and its service level set.
    pub work: Work,
    /// Whether the work may leave headquarters at all.
    pub relocatable: bool,
    /// Correlation between agencies' daily demand shocks in this line (the
    /// gamma factors of negative binomial arrivals), 0 to 1.
    pub volume_correlation: Param,
}

impl ServiceLine {
    /// Minutes of work per transaction (or per contact) by a trained team.
    pub(crate) fn effort_minutes(&self, draws: &Draws) -> f64 {
        match &self.work {
            Work::Queue(q) => draws.value(q.effort_minutes_per_transaction),
            Work::Contact(c) => draws.value(c.handle_time_seconds) / 60.0,
        }
    }
}

/// How a service line's work is done.
#[derive(Clone, Debug)]
pub enum Work {
    /// Transactions worked through a queue over days.
    Queue(QueueWork),
    /// Contacts answered as they come, staffed per hour by Erlang formulas.
    Contact(Box<ContactWork>),
}

/// A back-office line: transactions wait in a queue and are on time when
/// completed within a number of working days.
#[derive(Clone, Debug)]
pub struct QueueWork {
    /// Processing effort of one transaction by a trained team.
    pub effort_minutes_per_transaction: Param,
    /// A transaction is on time when completed within this many working days
    /// after the day it arrived (0 = the same day).
    pub target_days: u32,
    /// Share of transactions that should be on time.
    pub target_share: f64,
}

/// A contact line (service desk, call centre): calls are answered as they
/// come, and the target is a share answered within seconds.
#[derive(Clone, Debug)]
pub struct ContactWork {
    /// Average handle time of a contact by a trained agent.
    pub handle_time_seconds: Param,
    /// A contact counts as answered in time within this many seconds.
    pub answer_within_seconds: f64,
    /// Share of contacts that should be answered in time.
    pub answer_share: f64,
    /// Mean patience before a caller hangs up (Erlang A); `None`: callers
    /// wait as long as it takes (Erlang C).
    pub patience_seconds: Option<Param>,
    /// Share of agents' paid time off the phones (breaks, training, absence).
    pub shrinkage_share: Param,
    /// Share of a day's contacts in each hour of the callers' local day,
    /// summing to 1.
    pub hourly_profile: [f64; HOURS_PER_DAY],
}

/// Hours in a day: contact lines are staffed hour by hour.
pub const HOURS_PER_DAY: usize = 24;

/// A duty station.
#[derive(Clone, Debug)]
pub struct Location {
    /// Identifier used in files.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Standard annual cost of one FTE by grade in year 0, in USD; `None` where
    /// the grade is not used at this duty station.
    pub annual_cost_usd_per_fte: ByGrade<Option<Param>>,
    /// Yearly growth of standard costs.
    pub salary_escalation_rate_per_year: Param,
    /// Multiplier on the USD cost of locally recruited grades (GS, NPO) for
    /// exchange-rate movements over the horizon.
    pub exchange_rate_factor: Param,
    /// Office space and running costs per FTE per year, in USD.
    pub premises_usd_per_fte_per_year: Param,
    /// One-off cost of opening a new processing site here, in USD.
    pub site_setup_cost_usd: Param,
    /// Yearly cost of running a processing site here (security, ICT
    /// infrastructure, business continuity), in USD.
    pub site_fixed_cost_usd_per_year: Param,
    /// A possible rise in local salaries.
    pub salary_shock: Option<SalaryShock>,
    /// Hours ahead of UTC (Geneva +1, New York −5, Kuala Lumpur +8); needed
    /// where callers of a contact line are.
    pub utc_offset_hours: Option<f64>,
}

/// An organization of the UN system.
#[derive(Clone, Debug)]
pub struct Agency {
    /// Identifier used in files.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Index of its headquarters in [`Scenario::locations`].
    pub hq_location: usize,
    /// Its demand per service line, indexed like [`Scenario::service_lines`];
    /// `None` where the agency has no such work.
    pub lines: Vec<Option<AgencyLine>>,
}

/// One agency's work in one service line.
#[derive(Clone, Debug)]
pub struct AgencyLine {
    /// Transactions in year 0.
    pub annual_volume: Param,
    /// Yearly growth of the volume.
    pub volume_growth_rate_per_year: Param,
    /// Relative weight of each calendar month, scaled so that their average
    /// over the working days of a year is exactly 1.
    pub seasonality: [f64; MONTHS_PER_YEAR],
    /// How daily arrivals vary around their mean.
    pub arrivals: ArrivalProcess,
    /// Staff processing this work at headquarters today, by grade.
    pub hq_staff_fte: ByGrade<f64>,
}

impl AgencyLine {
    /// Expected transactions per working day in `year` (0-based) and calendar
    /// `month`: annual volume × (1 + growth)^year × seasonal weight / working days.
    pub(crate) fn daily_mean(
        &self,
        draws: &Draws,
        year: u32,
        month: usize,
        working_days_per_year: u32,
    ) -> f64 {
        self.daily_mean_of(self.annual_mean(draws, year), month, working_days_per_year)
    }

    /// Expected transactions per working day of calendar `month` in a year
    /// of `annual_mean` transactions ([`AgencyLine::annual_mean`]).
    pub(crate) fn daily_mean_of(
        &self,
        annual_mean: f64,
        month: usize,
        working_days_per_year: u32,
    ) -> f64 {
        annual_mean * self.seasonality[month] / f64::from(working_days_per_year)
    }

    /// The negative binomial dispersion `r`, for negative binomial arrivals.
    pub(crate) fn dispersion(&self, draws: &Draws) -> Option<f64> {
        match self.arrivals {
            ArrivalProcess::NegativeBinomial { dispersion } => Some(draws.value(dispersion)),
            ArrivalProcess::Poisson | ArrivalProcess::Deterministic => None,
        }
    }

    /// Expected transactions in `year`: the annual volume grown by the growth rate.
    pub(crate) fn annual_mean(&self, draws: &Draws, year: u32) -> f64 {
        let growth = 1.0 + draws.value(self.volume_growth_rate_per_year);
        draws.value(self.annual_volume) * powi(growth, year as i32)
    }

    /// Variance of one day's arrivals whose mean is `daily_mean`.
    pub(crate) fn daily_variance(&self, draws: &Draws, daily_mean: f64) -> f64 {
        match self.arrivals {
            ArrivalProcess::Deterministic => 0.0,
            ArrivalProcess::Poisson => daily_mean,
            ArrivalProcess::NegativeBinomial { dispersion } => {
                daily_mean + daily_mean * daily_mean / draws.value(dispersion)
            }
        }
    }
}

/// The count distribution of daily arrivals around their mean.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ArrivalProcess {
    /// Exactly the mean every day (no variability): a neutral reference.
    Deterministic,
    /// Poisson counts: variance equals the mean.
    Poisson,
    /// Gamma–Poisson mixture: variance = mean + mean² / dispersion.
    NegativeBinomial {
        /// The gamma shape `r`; smaller means burstier.
        dispersion: Param,
    },
}
