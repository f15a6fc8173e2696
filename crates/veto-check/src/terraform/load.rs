//! Reading a module's files: sizes and encodings checked, HCL parsed with spans,
//! local modules (`source = "./modules/x"`) followed, tfvars collected.

use super::eval::{set_world, unknowns, Decl, Evaluator, Hooks, ModuleDef, World};
use super::paths::{local_source, normalize};
use super::{Failure, Files, Module, Options, Sources};
use crate::doc::Pos;
use crate::limits::MAX_INPUT_BYTES;
use crate::targets::Target;
use crate::Problem;
use hcl_edit::structure::{Body, Structure};
use hcl_edit::Span;
use std::path::{Path, PathBuf};

/// How deep local modules may call local modules.
const MAX_MODULE_DEPTH: usize = 16;
/// Most files one module load reads (its own, its local modules', tfvars).
const MAX_FILES: usize = 2_000;

pub(super) struct Parsed {
    pub file: usize,
    pub body: Body,
    /// Index into `Loader::dirs`.
    pub dir: usize,
}

pub(super) struct Loader<'t> {
    files: Files<'t>,
    options: Options,
    sources: Sources,
    parsed: Vec<Parsed>,
    /// tfvars bodies, lowest precedence first.
    tfvars: Vec<Parsed>,
    dirs: Vec<PathBuf>,
    problems: Vec<Problem>,
}

/// The evaluator's calls into its sibling modules: the function library and policy
/// documents (`policy`) and the mapping onto targets (`targets`). Handed in here so
/// that `eval` imports neither (both import `eval`).
const HOOKS: Hooks = Hooks {
    call: super::policy::call,
    render: super::policy::render,
    build: super::targets::build,
};

impl<'t> Loader<'t> {
    pub(super) fn new(files: Files<'t>, options: Options) -> Self {
        Loader {
            files,
            options,
            sources: Sources::default(),
            parsed: Vec::new(),
            tfvars: Vec::new(),
            dirs: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Reads a file's bytes into the sources; `None` (with a problem) when it cannot be used.
    fn read(&mut self, path: &Path) -> Option<usize> {
        let name = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                let file = self.sources.add(name, String::new());
                self.problems
                    .push(Problem::new(self.sources.start(file), format!("cannot read: {e}")));
                return None;
            }
        };
        self.add_bytes(name, bytes)
    }

