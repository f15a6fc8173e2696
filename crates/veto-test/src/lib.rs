#![warn(missing_docs)]
//! Policy tests for `cargo test`.
//!
//! **Suites as tests.** In `tests/policies.rs`, with `harness = false` for that
//! test in `Cargo.toml`:
//!
//! ```text
//! // tests/policies.rs
//! fn main() {
//!     veto_test::main(concat!(env!("CARGO_MANIFEST_DIR"), "/policies"))
//! }
//! ```
//!
//! Every case and `expect rule` line of every suite under `policies/` becomes its
//! own libtest test, so `cargo test -- seed`, `--list`, `--exact` and parallel
//! runs work as usual. Rule files found there are the rules; without any, the
//! embedded pack.
//!
//! **Hand-written tests.**
//!
//! ```
//! use veto_test::{assert_decision, Decision, Policies, RequestBuilder};
//!
//! let policies = Policies::new()
//!     .resource_policy_str(r#"{"Version": "2012-10-17", "Statement": [{"Sid": "DenyHttp",
//!         "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*",
//!         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}"#)
//!     .unwrap();
//! let request = RequestBuilder::new("s3:GetObject", "arn:aws:s3:::b/k")
//!     .principal("arn:aws:sts::111122223333:assumed-role/Builder/ci")
//!     .context("aws:SecureTransport", "false")
//!     .build()
//!     .unwrap();
//! assert_decision!(policies, request, Decision::ExplicitDeny);
//! ```

use libtest_mimic::{Arguments, Failed, Trial};
use std::path::Path;
use veto_check::ruleset::SourceFile;
use veto_check::suite;
pub use veto_iam::Decision;
use veto_iam::{Context, ContextValue, Policy, PolicyKind, PolicySet, Request};

/// Every suite case under `path` as a libtest trial. A suite that does not load
/// becomes one failing trial carrying its errors, so `cargo test` shows them.
pub fn trials(path: impl AsRef<Path>) -> Vec<Trial> {
    let path = path.as_ref();
    let mut sources = Vec::new();
    for file in suite::veto_files(path) {
        let name = file.display().to_string();
        match std::fs::read_to_string(&file) {
            Ok(text) => sources.push(SourceFile { name, text }),
            Err(e) => {
                let message = format!("cannot read {name}: {e}");
                return vec![Trial::test(format!("load {name}"), move || Err(Failed::from(message)))];
            }
        }
    }
    if sources.is_empty() {
        let message = format!("no .veto files under {}", path.display());
        return vec![Trial::test("load suites", move || Err(Failed::from(message)))];
    }
    let discovery = std::sync::Arc::new(suite::discover(sources));
    if !discovery.errors.is_empty() {
        let message = discovery.errors.join("\n");
        return vec![Trial::test("load suites", move || Err(Failed::from(message)))];
    }
    let mut trials = Vec::new();
    for (s, suite) in discovery.suites.iter().enumerate() {
        for (t, test) in suite.tests.iter().enumerate() {
            let discovery = discovery.clone();
            trials.push(Trial::test(test.name.clone(), move || {
                let rules: Vec<&veto_lang::ast::Rule> = discovery.rules.rules().collect();
                let suite = &discovery.suites[s];
                suite::run_test(&suite.tests[t], &suite.documents, &rules).map_err(Failed::from)
            }));
        }
    }
    trials
}

/// Runs the suites under `path` with libtest's command line, and exits.
pub fn main(path: impl AsRef<Path>) -> ! {
    let args = Arguments::from_args();
    libtest_mimic::run(&args, trials(path)).exit()
}

/// Why a policy or request could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// The policies that decide a request, built fluently from files or strings.
#[derive(Debug, Clone, Default)]
pub struct Policies {
    set: PolicySet,
}

fn load(text: &str, kind: PolicyKind, origin: &str) -> Result<Policy, Error> {
    let policy = Policy::parse(text).map_err(|e| Error(format!("{origin}: {e}")))?;
    if let Some(d) = policy.check_kind(kind).into_iter().find(|d| d.is_error()) {
        return Err(Error(format!("{origin}: {d}")));
    }
    Ok(policy)
}

fn read(path: impl AsRef<Path>) -> Result<(String, String), Error> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|e| Error(format!("cannot read {}: {e}", path.display())))?;
    Ok((path.display().to_string(), text))
}

impl Policies {
    /// No policies: every request is implicitly denied.
    pub fn new() -> Self {
        Policies::default()
    }

    /// Adds an identity policy of the caller, from JSON text.
    pub fn identity_policy_str(mut self, text: &str) -> Result<Self, Error> {
        self.set
            .identity
            .push(load(text, PolicyKind::Identity, "identity policy")?);
        Ok(self)
    }

    /// Adds an identity policy of the caller, from a JSON file.
    pub fn identity_policy_file(self, path: impl AsRef<Path>) -> Result<Self, Error> {
        let (name, text) = read(path)?;
        self.identity_policy_str(&text)
            .map_err(|e| Error(format!("{name}: {e}")))
    }

