//! `[mechanisms.fixed_overhead]`: the staff every new centre carries, with
//! the documented default of `model::mechanisms::fixed_overhead` (a manager
//! and a support post, and a director from 150 staff: the model sizes it).
//! Which of the two a scenario means is decided here, once: the default
//! left out or written out as it is, or a table of the scenario's own.

use serde::Deserialize;
use toml::Spanned;

use crate::model::mechanisms::fixed_overhead;
use crate::model::{ByGrade, Overhead, Param};
use crate::scenario::by_grade::RawByGrade;
use crate::scenario::number::RawNumber;
use crate::scenario::validate::Validator;

/// `[mechanisms.fixed_overhead]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFixedOverhead {
    pub centre_staff_fte: Option<Spanned<RawByGrade<Spanned<RawNumber>>>>,
}

impl RawFixedOverhead {
    /// Every new centre's management and support staff.
    pub(super) fn validate(&self, v: &mut Validator) -> Overhead {
        match &self.centre_staff_fte {
            Some(table) => {
                overhead_of(v.fte_table("mechanisms.fixed_overhead.centre_staff_fte", table))
            }
            None => Overhead::SizedDefault,
        }
    }
}

/// The overhead a written `centre_staff_fte` stands for: the default
/// written out as it is (every value fixed, the default's) is the default,
/// sized for the centre, so that writing a default out changes nothing;
/// any other table — one that only equals it once drawn among them — is
/// the scenario's floor.
fn overhead_of(table: ByGrade<Param>) -> Overhead {
    if table == ByGrade(fixed_overhead::CENTRE_STAFF_FTE.map(Param::Fixed)) {
        Overhead::SizedDefault
    } else {
        Overhead::Floor(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Grade;
    use crate::scenario::mechanisms::table;

    #[test]
    fn a_fixed_overhead_table_without_staff_takes_the_documented_director_and_staff() {
        let mut v = Validator::default();
        let overhead = table::<RawFixedOverhead>("").validate(&mut v);
        assert_eq!(overhead, Overhead::SizedDefault);
        // The grades the default may employ, so that their costs are checked.
        let fte = overhead.priced_fte();
        let expected = [(Grade::Gs, 1.0), (Grade::P, 1.0), (Grade::D, 1.0)];
        for (grade, value) in expected {
            assert_eq!(fte[grade], Param::Fixed(value), "{grade:?}");
        }
        assert_eq!(fte[Grade::Npo], Param::Fixed(0.0));
        assert_eq!(fte[Grade::Fs], Param::Fixed(0.0));
    }

    #[test]
    fn a_named_table_is_the_scenario_s_floor() {
        let mut v = Validator::default();
        let overhead = table::<RawFixedOverhead>("centre_staff_fte = { D = 1 }").validate(&mut v);
        let director = ByGrade([0.0, 0.0, 0.0, 1.0, 0.0].map(Param::Fixed));
        assert_eq!(overhead, Overhead::Floor(director));
    }

    #[test]
    fn the_default_written_out_is_the_sized_default() {
        let mut v = Validator::default();
        let written = "centre_staff_fte = { GS = 1, P = 1, D = 1 }";
        let overhead = table::<RawFixedOverhead>(written).validate(&mut v);
        assert_eq!(overhead, Overhead::SizedDefault);
        // One value more is a table of the scenario's own.
        let other = "centre_staff_fte = { GS = 1, P = 1, D = 1, FS = 1 }";
        let overhead = table::<RawFixedOverhead>(other).validate(&mut v);
        let table = ByGrade([1.0, 0.0, 1.0, 1.0, 1.0].map(Param::Fixed));
        assert_eq!(overhead, Overhead::Floor(table));
    }

    #[test]
    fn a_table_that_only_looks_like_the_default_once_drawn_is_a_floor() {
        let mut table = ByGrade(fixed_overhead::CENTRE_STAFF_FTE.map(Param::Fixed));
        table[Grade::D] = Param::Input(crate::model::InputId(0));
        assert_eq!(overhead_of(table), Overhead::Floor(table));
    }
}
