//! One replication's drawn inputs, as a value of their own.
//!
//! A replication draws every uncertain input of the scenario once
//! ([`crate::sample`]) and every strategy is evaluated on the same draws.
//! Wrapping them keeps the simulation from mistaking them for any other
//! list of numbers: a [`Param`] is read from the draws with
//! [`Draws::value`], whether it is fixed or drawn.
//!
//! Because every read goes through [`Draws::value`], the draws can also say
//! which inputs a computation read ([`Draws::reading`]): a result that
//! depends on the draws only through those reads is the same, to the bit,
//! for any draws in which those inputs hold the same values ([`Reads`]).
//! That is what lets the sensitivity swings keep a team's staffing from
//! one run to the next without knowing in advance which inputs it reads.

use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

use super::{InputId, Param};

/// The value of every uncertain input in one replication, in
/// [`crate::model::Scenario::inputs`] order.
#[derive(Debug, Default)]
pub struct Draws {
    /// Each input's value, and whether it was read.
    inputs: Vec<Drawn>,
    /// The buffer the values are drawn in ([`crate::sample`]), reused from
    /// one replication to the next.
    drawn: Vec<f64>,
}

/// A copy holds the values, not the buffer they were drawn in (a
/// coalition search keeps a copy of every replication's draws).
impl Clone for Draws {
    fn clone(&self) -> Self {
        Draws {
            inputs: self.inputs.clone(),
            drawn: Vec::new(),
        }
    }
}

/// The bytes each input takes in draws that are kept (without the buffer
/// they were drawn in): its value and its mark.
pub(crate) const BYTES_PER_INPUT: u64 = std::mem::size_of::<Drawn>() as u64;

/// An input's value, and whether it was read since the last reading began
/// ([`Draws::reading`]). Every read marks its input, whether or not a
/// reading is under way: testing a flag first, with the mark in a rarely
/// taken branch or call, made the `agency_line_days/large` benchmark 3% to
/// 5% slower and `sscsim pool scenarios/un-system-ssc.toml -n 20` 2% to 3%
/// (the compiler kept planning's running sums on the stack around it);
/// the plain store costs the benchmark nothing measurable and that pool
/// run 1.7%. An atomic, so that draws stay shareable between threads (a
/// coalition search shares them); relaxed stores cost what plain ones do,
/// and only the thread that owns draws under a reading reads the marks.
#[derive(Debug, Default)]
struct Drawn {
    value: f64,
    read: AtomicBool,
}

/// A copy of draws starts with nothing read.
impl Clone for Drawn {
    fn clone(&self) -> Self {
        Drawn {
            value: self.value,
            read: AtomicBool::new(false),
        }
    }
}

/// Two draws are equal when their values are: what was read is not part
/// of them.
impl PartialEq for Draws {
    fn eq(&self, other: &Self) -> bool {
        self.values().eq(other.values())
    }
}

/// The inputs a computation read, each with the bits of the value it read
/// ([`Draws::reading`]), in input order. One pointer, null for none: the
/// simulator keeps one beside each staffing it remembers, and with a
/// vector's three words there the `agency_line_days/large` benchmark,
/// which looks staffings up thousands of times a replication, ran 0.5% to
/// 3.7% slower (criterion, three runs of each, alternately).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Reads(Option<Box<ReadList>>);

/// Inputs read and the bits of their values.
type ReadList = Vec<(usize, u64)>;

impl Reads {
    /// No input read: what a computation reads when the draws cannot
    /// change under its result.
    pub(crate) const NONE: Reads = Reads(None);

    fn of(reads: ReadList) -> Self {
        Reads((!reads.is_empty()).then(|| Box::new(reads)))
    }

    fn all(&self) -> &[(usize, u64)] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }

    /// Whether every input read holds the same value in `draws`, to the
    /// bit: then a computation that reads the draws only through
    /// [`Draws::value`], and nothing else that changes, reads the same
    /// values in the same order, so it makes the same result.
    pub(crate) fn hold_in(&self, draws: &Draws) -> bool {
        (self.all().iter()).all(|&(input, bits)| draws.inputs[input].value.to_bits() == bits)
    }

    /// How many inputs were read.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.all().len()
    }
}

