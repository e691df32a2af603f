//! Checks of the world a scenario describes: settings, service lines,
//! locations and agencies.

use super::*;

impl Validator {
    pub(super) fn settings(&mut self, raw: &Spanned<RawSettings>) -> Option<Settings> {
        let s = raw.get_ref();
        let horizon_years = self.integer("horizon_years", &s.horizon_years, 1, 100);
        let working_days = self.integer("working_days_per_year", &s.working_days_per_year, 12, 366);
        let discount = self.param(
            "settings.discount_rate_per_year".to_owned(),
            &s.discount_rate_per_year,
            Domain {
                min: -1.0,
                min_inclusive: false,
                max: 1.0,
                expected: "a yearly rate greater than -1 and at most 1",
            },
        );
        let replications = self.integer("replications", &s.replications, 1, 1_000_000_000);
        let seed = self.integer("seed", &s.seed, 0, i64::MAX);
        let minutes = self.param(
            "settings.working_minutes_per_day".to_owned(),
            &s.working_minutes_per_day,
            Domain {
                min: 0.0,
                min_inclusive: false,
                max: 1440.0,
                expected: "minutes greater than 0 and at most 1440",
            },
        );
        let availability = self.param(
            "settings.availability_share".to_owned(),
            &s.availability_share,
            Domain {
                min: 0.0,
                min_inclusive: false,
                max: 1.0,
                expected: "a share greater than 0 and at most 1",
            },
        );
        Some(Settings {
            horizon_years: u32::try_from(horizon_years?).ok()?,
            working_days_per_year: u32::try_from(working_days?).ok()?,
            discount_rate_per_year: discount,
            replications: replications?,
            seed: seed?,
            currency: s.currency.get_ref().clone(),
            working_minutes_per_day: minutes,
            availability_share: availability,
        })
    }

    pub(super) fn service_line(
        &mut self,
        raw: &Spanned<RawServiceLine>,
        default_correlation: Param,
    ) -> ServiceLine {
        let l = raw.get_ref();
        let id = l.id.get_ref().clone();
        let path = format!("service_line.{id}");
        let target_days = self.integer(
            "service_level_target_days",
            &l.service_level_target_days,
            0,
            250,
        );
        let target_share = self.real(
            "service_level_target_share",
            &l.service_level_target_share,
            Domain {
                min: 0.5,
                min_inclusive: true,
                max: 0.999_999,
                expected: "a share from 0.5 to 0.999999 (0.95 means 95% on time)",
            },
        );
        ServiceLine {
            name: l.name.clone().unwrap_or_else(|| id.clone()),
            effort_minutes_per_transaction: self.param(
                format!("{path}.effort_minutes_per_transaction"),
                &l.effort_minutes_per_transaction,
                EFFORT,
            ),
            target_days: target_days.unwrap_or(0) as u32,
            target_share: target_share.unwrap_or(0.5),
            relocatable: l.relocatable,
            volume_correlation: match &l.volume_correlation {
                Some(c) => self.param(format!("{path}.volume_correlation"), c, SHARE),
                None => default_correlation,
            },
            id,
        }
    }

    pub(super) fn location(&mut self, raw: &Spanned<RawLocation>) -> Location {
        let l = raw.get_ref();
        let id = l.id.get_ref().clone();
        let path = format!("location.{id}");
        let costs = l.annual_cost_usd_per_fte.get_ref().entries();
        let annual_cost_usd_per_fte = ByGrade::from_fn(|g| {
            costs[g as usize].as_ref().map(|c| {
                self.param(
                    format!("{path}.annual_cost_usd_per_fte.{}", g.label()),
                    c,
                    NON_NEGATIVE,
                )
            })
        });
        let salary_shock = l
            .salary_shock
            .as_ref()
            .map(|shock| self.salary_shock(&path, shock));
        Location {
            name: l.name.clone().unwrap_or_else(|| id.clone()),
            salary_shock,
            annual_cost_usd_per_fte,
            salary_escalation_rate_per_year: self.optional_param(
                format!("{path}.salary_escalation_rate_per_year"),
                &l.salary_escalation_rate_per_year,
                RATE,
                0.0,
            ),
            exchange_rate_factor: self.optional_param(
                format!("{path}.exchange_rate_factor"),
                &l.exchange_rate_factor,
                FACTOR,
                1.0,
            ),
            premises_usd_per_fte_per_year: self.optional_param(
                format!("{path}.premises_usd_per_fte_per_year"),
                &l.premises_usd_per_fte_per_year,
                NON_NEGATIVE,
                0.0,
            ),
            site_setup_cost_usd: self.optional_param(
                format!("{path}.site_setup_cost_usd"),
                &l.site_setup_cost_usd,
                NON_NEGATIVE,
                0.0,
            ),
            site_fixed_cost_usd_per_year: self.optional_param(
                format!("{path}.site_fixed_cost_usd_per_year"),
                &l.site_fixed_cost_usd_per_year,
                NON_NEGATIVE,
                0.0,
            ),
            id,
        }
    }

    pub(super) fn agency(
        &mut self,
        raw: &Spanned<RawAgency>,
        line_ids: &Ids,
        location_ids: &Ids,
        service_lines: &[ServiceLine],
        calendar: Calendar,
    ) -> Agency {
        let a = raw.get_ref();
        let id = a.id.get_ref().clone();
        let hq_location = self
            .reference("location", location_ids, &a.hq_location)
            .unwrap_or(0);
        let mut lines = vec![None; service_lines.len()];
        if a.service_line.is_empty() {
            self.problem(
                a.id.span(),
                format!("agency `{id}` has no service lines"),
                format!("at least one [agency.service_line.ID] table for `{id}`"),
            );
        }
        for (line_id, line) in &a.service_line {
            let Some(index) = self.reference("service line", line_ids, line_id) else {
                continue;
            };
            let path = format!("agency.{id}.service_line.{}", line_id.get_ref());
            lines[index] = Some(self.agency_line(&path, line, calendar));
        }
        Agency {
            name: a.name.clone().unwrap_or_else(|| id.clone()),
            id,
            hq_location,
            lines,
        }
    }

