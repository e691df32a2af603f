//! `manifest.toml`: what produced a result folder, so it can be reproduced.
//! One type serves every reader: the run writes it, `merge` checks shards
//! by it, the report and the workbook's About sheet show it. Keys that
//! early versions did not write are optional, so their folders still read.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::ResultFile;
use super::dialect::CsvDialect;
use super::read::ReadError;

/// The provenance of one run. A shard's folder (`run --shard`) also says
/// which shard it is and the replications it ran; a merged folder (`merge`)
/// how many shards it was merged from. Those keys are absent otherwise.
///
/// Every manifest has `sscsim_version`, `scenario_name`, `seed` and
/// `replications`. The other keys are optional when read, so that folders
/// of early versions still read; this version writes all but those of
/// shards and merges.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// sscsim version that wrote the results.
    pub sscsim_version: String,
    /// The scenario's `[scenario] name`.
    pub scenario_name: String,
    /// Where the scenario came from (a path, or the embedded default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_path: Option<String>,
    /// SHA-256 of the scenario file's bytes, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_sha256: Option<String>,
    /// Master seed; as text when above what TOML integers hold, which are
    /// signed 64-bit.
    #[serde(with = "seed_in_toml")]
    pub seed: u64,
    /// Number of replications (of the whole run, for a shard).
    pub replications: u64,
    /// Worker threads used (results do not depend on it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threads: Option<usize>,
    /// When the run started, RFC 3339 UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    /// When the run finished, RFC 3339 UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// The command that wrote the folder: `run`, `explain`, `pool` or `merge`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// The fragmented strategy of the comparison, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fragmented: Option<String>,
    /// The pooled strategy of the comparison, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pooled: Option<String>,
    /// For a shard: which one, as `I/N` (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    /// For a shard: the first replication it ran (global index).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_replication: Option<u64>,
    /// For a shard: the last replication it ran (global index).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_replication: Option<u64>,
    /// For a shard: SHA-256 of its replay file, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay_sha256: Option<String>,
    /// For a merged folder: the number of shards merged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_shards: Option<u64>,
    /// `true` when a stop (Ctrl-C, SIGTERM) cut the run short: the folder
    /// holds the replications finished from the first, `replications` of
    /// them (for a shard, `first_replication` to `last_replication`); for a
    /// merged folder, when a shard merged was partial. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial: Option<bool>,
    /// For a merged folder: the partial shards merged (`I/N`), which
    /// `merge --allow-partial` let through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial_shards: Option<Vec<String>>,
    /// For a run to a precision target (`run --precision`): the target and
    /// what was reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<PrecisionRecord>,
    /// How the folder's CSV files separate fields and write decimals;
    /// absent for the default, tidy CSV.
    #[serde(default, skip_serializing_if = "CsvDialect::is_tidy")]
    pub csv_dialect: CsvDialect,
    /// The `--set KEY=VALUE` overrides applied to the scenario, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    /// For `sweep` and `breakeven`: the number varied and how (`[vary]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vary: Option<VaryRecord>,
    /// For a shard of `pool --search heuristic`: the search it is part of
    /// and the restarts it ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<PoolShardRecord>,
}

/// The `[vary]` table of a `sweep` or `breakeven` folder: its `--vary
/// KEY=FROM..TO`, and `--steps` (sweep) or the strategies compared
/// (breakeven, `--strategy` and `--versus` or the defaults they took).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct VaryRecord {
    /// The dotted key varied, as `--set` takes it.
    pub key: String,
    /// The first value of the range.
    pub from: f64,
    /// The last value of the range.
    pub to: f64,
    /// `sweep`: the evenly spaced values run, both ends included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<u64>,
    /// `breakeven`: the strategy whose mean savings were searched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<String>,
    /// `breakeven`: the strategy they are savings against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versus: Option<String>,
}

