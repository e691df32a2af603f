//! Splitting a run's replications into shards that run as separate
//! processes — on the nodes of a cluster, say — and checking that a set of
//! shards covers the run exactly once before they are merged.
//!
//! Shard `I/N` (1-based) runs one contiguous block of the replications
//! under their global indices, so replication `r` is drawn from the same
//! random numbers whatever the number of shards: merging the shards in
//! order replays exactly the replications a single process would have run.
//! The blocks are as even as can be: with `n` replications, the first
//! `n mod N` shards have one replication more than the others.
//!
//! Array jobs give each task an index in an environment variable; with
//! `--shards N` and no `--shard`, [`Shard::from_env`] reads it.

use std::fmt;
use std::ops::Range;

/// The variable a Slurm array task's index is in.
const SLURM_TASK_ID: &str = "SLURM_ARRAY_TASK_ID";
/// The smallest index of the Slurm array (`0` for `--array=0-2`, `1` for
/// `--array=1-3`).
const SLURM_TASK_MIN: &str = "SLURM_ARRAY_TASK_MIN";
/// The step between a Slurm array's indices (`2` for `--array=0-6:2`).
const SLURM_TASK_STEP: &str = "SLURM_ARRAY_TASK_STEP";
/// The number of tasks of the Slurm array.
const SLURM_TASK_COUNT: &str = "SLURM_ARRAY_TASK_COUNT";
/// The 0-based index of a Kubernetes Indexed Job's pod.
const KUBERNETES_INDEX: &str = "JOB_COMPLETION_INDEX";
/// The 0-based index of an AWS Batch array job's child.
const AWS_BATCH_INDEX: &str = "AWS_BATCH_JOB_ARRAY_INDEX";

/// One of `count` shards of a run, `index` counted from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shard {
    /// Which shard, from 1 to `count`.
    pub index: u64,
    /// How many shards the run is split into.
    pub count: u64,
}

/// Why a shard cannot be had or a set of shards cannot be merged. All are
/// fatal: nothing is run or written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShardError {
    /// `--shard` is not of the form `I/N`.
    #[error("`{0}` is not a shard; expected I/N with 1 ≤ I ≤ N, e.g. 2/3")]
    Syntax(String),
    /// No shards at all.
    #[error("a run cannot be split into 0 shards; expected at least 1")]
    NoShards,
    /// The index is outside `1..=count`.
    #[error("shard {index}/{count} does not exist; expected an index from 1 to {count}")]
    IndexOutOfRange {
        /// The index given.
        index: u64,
        /// The number of shards.
        count: u64,
    },
    /// More shards than replications: some would be empty.
    #[error(
        "{count} shards for {replications} replications: every shard needs at least one \
         replication; expected at most {replications} shards"
    )]
    MoreShardsThanReplications {
        /// The number of shards.
        count: u64,
        /// The number of replications.
        replications: u64,
    },
    /// `--shards` without `--shard`, and no array-job variable is set.
    #[error(
        "--shards {count} needs to know which shard this is: give --shard I/{count}, or run as \
         a Slurm array job ({SLURM_TASK_ID}), a Kubernetes Indexed Job ({KUBERNETES_INDEX}) \
         or an AWS Batch array job ({AWS_BATCH_INDEX})"
    )]
    NoIndex {
        /// The number of shards.
        count: u64,
    },
    /// An array-job variable that is not a usable number.
    #[error("{variable}={value} is not a task index; {expected}")]
    BadVariable {
        /// The variable.
        variable: &'static str,
        /// Its value.
        value: String,
        /// What was expected.
        expected: String,
    },
    /// The Slurm array has a different number of tasks than shards.
    #[error(
        "the Slurm array has {tasks} tasks ({SLURM_TASK_COUNT}) but the run is split into \
         {count} shards; expected --array with {count} tasks, e.g. --array=1-{count}"
    )]
    ArraySize {
        /// Tasks in the array.
        tasks: u64,
        /// Shards asked for.
        count: u64,
    },
}

