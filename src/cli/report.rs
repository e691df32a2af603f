//! `sscsim report`: draw a result folder into `report.html`.

use anyhow::Result;

use super::{InvalidArgument, ReportArgs};
use crate::report;
use crate::text::visible;

pub(crate) fn report(args: ReportArgs) -> Result<()> {
    if let Some(out) = args.out.as_deref().filter(|out| out.is_dir()) {
        return Err(InvalidArgument(format!(
            "--out {} is a folder; expected a file",
            out.display()
        ))
        .into());
    }
    // The folder is the user's argument: one that is not there is bad
    // input, like a scenario file that is not there.
    if !args.dir.is_dir() {
        return Err(InvalidArgument(format!(
            "{} is not a folder; expected a result folder written by sscsim",
            args.dir.display()
        ))
        .into());
    }
    let written = report::write(&args.dir, args.out.as_deref())?;
    eprintln!("wrote {}", visible(&written.display().to_string()));
    Ok(())
}
