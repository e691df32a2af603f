//! The modules of `src/` form layers: no file imports a file that imports
//! it back, directly or through others. A loop means two files can only be
//! understood (and changed) together; the shared piece belongs in a third
//! file below both.
//!
//! The check reads the `use` declarations of every file under `src/`,
//! resolves each path to the file that defines the item (following
//! `pub use` re-exports, so that `use crate::sim::Workspace` points at the
//! file where `Workspace` lives, not at `sim/mod.rs`), and looks for
//! strongly connected groups of two or more modules. An inline module (the
//! `mod tests` of a file) is a module of its own: nothing imports it, so its
//! imports of shared test fixtures cannot close a loop.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::util::crate_dir;

/// A module's path below the crate root: `["sim", "queue"]`.
type ModulePath = Vec<String>;

/// One `use` path, split at `::`, with whether the declaration re-exports it
/// and the inline module (such as `mod tests`) it stands in.
struct UsePath {
    segments: Vec<String>,
    is_reexport: bool,
    inline_modules: Vec<String>,
}

/// Every module file under `src/`, by its module path.
fn module_files(src: &Path) -> BTreeMap<ModulePath, PathBuf> {
    let mut files = BTreeMap::new();
    for path in super::util::files_under(src) {
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(src).unwrap().with_extension("");
        let mut module: ModulePath = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if matches!(
            module.last().map(String::as_str),
            Some("mod" | "lib" | "main")
        ) {
            module.pop();
        }
        if relative == Path::new("main") {
            continue; // the binary is a crate of its own
        }
        files.insert(module, path);
    }
    files
}

/// The `use` declarations of a file's text, each expanded to its paths.
fn use_paths(text: &str) -> Vec<UsePath> {
    let mut paths = Vec::new();
    let mut inline_modules: Vec<(usize, String)> = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if inline_modules
            .last()
            .is_some_and(|(at, _)| *at == indent && trimmed.starts_with('}'))
        {
            inline_modules.pop();
            continue;
        }
        if let Some(name) = inline_module_name(trimmed) {
            inline_modules.push((indent, name));
            continue;
        }
        let Some((is_reexport, rest)) = use_declaration(trimmed) else {
            continue;
        };
        let mut declaration = rest.to_owned();
        while !declaration.contains(';') {
            let Some(next) = lines.next() else { break };
            declaration.push_str(next.trim());
        }
        let tree = declaration.split(';').next().unwrap_or_default();
        for segments in expand_use_tree(tree) {
            paths.push(UsePath {
                segments,
                is_reexport,
                inline_modules: inline_modules.iter().map(|(_, n)| n.clone()).collect(),
            });
        }
    }
    paths
}

/// The name of an inline module opened on this line (`mod tests {`).
fn inline_module_name(trimmed: &str) -> Option<String> {
    let rest = trimmed
        .strip_prefix("pub(crate) ")
        .or_else(|| trimmed.strip_prefix("pub "))
        .unwrap_or(trimmed);
    let name = rest.strip_prefix("mod ")?.strip_suffix('{')?.trim();
    Some(name.to_owned())
}

/// Whether a line starts a `use` declaration, whether it re-exports, and
/// the text after `use `.
fn use_declaration(trimmed: &str) -> Option<(bool, &str)> {
    if let Some(rest) = trimmed.strip_prefix("use ") {
        return Some((false, rest));
    }
    let rest = trimmed.strip_prefix("pub")?;
    let rest = rest.strip_prefix("(crate)").unwrap_or(rest);
    let rest = rest.strip_prefix("(super)").unwrap_or(rest);
    Some((true, rest.strip_prefix(" use ")?))
}

/// The paths of a use tree: `a::{b, c::{d, e}}` is `a::b`, `a::c::d`,
/// `a::c::e`. A rename (`x as y`) keeps the original path.
fn expand_use_tree(tree: &str) -> Vec<Vec<String>> {
    let tree: String = tree
        .chars()
        .filter(|c| !c.is_whitespace() || *c == ' ')
        .collect();
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = tree
            .split(" as ")
            .next()
            .unwrap_or_default()
            .replace(' ', "");
        return vec![path.split("::").map(str::to_owned).collect()];
    };
    let prefix: Vec<String> = tree[..open]
        .trim_end_matches("::")
        .split("::")
        .filter(|s| !s.is_empty())
        .map(|s| s.trim().to_owned())
        .collect();
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut paths = Vec::new();
    for part in split_top_level(inner) {
        for tail in expand_use_tree(part) {
            if tail.iter().all(String::is_empty) {
                continue;
            }
            paths.push(prefix.iter().cloned().chain(tail).collect());
        }
    }
    paths
}

/// `inner` split at the commas that are not inside braces.
fn split_top_level(inner: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0_usize, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// The absolute segments of `path` as written in module `here`, or `None`
/// for a path into another crate.
fn absolute(
    path: &[String],
    here: &[String],
    files: &BTreeMap<ModulePath, PathBuf>,
) -> Option<Vec<String>> {
    let mut base: Vec<String> = here.to_vec();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &rest[1..];
        }
        Some("self") => rest = &rest[1..],
        Some("super") => {
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        Some(first) => {
            let mut child = base.clone();
            child.push(first.to_owned());
            if !files.contains_key(&child) {
                return None;
            }
        }
        None => return None,
    }
    base.extend(rest.iter().filter(|s| *s != "self").cloned());
    Some(base)
}

