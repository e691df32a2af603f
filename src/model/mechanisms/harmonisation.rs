//! Harmonisation: a team serving agencies with different administrative
//! rules and different ICT platforms works slower (JIU/REP/2009/6 para 133
//! names both obstacles). This is what makes pooling not free, and what lets
//! the model show a shared centre failing.
//!
//! - **Two components, saturating.** The penalty depends on the number of
//!   *distinct* rule sets `r` and platforms (ERP families) `p` among a
//!   team's members, each through `ceiling · (n − 1) / (n − 1 + h)`: zero
//!   for one, half its ceiling at `h + 1`, never above its ceiling. Thirty
//!   agencies on three platforms are not ten times worse than four: the
//!   staff learn each variant once, and the variants they learn overlap.
//!   The hyperbolic (Michaelis–Menten) form is an assumption, chosen
//!   because its one shape parameter reads directly.
//! - **Adoption, not decree.** A harmonisation project of `project_years`
//!   (it costs money every year it runs) designs a common process. Only the
//!   share of the team's work whose clients adopt it loses the penalty, and
//!   they adopt over `adoption_ramp_years` after the project ends, up to an
//!   uncertain `adoption_share` — often low: two years and a half into the
//!   UK's Next Generation Shared Services, only 2 of 26 planned customers
//!   had joined the single operating platform (NAO 2016).
//! - **A common-process gain.** Work done on the common, standard process
//!   is faster than on any one agency's own: adopters work at
//!   `1 − common_process_gain_share` of the standard effort.
//!
//! The team's effort factor in year `y` is
//! `a(y) · (1 − gain) + (1 − a(y)) · (1 + penalty)`, with `a(y)` the adopted
//! share. With low adoption a pooled team stays slower than the agencies'
//! own teams for years, and the project's cost comes on top.

use super::{About, Effect, Scope, WorkingYear};
use crate::model::{Draws, Param};

/// How harmonisation is named in results.
pub(crate) const ABOUT: About = About {
    id: "harmonisation",
    label: "harmonisation",
    heading: "Harmonisation",
};

/// Ceiling of the extra effort from serving many agencies' administrative
/// rules (para 133's first obstacle): 0.15, so that a second rule set costs
/// +5% at the default half-saturation and no number of them more than +15%.
/// Assumption: no published figure measures it; the two components'
/// ceilings together (+30%) are of the order of WHO's estimate that
/// spreading its centre over several locations would lower efficiency by
/// 25% (JIU/REP/2009/6 paras 54-56), and a second agency costs +10% in all,
/// as sscsim's earlier linear penalty did.
pub(crate) const RULES_PENALTY_CEILING: f64 = 0.15;

/// Ceiling of the extra effort from serving many ICT platforms and
/// management information systems (para 133's second obstacle): 0.15.
/// Assumption, as [`RULES_PENALTY_CEILING`].
pub(crate) const PLATFORM_PENALTY_CEILING: f64 = 0.15;

/// Number of additional distinct rule sets (or platforms) at which a
/// component reaches half its ceiling: 2. Assumption: staff switching
/// between three variants of a process lose half of what they would lose
/// among very many.
pub(crate) const HALF_SATURATION_ADDITIONAL: f64 = 2.0;

/// Cost of harmonising one service line's rules and systems with one more
/// agency, USD. Assumption. Such projects overrun: the UK Research
/// Councils' shared service centre cost GBP 130 million against a budget
/// of 79 million and was 15 months late (NAO 2011, "Shared services in the
/// Research Councils").
pub(crate) const PROJECT_COST_USD_PER_ADDITIONAL_AGENCY: f64 = 500_000.0;

/// Years a harmonisation project takes, before anyone can adopt its common
/// process. Assumption.
pub(crate) const PROJECT_YEARS: i64 = 2;

