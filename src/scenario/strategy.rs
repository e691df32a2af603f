//! `[[strategy]]`: which centre serves each agency's service line, and how
//! the work migrates there; as written, and checked into a [`Strategy`].
//! Also the status quo, the baseline strategy sscsim builds itself from the
//! agencies' headquarters.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

use super::agency::RawAgency;
use super::centre::RawCentre;
use super::settings::RawStatusQuoStaffing;
use super::validate::{Context, Ids, Validator};
use crate::model::{
    Agency, AgencyLine, Approach, ByGrade, Centre, Grade, Migration, Param, STATUS_QUO_ID, Site,
    Staffing, Strategy, Team,
};

/// `[[strategy]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStrategy {
    pub id: Spanned<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub centre: Vec<Spanned<RawCentre>>,
    pub migration: Option<Spanned<RawMigration>>,
}

/// `[strategy.migration]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMigration {
    pub approach: Spanned<RawApproach>,
    pub go_live_month: Spanned<RawGoLive>,
    #[serde(default)]
    pub new_erp: bool,
}

/// `approach = "phased"` or `"big_bang"`.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawApproach {
    Phased,
    BigBang,
}

/// One go-live month for everything, or one per service line.
#[derive(Debug)]
pub(crate) enum RawGoLive {
    All(i64),
    PerLine(BTreeMap<Spanned<String>, Spanned<i64>>),
}