impl Draws {
    /// The value of `param` in this replication: its own if fixed, its
    /// input's draw if uncertain.
    pub fn value(&self, param: Param) -> f64 {
        match param {
            Param::Fixed(value) => value,
            Param::Input(InputId(input)) => {
                let drawn = &self.inputs[input];
                drawn.read.store(true, Relaxed);
                drawn.value
            }
        }
    }

    /// What `compute` makes, and the inputs it read through
    /// [`Draws::value`] with their values ([`Reads`]). Readings do not
    /// nest, and `compute` must be the only reader of these draws while
    /// it runs.
    pub(crate) fn reading<R>(&self, compute: impl FnOnce() -> R) -> (R, Reads) {
        self.inputs
            .iter()
            .for_each(|d| d.read.store(false, Relaxed));
        let made = compute();
        let reads = (self.inputs.iter().enumerate())
            .filter(|(_, d)| d.read.load(Relaxed))
            .map(|(input, d)| (input, d.value.to_bits()))
            .collect();
        (made, Reads::of(reads))
    }

    /// Sets input `input` to `value` instead of its draw (one-at-a-time
    /// sensitivity).
    pub(crate) fn set(&mut self, input: InputId, value: f64) {
        self.inputs[input.0].value = value;
    }

    /// The draws in input order.
    pub(crate) fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.inputs.iter().map(|d| d.value)
    }

    /// Makes the draws with `fill`, which writes them over the buffer they
    /// are drawn in, reused from one replication to the next
    /// ([`crate::sample`]).
    pub(crate) fn make(&mut self, fill: impl FnOnce(&mut Vec<f64>)) {
        fill(&mut self.drawn);
        self.inputs.clear();
        (self.inputs).extend(self.drawn.iter().map(|&value| Drawn {
            value,
            read: AtomicBool::new(false),
        }));
    }
}

impl From<Vec<f64>> for Draws {
    fn from(values: Vec<f64>) -> Self {
        let mut draws = Draws::default();
        draws.make(|drawn| *drawn = values);
        draws
    }
}

impl std::ops::Index<InputId> for Draws {
    type Output = f64;

    fn index(&self, input: InputId) -> &f64 {
        &self.inputs[input.0].value
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
        assert_eq!(draws.values().collect::<Vec<_>>(), [4.0, 7.0]);
    }

    /// A reading notes each input read through `value` once, with its
    /// value, in input order; not fixed params, nor what was read before
    /// it began; the reads hold in draws that differ only in inputs not
    /// read, to the bit.
    #[test]
    fn a_reading_notes_the_inputs_read_and_their_values() {
        let values: Vec<f64> = (0..70).map(|i| f64::from(i) + 0.5).collect();
        let draws = Draws::from(values.clone());
        let input = |i| Param::Input(InputId(i));
        assert_eq!(draws.value(input(5)), 5.5);
        let (sum, reads) = draws.reading(|| {
            draws.value(input(66)) + draws.value(Param::Fixed(2.0)) + draws.value(input(3))
                - draws.value(input(66))
        });
        assert_eq!(sum, 2.0 + 3.5);
        let bits = |i: usize| values[i].to_bits();
        assert_eq!(reads, Reads::of(vec![(3, bits(3)), (66, bits(66))]));
        assert_eq!(reads.len(), 2);
        let ((), none) = draws.reading(|| ());
        assert_eq!(none, Reads::NONE);
        let mut other = draws.clone();
        other.set(InputId(5), -1.0);
        other.set(InputId(69), -1.0);
        assert!(reads.hold_in(&other));
        other.set(InputId(66), 66.0);
        assert!(!reads.hold_in(&other));
        // A copy starts with nothing read, and reads its own values.
        let (value, reads) = other.reading(|| other.value(input(66)));
        assert_eq!(
            (value, reads),
            (66.0, Reads::of(vec![(66, 66f64.to_bits())]))
        );
        // 0 and −0 are equal numbers, not the same value.
        let mut signed = Draws::from(vec![0.0]);
        let (_, zero) = signed.reading(|| signed.value(input(0)));
        signed.set(InputId(0), -0.0);
        assert!(!zero.hold_in(&signed));
    }
}