/// Share of the team's work whose clients end up on the common process:
/// 0.5. Assumption, between what business cases assume (all) and what the
/// UK's Next Generation Shared Services had achieved after two years and a
/// half (2 of 26 planned customers, 8%, on the single operating platform:
/// NAO 2016, "Investigation into the Cabinet Office's shared service
/// centres"). Scenarios should give their own, uncertain.
pub(crate) const ADOPTION_SHARE: f64 = 0.5;

/// Years after the project over which adoption rises, linearly, to its
/// share: 3. Assumption; no customer of the UK's Next Generation Shared
/// Services met its target date for moving to the single platform (NAO
/// 2016), so adoption is spread over years, not reached at once.
pub(crate) const ADOPTION_RAMP_YEARS: i64 = 3;

/// Effort saved on work done on the common, standard process, against any
/// one agency's own: 0.10. Assumption, at the low end of the +10% to +20%
/// productivity improvement that consultancies claim for shared services
/// (Synfiny, "Shared Services: the 'AND' solution"); no audited figure
/// separates standardisation from the other mechanisms.
pub(crate) const COMMON_PROCESS_GAIN_SHARE: f64 = 0.10;

/// Slower processing of a team serving several agencies' rules and
/// platforms, the project that designs a common process, and its adoption.
#[derive(Clone, Debug)]
pub struct Harmonisation {
    /// Ceiling of the rules component (0.15 = at most +15%).
    pub rules_penalty_ceiling: Param,
    /// Ceiling of the platforms component.
    pub platform_penalty_ceiling: Param,
    /// Additional distinct rule sets or platforms at which a component
    /// reaches half its ceiling.
    pub half_saturation_additional: Param,
    /// Cost of the harmonisation project of one team, per agency beyond the first, USD.
    pub project_cost_usd_per_additional_agency: Param,
    /// Years the project takes; its cost is spread evenly over them.
    pub project_years: u32,
    /// Share of the team's work on the common process once adoption is complete.
    pub adoption_share: Param,
    /// Years after the project over which adoption rises to its share.
    pub adoption_ramp_years: u32,
    /// Effort saved on work done on the common process (0.1 = 10% faster).
    pub common_process_gain_share: Param,
    /// Each agency's platform group, by index in the scenario's agencies:
    /// agencies on the same platform share a group; an agency without a
    /// declared platform is a group of its own.
    pub platform_of_agency: Vec<usize>,
    /// Each agency's rule-set group, likewise.
    pub rule_set_of_agency: Vec<usize>,
}

/// One component of the penalty: `ceiling · (n − 1) / (n − 1 + h)` for `n`
/// distinct variants; 0 for one variant, and below `ceiling` for any `n`.
pub(crate) fn saturating_penalty(ceiling: f64, distinct: usize, half_saturation: f64) -> f64 {
    let additional = distinct.saturating_sub(1) as f64;
    if additional == 0.0 {
        return 0.0;
    }
    ceiling * additional / (additional + half_saturation)
}

/// Number of distinct groups among `members`, in `group_of_agency`.
fn distinct(group_of_agency: &[usize], members: &[usize]) -> usize {
    let mut groups: Vec<usize> = members.iter().map(|&m| group_of_agency[m]).collect();
    groups.sort_unstable();
    groups.dedup();
    groups.len()
}

impl Harmonisation {
    /// The extra effort (0.2 = +20%) of work not on a common process, for
    /// `rule_sets` distinct rule sets and `platforms` distinct platforms.
    pub(crate) fn penalty(&self, draws: &Draws, rule_sets: usize, platforms: usize) -> f64 {
        let h = draws.value(self.half_saturation_additional);
        saturating_penalty(draws.value(self.rules_penalty_ceiling), rule_sets, h)
            + saturating_penalty(draws.value(self.platform_penalty_ceiling), platforms, h)
    }