    fn add_bytes(&mut self, name: String, bytes: Vec<u8>) -> Option<usize> {
        if bytes.len() > MAX_INPUT_BYTES {
            let file = self.sources.add(name, String::new());
            self.problems.push(Problem::new(
                self.sources.start(file),
                format!(
                    "the file is {} bytes; veto reads inputs up to {MAX_INPUT_BYTES} bytes",
                    bytes.len()
                ),
            ));
            return None;
        }
        match String::from_utf8(bytes) {
            Ok(text) if name.ends_with(".tf.json") => match super::json::rewrite(&text) {
                Ok(rewrite) => Some(self.sources.add_rewritten(name, text, rewrite)),
                Err((offset, message)) => {
                    let file = self.sources.add(name, text);
                    self.problems
                        .push(Problem::new(self.sources.pos(file, offset), message));
                    None
                }
            },
            Ok(text) => Some(self.sources.add(name, text)),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).to_string();
                let file = self.sources.add(name, prefix.clone());
                let pos = self.sources.pos(file, prefix.len());
                self.problems.push(Problem::new(pos, "the file is not valid UTF-8"));
                None
            }
        }
    }

    fn parse(&mut self, file: usize) -> Option<Body> {
        match hcl_edit::parser::parse_body(self.sources.hcl(file)) {
            Ok(body) => Some(body),
            Err(e) => {
                let pos = self.sources.pos(file, e.location().offset());
                let message = e.message().replace('\n', " ");
                self.problems
                    .push(Problem::new(pos, format!("not valid HCL: {message}")));
                None
            }
        }
    }

    /// The `.tf` files of a directory, sorted.
    fn tf_files(&mut self, dir: &Path) -> Vec<PathBuf> {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                let file = self.sources.add(dir.display().to_string(), String::new());
                self.problems.push(Problem::new(
                    self.sources.start(file),
                    format!("cannot read the directory: {e}"),
                ));
                return Vec::new();
            }
        };
        let mut out: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let name = p.to_string_lossy();
                p.is_file() && (name.ends_with(".tf") || name.ends_with(".tf.json"))
            })
            .collect();
        out.sort();
        out
    }

    fn read_module(&mut self, dir: &Path, depth: usize, called_at: Option<Pos>) {
        let dir = normalize(dir);
        if self.dirs.contains(&dir) {
            return;
        }
        if depth > MAX_MODULE_DEPTH {
            self.problems.push(Problem::new(
                called_at.unwrap_or_default(),
                format!("local modules nest deeper than {MAX_MODULE_DEPTH} levels"),
            ));
            return;
        }
        self.dirs.push(dir.clone());
        let dir_index = self.dirs.len() - 1;
        let files: Vec<Option<usize>> = match self.files {
            Files::One { name, text } if depth == 0 => {
                vec![self.add_bytes(name.to_string(), text.as_bytes().to_vec())]
            }
            Files::One { .. } => Vec::new(),
            Files::Disk => {
                let paths = self.tf_files(&dir);
                if paths.is_empty() && depth > 0 {
                    self.problems.push(Problem::new(
                        called_at.unwrap_or_default(),
                        format!("the local module {} holds no .tf file", dir.display()),
                    ));
                }
                paths.iter().map(|p| self.read(p)).collect()
            }
        };
        let mut calls = Vec::new();
        for file in files.into_iter().flatten() {
            if self.sources.files.len() > MAX_FILES {
                self.problems.push(Problem::new(
                    self.sources.start(file),
                    format!("more than {MAX_FILES} files"),
                ));
                return;
            }
            let Some(body) = self.parse(file) else { continue };
            for block in body.get_blocks("module") {
                if let Some(source) = local_source(block) {
                    let at = block.span().map(|s| self.sources.pos(file, s.start));
                    calls.push((dir.join(source), at));
                }
            }
            self.parsed.push(Parsed {
                file,
                body,
                dir: dir_index,
            });
        }
        if matches!(self.files, Files::Disk) {
            for (child, at) in calls {
                self.read_module(&child, depth + 1, at);
            }
        }
    }

    fn read_tfvars(&mut self, path: &Path) {
        if let Some(file) = self.read(path) {
            if let Some(body) = self.parse(file) {
                self.tfvars.push(Parsed { file, body, dir: 0 });
            }
        }
    }

    pub(super) fn run(mut self, dir: &Path) -> Result<Module, Failure> {
        self.read_module(dir, 0, None);
        if matches!(self.files, Files::Disk) {
            // Terraform's order: terraform.tfvars, *.auto.tfvars by name, then -var-file.
            let root = self.dirs[0].clone();
            let default = root.join("terraform.tfvars");
            if default.is_file() {
                self.read_tfvars(&default);
            }
            let mut auto: Vec<PathBuf> = std::fs::read_dir(&root)
                .map(|e| {
                    e.filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| p.to_string_lossy().ends_with(".auto.tfvars"))
                        .collect()
                })
                .unwrap_or_default();
            auto.sort();
            for p in auto {
                self.read_tfvars(&p);
            }
        }
        for p in self.options.var_files.clone() {
            self.read_tfvars(&p);
        }
        if !self.problems.is_empty() {
            return Err(Failure {
                sources: self.sources,
                problems: self.problems,
            });
        }
        let defs: Vec<ModuleDef> = (0..self.dirs.len())
            .map(|d| module_def(&self.parsed, d, &self.dirs[d], &self.dirs[0]))
            .collect();
        let tfvars: Vec<(usize, &Body)> = self.tfvars.iter().map(|p| (p.file, &p.body)).collect();
        // Two worlds (see `eval::World`): the second is only needed when the first
        // met an unknown, and its errors are the first's.
        set_world(World::First);
        let first = Evaluator::new(&self.sources, &defs, &self.dirs, HOOKS);
        let built = first.run(&tfvars, &self.options.vars);
        let module_dirs = self.dirs[1..].to_vec();
        let mut chosen = first.chosen.borrow().clone();
        // The second world evaluates the other branches: an error there (an
        // undeclared reference in an `else`) is an error of the module too.
        let built = built.and_then(|(targets, warnings)| {
            if !has_unknowns(&targets) && chosen.is_empty() {
                return Ok((targets, warnings, None));
            }
            set_world(World::Second);
            let second = Evaluator::new(&self.sources, &defs, &self.dirs, HOOKS);
            let other = second.run(&tfvars, &self.options.vars);
            set_world(World::First);
            for c in second.chosen.borrow().iter() {
                if !chosen.contains(c) {
                    chosen.push(c.clone());
                }
            }
            other.map(|(t, _)| (targets, warnings, Some(t)))
        });
        match built {
            Ok((targets, warnings, other)) => Ok(Module {
                sources: self.sources,
                targets,
                warnings,
                other,
                chosen,
                module_dirs,
            }),
            Err(problems) => Err(Failure {
                sources: self.sources,
                problems,
            }),
        }
    }
}

/// The declarations of one module directory.
fn module_def<'a>(parsed: &'a [Parsed], dir: usize, path: &Path, root: &Path) -> ModuleDef<'a> {
    let mut def = ModuleDef {
        dir,
        path_module: relative(path, root),
        ..ModuleDef::default()
    };
    for p in parsed.iter().filter(|p| p.dir == dir) {
        for s in p.body.iter() {
            let Structure::Block(block) = s else { continue };
            let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
            let decl = |ty: &'a str, name: &'a str| Decl {
                ty,
                name,
                block,
                file: p.file,
            };
            match (block.ident.as_str(), labels.as_slice()) {
                ("variable", [name]) => def.variables.push(decl("variable", name)),
                ("locals", []) => {
                    for a in block.body.attributes() {
                        def.locals.push((a.key.as_str(), &a.value, p.file));
                    }
                }
                ("resource", [ty, name]) => def.resources.push(decl(ty, name)),
                ("data", [ty, name]) => def.data.push(decl(ty, name)),
                ("module", [name]) => def.modules.push(decl("module", name)),
                ("output", [name]) => def.outputs.push(decl("output", name)),
                _ => {}
            }
        }
    }
    def
}

fn relative(path: &Path, root: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(p) if p.as_os_str().is_empty() => ".".into(),
        Ok(p) => format!("./{}", p.display()),
        Err(_) => path.display().to_string(),
    }
}

/// True when a target's document holds an unknown.
fn has_unknowns(targets: &[Target]) -> bool {
    targets.iter().any(|t| {
        let mut u = Vec::new();
        unknowns(t.node(), &mut u);
        !u.is_empty()
    })
}
