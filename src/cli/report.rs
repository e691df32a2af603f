//! `sscsim report`, and `--report` of the simulating commands: draw a
//! result folder into `report.html`.

use std::path::Path;

use anyhow::Result;

use super::ReportArgs;
use super::session::Workers;
use crate::report;

pub fn report(args: ReportArgs) -> Result<()> {
    let written = report::write(&args.dir, args.out.as_deref())?;
    eprintln!("wrote {}", written.display());
    Ok(())
}

/// Writes `dir/report.html` after a command has written its results there.
pub fn after_results(dir: &Path, workers: &Workers) -> Result<()> {
    let written = report::write(dir, None)?;
    workers.report(&format!("wrote {}", written.display()));
    Ok(())
}
