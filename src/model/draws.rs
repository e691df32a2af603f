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

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};

use super::{InputId, Param};

/// The value of every uncertain input in one replication, in
/// [`crate::model::Scenario::inputs`] order.
#[derive(Clone, Debug, Default)]
pub struct Draws {
    values: Vec<f64>,
    /// The inputs read while a reading is recorded ([`Draws::reading`]).
    log: ReadLog,
}

/// Which inputs were read while recording: one bit an input, fitted to
/// the draws whenever they are made. Atomics, so that draws shared by
/// several threads (a coalition search's) stay shareable; only the thread
/// that owns a workspace's draws records, and relaxed loads and stores
/// cost what plain ones do.
#[derive(Debug, Default)]
struct ReadLog {
    recording: AtomicBool,
    bits: Box<[AtomicU64]>,
}

/// A copy of draws starts without a recording.
impl Clone for ReadLog {
    fn clone(&self) -> Self {
        ReadLog::fitted(self.bits.len() * 64)
    }
}

impl ReadLog {
    /// Notes that `input` was read. Out of line, so that a read that is
    /// not recorded costs the one test of `recording`: inline, this made
    /// `AgencyLine::annual_mean` too big to inline, and `sscsim pool`
    /// ran 2.8% more instructions.
    #[cold]
    #[inline(never)]
    fn note(&self, input: usize) {
        let word = &self.bits[input / 64];
        word.store(word.load(Relaxed) | 1 << (input % 64), Relaxed);
    }

    /// A log for `inputs` inputs, not recording.
    fn fitted(inputs: usize) -> Self {
        ReadLog {
            recording: AtomicBool::new(false),
            bits: (0..inputs.div_ceil(64))
                .map(|_| AtomicU64::new(0))
                .collect(),
        }
    }
}

/// Two draws are equal when their values are: what they recorded is not
/// part of them.
impl PartialEq for Draws {
    fn eq(&self, other: &Self) -> bool {
        self.values == other.values
    }
}

/// The inputs a computation read, each with the bits of the value it read
/// ([`Draws::reading`]), in input order.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Reads(Vec<(usize, u64)>);

impl Reads {
    /// No input read: what a computation reads when the draws cannot
    /// change under its result.
    pub(crate) const NONE: Reads = Reads(Vec::new());

    /// Whether every input read holds the same value in `draws`, to the
    /// bit: then a computation that reads the draws only through
    /// [`Draws::value`], and nothing else that changes, reads the same
    /// values in the same order, so it makes the same result.
    pub(crate) fn hold_in(&self, draws: &Draws) -> bool {
        (self.0.iter()).all(|&(input, bits)| draws.values[input].to_bits() == bits)
    }

    /// How many inputs were read.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

impl Draws {
    /// The value of `param` in this replication: its own if fixed, its
    /// input's draw if uncertain.
    #[inline(always)]
    pub fn value(&self, param: Param) -> f64 {
        if let Param::Input(InputId(input)) = param
            && self.log.recording.load(Relaxed)
        {
            self.log.note(input);
        }
        param.value(&self.values)
    }

    /// What `compute` makes, and the inputs it read through
    /// [`Draws::value`] with their values ([`Reads`]). Readings do not
    /// nest: `compute` must not record one of its own.
    pub(crate) fn reading<R>(&self, compute: impl FnOnce() -> R) -> (R, Reads) {
        let log = &self.log;
        debug_assert!(!log.recording.load(Relaxed), "readings do not nest");
        log.bits.iter().for_each(|word| word.store(0, Relaxed));
        log.recording.store(true, Relaxed);
        let made = compute();
        log.recording.store(false, Relaxed);
        let reads = (log.bits.iter().enumerate())
            .flat_map(|(word, bits)| {
                let bits = bits.load(Relaxed);
                (0..64)
                    .filter(move |bit| bits & (1 << bit) != 0)
                    .map(move |bit| word * 64 + bit)
            })
            .map(|input| (input, self.values[input].to_bits()))
            .collect();
        (made, Reads(reads))
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

    /// Makes the draws with `fill`, which writes them over the buffer they
    /// are made in, reused from one replication to the next
    /// ([`crate::sample`]).
    pub(crate) fn make(&mut self, fill: impl FnOnce(&mut Vec<f64>)) {
        fill(&mut self.values);
        if self.log.bits.len() != self.values.len().div_ceil(64) {
            self.log = ReadLog::fitted(self.values.len());
        }
    }
}

impl From<Vec<f64>> for Draws {
    fn from(values: Vec<f64>) -> Self {
        Draws {
            log: ReadLog::fitted(values.len()),
            values,
        }
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

    /// A reading records each input read through `value` once, with its
    /// value, in input order; fixed params and reads outside a reading are
    /// not recorded; the reads hold in draws that differ only in inputs
    /// not read. Inputs beyond the first 64 are recorded too.
    #[test]
    fn a_reading_records_the_inputs_read_and_their_values() {
        let values: Vec<f64> = (0..70).map(|i| f64::from(i) + 0.5).collect();
        let draws = Draws::from(values.clone());
        let input = |i| Param::Input(InputId(i));
        assert_eq!(draws.value(input(5)), 5.5);
        let (sum, reads) = draws.reading(|| {
            draws.value(input(66)) + draws.value(Param::Fixed(2.0)) + draws.value(input(3))
                - draws.value(input(66))
        });
        assert_eq!(sum, 5.5);
        let bits = |i: usize| values[i].to_bits();
        assert_eq!(reads, Reads(vec![(3, bits(3)), (66, bits(66))]));
        assert_eq!(reads.len(), 2);
        assert_eq!(draws.value(input(7)), 7.5);
        let ((), none) = draws.reading(|| ());
        assert_eq!(none, Reads::NONE);
        let mut other = draws.clone();
        other.set(InputId(5), -1.0);
        other.set(InputId(69), -1.0);
        assert!(reads.hold_in(&other));
        other.set(InputId(66), 66.0);
        assert!(!reads.hold_in(&other));
        // To the bit: 0 and −0 are equal numbers, not the same value.
        let mut signed = Draws::from(vec![0.0]);
        let (_, zero) = signed.reading(|| signed.value(input(0)));
        signed.set(InputId(0), -0.0);
        assert!(!zero.hold_in(&signed));
    }
}
