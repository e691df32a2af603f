//! Checks of strategies: the status quo sscsim builds, the scenario's
//! strategies, their centres, staffing and migration plans.

use super::*;

impl Validator {
    pub(super) fn status_quo(
        &mut self,
        raw_agencies: &[Spanned<RawAgency>],
        ctx: &Context,
        staffing: RawStatusQuoStaffing,
    ) -> Strategy {
        let mut centres = Vec::new();
        let mut sites = Vec::new();
        for (a, agency) in ctx.agencies.iter().enumerate() {
            let mut teams = Vec::new();
            for (l, line) in agency.lines.iter().enumerate() {
                let Some(line) = line else { continue };
                let staff = line.hq_staff_fte;
                let total = staff.total();
                let staff_span = || {
                    raw_agencies[a]
                        .get_ref()
                        .service_line
                        .iter()
                        .find(|(k, _)| k.get_ref() == &ctx.service_lines[l].id)
                        .map_or(0..0, |(_, v)| v.get_ref().hq_staff_fte.span())
                };
                let staffing = match staffing {
                    RawStatusQuoStaffing::Current => {
                        // No staff and no planning: the work arrives and is never done,
                        // at no cost, a status quo no strategy can be compared with.
                        if total <= 0.0 && self.can_be_positive(line.annual_volume) {
                            self.problem(
                                staff_span(),
                                format!("hq_staff_fte of `{}` in `{}` is all 0, so with status_quo_staffing = \"current\" its work is never done", agency.id, ctx.service_lines[l].id),
                                "the staff processing this work at headquarters today, by grade (or status_quo_staffing = \"planned\")",
                            );
                        }
                        Staffing::Fixed {
                            fte: ByGrade::from_fn(|g| Param::Fixed(staff[g])),
                        }
                    }
                    RawStatusQuoStaffing::Planned => {
                        if total <= 0.0 {
                            self.problem(
                                staff_span(),
                                format!("hq_staff_fte of `{}` in `{}` is all 0, so the status quo has no grade mix", agency.id, ctx.service_lines[l].id),
                                "the staff processing this work at headquarters today, by grade",
                            );
                            continue;
                        }
                        Staffing::Planned {
                            grade_mix: ByGrade::from_fn(|g| staff[g] / total),
                        }
                    }
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
            let span = raw_agencies[a].get_ref().hq_location.span();
            self.grades_have_costs(
                span,
                &ctx.locations[agency.hq_location],
                &used,
                &format!("the status quo of `{}`", agency.id),
            );
            sites.push(Site {
                location: agency.hq_location,
                existing: true,
            });
            centres.push(Centre {
                id: format!("{}_hq", agency.id),
                location: agency.hq_location,
                site: sites.len() - 1,
                teams,
                fixed_cost_usd_per_year: Param::Fixed(0.0),
                // Headquarters management is not attributed to its processing units.
                overhead_staff_fte: ByGrade::default(),
                existing: true,
                supervisor_grade_mix: None,
                service_charge_share: Param::Fixed(0.0),
            });
        }
        Strategy {
            id: STATUS_QUO_ID.to_owned(),
            name: "Status quo".to_owned(),
            centres,
            sites,
            migration: None,
        }
    }

    pub(super) fn grades_have_costs(
        &mut self,
        span: Range<usize>,
        location: &Location,
        used: &ByGrade<bool>,
        whose: &str,
    ) {
        for (g, &is_used) in used.iter() {
            if is_used && location.annual_cost_usd_per_fte[g].is_none() {
                self.problem(
                    span.clone(),
                    format!(
                        "{whose} employs {} staff but location `{}` has no {} cost",
                        g.label(),
                        location.id,
                        g.label()
                    ),
                    format!(
                        "annual_cost_usd_per_fte.{} for location `{}`",
                        g.label(),
                        location.id
                    ),
                );
            }
        }
    }

    /// Reads a strategy's migration plan and sets each team's go-live; a
    /// team moves unless it stays at its members' headquarters on an existing site.
    pub(super) fn migration(
        &mut self,
        strategy_id: &str,
        raw: &Spanned<RawMigration>,
        centres: &mut [Centre],
        ctx: &Context,
    ) -> Option<Migration> {
        let m = raw.get_ref();
        let approach = match m.approach.get_ref() {
            RawApproach::Phased => Approach::Phased,
            RawApproach::BigBang => Approach::BigBang,
        };
        let mut go_live_month = vec![0; ctx.service_lines.len()];
        let moving_lines: HashSet<usize> = centres
            .iter()
            .flat_map(|c| {
                c.teams
                    .iter()
                    .filter(|t| team_moves(c, t, ctx.agencies))
                    .map(|t| t.service_line)
            })
            .collect();
        let month_range = (0, i64::from(ctx.horizon_months) - 1);
        match (approach, m.go_live_month.get_ref()) {
            (Approach::BigBang, RawGoLive::All(month)) => {
                let month = self.integer(
                    "go_live_month",
                    &Spanned::new(m.go_live_month.span(), *month),
                    month_range.0,
                    month_range.1,
                )? as u32;
                go_live_month.iter_mut().for_each(|g| *g = month);
            }
            (Approach::BigBang, RawGoLive::PerLine(_)) => {
                self.problem(
                    m.go_live_month.span(),
                    "a big bang with a go-live month per service line",
                    "one go_live_month for everything (or approach = \"phased\")",
                );
                return None;
            }
            (Approach::Phased, RawGoLive::All(_)) => {
                self.problem(
                    m.go_live_month.span(),
                    "a phased migration with one go-live month",
                    "go_live_month = { line = month, ... } for each service line that moves",
                );
                return None;
            }
            (Approach::Phased, RawGoLive::PerLine(months)) => {
                for (line_id, month) in months {
                    let Some(l) = ctx
                        .service_lines
                        .iter()
                        .position(|s| s.id == *line_id.get_ref())
                    else {
                        self.problem(
                            line_id.span(),
                            format!("unknown service line `{}`", line_id.get_ref()),
                            "a service line the strategy moves",
                        );
                        continue;
                    };
                    if !moving_lines.contains(&l) {
                        self.problem(
                            line_id.span(),
                            format!(
                                "strategy `{strategy_id}` does not move `{}`",
                                line_id.get_ref()
                            ),
                            "go-live months only for service lines that move",
                        );
                    }
                    if let Some(month) =
                        self.integer("go_live_month", month, month_range.0, month_range.1)
                    {
                        go_live_month[l] = month as u32;
                    }
                }
                for &l in &moving_lines {
                    if !months
                        .keys()
                        .any(|k| *k.get_ref() == ctx.service_lines[l].id)
                    {
                        self.problem(
                            m.go_live_month.span(),
                            format!(
                                "no go-live month for `{}`, which strategy `{strategy_id}` moves",
                                ctx.service_lines[l].id
                            ),
                            format!("{} = month in go_live_month", ctx.service_lines[l].id),
                        );
                    }
                }
            }
        }
        let p = ctx.transition.disruption_probability(approach, m.new_erp);
        for centre in centres.iter_mut() {
            let mut waves: Vec<(u32, Param)> = Vec::new();
            for team in centre.teams.iter_mut() {
                team.moves = team_moves_in(centre.location, centre.existing, team, ctx.agencies);
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
                        let bad = self.bernoulli(path, p);
                        waves.push((team.go_live_month, bad));
                        bad
                    }
                };
            }
        }
        Some(Migration {
            approach,
            go_live_month,
            new_erp: m.new_erp,
        })
    }