/// The `[pool]` table of a shard of a heuristic coalition search: the
/// options of the search, which every shard of one run shares, and the
/// block of restarts this shard ran (its Shapley blocks are listed in its
/// `pool_shard.toml`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PoolShardRecord {
    /// The search: `heuristic`.
    pub search: String,
    /// Restarts of the whole search (`--restarts`).
    pub restarts: u64,
    /// Structures ranked (`--top`).
    pub top: u64,
    /// The candidate locations given (`--locations`); absent for the
    /// scenario's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locations: Option<Vec<String>>,
    /// The first restart this shard ran (global index).
    pub first_restart: u64,
    /// The last restart this shard ran (global index).
    pub last_restart: u64,
    /// The sampled Shapley values' target, percent of each value
    /// (`--shapley-se`), for which the blocks' samples are allocated.
    pub shapley_se_percent: f64,
    /// The most coalitions the Shapley sampling evaluates
    /// (`--shapley-budget`).
    pub shapley_budget_coalitions: u64,
    /// The fixed number of Shapley blocks after the pilot
    /// (`--shapley-blocks`), of which this shard drew its part; absent in
    /// format 1, whose merge sampled the Shapley values itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shapley_blocks: Option<u64>,
    /// The version of the shard's `pool_shard.toml`.
    pub format: u32,
}

/// The `[precision]` table of a run to a precision target: the metric
/// targeted, the target, and the half-width each targeted strategy's mean
/// reached in the replications run.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PrecisionRecord {
    /// The metric targeted, an id of `summary.csv`.
    pub metric: String,
    /// The target: the 95% confidence half-width of each targeted mean, in
    /// percent of the mean.
    pub target_half_width_percent: f64,
    /// The most replications the run could take (`--max-replications`).
    pub max_replications: u64,
    /// Whether every targeted mean met the target.
    pub reached: bool,
    /// Each targeted strategy, in strategy order.
    pub strategy: Vec<PrecisionReached>,
}

/// Where one targeted strategy's mean stands.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PrecisionReached {
    /// The strategy's id.
    pub id: String,
    /// The 95% confidence half-width its mean reached, in percent of the
    /// mean (`inf` for a mean of 0).
    pub half_width_percent: f64,
    /// Whether it met the target.
    pub reached: bool,
}

impl Manifest {
    /// Whether the folder holds a run cut short ([`Manifest::partial`]).
    pub fn is_partial(&self) -> bool {
        self.partial == Some(true)
    }
}

impl Manifest {
    /// Renders the manifest as TOML.
    pub(crate) fn to_toml(&self) -> String {
        toml::to_string(self).expect("a manifest of strings and integers always serialises")
    }

    /// Parses a manifest's text.
    ///
    /// # Errors
    /// When the text is not TOML or lacks a key every manifest has.
    pub(crate) fn from_toml(text: &str) -> Result<Manifest, toml::de::Error> {
        toml::from_str(text)
    }

    /// Where the manifest of the folder `dir` is.
    pub(crate) fn path_in(dir: &Path) -> PathBuf {
        dir.join(ResultFile::Manifest.name())
    }

    /// Reads the manifest of the folder `dir`; `None` when it has none.
    ///
    /// # Errors
    /// When the file is there but cannot be read, is not TOML, or lacks a
    /// key every manifest has.
    pub fn read(dir: &Path) -> Result<Option<Manifest>, ReadError> {
        let path = Manifest::path_in(dir);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(ReadError::Read { path, source }),
        };
        Manifest::parse(&path, &text).map(Some)
    }

    /// Parses a manifest's text; `path` names it in errors.
    ///
    /// # Errors
    /// When the text is not TOML or lacks a key every manifest has.
    pub fn parse(path: &Path, text: &str) -> Result<Manifest, ReadError> {
        Manifest::from_toml(text).map_err(|e| ReadError::Manifest {
            path: path.to_owned(),
            message: e.message().to_owned(),
        })
    }
}