    pub(super) fn agency_line(
        &mut self,
        path: &str,
        raw: &Spanned<RawAgencyLine>,
        calendar: Calendar,
    ) -> AgencyLine {
        let l = raw.get_ref();
        let seasonality = match &l.seasonality {
            None => [1.0; MONTHS_PER_YEAR],
            Some(weights) => self.seasonality(weights, calendar.working_days_per_year),
        };
        let arrivals = match l.arrivals.as_ref().map(|a| (a.get_ref(), a.span())) {
            None | Some((RawArrivals::Poisson, _)) => ArrivalProcess::Poisson,
            Some((RawArrivals::Deterministic, _)) => ArrivalProcess::Deterministic,
            Some((RawArrivals::NegativeBinomial { dispersion }, span)) => {
                ArrivalProcess::NegativeBinomial {
                    dispersion: self.param_at(
                        format!("{path}.arrivals.dispersion"),
                        dispersion,
                        span,
                        DISPERSION,
                    ),
                }
            }
        };
        let staff = l.hq_staff_fte.get_ref().entries();
        let hq_staff_fte = ByGrade::from_fn(|g| {
            staff[g as usize]
                .as_ref()
                .and_then(|v| self.real(&format!("hq_staff_fte.{}", g.label()), v, FTE))
                .unwrap_or(0.0)
        });
        let line = AgencyLine {
            annual_volume: self.param(format!("{path}.annual_volume"), &l.annual_volume, VOLUME),
            volume_growth_rate_per_year: self.optional_param(
                format!("{path}.volume_growth_rate_per_year"),
                &l.volume_growth_rate_per_year,
                RATE,
                0.0,
            ),
            seasonality,
            arrivals,
            hq_staff_fte,
        };
        self.check_peak_daily_volume(&line, l.annual_volume.span(), calendar);
        line
    }

    /// Rejects volumes that would grow beyond [`MAX_DAILY_MEAN`] a day within
    /// the horizon, judged on the largest values the inputs can take.
    pub(super) fn check_peak_daily_volume(
        &mut self,
        line: &AgencyLine,
        span: Range<usize>,
        calendar: Calendar,
    ) {
        let highest = |p: Param| match p {
            Param::Fixed(v) => v,
            Param::Input(InputId(i)) => self.inputs[i].dist.support().1,
        };
        let growth = (1.0 + highest(line.volume_growth_rate_per_year)).max(1.0);
        let peak_weight = line.seasonality.iter().copied().fold(0.0, f64::max);
        let last_year = calendar.horizon_years.saturating_sub(1);
        let peak = highest(line.annual_volume) * growth.powi(last_year as i32) * peak_weight
            / f64::from(calendar.working_days_per_year);
        if peak > MAX_DAILY_MEAN {
            self.problem(
                span,
                format!("annual_volume, grown over {} years, can reach {peak:.3e} transactions a working day", last_year),
                format!("at most {MAX_DAILY_MEAN:e} a day in any year of the horizon"),
            );
        }
    }

    /// Checks twelve monthly weights and scales them so that their average
    /// over the working days of a year is exactly 1, which keeps each year's
    /// expected volume equal to the annual volume.
    pub(super) fn seasonality(
        &mut self,
        raw: &Spanned<Vec<Spanned<f64>>>,
        working_days_per_year: u32,
    ) -> [f64; MONTHS_PER_YEAR] {
        let flat = [1.0; MONTHS_PER_YEAR];
        let weights = raw.get_ref();
        if weights.len() != MONTHS_PER_YEAR {
            self.problem(
                raw.span(),
                format!("seasonality has {} weights", weights.len()),
                "12 monthly weights, January to December",
            );
            return flat;
        }
        let mut months = flat;
        for (m, w) in weights.iter().enumerate() {
            match self.real("a seasonality weight", w, NON_NEGATIVE) {
                Some(v) => months[m] = v,
                None => return flat,
            }
        }
        let days = working_days_per_year as usize;
        let total: f64 = (0..days).map(|d| months[month_of_day(d, days)]).sum();
        if total <= 0.0 {
            self.problem(
                raw.span(),
                "seasonality weights are all 0",
                "at least one month with a weight above 0",
            );
            return flat;
        }
        months.map(|w| w * days as f64 / total)
    }

    pub(super) fn salary_shock(
        &mut self,
        path: &str,
        raw: &Spanned<RawSalaryShock>,
    ) -> SalaryShock {
        let shock = raw.get_ref();
        let probability = self
            .real("salary_shock.probability", &shock.probability, SHARE)
            .unwrap_or(0.0);
        SalaryShock {
            size: self.param(
                format!("{path}.salary_shock.size"),
                &shock.size,
                Domain {
                    min: -0.9,
                    min_inclusive: true,
                    max: 10.0,
                    expected: "a rise from -0.9 to 10 (0.25 = +25%)",
                },
            ),
            happens: self.bernoulli(format!("{path}.salary_shock.happens"), probability),
            year: shock
                .year
                .as_ref()
                .and_then(|y| self.integer("salary_shock.year", y, 0, 99))
                .unwrap_or(0) as u32,
        }
    }
}
