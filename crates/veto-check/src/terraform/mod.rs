//! Terraform configuration as people write it: the `.tf` files of a module
//! directory, read with their positions, evaluated as far as the module allows,
//! and mapped onto the targets the rule pack reads (bucket policies, pipelines,
//! KMS keys, resources, every IAM policy).
//!
//! * `load` reads the files (hcl-edit keeps byte spans) and follows local modules;
//! * `eval` evaluates expressions: what only `apply` or the caller decides is a
//!   `Value::Symbolic` naming it (`var.dev_account`);
//! * `policy` renders `data "aws_iam_policy_document"` and reads policy text;
//! * `targets` maps resources onto targets.
//!
//! A module's files share one line numbering (each file's lines follow the
//! previous file's), so a `Pos` names a file too; `Sources::locate` splits it.
//!
//! No module imports one that imports it back: `policy` and `targets` build on
//! `eval`; `eval` reaches them only through the function pointers in
//! `eval::Hooks`, which `load` (which builds on all three) hands in; `paths` is a
//! leaf. `eval.rs` is over 600 lines on purpose: it is terraform's expression
//! language (operators, templates, `for`, splats, references), one match over its
//! syntax, and splitting it would separate each form from its rules.

mod eval;
mod json;
mod load;
mod paths;
mod policy;
mod targets;
#[cfg(test)]
mod tests;

use crate::doc::Pos;
use crate::run::{self, Finding};
use crate::targets::{Target, TargetKind};
use crate::Problem;
use std::path::{Path, PathBuf};
use veto_iam::{Diagnostic, LineIndex};
use veto_lang::ast;

/// Values given on the command line, like terraform's own `-var` and `-var-file`.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `KEY=VALUE`: the value is a string, as terraform reads `-var` for string variables.
    pub vars: Vec<(String, String)>,
    /// `.tfvars` files (HCL attributes).
    pub var_files: Vec<PathBuf>,
}

impl Options {
    /// Reads `KEY=VALUE`.
    pub fn parse_var(text: &str) -> Result<(String, String), String> {
        match text.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
            _ => Err(format!("`--var {text}`: expected KEY=VALUE")),
        }
    }
}

/// One file read for a module: its text and where its lines start in the module's numbering.
pub struct SourceFile {
    pub path: String,
    pub text: String,
    first_line: usize,
    index: LineIndex,
    /// A `.tf.json` file's HCL rewrite.
    rewrite: Option<Rewritten>,
}

/// What the HCL reader reads for a `.tf.json` file, its line index, and for each
/// of its lines the line and column of the JSON it came from.
struct Rewritten {
    text: String,
    index: LineIndex,
    lines: Vec<(usize, usize)>,
}

/// Every file a module load read, in one line numbering.
#[derive(Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
    next_line: usize,
}

impl Sources {
    fn add(&mut self, path: String, text: String) -> usize {
        let first_line = self.next_line.max(1);
        let lines = text.matches('\n').count() + 1;
        self.next_line = first_line + lines;
        let index = LineIndex::new(&text);
        self.files.push(SourceFile {
            path,
            text,
            first_line,
            index,
            rewrite: None,
        });
        self.files.len() - 1
    }

    /// Adds a `.tf.json` file with its HCL rewrite.
    fn add_rewritten(&mut self, path: String, text: String, rewrite: json::Rewrite) -> usize {
        let file = self.add(path, text);
        let index = LineIndex::new(&rewrite.text);
        self.files[file].rewrite = Some(Rewritten {
            text: rewrite.text,
            index,
            lines: rewrite.lines,
        });
        file
    }

    /// The HCL text of a file: the file itself, or a `.tf.json` file's rewrite.
    fn hcl(&self, file: usize) -> &str {
        let f = &self.files[file];
        f.rewrite.as_ref().map_or(&f.text, |r| &r.text)
    }

    /// The module position of a byte offset in file `file`.
    fn pos(&self, file: usize, offset: usize) -> Pos {
        let f = &self.files[file];
        if let Some(r) = &f.rewrite {
            let lc = r.index.line_col(&r.text, offset);
            let (line, column) = r.lines.get(lc.line - 1).copied().unwrap_or((1, 1));
            return Pos {
                line: f.first_line + line - 1,
                column,
            };
        }
        let lc = f.index.line_col(&f.text, offset);
        Pos {
            line: f.first_line + lc.line - 1,
            column: lc.column,
        }
    }

    /// The start of file `file`.
    fn start(&self, file: usize) -> Pos {
        Pos {
            line: self.files[file].first_line,
            column: 1,
        }
    }

    /// Splits a module position into the file and the position in it.
    pub fn locate(&self, pos: Pos) -> Option<(usize, Pos)> {
        let i = self.files.iter().rposition(|f| f.first_line <= pos.line)?;
        Some((
            i,
            Pos {
                line: pos.line - self.files[i].first_line + 1,
                column: pos.column,
            },
        ))
    }
}