impl<'de> Deserialize<'de> for RawGoLive {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct GoLiveVisitor;
        impl<'de> Visitor<'de> for GoLiveVisitor {
            type Value = RawGoLive;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a month number, or a table of month numbers by service line id")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawGoLive, E> {
                Ok(RawGoLive::All(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawGoLive, E> {
                i64::try_from(v)
                    .map(RawGoLive::All)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawGoLive, A::Error> {
                BTreeMap::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawGoLive::PerLine)
            }
        }
        deserializer.deserialize_any(GoLiveVisitor)
    }
}

/// The status quo and the scenario's strategies, in that order, with the
/// scenario's strategy ids.
pub(super) fn strategies(
    v: &mut Validator,
    raw: &[Spanned<RawStrategy>],
    raw_agencies: &[Spanned<RawAgency>],
    ctx: &Context,
    staffing: RawStatusQuoStaffing,
) -> (Vec<Strategy>, Ids) {
    let mut strategies = vec![status_quo(v, raw_agencies, ctx, staffing)];
    let strategy_ids = v.unique_ids("strategy", raw.iter().map(|s| &s.get_ref().id));
    if let Some(i) = strategy_ids.get(STATUS_QUO_ID) {
        let id = &raw[i].get_ref().id;
        v.problem(
            id.span(),
            format!(
                "strategy id `{STATUS_QUO_ID}` is reserved for the baseline sscsim builds itself"
            ),
            "another id",
        );
    }
    for s in raw {
        strategies.push(s.get_ref().validate(v, ctx));
    }
    (strategies, strategy_ids)
}

/// Everything at each agency's headquarters, staffed as `staffing` says.
fn status_quo(
    v: &mut Validator,
    raw_agencies: &[Spanned<RawAgency>],
    ctx: &Context,
    staffing: RawStatusQuoStaffing,
) -> Strategy {
    let mut centres = Vec::new();
    let mut sites = Vec::new();
    for (a, (agency, raw)) in ctx.agencies.iter().zip(raw_agencies).enumerate() {
        let mut teams = Vec::new();
        for (l, line) in agency.lines.iter().enumerate() {
            let Some(line) = line else { continue };
            let Some(staffing) =
                status_quo_staffing(v, raw.get_ref(), agency, l, line, ctx, staffing)
            else {
                continue;
            };
            teams.push(Team {
                service_line: l,
                members: vec![a],
                staffing,
                moves: false,
                go_live_month: 0,
                bad_go_live: Param::Fixed(0.0),
            });
        }
        let used = ByGrade::from_fn(|g| line_grades_used(agency, g));
        v.grades_have_costs(
            raw.get_ref().hq_location.span(),
            &ctx.locations[agency.hq_location],
            &used,
            &format!("the status quo of `{}`", agency.id),
        );
        sites.push(Site {
            location: agency.hq_location,
            existing: true,
        });
        // Headquarters management is not attributed to its processing
        // units: an existing centre has no overhead of its own.
        centres.push(Centre::new(
            format!("{}_hq", agency.id),
            agency.hq_location,
            sites.len() - 1,
            true,
            teams,
            &ctx.centre_defaults,
        ));
    }
    Strategy {
        id: STATUS_QUO_ID.to_owned(),
        name: "Status quo".to_owned(),
        centres,
        sites,
        migration: None,
    }
}

/// The staffing of an agency's headquarters team in line `l` today: its
/// staff as they are, or planned with their grade mix; `None` when planning
/// has no grade mix to go by.
fn status_quo_staffing(
    v: &mut Validator,
    raw: &RawAgency,
    agency: &Agency,
    l: usize,
    line: &AgencyLine,
    ctx: &Context,
    staffing: RawStatusQuoStaffing,
) -> Option<Staffing> {
    let staff = line.hq_staff_fte;
    let total = staff.total();
    let line_id = &ctx.service_lines[l].id;
    let staff_span = || {
        (raw.service_line.iter())
            .find(|(k, _)| k.get_ref() == line_id)
            .map_or(0..0, |(_, v)| v.get_ref().hq_staff_fte.span())
    };
    match staffing {
        RawStatusQuoStaffing::Current => {
            // No staff and no planning: the work arrives and is never done,
            // at no cost, a status quo no strategy can be compared with.
            if total <= 0.0 && v.can_be_positive(line.annual_volume) {
                v.problem(
                    staff_span(),
                    format!("hq_staff_fte of `{}` in `{line_id}` is all 0, so with status_quo_staffing = \"current\" its work is never done", agency.id),
                    "the staff processing this work at headquarters today, by grade (or status_quo_staffing = \"planned\")",
                );
            }
            Some(Staffing::Fixed {
                fte: ByGrade::from_fn(|g| Param::Fixed(staff[g])),
            })
        }
        RawStatusQuoStaffing::Planned => {
            if total <= 0.0 {
                v.problem(
                    staff_span(),
                    format!(
                        "hq_staff_fte of `{}` in `{line_id}` is all 0, so the status quo has no grade mix",
                        agency.id
                    ),
                    "the staff processing this work at headquarters today, by grade",
                );
                return None;
            }
            Some(Staffing::Planned {
                grade_mix: ByGrade::from_fn(|g| staff[g] / total),
            })
        }
    }
}

/// Whether any of an agency's HQ teams employs staff of this grade today.
fn line_grades_used(agency: &Agency, grade: Grade) -> bool {
    agency
        .lines
        .iter()
        .flatten()
        .any(|l| l.hq_staff_fte[grade] > 0.0)
}

/// Whether a centre's team takes over work from its members' headquarters:
/// every team does, except one at all its members' headquarters location on
/// an existing site, whose work stays where it is.
fn team_moves(location: usize, existing: bool, team: &Team, agencies: &[Agency]) -> bool {
    !(existing
        && team
            .members
            .iter()
            .all(|&a| agencies[a].hq_location == location))
}

impl RawStrategy {
    pub(super) fn validate(&self, v: &mut Validator, ctx: &Context) -> Strategy {
        let id = self.id.get_ref().clone();
        if self.centre.is_empty() {
            v.problem(
                self.id.span(),
                format!("strategy `{id}` has no centres"),
                "at least one [[strategy.centre]]",
            );
        }
        v.unique_ids("centre", self.centre.iter().map(|c| &c.get_ref().id));
        let mut sites = Sites::default();
        let mut assigned: HashMap<(usize, usize), String> = HashMap::new();
        let mut centres = Vec::new();
        // A centre that could not be read would make its work look unassigned.
        let mut every_centre_read = !self.centre.is_empty();
        for raw_centre in &self.centre {
            let c = raw_centre.get_ref();
            let Some(centre) = c.validate(v, &id, ctx) else {
                every_centre_read = false;
                continue;
            };
            let site = Site {
                location: centre.location,
                existing: c.existing,
            };
            let site = sites.index(v, c.site.as_ref().unwrap_or(&c.id), site);
            for team in &centre.teams {
                for &a in &team.members {
                    if let Some(other) = assigned.insert((a, team.service_line), centre.id.clone())
                    {
                        v.problem(
                            c.agencies.span(),
                            format!(
                                "`{}` work in `{}` is assigned to both centre `{other}` and centre `{}`",
                                ctx.agencies[a].id, ctx.service_lines[team.service_line].id, centre.id
                            ),
                            "each agency's service line served by exactly one centre",
                        );
                    }
                }
            }
            centres.push(Centre { site, ..centre });
        }
        if every_centre_read {
            self.every_line_assigned(v, &assigned, ctx);
        }
        let migration =
            (self.migration.as_ref()).and_then(|m| m.get_ref().validate(v, &id, &mut centres, ctx));
        Strategy {
            name: self.name.clone().unwrap_or_else(|| id.clone()),
            id,
            centres,
            sites: sites.sites,
            migration,
        }
    }

