//! Suites: documents, cases with expected decisions, and `expect rule` lines,
//! loaded (every problem found before any case runs) and run.

use crate::doc::Pos;
use crate::input::{self, Loaded};
use crate::run;
use crate::targets::Target;
use std::path::{Path, PathBuf};
use veto_iam::{Context, ContextValue, Decider, Decision, Policy, PolicyKind, PolicySet, Request};
use veto_lang::ast::{self, DocumentKind};

/// A problem in a suite file, before anything runs.
#[derive(Debug, Clone)]
pub struct SuiteError {
    pub file: String,
    pub pos: Pos,
    pub message: String,
}

/// One runnable test: a case, or an `expect rule` line.
#[derive(Debug, Clone)]
pub struct Test {
    /// `suite name :: case name`
    pub name: String,
    pub file: String,
    pub pos: Pos,
    pub kind: TestKind,
}

#[derive(Debug, Clone)]
pub enum TestKind {
    Case {
        request: Box<Request>,
        expect: Decision,
        by: Option<String>,
    },
    ExpectRule {
        rule: String,
        pass: bool,
    },
}

/// A suite's documents, ready to evaluate.
#[derive(Debug, Clone)]
pub struct SuiteDocuments {
    pub policies: PolicySet,
    /// Every policy's file and text, for traces.
    pub sources: Vec<(veto_iam::PolicyRef, String, String)>,
    /// The targets rules see: the resource policy's, and the template's.
    pub targets: Vec<Target>,
}

#[derive(Debug, Clone)]
pub struct LoadedSuite {
    pub name: String,
    pub documents: SuiteDocuments,
    pub tests: Vec<Test>,
}

fn pos_of(text: &str, offset: usize) -> Pos {
    let (line, column) = veto_lang::diagnostic::line_col(text, offset);
    Pos { line, column }
}

