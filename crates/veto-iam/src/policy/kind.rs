//! Checks that depend on where a policy is used (spec §1.10): an identity policy
//! carries no `Id`, an RCP needs 2012-10-17, a resource policy needs a principal…

use super::model::*;
use super::scalar::*;
use crate::diagnostic::Diagnostic;
use std::collections::HashMap;

impl Policy {
    /// Errors and warnings that depend on where the policy is used (spec §1.10).
    pub fn check_kind(&self, kind: PolicyKind) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        if kind == PolicyKind::Identity {
            if let Some(id) = &self.id {
                out.push(Diagnostic::warning(
                    "IAM-ID-IN-IDENTITY",
                    "Id",
                    "identity-based policies should not carry an `Id`",
                    id.span,
                ));
            }
            // By hashing: 100,000 unique Sids must not cost 10^10 comparisons.
            let mut seen: HashMap<&str, &Spanned<String>> = HashMap::new();
            for sid in self.statements.iter().filter_map(|s| s.sid.as_ref()) {
                if let Some(first) = seen.get(sid.value.as_str()) {
                    out.push(
                        Diagnostic::error(
                            "Sid",
                            format!("duplicate Sid `{}` in an identity policy", sid.value),
                            sid.span,
                        )
                        .with_related(first.span, "first used here"),
                    );
                } else {
                    seen.insert(&sid.value, sid);
                }
            }
        }
        if kind == PolicyKind::Rcp && self.version != Version::V2012 {
            let span = self.version_span.unwrap_or(self.span);
            out.push(Diagnostic::error(
                "Version",
                "RCPs require \"Version\": \"2012-10-17\"",
                span,
            ));
        }
        for s in &self.statements {
            let principal_wanted = matches!(kind, PolicyKind::Resource | PolicyKind::Rcp);
            match (&s.principal, principal_wanted) {
                (Some(p), false) => out.push(Diagnostic::error(
                    s.path.clone(),
                    format!(
                        "{} is not allowed in {}: the principal is whoever the policy is attached to",
                        if p.negated { "NotPrincipal" } else { "Principal" },
                        kind.name()
                    ),
                    p.span,
                )),
                (None, true) => out.push(Diagnostic::error(
                    s.path.clone(),
                    format!("{} needs a Principal element in every statement", kind.name()),
                    s.span,
                )),
                _ => {}
            }
            if kind == PolicyKind::Rcp {
                if let Some(p) = s.principal.as_ref().filter(|p| p.negated) {
                    out.push(Diagnostic::error(
                        s.path.clone(),
                        "RCPs do not support NotPrincipal",
                        p.span,
                    ));
                }
                if s.action.negated {
                    out.push(Diagnostic::error(
                        s.path.clone(),
                        "RCPs do not support NotAction",
                        s.action.span,
                    ));
                }
            }
            // A resource-policy statement without Resource is a role trust policy statement
            // (README), and the IAM guide forbids NotPrincipal there: "You cannot use the
            // NotPrincipal element in an IAM identity-based policy nor in an IAM role trust
            // policy" (spec §1.10: trust policies have no NotPrincipal; §1.8: a principal
            // element where forbidden is a load error).
            if kind == PolicyKind::Resource && s.resource.is_none() {
                if let Some(p) = s.principal.as_ref().filter(|p| p.negated) {
                    out.push(Diagnostic::error(
                        s.path.clone(),
                        "NotPrincipal is not allowed in a role trust policy (a statement without Resource)",
                        p.span,
                    ));
                }
            }
            if s.resource.is_none() && kind != PolicyKind::Resource {
                out.push(Diagnostic::error(
                    s.path.clone(),
                    format!(
                        "missing Resource or NotResource: {} needs one in every statement",
                        kind.name()
                    ),
                    s.span,
                ));
            }
        }
        out
    }
}
