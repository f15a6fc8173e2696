//! The `veto` command line.

mod eval;
mod render;
mod trace;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Exit code for usage and input errors.
pub const EXIT_INPUT: u8 = 2;

#[derive(Parser)]
#[command(
    name = "veto",
    version,
    about = "Check what AWS IAM policies do: evaluate, prove and lint"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate requests against policies: Allow, ExplicitDeny or ImplicitDeny, with a trace.
    Eval(eval::EvalArgs),
}

/// Runs the command line; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => ExitCode::SUCCESS,
                _ => ExitCode::from(EXIT_INPUT),
            };
        }
    };
    match cli.command {
        Command::Eval(args) => eval::run(args),
    }
}