    /// Share of the team's work on the common process in `year`: none
    /// while the project runs; then rising by `adoption_share /
    /// adoption_ramp_years` a year, reaching it in year `project_years +
    /// adoption_ramp_years − 1` (at once with no ramp).
    pub(crate) fn adopted_share(&self, draws: &Draws, year: u32) -> f64 {
        let Some(years_after_project) = year.checked_sub(self.project_years) else {
            return 0.0;
        };
        let years_adopting = years_after_project + 1;
        let ramp = if self.adoption_ramp_years == 0 {
            1.0
        } else {
            (f64::from(years_adopting) / f64::from(self.adoption_ramp_years)).min(1.0)
        };
        draws.value(self.adoption_share) * ramp
    }

    /// The effort multiple of a team with extra effort `penalty` in `year`:
    /// adopters at `1 − gain`, the rest at `1 + penalty`.
    pub(crate) fn effort_factor(&self, draws: &Draws, year: u32, penalty: f64) -> f64 {
        let adopted = self.adopted_share(draws, year);
        let gain = draws.value(self.common_process_gain_share);
        adopted * (1.0 - gain) + (1.0 - adopted) * (1.0 + penalty)
    }

    /// The team's spending on the project in `year`, USD, for
    /// `additional_agencies` beyond the first: spread evenly over the
    /// project's years (all in year 0 for a project of no years).
    pub(crate) fn project_cost_usd(
        &self,
        draws: &Draws,
        year: u32,
        additional_agencies: f64,
    ) -> f64 {
        let project_years = self.project_years.max(1);
        if year < project_years {
            draws.value(self.project_cost_usd_per_additional_agency) * additional_agencies
                / f64::from(project_years)
        } else {
            0.0
        }
    }
}

/// The penalty, adoption and project of one team serving several agencies.
struct Penalty<'a> {
    harmonisation: &'a Harmonisation,
    draws: &'a Draws,
    rule_sets: usize,
    platforms: usize,
    additional_agencies: f64,
}

impl Effect for Penalty<'_> {
    fn effort_factor(&self, year: &WorkingYear) -> f64 {
        let penalty = (self.harmonisation).penalty(self.draws, self.rule_sets, self.platforms);
        (self.harmonisation).effort_factor(self.draws, year.year, penalty)
    }

    fn year_cost_usd(&self, year: &WorkingYear) -> Option<f64> {
        Some((self.harmonisation).project_cost_usd(self.draws, year.year, self.additional_agencies))
    }
}

/// On a team of several agencies that differ in rules or platform, when the
/// scenario has its table: agencies already on one platform and one rule
/// set have nothing to harmonise.
pub(crate) fn effect<'a>(
    harmonisation: &'a Harmonisation,
    scope: &Scope<'a>,
) -> Option<Box<dyn Effect + 'a>> {
    let members = &scope.team?.members;
    let rule_sets = distinct(&harmonisation.rule_set_of_agency, members);
    let platforms = distinct(&harmonisation.platform_of_agency, members);
    (rule_sets > 1 || platforms > 1).then(|| {
        Box::new(Penalty {
            harmonisation,
            draws: scope.draws,
            rule_sets,
            platforms,
            additional_agencies: members.len() as f64 - 1.0,
        }) as Box<dyn Effect>
    })
}