/// Loads every suite of a parsed file. `name` is the file's path; document paths
/// resolve relative to its folder.
pub fn load(name: &str, text: &str, tree: &ast::File) -> Result<Vec<LoadedSuite>, Vec<SuiteError>> {
    let dir = Path::new(name).parent().map(Path::to_path_buf).unwrap_or_default();
    let mut errors = Vec::new();
    let mut suites = Vec::new();
    for item in &tree.items {
        let ast::Item::Suite(suite) = item else { continue };
        let mut err = |span: ast::Span, message: String| {
            errors.push(SuiteError {
                file: name.to_string(),
                pos: pos_of(text, span.start),
                message,
            })
        };
        let mut policies = PolicySet::default();
        let mut sources = Vec::new();
        let mut targets = Vec::new();
        for entry in &suite.entries {
            let ast::SuiteEntry::Document(d) = entry else { continue };
            for path in &d.paths {
                let file: PathBuf = dir.join(&path.node);
                let display = file.display().to_string();
                let content = match std::fs::read_to_string(&file) {
                    Ok(c) => c,
                    Err(e) => {
                        err(path.span, format!("cannot read {display}: {e}"));
                        continue;
                    }
                };
                if d.kind == DocumentKind::Template {
                    match input::load(&display, &content) {
                        Loaded::Input(i) => {
                            for t in &i.targets {
                                if let (Target::BucketPolicy { policy, .. }, None) = (t, &policies.resource) {
                                    policies.resource = Some(policy.clone());
                                }
                            }
                            targets.extend(i.targets);
                        }
                        Loaded::NotOurs(p) => err(
                            path.span,
                            format!("{display}:{}:{}: {}", p.pos.line, p.pos.column, p.message),
                        ),
                        Loaded::Failed(ps) => {
                            for p in ps {
                                err(
                                    path.span,
                                    format!("{display}:{}:{}: {}", p.pos.line, p.pos.column, p.message),
                                );
                            }
                        }
                    }
                    continue;
                }
                let kind = match d.kind {
                    DocumentKind::IdentityPolicy => PolicyKind::Identity,
                    DocumentKind::ResourcePolicy => PolicyKind::Resource,
                    DocumentKind::Scp => PolicyKind::Scp,
                    DocumentKind::Rcp => PolicyKind::Rcp,
                    DocumentKind::Boundary => PolicyKind::Boundary,
                    DocumentKind::SessionPolicy => PolicyKind::Session,
                    DocumentKind::Template => unreachable!("handled above"),
                };
                let policy = match Policy::parse(&content) {
                    Ok(p) => p,
                    Err(e) => {
                        let first = e
                            .errors()
                            .next()
                            .map(|d| (pos_of(&content, d.span.start), d.to_string()));
                        let (p, m) = first.unwrap_or((Pos { line: 1, column: 1 }, e.to_string()));
                        err(path.span, format!("{display}:{}:{}: {m}", p.line, p.column));
                        continue;
                    }
                };
                if let Some(d) = policy.check_kind(kind).into_iter().find(|d| d.is_error()) {
                    let p = pos_of(&content, d.span.start);
                    err(path.span, format!("{display}:{}:{}: {d}", p.line, p.column));
                    continue;
                }
                let at = match kind {
                    PolicyKind::Identity => {
                        policies.identity.push(policy.clone());
                        veto_iam::PolicyRef::Identity(policies.identity.len() - 1)
                    }
                    PolicyKind::Resource => {
                        if let Loaded::Input(i) = input::load(&display, &content) {
                            targets.extend(
                                i.targets
                                    .into_iter()
                                    .filter(|t| matches!(t, Target::BucketPolicy { .. } | Target::Policy { .. })),
                            );
                        }
                        policies.resource = Some(policy.clone());
                        veto_iam::PolicyRef::Resource
                    }
                    PolicyKind::Scp => {
                        policies.scps.push(vec![policy.clone()]);
                        veto_iam::PolicyRef::Scp {
                            level: policies.scps.len() - 1,
                            index: 0,
                        }
                    }
                    PolicyKind::Rcp => {
                        policies.rcps.push(vec![policy.clone()]);
                        veto_iam::PolicyRef::Rcp {
                            level: policies.rcps.len() - 1,
                            index: 0,
                        }
                    }
                    PolicyKind::Boundary => {
                        policies.boundary.push(policy.clone());
                        veto_iam::PolicyRef::Boundary(policies.boundary.len() - 1)
                    }
                    PolicyKind::Session => {
                        policies.session = Some(policy.clone());
                        veto_iam::PolicyRef::Session
                    }
                };
                sources.push((at, display, content));
            }
        }
        let sids: Vec<String> = policies
            .iter()
            .flat_map(|(_, p)| {
                p.statements
                    .iter()
                    .filter_map(|s| s.sid.as_ref().map(|s| s.value.clone()))
            })
            .collect();
        let mut tests = Vec::new();
        for entry in &suite.entries {
            match entry {
                ast::SuiteEntry::Case(c) => {
                    let r = &c.request;
                    // A request without action or resource is reported by the static checks.
                    let (Some(action), Some(resource)) = (&r.action, &r.resource) else {
                        continue;
                    };
                    let mut context = Context::new();
                    for e in &r.context {
                        let scalar = |v: &ast::ContextValue| match v {
                            ast::ContextValue::Str(s) | ast::ContextValue::Number(s) => s.clone(),
                            ast::ContextValue::Bool(b) => b.to_string(),
                            ast::ContextValue::List(_) => String::new(),
                        };
                        let value = match &e.value.node {
                            ast::ContextValue::List(items) => ContextValue::Multi(items.iter().map(scalar).collect()),
                            v => ContextValue::Single(scalar(v)),
                        };
                        if let Err(x) = context.insert(e.key.node.clone(), value) {
                            err(e.key.span, x.to_string());
                        }
                    }
                    let principal = r.principal.as_ref().map_or("anonymous", |p| p.node.as_str());
                    let request = match Request::new(
                        principal,
                        &action.node,
                        &resource.node,
                        r.resource_account.as_ref().map(|a| a.node.as_str()),
                        context,
                    ) {
                        Ok(req) => req,
                        Err(e) => {
                            err(r.span, format!("case `{}`: {e}", c.name.node));
                            continue;
                        }
                    };
                    if let Some(by) = &c.expect.by {
                        if !sids.contains(&by.node) {
                            let near = veto_lang::suggest::closest(&by.node, sids.iter().map(String::as_str));
                            let help = near.map(|n| format!(" (did you mean `{n}`?)")).unwrap_or_default();
                            err(
                                by.span,
                                format!("no statement of this suite's policies has Sid `{}`{help}", by.node),
                            );
                        }
                    }
                    let expect = match c.expect.decision.node {
                        ast::Decision::Allow => Decision::Allow,
                        ast::Decision::ExplicitDeny => Decision::ExplicitDeny,
                        ast::Decision::ImplicitDeny => Decision::ImplicitDeny,
                    };
                    tests.push(Test {
                        name: format!("{} :: {}", suite.name.node, c.name.node),
                        file: name.to_string(),
                        pos: pos_of(text, c.name.span.start),
                        kind: TestKind::Case {
                            request: Box::new(request),
                            expect,
                            by: c.expect.by.as_ref().map(|b| b.node.clone()),
                        },
                    });
                }
                ast::SuiteEntry::ExpectRule(e) => tests.push(Test {
                    name: format!(
                        "{} :: expect rule {} {}",
                        suite.name.node,
                        e.rule.node,
                        if e.pass { "pass" } else { "fail" }
                    ),
                    file: name.to_string(),
                    pos: pos_of(text, e.span.start),
                    kind: TestKind::ExpectRule {
                        rule: e.rule.node.clone(),
                        pass: e.pass,
                    },
                }),
                ast::SuiteEntry::Document(_) => {}
            }
        }
        suites.push(LoadedSuite {
            name: suite.name.node.clone(),
            documents: SuiteDocuments {
                policies,
                sources,
                targets,
            },
            tests,
        });
    }
    if errors.is_empty() {
        Ok(suites)
    } else {
        Err(errors)
    }
}

