//! `[mechanisms.fixed_overhead]`: the staff every new centre carries, with
//! the documented default of `model::mechanisms::fixed_overhead` (a manager
//! and a support post, and a director from 150 staff: the model sizes it).

use serde::Deserialize;
use toml::Spanned;

use crate::model::mechanisms::fixed_overhead;
use crate::model::{ByGrade, Param};
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
    pub(super) fn validate(&self, v: &mut Validator) -> ByGrade<Param> {
        match &self.centre_staff_fte {
            Some(table) => v.fte_table("mechanisms.fixed_overhead.centre_staff_fte", table),
            None => ByGrade(fixed_overhead::CENTRE_STAFF_FTE.map(Param::Fixed)),
        }
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
        let fte = table::<RawFixedOverhead>("").validate(&mut v);
        // The grades the default may employ, so that their costs are checked.
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
        let fte = table::<RawFixedOverhead>("centre_staff_fte = { D = 1 }").validate(&mut v);
        let director = ByGrade([0.0, 0.0, 0.0, 1.0, 0.0].map(Param::Fixed));
        assert_eq!(fte, director);
    }
}
