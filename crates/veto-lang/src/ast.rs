//! The typed syntax tree. Every node carries its span; no later stage sees pest.

/// A byte range in one source file, from the shared diagnostics base. Equality is
/// real; tests that compare trees modulo positions say so (see `tests/roundtrip.rs`).
pub use veto_source::Span;

/// A value with its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Rule(Rule),
    Suite(Suite),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Rule(r) => r.span,
            Item::Suite(s) => s.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: Spanned<String>,
    /// Entries in source order (the formatter keeps that order).
    pub entries: Vec<RuleEntry>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleEntry {
    Title(Spanned<String>),
    /// As written; the checker accepts `error`, `warning` and `info`.
    Severity(Spanned<String>),
    Rationale(Spanned<String>),
    Applies(Applies),
    Check(Check),
}

impl RuleEntry {
    pub fn span(&self) -> Span {
        match self {
            RuleEntry::Title(s) | RuleEntry::Severity(s) | RuleEntry::Rationale(s) => s.span,
            RuleEntry::Applies(a) => a.span,
            RuleEntry::Check(c) => c.span(),
        }
    }
}

impl Rule {
    pub fn title(&self) -> Option<&Spanned<String>> {
        self.entries.iter().find_map(|e| match e {
            RuleEntry::Title(t) => Some(t),
            _ => None,
        })
    }

    pub fn severity(&self) -> Option<&Spanned<String>> {
        self.entries.iter().find_map(|e| match e {
            RuleEntry::Severity(s) => Some(s),
            _ => None,
        })
    }

    /// The rule's severity as a value: the word the checker accepted (`error`,
    /// `warning`, `info`), `error` when the rule names none.
    pub fn severity_level(&self) -> veto_source::Severity {
        veto_source::Severity::parse(self.severity().map_or("error", |s| s.node.as_str()))
    }

    pub fn rationale(&self) -> Option<&Spanned<String>> {
        self.entries.iter().find_map(|e| match e {
            RuleEntry::Rationale(r) => Some(r),
            _ => None,
        })
    }

    pub fn applies(&self) -> Option<&Applies> {
        self.entries.iter().find_map(|e| match e {
            RuleEntry::Applies(a) => Some(a),
            _ => None,
        })
    }

    pub fn checks(&self) -> impl Iterator<Item = &Check> {
        self.entries.iter().filter_map(|e| match e {
            RuleEntry::Check(c) => Some(c),
            _ => None,
        })
    }
}

/// `applies bucket_policy as p`, `applies resource "AWS::KMS::Key" as k`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applies {
    /// The kind as written; [`Applies::target_kind`] reads it once checked.
    pub kind: Spanned<String>,
    pub filter: Option<Spanned<String>>,
    pub binding: Spanned<String>,
    pub span: Span,
}

impl Applies {
    /// The kind of target, `None` only for a word the checker rejects.
    pub fn target_kind(&self) -> Option<TargetKind> {
        TargetKind::parse(&self.kind.node)
    }
}

/// What a rule can apply to: the one list of target kinds (the checker accepts
/// these words, the engine binds each to its targets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetKind {
    BucketPolicy,
    Policy,
    Resource,
    Pipeline,
    KmsKey,
}

impl TargetKind {
    pub const ALL: [TargetKind; 5] = [
        TargetKind::BucketPolicy,
        TargetKind::Policy,
        TargetKind::Resource,
        TargetKind::Pipeline,
        TargetKind::KmsKey,
    ];

    /// The word a rule writes after `applies`.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::BucketPolicy => "bucket_policy",
            TargetKind::Policy => "policy",
            TargetKind::Resource => "resource",
            TargetKind::Pipeline => "pipeline",
            TargetKind::KmsKey => "kms_key",
        }
    }

    pub fn parse(word: &str) -> Option<TargetKind> {
        TargetKind::ALL.into_iter().find(|k| k.as_str() == word)
    }
}

impl std::fmt::Display for TargetKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// `deny every request { … }`: every matching request is explicitly denied.
    DenyEvery(RequestSet),
    /// `allow some request { … }`: some matching request is not explicitly denied.
    AllowSome(RequestSet),
    /// `require <expr>`: a predicate over the target's document tree.
    Require(Spanned<Expr>),
}

impl Check {
    pub fn span(&self) -> Span {
        match self {
            Check::DenyEvery(r) | Check::AllowSome(r) => r.span,
            Check::Require(e) => e.span,
        }
    }
}

/// The requests a proof ranges over. Unconstrained parts range over everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSet {
    pub constraints: Vec<Constraint>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constraint {
    Principal(Spanned<ValueList>),
    Action(Spanned<ValueList>),
    /// `action not […]`: every action but these.
    NotAction(Spanned<ValueList>),
    Resource(Spanned<ValueList>),
    When(When),
}