impl Shard {
    /// Shard `index` of `count`, checked.
    ///
    /// # Errors
    /// When `count` is 0 or `index` is not within `1..=count`.
    pub fn new(index: u64, count: u64) -> Result<Shard, ShardError> {
        if count == 0 {
            return Err(ShardError::NoShards);
        }
        if !(1..=count).contains(&index) {
            return Err(ShardError::IndexOutOfRange { index, count });
        }
        Ok(Shard { index, count })
    }

    /// Parses `I/N`, as `--shard` takes it.
    ///
    /// # Examples
    /// ```
    /// use sscsim::shard::Shard;
    /// let shard = Shard::parse("2/3")?;
    /// assert_eq!((shard.index, shard.count), (2, 3));
    /// assert!(Shard::parse("0/3").is_err());
    /// assert!(Shard::parse("4/3").is_err());
    /// # Ok::<(), sscsim::shard::ShardError>(())
    /// ```
    ///
    /// # Errors
    /// When the text is not two whole numbers separated by `/`, or the
    /// shard does not exist (see [`Shard::new`]).
    pub fn parse(text: &str) -> Result<Shard, ShardError> {
        let syntax = || ShardError::Syntax(text.to_owned());
        let (index, count) = text.split_once('/').ok_or_else(syntax)?;
        let number = |s: &str| s.trim().parse::<u64>().map_err(|_| syntax());
        Shard::new(number(index)?, number(count)?)
    }