    /// Reports each agency's service line no centre serves.
    fn every_line_assigned(
        &self,
        v: &mut Validator,
        assigned: &HashMap<(usize, usize), String>,
        ctx: &Context,
    ) {
        for (a, agency) in ctx.agencies.iter().enumerate() {
            for (l, line) in agency.lines.iter().enumerate() {
                if line.is_some() && !assigned.contains_key(&(a, l)) {
                    v.problem(
                        self.id.span(),
                        format!(
                            "strategy `{}` leaves `{}` work in `{}` unassigned",
                            self.id.get_ref(),
                            agency.id,
                            ctx.service_lines[l].id
                        ),
                        "every agency's service lines served by exactly one centre of the strategy",
                    );
                }
            }
        }
    }
}

/// A strategy's sites, by the id its centres give them.
#[derive(Default)]
struct Sites {
    sites: Vec<Site>,
    ids: HashMap<String, usize>,
}

impl Sites {
    /// The index of the site `id`, added if new; reports a centre whose
    /// site differs from the one its id already names.
    fn index(&mut self, v: &mut Validator, id: &Spanned<String>, site: Site) -> usize {
        if let Some(&i) = self.ids.get(id.get_ref()) {
            if self.sites[i] != site {
                v.problem(
                    id.span(),
                    format!(
                        "centres on site `{}` differ in location or in `existing`",
                        id.get_ref()
                    ),
                    "the same location and the same `existing` flag for every centre on one site",
                );
            }
            return i;
        }
        self.sites.push(site);
        self.ids.insert(id.get_ref().clone(), self.sites.len() - 1);
        self.sites.len() - 1
    }
}

impl RawMigration {
    /// The migration plan; sets each team's go-live and whether it moves (a
    /// team moves unless it stays at its members' headquarters on an
    /// existing site).
    fn validate(
        &self,
        v: &mut Validator,
        strategy_id: &str,
        centres: &mut [Centre],
        ctx: &Context,
    ) -> Option<Migration> {
        let approach = match self.approach.get_ref() {
            RawApproach::Phased => Approach::Phased,
            RawApproach::BigBang => Approach::BigBang,
        };
        let go_live_month = self.go_live_months(v, approach, strategy_id, centres, ctx)?;
        let p = ctx
            .transition
            .disruption_probability(approach, self.new_erp);
        for centre in centres.iter_mut() {
            go_live(v, strategy_id, centre, &go_live_month, p, ctx.agencies);
        }
        Some(Migration {
            approach,
            go_live_month,
            new_erp: self.new_erp,
        })
    }