    pub(super) fn strategy(
        &mut self,
        raw: &Spanned<RawStrategy>,
        ctx: &Context,
        line_ids: &Ids,
        location_ids: &Ids,
        agency_ids: &Ids,
    ) -> Strategy {
        let s = raw.get_ref();
        let id = s.id.get_ref().clone();
        if s.centre.is_empty() {
            self.problem(
                s.id.span(),
                format!("strategy `{id}` has no centres"),
                "at least one [[strategy.centre]]",
            );
        }
        self.unique_ids("centre", s.centre.iter().map(|c| &c.get_ref().id));
        let mut sites: Vec<Site> = Vec::new();
        let mut site_ids: HashMap<String, usize> = HashMap::new();
        let mut assigned: HashMap<(usize, usize), String> = HashMap::new();
        let mut centres = Vec::new();
        // A centre that could not be read would make its work look unassigned.
        let mut every_centre_read = !s.centre.is_empty();
        for raw_centre in &s.centre {
            let c = raw_centre.get_ref();
            let Some(centre) =
                self.centre(raw_centre, &id, ctx, line_ids, location_ids, agency_ids)
            else {
                every_centre_read = false;
                continue;
            };
            let site_id = c.site.as_ref().unwrap_or(&c.id);
            let site = Site {
                location: centre.location,
                existing: c.existing,
            };
            let site_index = match site_ids.get(site_id.get_ref()) {
                Some(&i) => {
                    if sites[i] != site {
                        self.problem(
                            site_id.span(),
                            format!("centres on site `{}` differ in location or in `existing`", site_id.get_ref()),
                            "the same location and the same `existing` flag for every centre on one site",
                        );
                    }
                    i
                }
                None => {
                    sites.push(site);
                    site_ids.insert(site_id.get_ref().clone(), sites.len() - 1);
                    sites.len() - 1
                }
            };
            for team in &centre.teams {
                for &a in &team.members {
                    if let Some(other) = assigned.insert((a, team.service_line), centre.id.clone())
                    {
                        self.problem(
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
            centres.push(Centre {
                site: site_index,
                ..centre
            });
        }
        for (a, agency) in ctx.agencies.iter().enumerate() {
            for (l, line) in agency.lines.iter().enumerate() {
                if line.is_some() && !assigned.contains_key(&(a, l)) && every_centre_read {
                    self.problem(
                        s.id.span(),
                        format!(
                            "strategy `{id}` leaves `{}` work in `{}` unassigned",
                            agency.id, ctx.service_lines[l].id
                        ),
                        "every agency's service lines served by exactly one centre of the strategy",
                    );
                }
            }
        }
        let migration = s
            .migration
            .as_ref()
            .and_then(|m| self.migration(&id, m, &mut centres, ctx));
        Strategy {
            name: s.name.clone().unwrap_or_else(|| id.clone()),
            id,
            centres,
            sites,
            migration,
        }
    }

    pub(super) fn centre(
        &mut self,
        raw: &Spanned<RawCentre>,
        strategy_id: &str,
        ctx: &Context,
        line_ids: &Ids,
        location_ids: &Ids,
        agency_ids: &Ids,
    ) -> Option<Centre> {
        let c = raw.get_ref();
        let id = c.id.get_ref().clone();
        // Centre ids are unique within a strategy only: the strategy keeps input names unique.
        let path = format!("strategy.{strategy_id}.centre.{id}");
        let location = self.reference("location", location_ids, &c.location);
        if let Some(site) = &c.site {
            self.identifier("site", site);
        }
        let members = self.reference_list("agency", agency_ids, &c.agencies);
        let lines = self.reference_list("service line", line_ids, &c.service_lines);
        let (location, members, lines) = (location?, members?, lines?);

        let mut teams = Vec::new();
        for (l, line_span) in &lines {
            let team_members: Vec<usize> = members
                .iter()
                .map(|(a, _)| *a)
                .filter(|&a| ctx.agencies[a].lines[*l].is_some())
                .collect();
            if team_members.is_empty() {
                self.problem(
                    line_span.clone(),
                    format!(
                        "centre `{id}` serves `{}` but none of its agencies has work in it",
                        ctx.service_lines[*l].id
                    ),
                    "only service lines in which at least one of the centre's agencies has volume",
                );
                continue;
            }
            let line = &ctx.service_lines[*l];
            let away_from_hq = team_members
                .iter()
                .any(|&a| ctx.agencies[a].hq_location != location);
            if !line.relocatable && away_from_hq {
                self.problem(
                    line_span.clone(),
                    format!("service line `{}` may not be relocated, but centre `{id}` is not at its agencies' headquarters", line.id),
                    "non-relocatable lines served at each agency's headquarters location",
                );
            }
            // Whether and when the work moves is set with the strategy's migration.
            teams.push(Team {
                service_line: *l,
                members: team_members,
                staffing: Staffing::Planned {
                    grade_mix: ByGrade::default(),
                },
                moves: false,
                go_live_month: 0,
                bad_go_live: Param::Fixed(0.0),
            });
        }
        self.staffing(raw, &path, ctx, location, &mut teams);
        let overhead_staff_fte = match &c.overhead_staff_fte {
            Some(table) => self.fte_table(&format!("{path}.overhead_staff_fte"), table),
            // An existing centre's management is there whatever the strategy.
            None if c.existing => ByGrade::default(),
            None => ctx.mechanisms.centre_overhead_staff_fte,
        };
        let span = c
            .overhead_staff_fte
            .as_ref()
            .map_or(c.id.span(), |t| t.span());
        let used = ByGrade::from_fn(|g| self.can_be_positive(overhead_staff_fte[g]));
        self.grades_have_costs(
            span,
            &ctx.locations[location],
            &used,
            &format!("the overhead staff of centre `{id}`"),
        );
        Some(Centre {
            fixed_cost_usd_per_year: self.optional_param(
                format!("{path}.fixed_cost_usd_per_year"),
                &c.fixed_cost_usd_per_year,
                NON_NEGATIVE,
                0.0,
            ),
            service_charge_share: self.optional_param(
                format!("{path}.service_charge_share"),
                &c.service_charge_share,
                Domain {
                    min: 0.0,
                    min_inclusive: true,
                    max: 10.0,
                    expected: "a share of staff costs from 0 to 10",
                },
                0.0,
            ),
            id,
            location,
            site: 0,
            teams,
            overhead_staff_fte,
            existing: c.existing,
            supervisor_grade_mix: c
                .supervisor_grade_mix
                .as_ref()
                .map(|mix| self.grade_shares("supervisor_grade_mix", mix)),
        })
    }

    pub(super) fn reference_list(
        &mut self,
        kind: &str,
        ids: &Ids,
        list: &Spanned<Vec<Spanned<String>>>,
    ) -> Option<Vec<(usize, Range<usize>)>> {
        if list.get_ref().is_empty() {
            self.problem(
                list.span(),
                format!("the list of {kind} ids is empty"),
                format!("at least one {kind} id"),
            );
        }
        let mut seen = HashSet::new();
        let mut found = Vec::new();
        let mut all_known = !list.get_ref().is_empty();
        for id in list.get_ref() {
            let Some(i) = self.reference(kind, ids, id) else {
                all_known = false;
                continue;
            };
            if seen.insert(i) {
                found.push((i, id.span()));
            } else {
                self.problem(
                    id.span(),
                    format!("{kind} `{}` is listed twice", id.get_ref()),
                    "each id once",
                );
            }
        }
        all_known.then_some(found)
    }

    /// Sets each team's staffing from the centre's `grade_mix` (planned) or
    /// `fixed_staff_fte` (a staffing table per service line).
    pub(super) fn staffing(
        &mut self,
        raw: &Spanned<RawCentre>,
        path: &str,
        ctx: &Context,
        location: usize,
        teams: &mut [Team],
    ) {
        let c = raw.get_ref();
        let id = c.id.get_ref();
        let location = &ctx.locations[location];
        match (&c.grade_mix, &c.fixed_staff_fte) {
            (Some(_), Some(fixed)) => self.problem(
                fixed.span(),
                format!("centre `{id}` has both grade_mix and fixed_staff_fte"),
                "grade_mix for planned staffing or fixed_staff_fte for a fixed staffing table, not both",
            ),
            (None, None) => self.problem(
                c.id.span(),
                format!("centre `{id}` says neither how its staff is planned nor how it is fixed"),
                "grade_mix = { GS = ..., ... } (planned) or a [strategy.centre.fixed_staff_fte] table",
            ),
            (Some(mix), None) => {
                let entries = mix.get_ref().entries();
                let grade_mix = ByGrade::from_fn(|g| {
                    entries[g as usize]
                        .as_ref()
                        .and_then(|v| self.real(&format!("grade_mix.{}", g.label()), v, Domain { min: 0.0, min_inclusive: true, max: 1.0, expected: "a share from 0 to 1" }))
                        .unwrap_or(0.0)
                });
                let total = grade_mix.total();
                if (total - 1.0).abs() > 1e-6 {
                    self.problem(mix.span(), format!("grade_mix shares sum to {}", readable(total)), "shares that sum to 1");
                }
                self.grades_have_costs(mix.span(), location, &ByGrade::from_fn(|g| grade_mix[g] > 0.0), &format!("centre `{id}`"));
                // Shares within the tolerance are scaled to sum to exactly 1.
                let grade_mix = ByGrade::from_fn(|g| if total > 0.0 { grade_mix[g] / total } else { 0.0 });
                for team in teams.iter_mut() {
                    team.staffing = Staffing::Planned { grade_mix };
                }
            }
            (None, Some(fixed)) => {
                let tables = fixed.get_ref();
                for line_id in tables.keys() {
                    let served = teams.iter().any(|t| ctx.service_lines[t.service_line].id == *line_id.get_ref());
                    if !served {
                        self.problem(
                            line_id.span(),
                            format!("fixed_staff_fte names `{}`, which centre `{id}` does not serve", line_id.get_ref()),
                            "one staffing table per service line the centre serves",
                        );
                    }
                }
                for team in teams.iter_mut() {
                    let line_id = &ctx.service_lines[team.service_line].id;
                    let Some((_, table)) = tables.iter().find(|(k, _)| k.get_ref() == line_id) else {
                        self.problem(
                            fixed.span(),
                            format!("fixed_staff_fte of centre `{id}` has no table for `{line_id}`"),
                            format!("{line_id} = {{ GS = ..., ... }} in fixed_staff_fte"),
                        );
                        continue;
                    };
                    let entries = table.get_ref().entries();
                    let fte = ByGrade::from_fn(|g| match entries[g as usize] {
                        Some(v) => self.param(format!("{path}.fixed_staff_fte.{line_id}.{}", g.label()), v, FTE),
                        None => Param::Fixed(0.0),
                    });
                    let used = ByGrade::from_fn(|g| entries[g as usize].is_some());
                    self.grades_have_costs(table.span(), location, &used, &format!("centre `{id}`"));
                    team.staffing = Staffing::Fixed { fte };
                }
            }
        }
    }
}
