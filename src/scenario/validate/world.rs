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
            DISCOUNT_RATE,
        );
        let replications = self.integer("replications", &s.replications, 1, 1_000_000_000);
        let seed = self.integer("seed", &s.seed, 0, i64::MAX);
        let minutes = self.param(
            "settings.working_minutes_per_day".to_owned(),
            &s.working_minutes_per_day,
            WORKING_MINUTES,
        );
        let availability = self.param(
            "settings.availability_share".to_owned(),
            &s.availability_share,
            AVAILABILITY_SHARE,
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
        let work = match l.kind {
            RawLineKind::Queue => Work::Queue(self.queue_work(raw, &path)),
            RawLineKind::Contact => Work::Contact(Box::new(self.contact_work(raw, &path))),
        };
        ServiceLine {
            name: l.name.clone().unwrap_or_else(|| id.clone()),
            work,
            relocatable: l.relocatable,
            volume_correlation: match &l.volume_correlation {
                Some(c) => self.param(format!("{path}.volume_correlation"), c, SHARE),
                None => default_correlation,
            },
            id,
        }
    }

    /// Reports a key that does not belong to the line's kind.
    fn not_for_kind<T>(
        &mut self,
        key: &str,
        value: &Option<Spanned<T>>,
        kind: &str,
        expected: &str,
    ) {
        if let Some(v) = value {
            self.problem(
                v.span(),
                format!("{key} is not a key of a {kind} line"),
                expected,
            );
        }
    }

    /// Reports a key the line's kind requires.
    fn required<'r, T>(
        &mut self,
        key: &str,
        value: &'r Option<Spanned<T>>,
        line: &Spanned<RawServiceLine>,
    ) -> Option<&'r Spanned<T>> {
        if value.is_none() {
            let id = line.get_ref().id.get_ref();
            self.problem(
                line.get_ref().id.span(),
                format!("service line `{id}` has no {key}"),
                format!("{key} = ..."),
            );
        }
        value.as_ref()
    }

    fn queue_work(&mut self, raw: &Spanned<RawServiceLine>, path: &str) -> QueueWork {
        let l = raw.get_ref();
        let contact_only = "the keys of a queue line (or kind = \"contact\")";
        self.not_for_kind(
            "handle_time_seconds",
            &l.handle_time_seconds,
            "queue",
            contact_only,
        );
        self.not_for_kind(
            "answer_within_seconds",
            &l.answer_within_seconds,
            "queue",
            contact_only,
        );
        self.not_for_kind("answer_share", &l.answer_share, "queue", contact_only);
        self.not_for_kind(
            "patience_seconds",
            &l.patience_seconds,
            "queue",
            contact_only,
        );
        self.not_for_kind("shrinkage_share", &l.shrinkage_share, "queue", contact_only);
        self.not_for_kind("hourly_profile", &l.hourly_profile, "queue", contact_only);
        let effort = self.required(
            "effort_minutes_per_transaction",
            &l.effort_minutes_per_transaction,
            raw,
        );
        let effort = effort.map_or(Param::Fixed(1.0), |e| {
            self.param(format!("{path}.effort_minutes_per_transaction"), e, EFFORT)
        });
        let days = self.required(
            "service_level_target_days",
            &l.service_level_target_days,
            raw,
        );
        let target_days = days.and_then(|d| self.integer("service_level_target_days", d, 0, 250));
        let share = self.required(
            "service_level_target_share",
            &l.service_level_target_share,
            raw,
        );
        let target_share = share.and_then(|s| {
            self.real(
                "service_level_target_share",
                s,
                Domain {
                    min: 0.5,
                    min_inclusive: true,
                    max: 0.999_999,
                    expected: "a share from 0.5 to 0.999999 (0.95 means 95% on time)",
                },
            )
        });
        QueueWork {
            effort_minutes_per_transaction: effort,
            target_days: target_days.unwrap_or(0) as u32,
            target_share: target_share.unwrap_or(0.5),
        }
    }

    fn contact_work(&mut self, raw: &Spanned<RawServiceLine>, path: &str) -> ContactWork {
        let l = raw.get_ref();
        let queue_only = "the keys of a contact line";
        self.not_for_kind(
            "effort_minutes_per_transaction",
            &l.effort_minutes_per_transaction,
            "contact",
            "handle_time_seconds",
        );
        self.not_for_kind(
            "service_level_target_days",
            &l.service_level_target_days,
            "contact",
            "answer_within_seconds",
        );
        self.not_for_kind(
            "service_level_target_share",
            &l.service_level_target_share,
            "contact",
            queue_only,
        );
        let seconds = CONTACT_SECONDS;
        let handle = self.required("handle_time_seconds", &l.handle_time_seconds, raw);
        let handle_time_seconds = handle.map_or(Param::Fixed(1.0), |h| {
            self.param(format!("{path}.handle_time_seconds"), h, seconds)
        });
        let within = self.required("answer_within_seconds", &l.answer_within_seconds, raw);
        let answer_within_seconds = within
            .and_then(|w| {
                self.real(
                    "answer_within_seconds",
                    w,
                    Domain {
                        min: 0.0,
                        min_inclusive: true,
                        max: 86_400.0,
                        expected: "seconds from 0 to a day",
                    },
                )
            })
            .unwrap_or(0.0);
        let share = self.required("answer_share", &l.answer_share, raw);
        let answer_share = share
            .and_then(|s| self.real("answer_share", s, Domain { min: 0.0, min_inclusive: false, max: 0.999_999, expected: "a share greater than 0 and less than 1 (0.8 means 80% answered in time)" }))
            .unwrap_or(0.5);
        let patience_seconds = l
            .patience_seconds
            .as_ref()
            .map(|p| self.param(format!("{path}.patience_seconds"), p, seconds));
        let shrinkage_share = self.optional_param(
            format!("{path}.shrinkage_share"),
            &l.shrinkage_share,
            Domain {
                min: 0.0,
                min_inclusive: true,
                max: 0.9,
                expected: "a share from 0 to 0.9",
            },
            defaults::SHRINKAGE_SHARE,
        );
        let hourly_profile = match &l.hourly_profile {
            Some(profile) => self.hourly_profile(profile),
            None => defaults::business_hours_profile(),
        };
        ContactWork {
            handle_time_seconds,
            answer_within_seconds,
            answer_share,
            patience_seconds,
            shrinkage_share,
            hourly_profile,
        }
    }

    /// Twenty-four hourly weights of the callers' local day, scaled to sum to 1.
    fn hourly_profile(&mut self, raw: &Spanned<Vec<Spanned<f64>>>) -> [f64; HOURS_PER_DAY] {
        let fallback = defaults::business_hours_profile();
        let weights = raw.get_ref();
        if weights.len() != HOURS_PER_DAY {
            self.problem(
                raw.span(),
                format!("hourly_profile has {} weights", weights.len()),
                "24 weights, from 00:00-01:00 local time",
            );
            return fallback;
        }
        let mut hours = [0.0; HOURS_PER_DAY];
        for (h, w) in weights.iter().enumerate() {
            match self.real("an hourly_profile weight", w, NON_NEGATIVE) {
                Some(v) => hours[h] = v,
                None => return fallback,
            }
        }
        let total: f64 = hours.iter().sum();
        if total <= 0.0 {
            self.problem(
                raw.span(),
                "hourly_profile weights are all 0",
                "at least one hour with contacts",
            );
            return fallback;
        }
        hours.map(|w| w / total)
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
                    COST_PER_FTE,
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
            utc_offset_hours: l.utc_offset_hours.as_ref().and_then(|o| {
                self.real(
                    "utc_offset_hours",
                    o,
                    Domain {
                        min: -12.0,
                        min_inclusive: true,
                        max: 14.0,
                        expected: "hours from -12 to 14",
                    },
                )
            }),
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

    /// Callers of a contact line ring in their headquarters' business hours,
    /// so an agency with contact work needs its headquarters' time zone.
    pub(super) fn callers_have_time_zones(
        &mut self,
        raw: &[Spanned<RawAgency>],
        agencies: &[Agency],
        service_lines: &[ServiceLine],
        locations: &[Location],
    ) {
        for (agency, raw) in agencies.iter().zip(raw) {
            let Some(location) = locations.get(agency.hq_location) else {
                continue;
            };
            let contact = agency
                .lines
                .iter()
                .zip(service_lines)
                .find(|(line, s)| line.is_some() && matches!(s.work, Work::Contact(_)));
            if let (Some((_, line)), None) = (contact, location.utc_offset_hours) {
                self.problem(
                    raw.get_ref().hq_location.span(),
                    format!(
                        "location `{}` has no utc_offset_hours, but `{}`'s callers on contact line `{}` ring in its business hours",
                        location.id, agency.id, line.id
                    ),
                    format!("utc_offset_hours = ... in location `{}`", location.id),
                );
            }
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

impl Validator {
    /// The lowest value a parameter can take in a run: an input's quantile
    /// at the smallest uniform the sampler draws (a lognormal's support
    /// starts at 0, its draws do not).
    fn lowest_drawn(&self, param: Param) -> f64 {
        match param {
            Param::Fixed(v) => v,
            Param::Input(InputId(i)) => self.inputs[i]
                .dist
                .quantile(crate::sample::OPEN_UNIT_LOWEST),
        }
    }

    /// Rejects a scenario whose volumes, at their lowest, bring fewer than
    /// [`MIN_EXPECTED_TRANSACTIONS`] over the horizon: with no work, cost
    /// per transaction and service level are undefined and the run would
    /// stop at the first replication that draws none.
    pub(super) fn work_can_arrive(
        &mut self,
        raw: &[Spanned<RawAgency>],
        agencies: &[Agency],
        calendar: Calendar,
    ) {
        if !self.diagnostics.is_empty() {
            // An invalid volume counts as 0: the total would be a knock-on problem.
            return;
        }
        let mut expected = 0.0;
        for line in agencies.iter().flat_map(|a| a.lines.iter().flatten()) {
            let volume = self.lowest_drawn(line.annual_volume);
            let growth = 1.0 + self.lowest_drawn(line.volume_growth_rate_per_year);
            // Year by year, as the arrivals grow (a bounded loop: at most 100 years).
            let mut year_volume = volume;
            for _ in 0..calendar.horizon_years {
                expected += year_volume;
                year_volume *= growth;
            }
        }
        // Only reported where a volume was read: otherwise it is a knock-on problem.
        let first_volume = raw
            .iter()
            .flat_map(|a| a.get_ref().service_line.values())
            .map(|l| l.get_ref().annual_volume.span())
            .next();
        if let Some(span) = first_volume
            && expected < MIN_EXPECTED_TRANSACTIONS
        {
            self.problem(
                span,
                format!(
                    "at their lowest, the scenario's volumes bring {} transactions over the horizon",
                    readable(expected)
                ),
                format!(
                    "volumes (and growth) that bring at least {MIN_EXPECTED_TRANSACTIONS} transactions over the horizon in all, at their lowest values"
                ),
            );
        }
    }

    /// Bounds every text that goes into outputs (see [`MAX_NAME_CHARS`]).
    pub(super) fn texts_within_limits(&mut self, raw: &RawFile) {
        if let Some(meta) = &raw.meta {
            let m = meta.get_ref();
            self.text("name", m.name.get_ref(), m.name.span(), MAX_NAME_CHARS);
            self.text(
                "description",
                &m.description,
                meta.span(),
                MAX_DESCRIPTION_CHARS,
            );
        }
        if let Some(settings) = &raw.settings {
            let currency = &settings.get_ref().currency;
            self.text(
                "currency",
                currency.get_ref(),
                currency.span(),
                MAX_NAME_CHARS,
            );
        }
        let names = (raw
            .service_lines
            .iter()
            .map(|l| (&l.get_ref().name, l.span())))
        .chain(raw.locations.iter().map(|l| (&l.get_ref().name, l.span())))
        .chain(raw.agencies.iter().map(|a| (&a.get_ref().name, a.span())))
        .chain(raw.strategies.iter().map(|s| (&s.get_ref().name, s.span())));
        let long: Vec<_> = names
            .filter_map(|(name, span)| Some((name.as_ref()?.clone(), span)))
            .collect();
        for (name, span) in long {
            self.text("name", &name, span, MAX_NAME_CHARS);
        }
    }

    fn text(&mut self, key: &str, text: &str, span: Range<usize>, max_chars: usize) {
        let chars = text.chars().count();
        if chars > max_chars {
            self.problem(
                span,
                format!("{key} has {chars} characters"),
                format!("at most {max_chars}"),
            );
        }
    }
}
