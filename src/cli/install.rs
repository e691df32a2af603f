//! `sscsim completions` and `sscsim man`: what installing sscsim puts
//! beside the binary.
//!
//! Both are generated from the same clap command that parses the
//! arguments (by `clap_complete` and `clap_mangen`), so a new option is in
//! the shell's completions and the manual page as soon as it is in
//! `--help`, and neither can fall out of date.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::Cli;
use crate::text::visible;

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub(super) struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    shell: Shell,
}

/// Arguments of `man`.
#[derive(Debug, Args)]
pub(super) struct ManArgs {
    /// Write one page per command into this folder (sscsim.1,
    /// sscsim-run.1, …; created if needed) instead of sscsim.1 to stdout.
    #[arg(short, long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// The name the shell completes and the manual pages are titled by.
const BIN_NAME: &str = "sscsim";

/// Prints the completion script of `args.shell` to stdout.
pub(super) fn completions(args: &CompletionsArgs) -> Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), BIN_NAME, &mut script);
    write_stdout(&script)
}

/// Prints the manual page of `sscsim` (roff) to stdout, or writes one page
/// per command into `args.out`.
pub(super) fn man(args: &ManArgs) -> Result<()> {
    match &args.out {
        None => {
            let mut page = Vec::new();
            // As `generate_to` does: `help` gets no page, so none is listed.
            let command = Cli::command().disable_help_subcommand(true);
            clap_mangen::Man::new(command).render(&mut page)?;
            write_stdout(&page)
        }
        Some(dir) => write_pages(dir),
    }
}

/// Writes `sscsim.1` and a `sscsim-COMMAND.1` for every command into `dir`.
fn write_pages(dir: &Path) -> Result<()> {
    let cannot_write = || format!("cannot write the manual pages into {}", dir.display());
    std::fs::create_dir_all(dir).with_context(cannot_write)?;
    clap_mangen::generate_to(Cli::command(), dir).with_context(cannot_write)?;
    eprintln!(
        "wrote the manual pages into {}",
        visible(&dir.display().to_string())
    );
    Ok(())
}

/// Writes generated text to stdout as it is: a completion script or roff
/// must reach the shell or `man` byte for byte.
fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(bytes)?;
    stdout.flush()?;
    Ok(())
}
