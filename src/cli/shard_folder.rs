//! What the folders of one sharded `run` or `pool` search must share
//! before `sscsim merge` combines them, and the scenario each carries.

use std::path::Path;

use anyhow::{Context, Result};

use super::{
    InvalidArgument, InvalidScenario, LoadedScenario, MergeArgs, Overrides, SimulationOptions,
    WarningOptions,
};
use crate::results::manifest::sha256_hex;
use crate::results::{Manifest, ResultFile};
use crate::scenario;

/// The options a merge runs with: the shards' own replications, seed and
/// scenario (with its overrides), and `merge`'s threads and output options.
pub(super) fn merge_options(args: &MergeArgs) -> SimulationOptions {
    SimulationOptions {
        replications: None,
        seed: None,
        threads: args.threads,
        overrides: Overrides::default(),
        common: args.common,
        warnings: WarningOptions::default(),
    }
}

/// Refuses a shard written by another version of sscsim: `why` says what
/// the merge does with this version that makes it matter.
pub(super) fn check_version(dir: &Path, manifest: &Manifest, why: &str) -> Result<()> {
    let version = env!("CARGO_PKG_VERSION");
    if manifest.sscsim_version == version {
        return Ok(());
    }
    Err(InvalidArgument(format!(
        "{} was written by sscsim {}; this is sscsim {version}, and {why}: expected shards of \
         sscsim {version}",
        dir.display(),
        manifest.sscsim_version
    ))
    .into())
}

/// The keys every shard of one run or search shares, as (what, the first
/// shard's value, the other's): version, scenario, overrides, seed,
/// replications and the number of shards.
pub(super) fn shared_keys(
    a: &Manifest,
    b: &Manifest,
    shards_a: u64,
    shards_b: u64,
) -> Vec<(&'static str, String, String)> {
    vec![
        (
            "sscsim version",
            a.sscsim_version.clone(),
            b.sscsim_version.clone(),
        ),
        (
            "scenario (SHA-256)",
            a.scenario_sha256.clone().unwrap_or_default(),
            b.scenario_sha256.clone().unwrap_or_default(),
        ),
        (
            "overrides (--set)",
            format!("{:?}", a.overrides),
            format!("{:?}", b.overrides),
        ),
        ("seed", a.seed.to_string(), b.seed.to_string()),
        (
            "replications",
            a.replications.to_string(),
            b.replications.to_string(),
        ),
        (
            "number of shards",
            shards_a.to_string(),
            shards_b.to_string(),
        ),
    ]
}

/// Refuses two shards, `first` and `other`, of what is not one `kind`
/// ("run", "search"), naming the first key in `differences` on which they
/// differ.
pub(super) fn refuse_difference(
    kind: &str,
    first: &Path,
    other: &Path,
    differences: impl IntoIterator<Item = (&'static str, String, String)>,
) -> Result<()> {
    match differences.into_iter().find(|(_, x, y)| x != y) {
        None => Ok(()),
        Some((what, x, y)) => Err(InvalidArgument(format!(
            "the shards are not of one {kind}: {} has {what} {x}, {} has {y}",
            first.display(),
            other.display()
        ))
        .into()),
    }
}

/// The scenario of a shard, from the copy in its folder `dir`, checked
/// against its `manifest`'s SHA-256 and named as the run named it.
pub(super) fn load_scenario(dir: &Path, manifest: &Manifest) -> Result<LoadedScenario> {
    let path = dir.join(ResultFile::ScenarioCopy.name());
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read the shard's scenario {}", path.display()))?;
    let sha256 = sha256_hex(text.as_bytes());
    let expected = manifest.scenario_sha256.as_deref().unwrap_or_default();
    if sha256 != expected {
        return Err(InvalidArgument(format!(
            "{} has SHA-256 {sha256}, but the manifest says the run's scenario had {expected}; \
             expected the scenario file the shard ran",
            path.display(),
        ))
        .into());
    }
    let source_name = manifest.scenario_path.clone().unwrap_or_default();
    let overrides = manifest.overrides.clone();
    // Its warnings were shown when the shard ran.
    let (scenario, _warnings) =
        scenario::parse_with_overrides(&source_name, &text, &overrides).map_err(InvalidScenario)?;
    Ok(LoadedScenario {
        scenario,
        source_name,
        text,
        overrides,
    })
}