/// A module read: its targets and the catalog findings about its policies.
pub struct Module {
    pub sources: Sources,
    pub targets: Vec<Target>,
    pub warnings: Vec<(Pos, Diagnostic)>,
    /// The targets of the second world (see `check`), when the module has unknowns.
    pub other: Option<Vec<Target>>,
    /// The unknowns of conditions whose branches the two worlds chose.
    pub chosen: Vec<String>,
    /// Directories of the local modules it calls (read through the call, with its inputs).
    pub module_dirs: Vec<PathBuf>,
}

/// A module that did not load: every problem, positioned in `sources`.
pub struct Failure {
    pub sources: Sources,
    pub problems: Vec<Problem>,
}

/// Where the files of a module come from: the disk, or one text given directly.
enum Files<'t> {
    Disk,
    One { name: &'t str, text: &'t str },
}

/// Reads the module in `dir` (every `.tf` file in it) with `options`.
pub fn load_dir(dir: &Path, options: &Options) -> Result<Module, Failure> {
    with_stack(|| load::Loader::new(Files::Disk, options.clone()).run(dir))
}

/// Reads one `.tf` text as a whole module (no tfvars, no local modules beyond it).
pub fn load_text(name: &str, text: &str) -> Result<Module, Failure> {
    let dir = Path::new(name).parent().unwrap_or(Path::new(".")).to_path_buf();
    with_stack(|| load::Loader::new(Files::One { name, text }, Options::default()).run(&dir))
}

/// Stack for evaluating one module: deep (bounded) recursion through expressions
/// and references must not depend on the caller's thread (rayon's are 2 MiB).
const STACK_BYTES: usize = 256 * 1024 * 1024;

fn with_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        let handle = std::thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn_scoped(s, f)
            .expect("the system starts a thread for the module");
        match handle.join() {
            Ok(v) => v,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Each target's name in either world (stand-ins spelled the first world's way),
/// numbered among targets of the same kind and name (every policy is "the policy").
fn keys(targets: &[Target]) -> Vec<(TargetKind, String, usize)> {
    let mut out: Vec<(TargetKind, String, usize)> = Vec::new();
    for t in targets {
        let (kind, name) = (t.kind(), t.name().replace(eval::PREFIXES[1], eval::PREFIXES[0]));
        let n = out.iter().filter(|(k, m, _)| *k == kind && *m == name).count();
        out.push((kind, name, n));
    }
    out
}

/// Runs `rules` on a module's targets. A module with unknowns was evaluated in two
/// worlds (undecided conditions taking either branch, unknowns standing for two
/// different values): a finding that is not the same in both depends on the
/// unknowns, and is reported as undecided, naming them.
///
/// Two values are a test, not a proof: a finding that only one particular value
/// would change (a condition value that happens to be exactly `aws:kms`) is not
/// caught.
pub fn check(rules: &[&ast::Rule], module: &Module) -> Vec<Finding> {
    let Some(other) = &module.other else {
        return run::check(rules, &module.targets);
    };
    let mut out = Vec::new();
    let depends = |t: &Target| {
        let mut u = module.chosen.clone();
        eval::unknowns(t.node(), &mut u);
        match u.len() {
            0 => "values the module does not fix".to_string(),
            1..=4 => u.join(", "),
            n => format!("{} and {} more", u[..4].join(", "), n - 4),
        }
    };
    let undecided = |f: Finding, t: &Target| Finding {
        outcome: run::Outcome::Undecided,
        message: format!("{}: could not be decided: depends on {}", t.name(), depends(t)),
        request: None,
        label: None,
        fix: None,
        ..f
    };
    let (first_keys, other_keys) = (keys(&module.targets), keys(other));
    for (target, k) in module.targets.iter().zip(&first_keys) {
        let first = run::check(rules, std::slice::from_ref(target));
        let second = other_keys
            .iter()
            .position(|o| o == k)
            .map(|i| run::check(rules, std::slice::from_ref(&other[i])))
            .unwrap_or_default();
        for g in &second {
            if !first.iter().any(|f| f.rule == g.rule) {
                out.push(undecided(g.clone(), target));
            }
        }
        for f in first {
            if second.iter().any(|g| g.rule == f.rule) {
                out.push(f);
            } else {
                out.push(undecided(f, target));
            }
        }
    }
    // Targets only the second world has (a `count` on an undecided condition).
    for (t, _) in other.iter().zip(&other_keys).filter(|(_, k)| !first_keys.contains(k)) {
        for g in run::check(rules, std::slice::from_ref(t)) {
            out.push(undecided(g, t));
        }
    }
    out
}

/// True for the names of files a Terraform module is made of (`.tf`, `.tf.json`, and the
/// `.tfvars` beside them): `veto lint` reads their directory as one module.
pub fn is_terraform_file(name: &str) -> bool {
    name.ends_with(".tf") || name.ends_with(".tf.json") || name.ends_with(".tfvars")
}
