//! Rule files: the embedded pack, `--rules PATH`, and static checks with the
//! catalog's key types.

use veto_lang::check::{KeyType, KeyTypes};
use veto_lang::{ast, diagnostic, Diagnostic};

/// The rule pack built into the binary.
pub const EMBEDDED: &[(&str, &str)] = veto_rules::PACK;

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