    /// Shard `?/count` with the index an array job gives this process,
    /// read through `var` (e.g. `|name| std::env::var(name).ok()`). The
    /// first of these that is set decides:
    /// - `SLURM_ARRAY_TASK_ID`: the shard is `(ID − MIN)/STEP + 1`, with
    ///   `SLURM_ARRAY_TASK_MIN` (0 when unset) and `SLURM_ARRAY_TASK_STEP`
    ///   (1 when unset), so `--array=0-2` and `--array=1-3` both run shards
    ///   1 to 3; when `SLURM_ARRAY_TASK_COUNT` is set it must be `count`;
    /// - `JOB_COMPLETION_INDEX` (Kubernetes Indexed Job, 0-based): index + 1;
    /// - `AWS_BATCH_JOB_ARRAY_INDEX` (AWS Batch array job, 0-based): index + 1.
    ///
    /// # Examples
    /// ```
    /// use sscsim::shard::Shard;
    /// let env = |name: &str| match name {
    ///     "SLURM_ARRAY_TASK_ID" => Some("3".to_owned()),
    ///     "SLURM_ARRAY_TASK_MIN" => Some("1".to_owned()),
    ///     _ => None,
    /// };
    /// assert_eq!(Shard::from_env(3, env)?, Shard { index: 3, count: 3 });
    /// # Ok::<(), sscsim::shard::ShardError>(())
    /// ```
    ///
    /// # Errors
    /// When none of the variables is set, one is not a whole number, the
    /// Slurm array does not have `count` tasks, or the index is out of range.
    pub fn from_env(count: u64, var: impl Fn(&str) -> Option<String>) -> Result<Shard, ShardError> {
        if count == 0 {
            return Err(ShardError::NoShards);
        }
        let number = |variable: &'static str, expected: &str| -> Result<Option<u64>, ShardError> {
            var(variable)
                .map(|value| {
                    value
                        .trim()
                        .parse::<u64>()
                        .map_err(|_| ShardError::BadVariable {
                            variable,
                            value,
                            expected: expected.to_owned(),
                        })
                })
                .transpose()
        };
        let whole = "expected a whole number";
        if let Some(id) = number(SLURM_TASK_ID, whole)? {
            if let Some(tasks) = number(SLURM_TASK_COUNT, whole)?
                && tasks != count
            {
                return Err(ShardError::ArraySize { tasks, count });
            }
            let min = number(SLURM_TASK_MIN, whole)?.unwrap_or(0);
            let step = number(SLURM_TASK_STEP, "expected a whole number above 0")?.unwrap_or(1);
            let bad_id = |expected: String| ShardError::BadVariable {
                variable: SLURM_TASK_ID,
                value: id.to_string(),
                expected,
            };
            if step == 0 {
                return Err(ShardError::BadVariable {
                    variable: SLURM_TASK_STEP,
                    value: "0".into(),
                    expected: "expected a whole number above 0".into(),
                });
            }
            if id < min || (id - min) % step != 0 {
                return Err(bad_id(format!(
                    "expected {SLURM_TASK_MIN} ({min}) plus a multiple of {SLURM_TASK_STEP} ({step})"
                )));
            }
            let last = min.saturating_add((count - 1).saturating_mul(step));
            if id > last {
                return Err(bad_id(format!(
                    "expected {min} to {last} for {count} shards ({SLURM_TASK_MIN} {min}, \
                     {SLURM_TASK_STEP} {step})"
                )));
            }
            return Shard::new((id - min) / step + 1, count);
        }
        for variable in [KUBERNETES_INDEX, AWS_BATCH_INDEX] {
            if let Some(index) = number(variable, "expected a whole number (0-based)")? {
                if index >= count {
                    return Err(ShardError::BadVariable {
                        variable,
                        value: index.to_string(),
                        expected: format!(
                            "expected 0 to {} (0-based) for {count} shards",
                            count - 1
                        ),
                    });
                }
                return Shard::new(index + 1, count);
            }
        }
        Err(ShardError::NoIndex { count })
    }

    /// The block of `replications` (global indices) this shard runs.
    ///
    /// # Examples
    /// ```
    /// use sscsim::shard::Shard;
    /// // 10 replications in 3 shards: 4, 3 and 3.
    /// let ranges: Vec<_> = (1..=3).map(|i| Shard { index: i, count: 3 }.range(10)).collect();
    /// assert_eq!(ranges, [0..4, 4..7, 7..10]);
    /// ```
    pub fn range(self, replications: u64) -> Range<u64> {
        let k = self.index - 1;
        let (each, extra) = (replications / self.count, replications % self.count);
        let start = k * each + k.min(extra);
        start..start + each + u64::from(k < extra)
    }

    /// Checks that every shard of a run of `replications` gets at least one.
    ///
    /// # Errors
    /// When there are more shards than replications.
    pub(crate) fn check_replications(self, replications: u64) -> Result<(), ShardError> {
        if self.count > replications {
            return Err(ShardError::MoreShardsThanReplications {
                count: self.count,
                replications,
            });
        }
        Ok(())
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// What is wrong with the replications a set of shards covers.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CoverageError {
    /// Replications no shard covers.
    #[error(
        "replications {} to {} are missing{}; expected every replication from 0 to {} exactly once",
        .missing.start, .missing.end - 1, shards_note(.shards), .replications - 1
    )]
    Missing {
        /// The replications missing (global indices).
        missing: Range<u64>,
        /// The shards that run them.
        shards: Vec<Shard>,
        /// The run's replications.
        replications: u64,
    },
    /// Replications two folders both cover.
    #[error(
        "replications {} to {} are in both {} and {}; expected every replication exactly once",
        .duplicated.start, .duplicated.end - 1, .first, .second
    )]
    Duplicated {
        /// The replications covered twice (global indices).
        duplicated: Range<u64>,
        /// The first folder that covers them.
        first: String,
        /// The second.
        second: String,
    },
}