    /// Sets the resource's policy (a bucket policy, key policy…), from JSON text.
    pub fn resource_policy_str(mut self, text: &str) -> Result<Self, Error> {
        self.set.resource = Some(load(text, PolicyKind::Resource, "resource policy")?);
        Ok(self)
    }

    /// Sets the resource's policy, from a JSON file.
    pub fn resource_policy_file(self, path: impl AsRef<Path>) -> Result<Self, Error> {
        let (name, text) = read(path)?;
        self.resource_policy_str(&text)
            .map_err(|e| Error(format!("{name}: {e}")))
    }

    /// An SCP level (call once per level, root first).
    pub fn scp_str(mut self, text: &str) -> Result<Self, Error> {
        self.set.scps.push(vec![load(text, PolicyKind::Scp, "SCP")?]);
        Ok(self)
    }

    /// Adds a permissions boundary document of the caller (several are one boundary).
    pub fn boundary_str(mut self, text: &str) -> Result<Self, Error> {
        self.set
            .boundary
            .push(load(text, PolicyKind::Boundary, "permissions boundary")?);
        Ok(self)
    }

    /// Sets the caller's session policy.
    pub fn session_policy_str(mut self, text: &str) -> Result<Self, Error> {
        self.set.session = Some(load(text, PolicyKind::Session, "session policy")?);
        Ok(self)
    }

    /// The policies as the evaluator takes them.
    pub fn policy_set(&self) -> &PolicySet {
        &self.set
    }

    /// The evaluator's decision for `request`.
    pub fn decide(&self, request: &Request) -> Decision {
        self.set.evaluate(request)
    }

    /// `Ok` when the decision is `expected`; else a readable failure with the trace.
    pub fn check(&self, request: &Request, expected: Decision) -> Result<(), String> {
        let explanation = self.set.explain(request);
        if explanation.outcome.decision == expected {
            return Ok(());
        }
        let mut out = format!(
            "expected {expected}, got {} for {} on {} by {}\n",
            explanation.outcome.decision,
            request.action(),
            request.resource(),
            request.caller().to_text()
        );
        for t in &explanation.statements {
            let Some(s) = self.set.policy(t.policy).and_then(|p| p.statements.get(t.index)) else {
                continue;
            };
            let sid = s.sid.as_ref().map(|s| format!(" `{}`", s.value)).unwrap_or_default();
            out.push_str(&format!("  {} statement {}{sid}: {:?}\n", t.policy, t.index, t.outcome));
        }
        Err(out)
    }
}

/// Builds a request: principal (default anonymous), action, resource, context.
#[derive(Debug, Clone)]
pub struct RequestBuilder {
    principal: String,
    action: String,
    resource: String,
    resource_account: Option<String>,
    context: Vec<(String, ContextValue)>,
}

impl RequestBuilder {
    /// `action` on `resource` by an anonymous caller, with an empty context.
    pub fn new(action: &str, resource: &str) -> Self {
        RequestBuilder {
            principal: "anonymous".into(),
            action: action.into(),
            resource: resource.into(),
            resource_account: None,
            context: Vec::new(),
        }
    }

    /// The caller: an ARN, an account ID, a service principal or `anonymous`.
    pub fn principal(mut self, principal: &str) -> Self {
        self.principal = principal.into();
        self
    }

    /// The account that owns the resource (needed for resources whose ARN has none, as in S3).
    pub fn resource_account(mut self, account: &str) -> Self {
        self.resource_account = Some(account.into());
        self
    }

    /// A single-valued context key.
    pub fn context(mut self, key: &str, value: &str) -> Self {
        self.context.push((key.into(), ContextValue::Single(value.into())));
        self
    }

    /// A multi-valued context key (`aws:TagKeys`…).
    pub fn context_list(mut self, key: &str, values: &[&str]) -> Self {
        self.context.push((
            key.into(),
            ContextValue::Multi(values.iter().map(|v| v.to_string()).collect()),
        ));
        self
    }

    /// The request; an error names a malformed principal, action, resource or context key.
    pub fn build(self) -> Result<Request, Error> {
        let mut context = Context::new();
        for (k, v) in self.context {
            context.insert(k, v).map_err(|e| Error(e.to_string()))?;
        }
        Request::new(
            &self.principal,
            &self.action,
            &self.resource,
            self.resource_account.as_deref(),
            context,
        )
        .map_err(|e| Error(e.to_string()))
    }
}

/// Asserts a decision; on failure, panics with the expected and actual decision
/// and every statement's outcome.
#[macro_export]
macro_rules! assert_decision {
    ($policies:expr, $request:expr, $expected:expr) => {
        if let Err(message) = $policies.check(&$request, $expected) {
            panic!("{}", message);
        }
    };
}