/// Runs one test; `Err` holds the failure text (expected, actual, deciding
/// statement with file:line:col, and the trace).
pub fn run_test(test: &Test, documents: &SuiteDocuments, rules: &[&ast::Rule]) -> Result<(), String> {
    match &test.kind {
        TestKind::Case { request, expect, by } => {
            let explanation = documents.policies.explain(request);
            let got = explanation.outcome.decision;
            let deciding = match explanation.outcome.decider {
                Decider::Statement { policy, index } => documents
                    .policies
                    .policy(policy)
                    .and_then(|p| p.statements.get(index))
                    .map(|s| (policy, s)),
                _ => None,
            };
            let got_sid = deciding.and_then(|(_, s)| s.sid.as_ref().map(|s| s.value.clone()));
            if got == *expect && (by.is_none() || *by == got_sid) {
                return Ok(());
            }
            let mut out = format!(
                "expected {}{}, got {}{}\n",
                expect,
                by.as_ref().map(|b| format!(" by \"{b}\"")).unwrap_or_default(),
                got,
                got_sid.as_ref().map(|b| format!(" by \"{b}\"")).unwrap_or_default()
            );
            let locate = |at: veto_iam::PolicyRef, offset: usize| {
                documents
                    .sources
                    .iter()
                    .find(|(r, _, _)| *r == at)
                    .map(|(_, file, text)| {
                        let p = pos_of(text, offset);
                        format!("{file}:{}:{}", p.line, p.column)
                    })
                    .unwrap_or_else(|| at.to_string())
            };
            match explanation.outcome.decider {
                Decider::Statement { policy, index } => {
                    if let Some((_, s)) = deciding {
                        out.push_str(&format!(
                            "decided by {policy} statement {index} at {}\n",
                            locate(policy, s.span.start)
                        ));
                    }
                }
                Decider::RootUser => {
                    out.push_str("decided by: the account's root user has full access in its account\n")
                }
                Decider::Implicit(reason) => out.push_str(&format!("because: {}\n", reason.describe())),
                Decider::NoPermissionNeeded => out.push_str(&format!(
                    "because: {}\n",
                    Decider::NoPermissionNeeded.describe().unwrap_or_default()
                )),
            }
            for note in &explanation.notes {
                out.push_str(&format!("note: {}\n", note.describe()));
            }
            out.push_str("trace:\n");
            for t in &explanation.statements {
                let Some(s) = documents
                    .policies
                    .policy(t.policy)
                    .and_then(|p| p.statements.get(t.index))
                else {
                    continue;
                };
                let sid = s.sid.as_ref().map(|s| format!(" `{}`", s.value)).unwrap_or_default();
                let verdict = match t.outcome {
                    veto_iam::StatementOutcome::Matched(_) => "matched".to_string(),
                    veto_iam::StatementOutcome::NotMatched(e) => format!("no match on {e:?}"),
                };
                out.push_str(&format!(
                    "  {} statement {}{sid} at {}: {verdict}\n",
                    t.policy,
                    t.index,
                    locate(t.policy, s.span.start)
                ));
            }
            Err(out)
        }
        TestKind::ExpectRule { rule, pass } => {
            let selected: Vec<&ast::Rule> = rules.iter().copied().filter(|r| r.id.node == *rule).collect();
            if selected.is_empty() {
                return Err(format!("no rule `{rule}` is loaded"));
            }
            let findings = run::check(&selected, &documents.targets);
            match (pass, findings.is_empty()) {
                (true, true) | (false, false) => Ok(()),
                (true, false) => Err(format!(
                    "expected {rule} to pass, but it fails:\n{}",
                    findings
                        .iter()
                        .map(|f| format!("  {}", f.message))
                        .collect::<Vec<_>>()
                        .join("\n")
                )),
                (false, true) => Err(format!(
                    "expected {rule} to fail, but it passes on this suite's documents"
                )),
            }
        }
    }
}

