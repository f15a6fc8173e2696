//! Parses, checks and formats the files named on the command line (a dev aid).
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap();
        match veto_lang::parse(0, &text) {
            Err(d) => print!("{}", veto_lang::diagnostic::render(&d, &path, &text)),
            Ok(file) => {
                for d in veto_lang::check::check(&[&file], &veto_lang::check::NoKeyTypes) {
                    print!("{}", veto_lang::diagnostic::render(&d, &path, &text));
                }
                print!("{}", veto_lang::format::format(&file, &text));
            }
        }
    }
}