/// A seed as TOML holds it. TOML integers are signed 64-bit, so a seed
/// above `i64::MAX` is written as the text of its digits, which every TOML
/// reader reads back exactly; a smaller one as an integer, as before. Both
/// forms are read, and integers above `i64::MAX` that earlier versions
/// wrote too.
mod seed_in_toml {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `seed` as an integer, or as text above `i64::MAX`.
    ///
    /// # Errors
    /// When the serializer fails.
    pub(super) fn serialize<S: Serializer>(seed: &u64, serializer: S) -> Result<S::Ok, S::Error> {
        match i64::try_from(*seed) {
            Ok(seed) => serializer.serialize_i64(seed),
            Err(_) => serializer.serialize_str(&seed.to_string()),
        }
    }

    /// Reads a seed written as an integer or as text.
    ///
    /// # Errors
    /// When the value is neither a whole number from 0 to `u64::MAX` nor
    /// the text of one.
    pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Seed {
            Integer(u64),
            Text(String),
        }
        match Seed::deserialize(deserializer)? {
            Seed::Integer(seed) => Ok(seed),
            Seed::Text(text) => text.parse().map_err(|_| {
                D::Error::custom(format!(
                    "seed `{text}` is not a whole number; expected 0 to {}",
                    u64::MAX
                ))
            }),
        }
    }
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    finish_sha256_hex(Sha256::new_with_prefix(bytes))
}