/// Rule and suite files, discovered and loaded together.
pub struct Discovery {
    pub rules: crate::ruleset::RuleSet,
    pub suites: Vec<LoadedSuite>,
    /// Every problem, rendered (`file:line:col`, the line, a caret).
    pub errors: Vec<String>,
}

/// `.veto` files under `path` (a file or a folder, walked recursively).
pub fn veto_files(path: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            if p.is_dir() && !name.starts_with('.') && name != "target" {
                walk(&p, out);
            } else if name.ends_with(".veto") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    if path.is_file() {
        out.push(path.to_path_buf());
    } else {
        walk(path, &mut out);
    }
    out
}

/// Loads the files' suites with the rules they define (or the embedded pack when
/// none of them defines a rule).
pub fn discover(files: Vec<crate::ruleset::SourceFile>) -> Discovery {
    use crate::ruleset::{RuleSet, SourceFile, EMBEDDED};
    let defines_rules = |f: &SourceFile| {
        veto_lang::parse(0, &f.text).is_ok_and(|t| t.items.iter().any(|i| matches!(i, ast::Item::Rule(_))))
    };
    let mut all = files;
    if !all.iter().any(defines_rules) {
        all.extend(EMBEDDED.iter().map(|(name, text)| SourceFile {
            name: name.to_string(),
            text: text.to_string(),
        }));
    }
    let rules = RuleSet::load(all);
    let mut errors: Vec<String> = rules
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let f = &rules.files[d.file];
            veto_lang::diagnostic::render(d, &f.name, &f.text)
        })
        .collect();
    let mut suites = Vec::new();
    for (f, tree) in rules.files.iter().zip(&rules.trees) {
        let Some(tree) = tree else { continue };
        match load(&f.name, &f.text, tree) {
            Ok(s) => suites.extend(s),
            Err(es) => {
                for e in es {
                    let offset = {
                        let mut o = 0;
                        for (i, l) in f.text.split_inclusive('\n').enumerate() {
                            if i + 1 == e.pos.line {
                                o += l
                                    .chars()
                                    .take(e.pos.column.saturating_sub(1))
                                    .map(char::len_utf8)
                                    .sum::<usize>();
                                break;
                            }
                            o += l.len();
                        }
                        o
                    };
                    errors.push(veto_lang::diagnostic::render_snippet(
                        &e.file,
                        &f.text,
                        0,
                        veto_lang::diagnostic::SnippetLevel::Error,
                        None,
                        &e.message,
                        ast::Span::new(offset, offset + 1),
                        "",
                        None,
                    ));
                }
            }
        }
    }
    Discovery { rules, suites, errors }
}
