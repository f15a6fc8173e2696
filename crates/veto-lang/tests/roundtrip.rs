//! Laws of the formatter, on generated syntax trees: formatting is idempotent, and
//! parse → format → parse gives the same tree (spans aside).
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

use proptest::prelude::*;
use veto_lang::ast::*;
use veto_lang::format::{format, format_tree};
use veto_lang::parse;

use veto_lang::testing::shape;

fn sp<T>(node: T) -> Spanned<T> {
    Spanned::new(node, Span::default())
}

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::char::range('a', 'z'),
            1 => prop::sample::select(vec!['"', '\\', '\n', '\t', 'é', '/', '*', ':', ' ', '{', '}', '\u{1}', '日']),
        ],
        0..12,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

fn ident() -> impl Strategy<Value = String> {
    "[a-z_][a-z0-9_]{0,6}".prop_filter("not a keyword", |s| {
        !matches!(
            s.as_str(),
            "and" | "or" | "not" | "implies" | "missing" | "present" | "matches" | "in" | "true" | "false"
        )
    })
}

fn number() -> impl Strategy<Value = String> {
    "-?[0-9]{1,4}(\\.[0-9]{1,3})?"
}

fn path() -> impl Strategy<Value = Path> {
    (
        ident(),
        proptest::collection::vec(
            prop_oneof![
                ident().prop_map(PathSegment::Field),
                text().prop_map(PathSegment::Field),
                (0usize..20).prop_map(PathSegment::Index)
            ],
            0..3,
        ),
    )
        .prop_map(|(root, segments)| Path {
            root: sp(root),
            segments,
        })
}

fn term() -> impl Strategy<Value = Term> {
    prop_oneof![
        text().prop_map(Term::Str),
        number().prop_map(Term::Number),
        any::<bool>().prop_map(Term::Bool),
        path().prop_map(Term::Path),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    proptest::collection::vec(term().prop_map(sp), 1..3).prop_map(|terms| Value { terms })
}

fn value_list() -> impl Strategy<Value = ValueList> {
    prop_oneof![
        value().prop_map(ValueList::One),
        proptest::collection::vec(value().prop_map(sp), 0..3).prop_map(ValueList::AnyOf),
    ]
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        path().prop_map(|p| Expr::Missing(sp(p))),
        path().prop_map(|p| Expr::Present(sp(p))),
        value().prop_map(|v| Expr::Truthy(sp(v))),
        (
            value(),
            prop::sample::select(vec![
                CompareOp::Eq,
                CompareOp::Ne,
                CompareOp::In,
                CompareOp::NotIn,
                CompareOp::Matches
            ]),
            value_list()
        )
            .prop_map(|(l, op, r)| Expr::Compare(sp(l), sp(op), sp(r))),
    ];
    leaf.prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::Implies(Box::new(sp(a)), Box::new(sp(b)))),
            proptest::collection::vec(inner.clone().prop_map(sp), 2..4).prop_map(Expr::Or),
            proptest::collection::vec(inner.clone().prop_map(sp), 2..4).prop_map(Expr::And),
            inner.prop_map(|e| Expr::Not(Box::new(sp(e)))),
        ]
    })
}

fn when_op() -> impl Strategy<Value = WhenOp> {
    prop::sample::select(vec![
        WhenOp::Eq,
        WhenOp::Ne,
        WhenOp::Lt,
        WhenOp::Le,
        WhenOp::Gt,
        WhenOp::Ge,
        WhenOp::Like,
        WhenOp::NotLike,
        WhenOp::In,
        WhenOp::NotIn,
    ])
}

fn constraint() -> impl Strategy<Value = Constraint> {
    prop_oneof![
        value_list().prop_map(|v| Constraint::Principal(sp(v))),
        value_list().prop_map(|v| Constraint::Action(sp(v))),
        value_list().prop_map(|v| Constraint::NotAction(sp(v))),
        value_list().prop_map(|v| Constraint::Resource(sp(v))),
        (
            text(),
            prop_oneof![
                Just(KeyTest::Absent),
                Just(KeyTest::Present),
                (when_op(), value_list()).prop_map(|(o, v)| KeyTest::Compare(sp(o), sp(v)))
            ]
        )
            .prop_map(|(key, test)| Constraint::When(When {
                key: sp(key),
                test,
                span: Span::default()
            })),
    ]
}

fn request_set() -> impl Strategy<Value = RequestSet> {
    proptest::collection::vec(constraint(), 0..4).prop_map(|constraints| RequestSet {
        constraints,
        span: Span::default(),
    })
}

fn rule_id() -> impl Strategy<Value = String> {
    "[A-Z][A-Z0-9-]{0,8}"
}

fn rule_entry() -> impl Strategy<Value = RuleEntry> {
    prop_oneof![
        text().prop_map(|t| RuleEntry::Title(sp(t))),
        ident().prop_map(|s| RuleEntry::Severity(sp(s))),
        text().prop_map(|t| RuleEntry::Rationale(sp(t))),
        (ident(), prop::option::of(text()), ident()).prop_map(|(k, f, b)| RuleEntry::Applies(Applies {
            kind: sp(k),
            filter: f.map(sp),
            binding: sp(b),
            span: Span::default()
        })),
        request_set().prop_map(|s| RuleEntry::Check(Check::DenyEvery(s))),
        request_set().prop_map(|s| RuleEntry::Check(Check::AllowSome(s))),
        expr().prop_map(|e| RuleEntry::Check(Check::Require(sp(e)))),
    ]
}

