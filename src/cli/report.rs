//! `sscsim report`: draw a result folder into `report.html`.

use anyhow::Result;

use super::ReportArgs;
use crate::report;

pub fn report(args: ReportArgs) -> Result<()> {
    let written = report::write(&args.dir, args.out.as_deref())?;
    eprintln!("wrote {}", written.display());
    Ok(())
}