impl Constraint {
    pub fn span(&self) -> Span {
        match self {
            Constraint::Principal(v) | Constraint::Action(v) | Constraint::NotAction(v) | Constraint::Resource(v) => {
                v.span
            }
            Constraint::When(w) => w.span,
        }
    }
}

/// `when "key" OP value`, `when "key" absent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct When {
    pub key: Spanned<String>,
    pub test: KeyTest,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyTest {
    Absent,
    Present,
    Compare(Spanned<WhenOp>, Spanned<ValueList>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WhenOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Like,
    NotLike,
    In,
    NotIn,
}

impl WhenOp {
    pub fn text(self) -> &'static str {
        match self {
            WhenOp::Eq => "==",
            WhenOp::Ne => "!=",
            WhenOp::Lt => "<",
            WhenOp::Le => "<=",
            WhenOp::Gt => ">",
            WhenOp::Ge => ">=",
            WhenOp::Like => "like",
            WhenOp::NotLike => "not like",
            WhenOp::In => "in",
            WhenOp::NotIn => "not in",
        }
    }
}

/// One value, or a list meaning "any of".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueList {
    One(Value),
    AnyOf(Vec<Spanned<Value>>),
}

impl ValueList {
    pub fn values(&self) -> Vec<&Value> {
        match self {
            ValueList::One(v) => vec![v],
            ValueList::AnyOf(vs) => vs.iter().map(|v| &v.node).collect(),
        }
    }
}

/// A value: terms joined with `+` (string concatenation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub terms: Vec<Spanned<Term>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    Str(String),
    /// As written, e.g. `1.2`.
    Number(String),
    Bool(bool),
    Path(Path),
}

/// `binding.field."quoted field"[0]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub root: Spanned<String>,
    pub segments: Vec<PathSegment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Field(String),
    Index(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    Implies(Box<Spanned<Expr>>, Box<Spanned<Expr>>),
    Or(Vec<Spanned<Expr>>),
    And(Vec<Spanned<Expr>>),
    Not(Box<Spanned<Expr>>),
    Missing(Spanned<Path>),
    Present(Spanned<Path>),
    /// A bare value is true when it is the boolean `true`.
    Truthy(Spanned<Value>),
    Compare(Spanned<Value>, Spanned<CompareOp>, Spanned<ValueList>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    Eq,
    Ne,
    In,
    NotIn,
    Matches,
}

impl CompareOp {
    pub fn text(self) -> &'static str {
        match self {
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
            CompareOp::In => "in",
            CompareOp::NotIn => "not in",
            CompareOp::Matches => "matches",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suite {
    pub name: Spanned<String>,
    pub entries: Vec<SuiteEntry>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SuiteEntry {
    Document(Document),
    Case(Box<Case>),
    ExpectRule(ExpectRule),
}

impl SuiteEntry {
    pub fn span(&self) -> Span {
        match self {
            SuiteEntry::Document(d) => d.span,
            SuiteEntry::Case(c) => c.span,
            SuiteEntry::ExpectRule(e) => e.span,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    IdentityPolicy,
    ResourcePolicy,
    Scp,
    Rcp,
    Boundary,
    SessionPolicy,
    Template,
}

impl DocumentKind {
    pub fn keyword(self) -> &'static str {
        match self {
            DocumentKind::IdentityPolicy => "identity_policy",
            DocumentKind::ResourcePolicy => "resource_policy",
            DocumentKind::Scp => "scp",
            DocumentKind::Rcp => "rcp",
            DocumentKind::Boundary => "boundary",
            DocumentKind::SessionPolicy => "session_policy",
            DocumentKind::Template => "template",
        }
    }
}

/// `scp "root.json" "ou.json"`: several paths on one line are one level each
/// for SCPs and RCPs, and several documents of that kind otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub kind: DocumentKind,
    pub paths: Vec<Spanned<String>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub name: Spanned<String>,
    pub request: RequestLiteral,
    pub expect: Expectation,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLiteral {
    pub principal: Option<Spanned<String>>,
    pub action: Option<Spanned<String>>,
    pub resource: Option<Spanned<String>>,
    pub resource_account: Option<Spanned<String>>,
    pub context: Vec<ContextEntry>,
    /// Whether a `context { … }` block was written (possibly empty).
    pub has_context: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextEntry {
    pub key: Spanned<String>,
    pub value: Spanned<ContextValue>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextValue {
    Str(String),
    Number(String),
    Bool(bool),
    List(Vec<ContextValue>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
}

impl Decision {
    pub fn keyword(self) -> &'static str {
        match self {
            Decision::Allow => "allow",
            Decision::ExplicitDeny => "explicit_deny",
            Decision::ImplicitDeny => "implicit_deny",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    pub decision: Spanned<Decision>,
    /// `by "Sid"`: the statement expected to decide.
    pub by: Option<Spanned<String>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectRule {
    pub rule: Spanned<String>,
    /// `pass` is true.
    pub pass: bool,
    pub span: Span,
}