/// The file that defines the item at the absolute path `path`: the deepest
/// module file on the path, followed through its `pub use` re-exports.
fn defining_file(
    path: &[String],
    files: &BTreeMap<ModulePath, PathBuf>,
    uses: &BTreeMap<ModulePath, Vec<UsePath>>,
    depth: usize,
) -> Option<ModulePath> {
    let module_len = (0..=path.len())
        .rev()
        .find(|&n| files.contains_key(&path[..n]))?;
    let module = path[..module_len].to_vec();
    let Some(item) = path.get(module_len) else {
        return Some(module);
    };
    let reexport = uses[&module]
        .iter()
        .find(|u| u.is_reexport && u.inline_modules.is_empty() && u.segments.last() == Some(item));
    match reexport {
        Some(u) if depth < 16 => {
            let target = absolute(&u.segments, &module, files)?;
            defining_file(&target, files, uses, depth + 1)
        }
        _ => Some(module),
    }
}

/// For every module (a file, or an inline module in one), the module files
/// it imports.
fn import_graph() -> BTreeMap<ModulePath, BTreeSet<ModulePath>> {
    let files = module_files(&crate_dir().join("src"));
    let uses: BTreeMap<ModulePath, Vec<UsePath>> = files
        .iter()
        .map(|(module, path)| {
            (
                module.clone(),
                use_paths(&std::fs::read_to_string(path).unwrap()),
            )
        })
        .collect();
    let mut graph: BTreeMap<ModulePath, BTreeSet<ModulePath>> = files
        .keys()
        .map(|module| (module.clone(), BTreeSet::new()))
        .collect();
    for (module, paths) in &uses {
        for u in paths {
            let here: Vec<String> = module.iter().chain(&u.inline_modules).cloned().collect();
            let Some(target) = absolute(&u.segments, &here, &files) else {
                continue;
            };
            if let Some(file) = defining_file(&target, &files, &uses, 0)
                && file != here
            {
                graph.entry(here).or_default().insert(file);
            }
        }
    }
    graph
}

/// The strongly connected groups of two or more modules (Tarjan's
/// algorithm): each is an import loop.
fn loops(graph: &BTreeMap<ModulePath, BTreeSet<ModulePath>>) -> Vec<Vec<ModulePath>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<ModulePath, BTreeSet<ModulePath>>,
        index: BTreeMap<&'a ModulePath, usize>,
        low: BTreeMap<&'a ModulePath, usize>,
        stack: Vec<&'a ModulePath>,
        groups: Vec<Vec<ModulePath>>,
    }
    fn visit<'a>(walk: &mut Walk<'a>, node: &'a ModulePath) {
        let at = walk.index.len();
        walk.index.insert(node, at);
        walk.low.insert(node, at);
        walk.stack.push(node);
        for next in &walk.graph[node] {
            if !walk.index.contains_key(next) {
                visit(walk, next);
                let low = walk.low[node].min(walk.low[next]);
                walk.low.insert(node, low);
            } else if walk.stack.contains(&next) {
                let low = walk.low[node].min(walk.index[next]);
                walk.low.insert(node, low);
            }
        }
        if walk.low[node] == walk.index[node] {
            let mut group = Vec::new();
            while let Some(top) = walk.stack.pop() {
                group.push(top.clone());
                if top == node {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                walk.groups.push(group);
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        groups: Vec::new(),
    };
    for node in graph.keys() {
        if !walk.index.contains_key(node) {
            visit(&mut walk, node);
        }
    }
    walk.groups
}

#[test]
fn use_trees_expand_to_one_path_per_leaf() {
    let paths = expand_use_tree("crate::a::{self, b::{C, D as E}, f}");
    let joined: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        joined,
        [
            "crate::a::self",
            "crate::a::b::C",
            "crate::a::b::D",
            "crate::a::f"
        ]
    );
}

#[test]
fn a_loop_of_three_modules_is_found() {
    let module = |name: &str| vec![name.to_owned()];
    let graph = BTreeMap::from([
        (module("a"), BTreeSet::from([module("b")])),
        (module("b"), BTreeSet::from([module("c")])),
        (module("c"), BTreeSet::from([module("a")])),
        (module("d"), BTreeSet::from([module("a")])),
    ]);
    assert_eq!(
        loops(&graph),
        vec![vec![module("a"), module("b"), module("c")]]
    );
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let graph = import_graph();
    assert!(
        graph.len() > 50,
        "the scan found only {} modules",
        graph.len()
    );
    let found: Vec<String> = loops(&graph)
        .iter()
        .map(|group| {
            let names: Vec<String> = group
                .iter()
                .map(|m| format!("crate::{}", m.join("::")))
                .collect();
            names.join(" ↔ ")
        })
        .collect();
    assert!(
        found.is_empty(),
        "import loops in src/:\n{}",
        found.join("\n")
    );
}