fn scalar() -> impl Strategy<Value = ContextValue> {
    prop_oneof![
        text().prop_map(ContextValue::Str),
        number().prop_map(ContextValue::Number),
        any::<bool>().prop_map(ContextValue::Bool)
    ]
}

fn case() -> impl Strategy<Value = Case> {
    (
        text(),
        [
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(text()),
        ],
        proptest::collection::vec(
            (
                text(),
                prop_oneof![
                    scalar(),
                    proptest::collection::vec(scalar(), 0..3).prop_map(ContextValue::List)
                ],
            ),
            0..3,
        ),
        any::<bool>(),
        prop::sample::select(vec![Decision::Allow, Decision::ExplicitDeny, Decision::ImplicitDeny]),
        prop::option::of(text()),
    )
        .prop_map(
            |(name, [principal, action, resource, account], context, has_context, decision, by)| Case {
                name: sp(name),
                request: RequestLiteral {
                    principal: principal.map(sp),
                    action: action.map(sp),
                    resource: resource.map(sp),
                    resource_account: account.map(sp),
                    has_context: has_context || !context.is_empty(),
                    context: context
                        .into_iter()
                        .map(|(k, v)| ContextEntry {
                            key: sp(k),
                            value: sp(v),
                        })
                        .collect(),
                    span: Span::default(),
                },
                expect: Expectation {
                    decision: sp(decision),
                    by: by.map(sp),
                    span: Span::default(),
                },
                span: Span::default(),
            },
        )
}

fn suite_entry() -> impl Strategy<Value = SuiteEntry> {
    prop_oneof![
        (
            prop::sample::select(vec![
                DocumentKind::IdentityPolicy,
                DocumentKind::ResourcePolicy,
                DocumentKind::Scp,
                DocumentKind::Rcp,
                DocumentKind::Boundary,
                DocumentKind::SessionPolicy,
                DocumentKind::Template
            ]),
            proptest::collection::vec(text().prop_map(sp), 1..3)
        )
            .prop_map(|(kind, paths)| SuiteEntry::Document(Document {
                kind,
                paths,
                span: Span::default()
            })),
        case().prop_map(|c| SuiteEntry::Case(Box::new(c))),
        (rule_id(), any::<bool>()).prop_map(|(r, pass)| SuiteEntry::ExpectRule(ExpectRule {
            rule: sp(r),
            pass,
            span: Span::default()
        })),
    ]
}

fn file() -> impl Strategy<Value = File> {
    proptest::collection::vec(
        prop_oneof![
            (rule_id(), proptest::collection::vec(rule_entry(), 0..5)).prop_map(|(id, entries)| Item::Rule(Rule {
                id: sp(id),
                entries,
                span: Span::default()
            })),
            (text(), proptest::collection::vec(suite_entry(), 0..4)).prop_map(|(name, entries)| Item::Suite(Suite {
                name: sp(name),
                entries,
                span: Span::default()
            })),
        ],
        0..3,
    )
    .prop_map(|items| File { items })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// parse(format(tree)) == tree, and formatting that text again changes nothing.
    #[test]
    fn format_round_trips_and_is_idempotent(tree in file()) {
        let text = format_tree(&tree);
        let parsed = parse(0, &text).map_err(|d| TestCaseError::fail(format!("{}\n{text}", d.message)))?;
        prop_assert_eq!(shape(&parsed), shape(&tree), "{}", text);
        let again = format(&parsed, &text);
        prop_assert_eq!(again, text);
    }

    /// Arbitrary text never panics the parser, and errors point inside the input.
    #[test]
    fn arbitrary_text_gives_positioned_errors(input in "\\PC{0,200}") {
        if let Err(d) = parse(0, &input) {
            prop_assert!(d.span.start <= input.len() && d.span.end <= input.len(), "{:?}", d);
        }
    }
}

/// Comments anywhere survive formatting, and formatting stays idempotent.
#[test]
fn comments_survive_everywhere() {
    let sample = include_str!("fixtures/ok/every-construct.veto");
    let lines: Vec<&str> = sample.lines().collect();
    for i in 0..lines.len() {
        for trailing in [false, true] {
            let mut edited: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            let marker = format!("// marker {i}");
            if trailing {
                if edited[i].trim().is_empty() {
                    continue;
                }
                edited[i] = format!("{} {marker}", edited[i]);
            } else {
                edited.insert(i, marker.clone());
            }
            let text = edited.join("\n") + "\n";
            let tree = parse(0, &text).unwrap_or_else(|d| panic!("{}: {text}", d.message));
            let once = format(&tree, &text);
            assert!(once.contains(&marker), "lost {marker}:\n{once}");
            let tree2 = parse(0, &once).unwrap_or_else(|d| panic!("{}: {once}", d.message));
            assert_eq!(shape(&tree), shape(&tree2));
            assert_eq!(format(&tree2, &once), once, "not idempotent with {marker}");
        }
    }
}
