//! `sscsim report`: draw a result folder into `report.html`.

use anyhow::Result;

use super::ReportArgs;
use crate::report;
use crate::text::visible;

pub fn report(args: ReportArgs) -> Result<()> {
    let written = report::write(&args.dir, args.out.as_deref())?;
    eprintln!("wrote {}", visible(&written.display().to_string()));
    Ok(())
}