/// Only for a team of several agencies: one agency has no other rules to
/// harmonise with.
pub(crate) fn changes_team(_: Option<&Harmonisation>, member_count: usize) -> bool {
    member_count > 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn harmonisation(project_years: u32, adoption_ramp_years: u32) -> Harmonisation {
        Harmonisation {
            rules_penalty_ceiling: Param::Fixed(0.15),
            platform_penalty_ceiling: Param::Fixed(0.3),
            half_saturation_additional: Param::Fixed(2.0),
            project_cost_usd_per_additional_agency: Param::Fixed(300.0),
            project_years,
            adoption_share: Param::Fixed(0.6),
            adoption_ramp_years,
            common_process_gain_share: Param::Fixed(0.1),
            platform_of_agency: vec![0, 0, 1, 2],
            rule_set_of_agency: vec![0, 1, 2, 3],
        }
    }

    #[test]
    fn the_penalty_of_distinct_rule_sets_and_platforms_is_worked_out_by_hand() {
        let h = harmonisation(2, 3);
        let draws = Draws::default();
        // One of each: nothing.
        assert_eq!(h.penalty(&draws, 1, 1), 0.0);
        // Four rule sets: 0.15 · 3/5 = 0.09; two platforms: 0.3 · 1/3 = 0.1.
        assert!((h.penalty(&draws, 4, 2) - 0.19).abs() < 1e-15);
        // Thirty rule sets on three platforms: 0.15 · 29/31 + 0.3 · 2/4.
        let thirty = 0.15 * 29.0 / 31.0 + 0.3 * 0.5;
        assert!((h.penalty(&draws, 30, 3) - thirty).abs() < 1e-15);
        // … not ten times four agencies' 0.19: about 1.5 times.
        assert!(h.penalty(&draws, 30, 3) < 2.0 * h.penalty(&draws, 4, 2));
    }

    #[test]
    fn adoption_rises_after_the_project_over_its_ramp() {
        let h = harmonisation(2, 3);
        let draws = Draws::default();
        // Project in years 0 and 1; then 0.6 · 1/3, 2/3, 1.
        let adopted: Vec<f64> = (0..7).map(|y| h.adopted_share(&draws, y)).collect();
        let want = [0.0, 0.0, 0.2, 0.4, 0.6, 0.6, 0.6];
        for (a, w) in adopted.iter().zip(want) {
            assert!((a - w).abs() < 1e-15, "{adopted:?}");
        }
        // No ramp: all of the share as soon as the project ends.
        let at_once = harmonisation(1, 0);
        assert_eq!(at_once.adopted_share(&draws, 0), 0.0);
        assert_eq!(at_once.adopted_share(&draws, 1), 0.6);
    }

    #[test]
    fn adopters_gain_and_the_rest_keep_the_penalty() {
        let h = harmonisation(2, 3);
        let draws = Draws::default();
        // Year 1 (project): 1 + 0.19. Year 4: 0.6 · 0.9 + 0.4 · 1.19 = 1.016.
        assert!((h.effort_factor(&draws, 1, 0.19) - 1.19).abs() < 1e-15);
        assert!((h.effort_factor(&draws, 4, 0.19) - 1.016).abs() < 1e-15);
        // The project: 300 per additional agency over two years.
        assert_eq!(h.project_cost_usd(&draws, 0, 3.0), 450.0);
        assert_eq!(h.project_cost_usd(&draws, 1, 3.0), 450.0);
        assert_eq!(h.project_cost_usd(&draws, 2, 3.0), 0.0);
    }

    #[test]
    fn distinct_groups_are_counted_among_the_team_s_members_only() {
        let h = harmonisation(2, 3);
        assert_eq!(distinct(&h.platform_of_agency, &[0, 1]), 1);
        assert_eq!(distinct(&h.platform_of_agency, &[0, 1, 2, 3]), 3);
        assert_eq!(distinct(&h.rule_set_of_agency, &[1, 3]), 2);
    }

    #[test]
    fn the_penalty_never_exceeds_its_ceilings_for_any_number_of_agencies() {
        // A deterministic spread of platforms over 1..=200 agencies.
        let draws = Draws::default();
        let h = harmonisation(2, 3);
        let ceiling = 0.15 + 0.3;
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for agencies in 1..=200usize {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let platform_kinds = 1 + (state >> 33) as usize % agencies;
            let platforms: Vec<usize> = (0..agencies).map(|a| a % platform_kinds).collect();
            let members: Vec<usize> = (0..agencies).collect();
            let p = h.penalty(&draws, agencies, distinct(&platforms, &members));
            assert!((0.0..ceiling).contains(&p), "{agencies} agencies: {p}");
        }
    }
}
