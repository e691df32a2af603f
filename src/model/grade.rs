//! Staff grades of the UN common system and tables indexed by them.
//!
//! Every staffing figure in sscsim is broken down by grade because the grade
//! mix, not the head count, drives most of the cost gap between a headquarters
//! duty station and an offshore centre (JIU/REP/2009/6 paras 48 and 74).

use std::ops::{Index, IndexMut};

/// A staff category of the UN common system.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Grade {
    /// General Service: locally recruited support staff.
    Gs,
    /// National Professional Officer: locally recruited professionals.
    Npo,
    /// Professional: internationally recruited.
    P,
    /// Director (D-1, D-2).
    D,
    /// Field Service.
    Fs,
}

impl Grade {
    /// All grades, in the order used by tables, CSV columns and reports.
    pub const ALL: [Grade; 5] = [Grade::Gs, Grade::Npo, Grade::P, Grade::D, Grade::Fs];

    /// The label used in scenario files and printed tables (`GS`, `NPO`, ...).
    pub(crate) fn label(self) -> &'static str {
        match self {
            Grade::Gs => "GS",
            Grade::Npo => "NPO",
            Grade::P => "P",
            Grade::D => "D",
            Grade::Fs => "FS",
        }
    }

    /// Whether staff of this grade are paid in the local currency of the duty
    /// station. General Service and NPO salaries are set on local scales, so
    /// exchange-rate movements change their cost in USD; Professional,
    /// Director and Field Service salaries are on the USD-based international
    /// scale.
    pub(crate) fn is_locally_recruited(self) -> bool {
        matches!(self, Grade::Gs | Grade::Npo)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A value for each grade.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ByGrade<T>(pub [T; 5]);

impl<T> ByGrade<T> {
    /// Builds a table by calling `f` for each grade.
    pub(crate) fn from_fn(mut f: impl FnMut(Grade) -> T) -> Self {
        ByGrade(Grade::ALL.map(&mut f))
    }

    /// `(grade, value)` pairs in [`Grade::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Grade, &T)> {
        Grade::ALL.into_iter().zip(self.0.iter())
    }
}

impl ByGrade<f64> {
    /// The sum over all grades.
    pub fn total(&self) -> f64 {
        self.0.iter().sum()
    }
}

impl<T> Index<Grade> for ByGrade<T> {
    type Output = T;
    fn index(&self, grade: Grade) -> &T {
        &self.0[grade.index()]
    }
}

impl<T> IndexMut<Grade> for ByGrade<T> {
    fn index_mut(&mut self, grade: Grade) -> &mut T {
        &mut self.0[grade.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_index_by_grade_in_declared_order() {
        let table = ByGrade::from_fn(|g| g.label().len());
        assert_eq!(table[Grade::Gs], 2);
        assert_eq!(table[Grade::Npo], 3);
        assert_eq!(table[Grade::Fs], 2);
        let labels: Vec<_> = table.iter().map(|(g, _)| g.label()).collect();
        assert_eq!(labels, ["GS", "NPO", "P", "D", "FS"]);
    }

    #[test]
    fn only_general_service_and_npo_are_paid_in_local_currency() {
        let local: Vec<_> = Grade::ALL
            .into_iter()
            .filter(|g| g.is_locally_recruited())
            .collect();
        assert_eq!(local, [Grade::Gs, Grade::Npo]);
    }
}