/// The SHA-256 of everything `hasher` has been fed, as lowercase hex: the
/// one spelling of a checksum in manifests, whether the bytes came at once
/// (a scenario file) or in blocks (a replay file).
pub(crate) fn finish_sha256_hex(hasher: Sha256) -> String {
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_mentions;

    fn manifest() -> Manifest {
        Manifest {
            sscsim_version: "0.1.0".into(),
            scenario_name: "Twins".into(),
            scenario_path: Some("x.toml".into()),
            scenario_sha256: Some("ab".into()),
            seed: u64::MAX,
            replications: 10,
            threads: Some(2),
            started_at: Some("a".into()),
            finished_at: Some("b".into()),
            command: Some("run".into()),
            fragmented: None,
            pooled: None,
            shard: None,
            first_replication: None,
            last_replication: None,
            replay_sha256: None,
            merged_shards: None,
            partial: None,
            partial_shards: None,
            precision: None,
            csv_dialect: CsvDialect::Tidy,
            overrides: Vec::new(),
            vary: None,
            pool: None,
        }
    }

    #[test]
    fn a_sweeps_and_a_break_evens_vary_table_reads_back_as_written() {
        let sweep = Manifest {
            command: Some("sweep".into()),
            vary: Some(VaryRecord {
                key: "settings.discount_rate_per_year".into(),
                from: 0.01,
                to: 0.05,
                steps: Some(5),
                strategy: None,
                versus: None,
            }),
            ..manifest()
        };
        let text = sweep.to_toml();
        assert!(
            text.contains("[vary]\nkey = \"settings.discount_rate_per_year\"\nfrom = 0.01\nto = 0.05\nsteps = 5\n"),
            "{text}"
        );
        assert!(!text.contains("versus"), "{text}");
        assert_eq!(Manifest::from_toml(&text).unwrap(), sweep);
        let breakeven = Manifest {
            vary: Some(VaryRecord {
                key: "agency.a.annual_volume".into(),
                from: 1000.0,
                to: 2000.0,
                steps: None,
                strategy: Some("pooled".into()),
                versus: Some("status_quo".into()),
            }),
            ..manifest()
        };
        let text = breakeven.to_toml();
        assert!(
            text.contains("strategy = \"pooled\"\nversus = \"status_quo\""),
            "{text}"
        );
        assert!(!text.contains("steps"), "{text}");
        assert_eq!(Manifest::from_toml(&text).unwrap(), breakeven);
        // A run's manifest has no [vary].
        assert!(!manifest().to_toml().contains("vary"));
    }

    #[test]
    fn a_manifest_reads_back_as_written_with_any_seed() {
        let plain = manifest();
        assert!(!plain.to_toml().contains("shard"));
        assert_eq!(Manifest::from_toml(&plain.to_toml()).unwrap(), plain);
        let shard = Manifest {
            shard: Some("2/3".into()),
            first_replication: Some(4),
            last_replication: Some(6),
            replay_sha256: Some("cd".into()),
            ..manifest()
        };
        assert_eq!(Manifest::from_toml(&shard.to_toml()).unwrap(), shard);
        let precise = Manifest {
            precision: Some(PrecisionRecord {
                metric: "economies_of_scale_lost_usd".into(),
                target_half_width_percent: 1.5,
                max_replications: 1000,
                reached: false,
                strategy: vec![
                    PrecisionReached {
                        id: "solo".into(),
                        half_width_percent: 0.75,
                        reached: true,
                    },
                    PrecisionReached {
                        id: "hub".into(),
                        half_width_percent: f64::INFINITY,
                        reached: false,
                    },
                ],
            }),
            ..manifest()
        };
        let text = precise.to_toml();
        assert_mentions(&text, &["[precision]\n", "[[precision.strategy]]\n"]);
        assert_eq!(Manifest::from_toml(&text).unwrap(), precise);
    }

    #[test]
    fn the_dialect_is_written_only_when_it_is_not_the_default() {
        assert!(!manifest().to_toml().contains("csv_dialect"));
        let comma = Manifest {
            csv_dialect: CsvDialect::DecimalComma,
            ..manifest()
        };
        assert!(
            comma
                .to_toml()
                .contains("csv_dialect = \"decimal-comma\"\n")
        );
        assert_eq!(Manifest::from_toml(&comma.to_toml()).unwrap(), comma);
    }

    #[test]
    fn a_seed_above_what_toml_integers_hold_is_written_as_text_and_read_back() {
        let text = manifest().to_toml();
        assert_mentions(&text, &["seed = \"18446744073709551615\"\n"]);
        let small = Manifest {
            seed: i64::MAX as u64,
            ..manifest()
        };
        assert!(small.to_toml().contains("seed = 9223372036854775807\n"));
        assert_eq!(Manifest::from_toml(&small.to_toml()).unwrap(), small);
        // Manifests of earlier versions wrote every seed as an integer.
        let old = text.replace(
            "seed = \"18446744073709551615\"",
            "seed = 18446744073709551615",
        );
        assert_eq!(Manifest::from_toml(&old).unwrap().seed, u64::MAX);
        let bad = text.replace("\"18446744073709551615\"", "\"-1\"");
        let e = Manifest::from_toml(&bad).unwrap_err().to_string();
        assert_mentions(&e, &["seed `-1` is not a whole number"]);
    }

    #[test]
    fn sha256_matches_the_published_test_vector() {
        // FIPS 180-2 example: SHA-256("abc").
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn an_old_manifest_without_the_comparison_keys_parses() {
        let text = "sscsim_version = \"0.1.0\"\nscenario_name = \"Twins\"\n\
                    scenario_path = \"x.toml\"\nscenario_sha256 = \"ab\"\nseed = 5\n\
                    replications = 40\nthreads = 2\nstarted_at = \"a\"\nfinished_at = \"b\"\n";
        let m = Manifest::parse(Path::new("m.toml"), text).unwrap();
        assert_eq!((m.seed, m.replications), (5, 40));
        assert_eq!(m.fragmented, None);
        assert_eq!(m.command, None);
    }

    #[test]
    fn a_manifest_without_a_seed_is_an_error_naming_the_file_and_key() {
        let text = "sscsim_version = \"0.1.0\"\nscenario_name = \"Twins\"\nreplications = 4\n";
        let e = Manifest::parse(Path::new("dir/manifest.toml"), text)
            .unwrap_err()
            .to_string();
        assert_mentions(&e, &["dir/manifest.toml", "seed"]);
    }

    #[test]
    fn a_manifest_that_is_not_toml_is_an_error() {
        assert!(Manifest::parse(Path::new("manifest.toml"), "seed = = 3").is_err());
    }
}
