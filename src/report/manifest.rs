//! `manifest.toml` as the report reads it: what ran, with which seed and
//! how many replications. Keys written by later versions are optional, so
//! old folders still make a report.

use std::path::Path;

use serde::Deserialize;

use super::ReportError;

/// The manifest's keys that the report shows or uses.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Manifest {
    /// sscsim version that wrote the results.
    pub sscsim_version: String,
    /// The scenario's name.
    pub scenario_name: String,
    /// Master seed (an integer, or text above what TOML integers hold).
    #[serde(deserialize_with = "crate::output::manifest::seed_in_toml::deserialize")]
    pub seed: u64,
    /// Number of replications.
    pub replications: u64,
    /// Where the scenario came from.
    pub scenario_path: Option<String>,
    /// Worker threads.
    pub threads: Option<u64>,
    /// When the run started (RFC 3339).
    pub started_at: Option<String>,
    /// When the run finished (RFC 3339).
    pub finished_at: Option<String>,
    /// The command that wrote the folder: `run`, `explain` or `pool`.
    pub command: Option<String>,
    /// The fragmented strategy of the comparison.
    pub fragmented: Option<String>,
    /// The pooled strategy of the comparison.
    pub pooled: Option<String>,
}

impl Manifest {
    /// Parses a manifest's text; `path` names it in errors.
    ///
    /// # Errors
    /// When the text is not TOML or lacks one of the four keys the report
    /// shows (`sscsim_version`, `scenario_name`, `seed`, `replications`).
    pub fn parse(path: &Path, text: &str) -> Result<Manifest, ReportError> {
        toml::from_str(text).map_err(|e| ReportError::Manifest {
            path: path.to_owned(),
            message: e.message().to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(e.contains("dir/manifest.toml"), "{e}");
        assert!(e.contains("seed"), "{e}");
    }
}
