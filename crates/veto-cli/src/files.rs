//! Finding input files: paths, directories walked recursively, glob patterns.

use std::path::{Path, PathBuf};

/// Expands `inputs` into files whose name ends with one of `extensions`
/// (directories are walked; named files are taken whatever their extension).
/// Hidden directories and `target` are skipped.
pub fn collect(inputs: &[String], extensions: &[&str]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for input in inputs {
        let path = Path::new(input);
        if path.is_dir() {
            walk(path, extensions, &mut out);
        } else if path.is_file() {
            out.push(path.to_path_buf());
        } else if input.contains(['*', '?', '[']) {
            let matches = glob::glob(input).map_err(|e| format!("bad glob pattern `{input}`: {e}"))?;
            let before = out.len();
            for m in matches.flatten() {
                if m.is_dir() {
                    walk(&m, extensions, &mut out);
                } else {
                    out.push(m);
                }
            }
            if out.len() == before {
                return Err(format!("no file matches `{input}`"));
            }
        } else {
            return Err(format!("{input}: no such file or directory"));
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" {
                walk(&path, extensions, out);
            }
        } else if extensions.iter().any(|e| name.ends_with(e)) {
            out.push(path);
        }
    }
}
