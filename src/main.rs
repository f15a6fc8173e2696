//! The `veto` binary. All behaviour lives in `veto-cli` so it can be tested as a library.

fn main() -> std::process::ExitCode {
    veto_cli::main()
}
