//! Checks of the economies-of-scale mechanisms and of the comparison
//! they explain.

use super::*;

impl Validator {
    /// A table of FTE by grade, each uncertain.
    pub(super) fn fte_table(
        &mut self,
        path: &str,
        table: &Spanned<RawByGrade<Spanned<RawNumber>>>,
    ) -> ByGrade<Param> {
        let entries = table.get_ref().entries();
        ByGrade::from_fn(|g| match entries[g as usize] {
            Some(v) => self.param(format!("{path}.{}", g.label()), v, FTE),
            None => Param::Fixed(0.0),
        })
    }

    /// Whether a parameter can take a value above 0.
    pub(super) fn can_be_positive(&self, param: Param) -> bool {
        match param {
            Param::Fixed(v) => v > 0.0,
            Param::Input(InputId(i)) => self.inputs[i].dist.support().1 > 0.0,
        }
    }

    pub(super) fn default_correlation(&mut self, raw: &RawMechanisms) -> Param {
        let correlation = raw
            .variance_pooling
            .as_ref()
            .and_then(|v| v.get_ref().volume_correlation.as_ref());
        let path = "mechanisms.variance_pooling.volume_correlation".to_owned();
        match correlation {
            Some(c) => self.param(path, c, SHARE),
            None => {
                self.names.insert(path, Named::Default);
                Param::Fixed(defaults::VOLUME_CORRELATION)
            }
        }
    }

    /// A mechanism parameter: the scenario's value, or the documented default.
    pub(super) fn mechanism_param(
        &mut self,
        path: &str,
        raw: &Option<Spanned<RawNumber>>,
        domain: Domain,
        default: f64,
    ) -> Param {
        self.optional_param(format!("mechanisms.{path}"), raw, domain, default)
    }

