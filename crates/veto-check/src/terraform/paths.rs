//! Module paths: normalising a directory and reading a module block's local
//! `source`. A leaf module, shared by the loader and the evaluator.

use hcl_edit::expr::Expression;
use hcl_edit::structure::Block;
use std::path::{Component, Path, PathBuf};

/// `a/./b/../c` as `a/c`, so one directory is read once.
pub(super) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// The literal `source` of a module block, when it names a local directory.
pub(super) fn local_source(block: &Block) -> Option<&str> {
    let source = block.body.get_attribute("source")?;
    let text = match &source.value {
        Expression::String(s) => s.value().as_str(),
        _ => return None,
    };
    (text.starts_with("./") || text.starts_with("../")).then_some(text)
}
