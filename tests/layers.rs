//! The layering of the crate stays true: `src/lib.rs` declares the top-level modules lowest
//! first, in groups separated by a blank line (one group, one layer), and a module may use
//! only modules of lower layers (`crate::x` paths, in `use` or inline). Unit tests
//! (`#[cfg(test)]` and what follows it in a file) may use anything. ARCHITECTURE.md lists the
//! same layers in the same order.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The layer of each top-level module, from the order of `pub mod` lines in `src/lib.rs`.
fn layers() -> Vec<Vec<String>> {
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).unwrap();
    let mut layers: Vec<Vec<String>> = vec![Vec::new()];
    for line in lib.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !layers.last().unwrap().is_empty() {
                layers.push(Vec::new());
            }
        } else if let Some(name) = line
            .strip_prefix("pub mod ")
            .and_then(|rest| rest.strip_suffix(';'))
        {
            layers.last_mut().unwrap().push(name.to_string());
        }
    }
    layers.retain(|l| !l.is_empty());
    layers
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a source text names as `crate::x`, with the line of each mention,
/// leaving out comments and unit tests. `use crate::{a::x, b::y}` names `a` and `b`.
fn mentions(text: &str) -> Vec<(usize, String)> {
    let code: String = text
        .split("#[cfg(test)]")
        .next()
        .unwrap_or(text)
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = code[from..].find("crate::") {
        let start = from + i + "crate::".len();
        from = start;
        let line = code[..start].matches('\n').count() + 1;
        if !code[start..].starts_with('{') {
            found.push((line, ident(&code[start..])));
            continue;
        }
        // A group: the names that start an item at its first depth.
        let (mut depth, mut item_start) = (0, false);
        for (j, c) in code[start..].char_indices() {
            match c {
                '{' => {
                    depth += 1;
                    item_start = depth == 1;
                }
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                ',' if depth == 1 => item_start = true,
                c if item_start && (c.is_ascii_alphabetic() || c == '_') => {
                    let at = start + j;
                    found.push((code[..at].matches('\n').count() + 1, ident(&code[at..])));
                    item_start = false;
                }
                _ => {}
            }
        }
    }
    found
}

#[test]
fn no_module_uses_a_layer_above_or_beside_it() {
    let layers = layers();
    let layer_of: HashMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, names)| names.iter().map(move |n| (n.as_str(), i)))
        .collect();
    assert!(layer_of.len() >= 10, "src/lib.rs declares the layers");
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut upward = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let top = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        let Some(&own) = layer_of.get(top.as_str()) else {
            continue; // lib.rs and main.rs stand above every layer
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (line, used) in mentions(&text) {
            if used == top {
                continue;
            }
            let Some(&layer) = layer_of.get(used.as_str()) else {
                continue;
            };
            if layer >= own {
                upward.push(format!(
                    "src/{}:{line}: `{top}` (layer {}) uses `{used}` (layer {})",
                    relative.display(),
                    own + 1,
                    layer + 1
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports that run up or sideways between layers (src/lib.rs gives the order):\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_checker_sees_grouped_and_inline_paths() {
    let found = mentions(
        "use crate::{\n    facts::Finding,\n    json::{Node, parse},\n};\nfn f() { crate::run::lint(); } // crate::cli\n#[cfg(test)]\nuse crate::lsp;",
    );
    let names: Vec<&str> = found.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(names, ["facts", "json", "run"]);
}

#[test]
fn architecture_lists_the_layers_of_lib_rs() {
    let architecture = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let section = architecture
        .split("## Layers")
        .nth(1)
        .expect("ARCHITECTURE.md has a `## Layers` section")
        .split("\n## ")
        .next()
        .unwrap();
    // Numbered lines name each layer's modules in backticks before the colon.
    let listed: Vec<Vec<String>> = section
        .lines()
        .filter(|l| {
            l.trim_start()
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
        })
        .map(|l| {
            let head = l.split(':').next().unwrap();
            head.split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect()
        })
        .collect();
    let sorted = |mut layers: Vec<Vec<String>>| {
        layers.iter_mut().for_each(|l| l.sort());
        layers
    };
    assert_eq!(sorted(listed), sorted(layers()));
}
