//! Checks of the costs and risks of moving work.

use super::*;

impl Validator {
    /// A 0/1 input that is 1 with probability `p`.
    pub(super) fn bernoulli(&mut self, path: String, p: f64) -> Param {
        if p <= 0.0 || p >= 1.0 {
            self.names.insert(path, Named::Fixed);
            return Param::Fixed(p.clamp(0.0, 1.0));
        }
        let dist = Dist::discrete(&[0.0, 1.0], &[1.0 - p, p])
            .expect("a probability strictly between 0 and 1");
        self.register(path, dist)
    }

    pub(super) fn probability(
        &mut self,
        name: &str,
        raw: &Option<Spanned<f64>>,
        default: f64,
    ) -> f64 {
        raw.as_ref()
            .and_then(|p| self.real(name, p, SHARE))
            .unwrap_or(default)
    }

    pub(super) fn transition(&mut self, raw: &RawTransition) -> Transition {
        let months = Domain {
            min: 0.0,
            min_inclusive: true,
            max: 120.0,
            expected: "months from 0 to 120",
        };
        let multiple = Domain {
            min: 0.0,
            min_inclusive: true,
            max: 100.0,
            expected: "a multiple from 0 to 100",
        };
        let param = |v: &mut Self,
                     key: &str,
                     raw: &Option<Spanned<RawNumber>>,
                     domain: Domain,
                     default: f64| {
            v.optional_param(format!("transition.{key}"), raw, domain, default)
        };
        let r = raw;
        Transition {
            onboarding_months: param(
                self,
                "onboarding_months",
                &r.onboarding_months,
                months,
                defaults::ONBOARDING_MONTHS,
            ),
            overlap_months: param(
                self,
                "overlap_months",
                &r.overlap_months,
                months,
                defaults::OVERLAP_MONTHS,
            ),
            termination_indemnity_months: param(
                self,
                "termination_indemnity_months",
                &r.termination_indemnity_months,
                months,
                defaults::TERMINATION_INDEMNITY_MONTHS,
            ),
            separation_indemnity_multiple: param(
                self,
                "separation_indemnity_multiple",
                &r.separation_indemnity_multiple,
                multiple,
                defaults::SEPARATION_INDEMNITY_MULTIPLE,
            ),
            separation_incentive_share: param(
                self,
                "separation_incentive_share",
                &r.separation_incentive_share,
                multiple,
                defaults::SEPARATION_INCENTIVE_SHARE,
            ),
            training_grant_months: param(
                self,
                "training_grant_months",
                &r.training_grant_months,
                months,
                defaults::TRAINING_GRANT_MONTHS,
            ),
            salary_share_of_standard_cost: param(
                self,
                "salary_share_of_standard_cost",
                &r.salary_share_of_standard_cost,
                SHARE,
                defaults::SALARY_SHARE_OF_STANDARD_COST,
            ),
            voluntary_separation_share: param(
                self,
                "voluntary_separation_share",
                &r.voluntary_separation_share,
                SHARE,
                defaults::VOLUNTARY_SEPARATION_SHARE,
            ),
            redeployment_cost_usd_per_post: param(
                self,
                "redeployment_cost_usd_per_post",
                &r.redeployment_cost_usd_per_post,
                NON_NEGATIVE,
                defaults::REDEPLOYMENT_COST_USD_PER_POST,
            ),
            cost_per_hire_usd: param(
                self,
                "cost_per_hire_usd",
                &r.cost_per_hire_usd,
                NON_NEGATIVE,
                defaults::COST_PER_HIRE_USD,
            ),
            offer_decline_rate: param(
                self,
                "offer_decline_rate",
                &r.offer_decline_rate,
                Domain {
                    min: 0.0,
                    min_inclusive: true,
                    max: 0.95,
                    expected: "a share from 0 to 0.95",
                },
                defaults::OFFER_DECLINE_RATE,
            ),
            time_to_fill_months: param(
                self,
                "time_to_fill_months",
                &r.time_to_fill_months,
                months,
                defaults::TIME_TO_FILL_MONTHS,
            ),
            training_usd_per_hire: param(
                self,
                "training_usd_per_hire",
                &r.training_usd_per_hire,
                NON_NEGATIVE,
                defaults::TRAINING_USD_PER_HIRE,
            ),
            travel_usd_per_hire: param(
                self,
                "travel_usd_per_hire",
                &r.travel_usd_per_hire,
                NON_NEGATIVE,
                defaults::TRAVEL_USD_PER_HIRE,
            ),
            project_team_usd_per_month: param(
                self,
                "project_team_usd_per_month",
                &r.project_team_usd_per_month,
                NON_NEGATIVE,
                defaults::PROJECT_TEAM_USD_PER_MONTH,
            ),
            project_tail_months: param(
                self,
                "project_tail_months",
                &r.project_tail_months,
                months,
                defaults::PROJECT_TAIL_MONTHS,
            ),
            disruption_probability: self.probability(
                "disruption_probability",
                &r.disruption_probability,
                defaults::DISRUPTION_PROBABILITY,
            ),
            big_bang_probability_multiplier: r
                .big_bang_probability_multiplier
                .as_ref()
                .and_then(|m| self.real("big_bang_probability_multiplier", m, multiple))
                .unwrap_or(defaults::BIG_BANG_PROBABILITY_MULTIPLIER),
            new_erp_probability_multiplier: r
                .new_erp_probability_multiplier
                .as_ref()
                .and_then(|m| self.real("new_erp_probability_multiplier", m, multiple))
                .unwrap_or(defaults::NEW_ERP_PROBABILITY_MULTIPLIER),
            disruption_capacity_loss: param(
                self,
                "disruption_capacity_loss",
                &r.disruption_capacity_loss,
                Domain {
                    min: 0.0,
                    min_inclusive: true,
                    max: 0.95,
                    expected: "a share from 0 to 0.95",
                },
                defaults::DISRUPTION_CAPACITY_LOSS,
            ),
            disruption_months: param(
                self,
                "disruption_months",
                &r.disruption_months,
                months,
                defaults::DISRUPTION_MONTHS,
            ),
            clearing_months: param(
                self,
                "clearing_months",
                &r.clearing_months,
                Domain {
                    min: 0.25,
                    min_inclusive: true,
                    max: 120.0,
                    expected: "months from 0.25 to 120",
                },
                defaults::CLEARING_MONTHS,
            ),
            temporary_staff_cost_premium: param(
                self,
                "temporary_staff_cost_premium",
                &r.temporary_staff_cost_premium,
                multiple,
                defaults::TEMPORARY_STAFF_COST_PREMIUM,
            ),
        }
    }
}