    pub(super) fn mechanisms(
        &mut self,
        raw: &RawMechanisms,
        settings: Option<&Settings>,
    ) -> Mechanisms {
        let centre_overhead_staff_fte = match &raw.fixed_overhead {
            None => ByGrade::default(),
            Some(f) => match &f.get_ref().centre_staff_fte {
                Some(table) => self.fte_table("mechanisms.fixed_overhead.centre_staff_fte", table),
                None => ByGrade(defaults::CENTRE_STAFF_FTE.map(Param::Fixed)),
            },
        };
        let learning = raw.learning_and_scale.as_ref().map(|l| {
            let l = l.get_ref();
            let p = "learning_and_scale";
            Learning {
                initial_effort_factor: self.mechanism_param(
                    &format!("{p}.initial_effort_factor"),
                    &l.initial_effort_factor,
                    Domain { min: 1.0, min_inclusive: true, max: 10.0, expected: "a multiple from 1 to 10 (1 = no learning)" },
                    defaults::INITIAL_EFFORT_FACTOR,
                ),
                learning_rate: self.mechanism_param(
                    &format!("{p}.learning_rate"),
                    &l.learning_rate,
                    Domain { min: 0.0, min_inclusive: false, max: 1.0, expected: "a rate greater than 0 and at most 1 (0.85 = 15% less effort per doubling)" },
                    defaults::LEARNING_RATE,
                ),
                reference_experience_fte_years: self.mechanism_param(
                    &format!("{p}.reference_experience_fte_years"),
                    &l.reference_experience_fte_years,
                    Domain { min: 0.0, min_inclusive: false, max: 1e6, expected: "FTE-years greater than 0" },
                    defaults::REFERENCE_EXPERIENCE_FTE_YEARS,
                ),
                scale_elasticity: self.mechanism_param(
                    &format!("{p}.scale_elasticity"),
                    &l.scale_elasticity,
                    Domain { min: 0.0, min_inclusive: true, max: 0.5, expected: "an elasticity from 0 to 0.5 (0 = no scale effect)" },
                    defaults::SCALE_ELASTICITY,
                ),
                reference_team_fte: self.mechanism_param(
                    &format!("{p}.reference_team_fte"),
                    &l.reference_team_fte,
                    Domain { min: 0.0, min_inclusive: false, max: 1e6, expected: "a team size greater than 0" },
                    defaults::REFERENCE_TEAM_FTE,
                ),
            }
        });
        let span_of_control = raw.span_of_control.as_ref().map(|s| {
            let table = s.get_ref();
            let supervisor_grade_mix = match &table.supervisor_grade_mix {
                Some(mix) => self.grade_shares("supervisor_grade_mix", mix),
                None => ByGrade(defaults::SUPERVISOR_GRADE_MIX),
            };
            SpanOfControl {
                staff_per_supervisor: self.mechanism_param(
                    "span_of_control.staff_per_supervisor",
                    &table.staff_per_supervisor,
                    Domain {
                        min: 1.0,
                        min_inclusive: true,
                        max: 1000.0,
                        expected: "at least 1 processing staff per supervisor",
                    },
                    defaults::STAFF_PER_SUPERVISOR,
                ),
                minimum_supervisors_per_team: table
                    .minimum_supervisors_per_team
                    .as_ref()
                    .and_then(|m| {
                        self.real(
                            "minimum_supervisors_per_team",
                            m,
                            Domain {
                                min: 0.0,
                                min_inclusive: true,
                                max: 100.0,
                                expected: "from 0 to 100 supervisors",
                            },
                        )
                    })
                    .unwrap_or(defaults::MINIMUM_SUPERVISORS_PER_TEAM),
                supervisor_grade_mix,
                integer_staffing: table.integer_staffing,
            }
        });
        let horizon = settings.map_or(100, |s| i64::from(s.horizon_years));
        let harmonisation = raw.harmonisation.as_ref().map(|h| {
            let h = h.get_ref();
            let p = "harmonisation";
            Harmonisation {
                penalty_per_additional_agency: self.mechanism_param(
                    &format!("{p}.penalty_per_additional_agency"),
                    &h.penalty_per_additional_agency,
                    Domain {
                        min: 0.0,
                        min_inclusive: true,
                        max: 10.0,
                        expected: "extra effort from 0 to 10 (0.1 = +10% per agency)",
                    },
                    defaults::PENALTY_PER_ADDITIONAL_AGENCY,
                ),
                project_cost_usd_per_additional_agency: self.mechanism_param(
                    &format!("{p}.project_cost_usd_per_additional_agency"),
                    &h.project_cost_usd_per_additional_agency,
                    NON_NEGATIVE,
                    defaults::PROJECT_COST_USD_PER_ADDITIONAL_AGENCY,
                ),
                project_years: h
                    .project_years
                    .as_ref()
                    .and_then(|y| self.integer("project_years", y, 0, horizon))
                    .unwrap_or(defaults::PROJECT_YEARS as u64)
                    as u32,
                remaining_penalty_share: self.mechanism_param(
                    &format!("{p}.remaining_penalty_share"),
                    &h.remaining_penalty_share,
                    SHARE,
                    defaults::REMAINING_PENALTY_SHARE,
                ),
            }
        });
        Mechanisms {
            centre_overhead_staff_fte,
            learning,
            span_of_control,
            harmonisation,
        }
    }

    /// Grade shares that must sum to 1; scaled to sum to exactly 1.
    pub(super) fn grade_shares(
        &mut self,
        name: &str,
        mix: &Spanned<RawByGrade<Spanned<f64>>>,
    ) -> ByGrade<f64> {
        let entries = mix.get_ref().entries();
        let shares = ByGrade::from_fn(|g| {
            entries[g as usize]
                .as_ref()
                .and_then(|v| self.real(&format!("{name}.{}", g.label()), v, SHARE))
                .unwrap_or(0.0)
        });
        let total = shares.total();
        if (total - 1.0).abs() > 1e-6 {
            self.problem(
                mix.span(),
                format!("{name} shares sum to {}", readable(total)),
                "shares that sum to 1",
            );
        }
        ByGrade::from_fn(|g| if total > 0.0 { shares[g] / total } else { 0.0 })
    }

