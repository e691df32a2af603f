//! One replication's drawn inputs, as a value of their own.
//!
//! A replication draws every uncertain input of the scenario once
//! ([`crate::sample`]) and every strategy is evaluated on the same draws.
//! Wrapping them keeps the simulation from mistaking them for any other
//! list of numbers: a [`Param`] is read from the draws with
//! [`Draws::value`], whether it is fixed or drawn.

use super::{InputId, Param};

/// The value of every uncertain input in one replication, in
/// [`crate::model::Scenario::inputs`] order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draws {
    values: Vec<f64>,
}

impl Draws {
    /// The value of `param` in this replication: its own if fixed, its
    /// input's draw if uncertain.
    pub fn value(&self, param: Param) -> f64 {
        param.value(&self.values)
    }

    /// Sets input `input` to `value` instead of its draw (one-at-a-time
    /// sensitivity).
    pub(crate) fn set(&mut self, input: InputId, value: f64) {
        self.values[input.0] = value;
    }

    /// The draws in input order, for code that stores them.
    pub(crate) fn as_slice(&self) -> &[f64] {
        &self.values
    }

    /// The buffer the draws are made in, reused from one replication to
    /// the next ([`crate::sample`]).
    pub(crate) fn buffer(&mut self) -> &mut Vec<f64> {
        &mut self.values
    }
}

impl From<Vec<f64>> for Draws {
    fn from(values: Vec<f64>) -> Self {
        Draws { values }
    }
}

impl std::ops::Index<InputId> for Draws {
    type Output = f64;

    fn index(&self, input: InputId) -> &f64 {
        &self.values[input.0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_param_is_its_own_value_and_an_input_its_draw() {
        let mut draws = Draws::from(vec![2.5, 7.0]);
        assert_eq!(draws.value(Param::Fixed(3.0)), 3.0);
        assert_eq!(draws.value(Param::Input(InputId(1))), 7.0);
        draws.set(InputId(0), 4.0);
        assert_eq!(draws[InputId(0)], 4.0);
        assert_eq!(draws.as_slice(), &[4.0, 7.0]);
    }
}