/// ` (shard 2/3)` or ` (shards 2/3, 3/3)`, or nothing.
fn shards_note(shards: &[Shard]) -> String {
    match shards {
        [] => String::new(),
        [one] => format!(" (shard {one})"),
        many => format!(
            " (shards {})",
            many.iter()
                .map(Shard::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Orders `parts` — each a name (a folder, for messages) and the
/// replications it holds — so that together they cover `0..replications`
/// exactly once, or says which replications are missing or duplicated.
/// Shards of `count` are named in a message about missing replications.
///
/// # Errors
/// The first gap or overlap, in replication order.
pub(crate) fn order_parts(
    parts: &[(String, Range<u64>)],
    replications: u64,
    count: u64,
) -> Result<Vec<&(String, Range<u64>)>, CoverageError> {
    let mut ordered: Vec<&(String, Range<u64>)> = parts.iter().collect();
    ordered.sort_by_key(|(_, range)| (range.start, range.end));
    let missing = |missing: Range<u64>| CoverageError::Missing {
        shards: (1..=count)
            .map(|index| Shard { index, count })
            .filter(|s| {
                let r = s.range(replications);
                r.start < missing.end && missing.start < r.end
            })
            .collect(),
        missing,
        replications,
    };
    let mut next = 0;
    let mut previous: Option<&(String, Range<u64>)> = None;
    for part in &ordered {
        let range = &part.1;
        if range.start > next {
            return Err(missing(next..range.start));
        }
        if range.start < next {
            let (first, first_range) =
                previous.expect("a range starting before `next` follows one");
            return Err(CoverageError::Duplicated {
                duplicated: range.start..range.end.min(first_range.end),
                first: first.clone(),
                second: part.0.clone(),
            });
        }
        next = range.end;
        previous = Some(part);
    }
    if next < replications {
        return Err(missing(next..replications));
    }
    Ok(ordered)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn blocks_are_contiguous_even_and_cover_every_replication_once() {
        for replications in 1..60 {
            for count in 1..=replications.min(12) {
                let mut next = 0;
                for index in 1..=count {
                    let r = Shard { index, count }.range(replications);
                    assert_eq!(r.start, next);
                    // Sizes differ by at most one, the larger ones first.
                    let size = r.end - r.start;
                    assert!(size == replications / count || size == replications / count + 1);
                    next = r.end;
                }
                assert_eq!(next, replications);
            }
        }
    }

    #[test]
    fn shards_are_parsed_and_checked() {
        assert_eq!(Shard::parse("1/1"), Ok(Shard { index: 1, count: 1 }));
        assert_eq!(Shard::parse(" 2 / 3 "), Ok(Shard { index: 2, count: 3 }));
        for bad in ["2", "2-3", "a/3", "2/", "/3", "-1/3", "2/3/4"] {
            assert_eq!(
                Shard::parse(bad),
                Err(ShardError::Syntax(bad.into())),
                "{bad}"
            );
        }
        assert_eq!(Shard::parse("1/0"), Err(ShardError::NoShards));
        assert_eq!(
            Shard::parse("0/3"),
            Err(ShardError::IndexOutOfRange { index: 0, count: 3 })
        );
        assert_eq!(
            Shard::parse("4/3"),
            Err(ShardError::IndexOutOfRange { index: 4, count: 3 })
        );
        assert!(Shard { index: 3, count: 3 }.check_replications(3).is_ok());
        assert_eq!(
            Shard { index: 1, count: 4 }.check_replications(3),
            Err(ShardError::MoreShardsThanReplications {
                count: 4,
                replications: 3
            })
        );
    }

    #[test]
    fn slurm_arrays_from_zero_or_one_give_the_same_shards() {
        let from_zero = env(&[("SLURM_ARRAY_TASK_ID", "0"), ("SLURM_ARRAY_TASK_MIN", "0")]);
        let from_one = env(&[("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_MIN", "1")]);
        assert_eq!(Shard::from_env(3, from_zero).unwrap().index, 1);
        assert_eq!(Shard::from_env(3, from_one).unwrap().index, 1);
        let last = env(&[
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ]);
        assert_eq!(Shard::from_env(3, last).unwrap().index, 3);
        // --array=10-14:2 is tasks 10, 12, 14: 14 is the third.
        let stepped = env(&[
            ("SLURM_ARRAY_TASK_ID", "14"),
            ("SLURM_ARRAY_TASK_MIN", "10"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
        ]);
        assert_eq!(Shard::from_env(3, stepped).unwrap().index, 3);
        // Without a minimum the index is taken as 0-based.
        let bare = env(&[("SLURM_ARRAY_TASK_ID", "2")]);
        assert_eq!(Shard::from_env(3, bare).unwrap().index, 3);
    }

    #[test]
    fn a_slurm_array_of_the_wrong_size_or_an_index_beyond_it_is_refused() {
        let four = env(&[
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(
            Shard::from_env(3, four),
            Err(ShardError::ArraySize { tasks: 4, count: 3 })
        );
        let beyond = env(&[("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_MIN", "0")]);
        let e = Shard::from_env(3, beyond).unwrap_err().to_string();
        assert!(
            e.contains("SLURM_ARRAY_TASK_ID=3 is not a task index; expected 0 to 2 for 3 shards"),
            "{e}"
        );
        let garbage = env(&[("SLURM_ARRAY_TASK_ID", "x")]);
        let e = Shard::from_env(3, garbage).unwrap_err().to_string();
        assert!(e.contains("SLURM_ARRAY_TASK_ID=x"), "{e}");
    }

    #[test]
    fn kubernetes_and_aws_batch_indices_are_0_based() {
        let k8s = env(&[("JOB_COMPLETION_INDEX", "0")]);
        assert_eq!(
            Shard::from_env(2, k8s).unwrap(),
            Shard { index: 1, count: 2 }
        );
        let aws = env(&[("AWS_BATCH_JOB_ARRAY_INDEX", "1")]);
        assert_eq!(
            Shard::from_env(2, aws).unwrap(),
            Shard { index: 2, count: 2 }
        );
        let beyond = env(&[("JOB_COMPLETION_INDEX", "2")]);
        let e = Shard::from_env(2, beyond).unwrap_err().to_string();
        assert!(e.contains("expected 0 to 1 (0-based) for 2 shards"), "{e}");
        assert_eq!(
            Shard::from_env(2, env(&[])),
            Err(ShardError::NoIndex { count: 2 })
        );
    }

    fn parts(ranges: &[(&str, Range<u64>)]) -> Vec<(String, Range<u64>)> {
        ranges
            .iter()
            .map(|(n, r)| ((*n).to_owned(), r.clone()))
            .collect()
    }

    #[test]
    fn parts_in_any_order_are_put_in_replication_order() {
        let given = parts(&[("c", 7..10), ("a", 0..4), ("b", 4..7)]);
        let ordered = order_parts(&given, 10, 3).unwrap();
        let names: Vec<&str> = ordered.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
    }

    #[test]
    fn a_missing_shard_is_named_with_its_replications() {
        let given = parts(&[("a", 0..4), ("c", 7..10)]);
        let e = order_parts(&given, 10, 3).unwrap_err();
        assert_eq!(
            e,
            CoverageError::Missing {
                missing: 4..7,
                shards: vec![Shard { index: 2, count: 3 }],
                replications: 10
            }
        );
        assert!(
            e.to_string()
                .contains("replications 4 to 6 are missing (shard 2/3)")
        );
        let tail = parts(&[("a", 0..4)]);
        let e = order_parts(&tail, 10, 3).unwrap_err().to_string();
        assert!(
            e.contains("replications 4 to 9 are missing (shards 2/3, 3/3)"),
            "{e}"
        );
    }

    #[test]
    fn a_duplicated_shard_names_both_folders() {
        let given = parts(&[("a", 0..4), ("b", 4..7), ("b2", 4..7), ("c", 7..10)]);
        let e = order_parts(&given, 10, 3).unwrap_err();
        assert_eq!(
            e,
            CoverageError::Duplicated {
                duplicated: 4..7,
                first: "b".into(),
                second: "b2".into()
            }
        );
        assert!(
            e.to_string()
                .contains("replications 4 to 6 are in both b and b2")
        );
    }
}
