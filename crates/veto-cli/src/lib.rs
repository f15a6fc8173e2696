//! The `veto` command line.

pub mod emit;
mod eval;
mod files;
mod fix;
mod jsonl;
mod lint;
pub mod prove;
mod render;
mod rules;
mod test;
mod trace;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Exit code for usage and input errors.
pub const EXIT_INPUT: u8 = 2;

/// Largest input file veto reads, so hostile input cannot exhaust memory.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

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
    /// Check policies, CloudFormation templates and Terraform plans against the rule pack.
    Lint(lint::LintArgs),
    /// Evaluate requests against policies: Allow, ExplicitDeny or ImplicitDeny, with a trace.
    Eval(eval::EvalArgs),
    /// Prove a property for every (or some) request, with a counterexample (or witness).
    Prove(prove::ProveArgs),
    /// Report new access: requests NEW allows and OLD does not, with witnesses. Exit 1 if any.
    Diff(prove::DiffArgs),
    /// Does a resource policy allow anonymous callers or any account? With witnesses. Exit 1 if so.
    Public(prove::PublicArgs),
    /// Run rule suites: every case and `expect rule` line is a test.
    Test(test::TestArgs),
    /// Check the rule pack (or --rules PATH) and list its rules.
    Rules(rules::RulesArgs),
    /// Rewrite .veto files in the canonical layout (--check: only report).
    Fmt(rules::FmtArgs),
}

/// How a command prints its results.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
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
        Command::Lint(args) => lint::run_lint(args),
        Command::Eval(args) => eval::run(args),
        Command::Rules(args) => rules::run_rules(args),
        Command::Test(args) => test::run_test(args),
        Command::Prove(args) => prove::run_prove(args),
        Command::Diff(args) => prove::run_diff(args),
        Command::Public(args) => prove::run_public(args),
        Command::Fmt(args) => rules::run_fmt(args),
    }
}
