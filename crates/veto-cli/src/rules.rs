//! Rule files: the embedded pack, `--rules PATH`, static checks with the catalog's
//! key types, `veto rules` and `veto fmt`.

use crate::files;
use crate::EXIT_INPUT;
use std::io::{Read, Write};
use std::process::ExitCode;
use veto_check::ruleset::{RuleSet, SourceFile};
use veto_lang::{ast, diagnostic};

/// The embedded pack, or the files under `paths` instead.
pub fn read_rule_files(paths: &[String]) -> Result<Vec<SourceFile>, String> {
    if paths.is_empty() {
        return Ok(veto_check::ruleset::EMBEDDED
            .iter()
            .map(|(name, text)| SourceFile {
                name: name.to_string(),
                text: text.to_string(),
            })
            .collect());
    }
    let found = crate::files::collect(paths, &[".veto"])?;
    if found.is_empty() {
        return Err(format!("no .veto files under {}", paths.join(", ")));
    }
    found
        .into_iter()
        .map(|p| {
            let name = p.display().to_string();
            crate::eval::read_text(&name).map(|text| SourceFile { name, text })
        })
        .collect()
}

#[derive(clap::Args)]
pub struct RulesArgs {
    /// Rule files or directories to use instead of the embedded pack.
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: crate::OutputFormat,
}

/// `veto rules`: checks the pack and lists its rules with IDs, severities and rationales.
pub fn run_rules(args: RulesArgs) -> ExitCode {
    let files = match read_rule_files(&args.rules) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let set = RuleSet::load(files);
    let rules: Vec<&ast::Rule> = set.rules().collect();
    match args.format {
        crate::OutputFormat::Json => {
            let list: Vec<serde_json::Value> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id.node,
                        "severity": r.severity().map(|s| s.node.clone()),
                        "title": r.title().map(|s| s.node.clone()),
                        "rationale": r.rationale().map(|s| s.node.clone()),
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::json!({"rules": list, "diagnostics": set.diagnostics_json()})
            );
        }
        crate::OutputFormat::Text => {
            eprint!("{}", set.render_diagnostics());
            for r in &rules {
                let severity = r.severity().map_or("?", |s| s.node.as_str());
                let title = r.title().map_or("", |t| t.node.as_str());
                println!("{:<26} {:<8} {title}", r.id.node, severity);
                if let Some(rationale) = r.rationale() {
                    println!("{:<35} {}", "", rationale.node);
                }
            }
        }
    }
    if set.has_errors() {
        ExitCode::from(EXIT_INPUT)
    } else {
        ExitCode::SUCCESS
    }
}

#[derive(clap::Args)]
pub struct FmtArgs {
    /// Files or directories of `.veto` files; `-` formats standard input to standard output.
    #[arg(value_name = "PATH", default_value = ".")]
    paths: Vec<String>,
    /// Change nothing; exit 1 when a file is not in canonical layout.
    #[arg(long)]
    check: bool,
}

/// `veto fmt`: rewrites `.veto` files in the canonical layout.
pub fn run_fmt(args: FmtArgs) -> ExitCode {
    if args.paths == ["-"] {
        let mut text = String::new();
        if std::io::stdin().read_to_string(&mut text).is_err() {
            eprintln!("error: standard input is not UTF-8 text");
            return ExitCode::from(EXIT_INPUT);
        }
        return match veto_lang::parse(0, &text) {
            Ok(tree) => {
                let formatted = veto_lang::format::format(&tree, &text);
                if args.check && formatted != text {
                    eprintln!("<stdin> is not formatted");
                    return ExitCode::from(1);
                }
                if !args.check {
                    print!("{formatted}");
                }
                ExitCode::SUCCESS
            }
            Err(d) => {
                eprintln!("{}", diagnostic::render(&d, "<stdin>", &text));
                ExitCode::from(EXIT_INPUT)
            }
        };
    }
    let paths = match files::collect(&args.paths, &[".veto"]) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let (mut failed, mut unformatted) = (false, 0usize);
    for path in &paths {
        let name = path.display().to_string();
        let text = match crate::eval::read_text(&name) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{e}");
                failed = true;
                continue;
            }
        };
        match veto_lang::parse(0, &text) {
            Err(d) => {
                eprintln!("{}", diagnostic::render(&d, &name, &text));
                failed = true;
            }
            Ok(tree) => {
                let formatted = veto_lang::format::format(&tree, &text);
                if formatted == text {
                    continue;
                }
                unformatted += 1;
                if args.check {
                    let line = text
                        .lines()
                        .zip(formatted.lines())
                        .position(|(a, b)| a != b)
                        .map_or(1, |i| i + 1);
                    eprintln!("{name}:{line}: not in canonical layout (run `veto fmt {name}`)");
                } else if let Err(e) = std::fs::File::create(path).and_then(|mut f| f.write_all(formatted.as_bytes())) {
                    eprintln!("error: cannot write {name}: {e}");
                    failed = true;
                }
            }
        }
    }
    if failed {
        ExitCode::from(EXIT_INPUT)
    } else if args.check && unformatted > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
