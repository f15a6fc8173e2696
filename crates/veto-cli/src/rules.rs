//! Rule files: the embedded pack, `--rules PATH`, static checks with the catalog's
//! key types, `veto rules` and `veto fmt`.

use crate::files;
use crate::EXIT_INPUT;
use std::io::{Read, Write};
use std::process::ExitCode;
use veto_lang::check::{KeyType, KeyTypes};
use veto_lang::{ast, diagnostic, Diagnostic};

/// The rule pack built into the binary.
pub const EMBEDDED: &[(&str, &str)] = &[(
    "rules/codepipeline.veto",
    include_str!("../../../rules/codepipeline.veto"),
)];

/// Condition key types from the AWS catalog.
pub struct CatalogKeys;

impl KeyTypes for CatalogKeys {
    fn key_type(&self, key: &str) -> Option<KeyType> {
        let k = veto_catalog::catalog().key(key)?;
        Some(match k.shape.value {
            veto_catalog::KeyType::String => KeyType::String,
            veto_catalog::KeyType::Arn => KeyType::Arn,
            veto_catalog::KeyType::Bool => KeyType::Bool,
            veto_catalog::KeyType::Numeric => KeyType::Numeric,
            veto_catalog::KeyType::Date => KeyType::Date,
            veto_catalog::KeyType::IpAddress => KeyType::Ip,
            veto_catalog::KeyType::Binary => KeyType::Binary,
        })
    }

    fn near_key(&self, key: &str) -> Option<String> {
        let catalog = veto_catalog::catalog();
        let mut names: Vec<&str> = catalog.global_keys.iter().map(|k| k.name).collect();
        if let Some(service) = key.split_once(':').and_then(|(p, _)| catalog.service(p)) {
            names.extend(service.keys.iter().map(|k| k.name));
        }
        veto_lang::suggest::closest(key, names).map(str::to_string)
    }
}

/// A loaded rule or suite file.
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// The parsed and checked set; `diagnostics` hold every problem found.
pub struct RuleSet {
    pub files: Vec<SourceFile>,
    pub trees: Vec<Option<ast::File>>,
    pub diagnostics: Vec<Diagnostic>,
}

impl RuleSet {
    pub fn load(files: Vec<SourceFile>) -> RuleSet {
        let mut diagnostics = Vec::new();
        let trees: Vec<Option<ast::File>> = files
            .iter()
            .enumerate()
            .map(|(i, f)| match veto_lang::parse(i, &f.text) {
                Ok(t) => Some(t),
                Err(d) => {
                    diagnostics.push(d);
                    None
                }
            })
            .collect();
        let parsed: Vec<&ast::File> = trees.iter().flatten().collect();
        // Checks run over every file that parsed; map their indices back.
        let index: Vec<usize> = trees
            .iter()
            .enumerate()
            .filter(|(_, t)| t.is_some())
            .map(|(i, _)| i)
            .collect();
        for mut d in veto_lang::check::check(&parsed, &CatalogKeys) {
            d.file = index[d.file];
            diagnostics.push(d);
        }
        RuleSet {
            files,
            trees,
            diagnostics,
        }
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn render_diagnostics(&self) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            let f = &self.files[d.file];
            out.push_str(&diagnostic::render(d, &f.name, &f.text));
            out.push('\n');
        }
        out
    }

    pub fn diagnostics_json(&self) -> Vec<serde_json::Value> {
        self.diagnostics
            .iter()
            .map(|d| {
                let f = &self.files[d.file];
                diagnostic::to_json(d, &f.name, &f.text)
            })
            .collect()
    }

    pub fn rules(&self) -> impl Iterator<Item = &ast::Rule> {
        self.trees
            .iter()
            .flatten()
            .flat_map(|t| t.items.iter())
            .filter_map(|i| match i {
                ast::Item::Rule(r) => Some(r),
                _ => None,
            })
    }
}

/// The embedded pack, or the files under `paths` instead.
pub fn read_rule_files(paths: &[String]) -> Result<Vec<SourceFile>, String> {
    if paths.is_empty() {
        return Ok(EMBEDDED
            .iter()
            .map(|(name, text)| SourceFile {
                name: name.to_string(),
                text: text.to_string(),
            })
            .collect());
    }
    let found = files::collect(paths, &[".veto"])?;
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