    /// The go-live month of each service line: one for all in a big bang,
    /// one for each line that moves in a phased migration.
    fn go_live_months(
        &self,
        v: &mut Validator,
        approach: Approach,
        strategy_id: &str,
        centres: &[Centre],
        ctx: &Context,
    ) -> Option<Vec<u32>> {
        let mut go_live_month = vec![0; ctx.service_lines.len()];
        let moving_lines: HashSet<usize> = centres
            .iter()
            .flat_map(|c| {
                c.teams
                    .iter()
                    .filter(|t| team_moves(c.location, c.existing, t, ctx.agencies))
                    .map(|t| t.service_line)
            })
            .collect();
        let month_range = (0, i64::from(ctx.horizon_months) - 1);
        let span = self.go_live_month.span();
        match (approach, self.go_live_month.get_ref()) {
            (Approach::BigBang, RawGoLive::All(month)) => {
                let month = Spanned::new(span, *month);
                let month = v.integer("go_live_month", &month, month_range.0, month_range.1)?;
                go_live_month.fill(month as u32);
            }
            (Approach::Phased, RawGoLive::PerLine(months)) => {
                for (line_id, month) in months {
                    let Some(l) =
                        (ctx.service_lines.iter()).position(|s| s.id == *line_id.get_ref())
                    else {
                        v.problem(
                            line_id.span(),
                            format!("unknown service line `{}`", line_id.get_ref()),
                            "a service line the strategy moves",
                        );
                        continue;
                    };
                    if !moving_lines.contains(&l) {
                        v.problem(
                            line_id.span(),
                            format!(
                                "strategy `{strategy_id}` does not move `{}`",
                                line_id.get_ref()
                            ),
                            "go-live months only for service lines that move",
                        );
                    }
                    if let Some(month) =
                        v.integer("go_live_month", month, month_range.0, month_range.1)
                    {
                        go_live_month[l] = month as u32;
                    }
                }
                self.every_moving_line_has_a_month(v, strategy_id, months, &moving_lines, ctx);
            }
            (approach, _) => {
                let (what, expected) = match approach {
                    Approach::BigBang => (
                        "a big bang with a go-live month per service line",
                        "one go_live_month for everything (or approach = \"phased\")",
                    ),
                    Approach::Phased => (
                        "a phased migration with one go-live month",
                        "go_live_month = { line = month, ... } for each service line that moves",
                    ),
                };
                v.problem(span, what, expected);
                return None;
            }
        }
        Some(go_live_month)
    }

    fn every_moving_line_has_a_month(
        &self,
        v: &mut Validator,
        strategy_id: &str,
        months: &BTreeMap<Spanned<String>, Spanned<i64>>,
        moving_lines: &HashSet<usize>,
        ctx: &Context,
    ) {
        for &l in moving_lines {
            let line_id = &ctx.service_lines[l].id;
            if !months.keys().any(|k| k.get_ref() == line_id) {
                v.problem(
                    self.go_live_month.span(),
                    format!(
                        "no go-live month for `{line_id}`, which strategy `{strategy_id}` moves"
                    ),
                    format!("{line_id} = month in go_live_month"),
                );
            }
        }
    }
}

/// Sets whether each of a centre's teams moves and when it goes live; the
/// teams that go live together share one uncertain "bad go-live", which
/// happens with probability `p`.
fn go_live(
    v: &mut Validator,
    strategy_id: &str,
    centre: &mut Centre,
    go_live_month: &[u32],
    p: f64,
    agencies: &[Agency],
) {
    let mut waves: Vec<(u32, Param)> = Vec::new();
    for team in centre.teams.iter_mut() {
        team.moves = team_moves(centre.location, centre.existing, team, agencies);
        if !team.moves {
            continue;
        }
        team.go_live_month = go_live_month[team.service_line];
        team.bad_go_live = match waves.iter().find(|w| w.0 == team.go_live_month) {
            Some(w) => w.1,
            None => {
                let path = format!(
                    "strategy.{strategy_id}.centre.{}.go_live_month_{}.bad_go_live",
                    centre.id, team.go_live_month
                );
                let bad = v.bernoulli(path, p);
                waves.push((team.go_live_month, bad));
                bad
            }
        };
    }
}
