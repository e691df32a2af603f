//! `manifest.toml`: what produced a result folder, so it can be reproduced.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The provenance of one run.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Manifest {
    /// sscsim version that wrote the results.
    pub sscsim_version: String,
    /// The scenario's `[scenario] name`.
    pub scenario_name: String,
    /// Where the scenario came from (a path, or the embedded default).
    pub scenario_path: String,
    /// SHA-256 of the scenario file's bytes, hex.
    pub scenario_sha256: String,
    /// Master seed.
    pub seed: u64,
    /// Number of replications.
    pub replications: u64,
    /// Worker threads used (results do not depend on it).
    pub threads: usize,
    /// When the run started, RFC 3339 UTC.
    pub started_at: String,
    /// When the run finished, RFC 3339 UTC.
    pub finished_at: String,
    /// The command that wrote the folder: `run`, `explain` or `pool`.
    pub command: String,
    /// The fragmented strategy of the comparison, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fragmented: Option<String>,
    /// The pooled strategy of the comparison, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pooled: Option<String>,
}

impl Manifest {
    /// Renders the manifest as TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a manifest of strings and integers always serialises")
    }
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_the_published_test_vector() {
        // FIPS 180-2 example: SHA-256("abc").
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