    /// Supervisors are paid at the location of every centre with a team, at
    /// the centre's own supervisor grade mix or the scenario's.
    pub(super) fn supervisors_have_costs(
        &mut self,
        span: &SpanOfControl,
        at: Range<usize>,
        strategies: &[Strategy],
        locations: &[Location],
    ) {
        let mut checked = HashSet::new();
        for centre in strategies.iter().flat_map(|s| &s.centres) {
            let mix = centre
                .supervisor_grade_mix
                .as_ref()
                .unwrap_or(&span.supervisor_grade_mix);
            let used = ByGrade::from_fn(|g| mix[g] > 0.0);
            if checked.insert((centre.location, used.0)) {
                let whose = if centre.supervisor_grade_mix.is_some() {
                    format!("the supervisors of centre `{}`", centre.id)
                } else {
                    "span_of_control's supervisors".to_owned()
                };
                self.grades_have_costs(at.clone(), &locations[centre.location], &used, &whose);
            }
        }
    }

    pub(super) fn comparison(
        &mut self,
        raw: Option<&Spanned<RawComparison>>,
        strategy_ids: &Ids,
    ) -> Option<Comparison> {
        // Strategies are numbered after the status quo, which is index 0.
        let index = |id: &str| strategy_ids.get(id).map(|i| i + 1);
        let Some(raw) = raw else {
            return Some(Comparison {
                fragmented: index("solo")?,
                pooled: index("pooled")?,
            });
        };
        let c = raw.get_ref();
        let mut ids = strategy_ids.0.clone();
        ids.insert(STATUS_QUO_ID.to_owned(), usize::MAX);
        let fragmented = self.reference("strategy", &Ids(ids.clone()), &c.fragmented);
        let pooled = self.reference("strategy", &Ids(ids), &c.pooled);
        let to_index = |i: usize| if i == usize::MAX { 0 } else { i + 1 };
        let (fragmented, pooled) = (to_index(fragmented?), to_index(pooled?));
        if fragmented == pooled {
            self.problem(
                c.pooled.span(),
                "the fragmented and pooled strategies are the same",
                "two different strategies",
            );
            return None;
        }
        Some(Comparison { fragmented, pooled })
    }

    /// `[pool]`: candidate locations (default: every location that is no
    /// agency's headquarters) and the staffing of coalition centres, whose
    /// grades must have costs at every candidate.
    pub(super) fn pool(
        &mut self,
        raw: &Spanned<RawPool>,
        ctx: &Context,
        location_ids: &Ids,
    ) -> PoolSettings {
        let p = raw.get_ref();
        let locations: Vec<usize> = match &p.locations {
            Some(list) => self
                .reference_list("location", location_ids, list)
                .unwrap_or_default()
                .into_iter()
                .map(|(l, _)| l)
                .collect(),
            None => (0..ctx.locations.len())
                .filter(|&l| ctx.agencies.iter().all(|a| a.hq_location != l))
                .collect(),
        };
        if locations.is_empty() {
            self.problem(
                raw.span(),
                "[pool] has no candidate locations",
                "locations = [...], or a location that is no agency's headquarters",
            );
        }
        let grade_mix = self.grade_shares("grade_mix", &p.grade_mix);
        let supervisor_grade_mix = p
            .supervisor_grade_mix
            .as_ref()
            .map(|mix| self.grade_shares("supervisor_grade_mix", mix));
        let overhead = &ctx.mechanisms.centre_overhead_staff_fte;
        let span_mix = ctx
            .mechanisms
            .span_of_control
            .as_ref()
            .map(|s| supervisor_grade_mix.unwrap_or(s.supervisor_grade_mix));
        for &l in &locations {
            let used = ByGrade::from_fn(|g| {
                grade_mix[g] > 0.0
                    || span_mix.is_some_and(|m| m[g] > 0.0)
                    || self.can_be_positive(overhead[g])
            });
            self.grades_have_costs(raw.span(), &ctx.locations[l], &used, "a [pool] centre");
        }
        PoolSettings {
            locations,
            grade_mix,
            supervisor_grade_mix,
            fixed_cost_usd_per_year: self.optional_param(
                "pool.fixed_cost_usd_per_year".to_owned(),
                &p.fixed_cost_usd_per_year,
                NON_NEGATIVE,
                0.0,
            ),
        }
    }
}
