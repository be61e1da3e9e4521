//! The rule pages keep their examples honest: every JSON or Bicep block of a built-in page's
//! `## Example` section makes the page's own rule fire, and every such block of its
//! `## Use instead` section does not.
//!
//! How a block is linted (the convention the pages follow):
//!
//! - A block whose info string is `json` and that holds `"$schema"` is a whole template and is
//!   linted as it is (it may be broken JSON, or carry comments).
//! - A strict JSON object with `resources` but no `$schema` is the body of a template: it gets
//!   `$schema`, `contentVersion` and a declaration of every parameter it uses but does not
//!   declare (below).
//! - Any other `json` block that starts with `{` is one resource, and one that starts with `[`
//!   is a list of resources: it becomes the `resources` of a template that declares, as a
//!   `string` parameter with a default value, every `parameters('x')` the block uses. The
//!   default is `westeurope` for a name that contains `location`, else `contoso` followed by
//!   the lower-cased letters and digits of the name without a trailing `Name`
//!   (`keyVaultName` is `contosokeyvault`). A block that needs other parameter types or
//!   values, variables, outputs or a second resource group is written as a whole template.
//! - A block whose info string is `json fragment` (a property fragment, a parameter file
//!   entry) cannot stand alone and is not linted.
//! - A block whose info string is `bicep` is a whole Bicep file and is linted as it is (pages
//!   show Bicep first, JSON second); `bicep fragment` is not linted.
//! - Every page keeps at least one linted JSON block in each of the two sections.
//!
//! Each block is linted alone with `wps-lint check --no-context --format json`; a rule that is
//! off by default is turned on at `warning` by a `wps-lint.toml` beside the file.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

const SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

/// The section a block belongs to, and what its findings must show.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Section {
    Example,
    UseInstead,
}

/// One fenced code block of a page.
struct Block {
    section: Section,
    /// Line of the opening fence in the page, 1-based.
    line: usize,
    info: String,
    text: String,
}

/// The front matter value `key = "value"` of a page.
fn front_matter(page: &str, key: &str) -> Option<String> {
    let body = page.strip_prefix("+++")?;
    let end = body.find("\n+++")?;
    body[..end].lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
    })
}

/// The fenced blocks of the `## Example` and `## Use instead` sections.
fn blocks(page: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut section = None;
    let mut open: Option<(usize, String, String)> = None;
    for (i, line) in page.lines().enumerate() {
        let fence = line.trim_start().starts_with("```");
        match open.take() {
            Some(block) if fence => {
                let (start, info, text) = block;
                if let Some(section) = section {
                    out.push(Block {
                        section,
                        line: start,
                        info,
                        text,
                    });
                }
            }
            Some(mut block) => {
                block.2.push_str(line);
                block.2.push('\n');
                open = Some(block);
            }
            None if fence => {
                let info = line.trim_start().trim_start_matches('`').trim().to_string();
                open = Some((i + 1, info, String::new()));
            }
            None => {
                if let Some(heading) = line.strip_prefix("## ") {
                    section = match heading.trim() {
                        "Example" => Some(Section::Example),
                        "Use instead" => Some(Section::UseInstead),
                        _ => None,
                    };
                }
            }
        }
    }
    out
}

/// The default value of a parameter a wrapped block uses.
fn default_value(name: &str) -> String {
    if name.to_ascii_lowercase().contains("location") {
        return "westeurope".to_string();
    }
    let stem = name.strip_suffix("Name").unwrap_or(name);
    let letters: String = stem
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    format!("contoso{letters}")
}

/// The names of the `parameters('x')` a text uses, first use first.
fn used_parameters(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("parameters('") {
        rest = &rest[at + "parameters('".len()..];
        if let Some(end) = rest.find('\'') {
            let name = rest[..end].to_string();
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// The template a block is linted as, or why it cannot be linted.
fn template(text: &str) -> Result<String, &'static str> {
    if text.contains("\"$schema\"") {
        return Ok(text.to_string());
    }
    if let Ok(serde_json::Value::Object(body)) = serde_json::from_str(text)
        && body.contains_key("resources")
    {
        return Ok(template_from_body(text, body));
    }
    let resources = match text.trim_start().chars().next() {
        Some('[') => text.trim().to_string(),
        Some('{') => format!("[\n{}\n]", text.trim()),
        _ => {
            return Err(
                "neither a template (with `$schema`), a resource object nor a list of \
                        resources; mark it ```json fragment if it cannot stand alone",
            );
        }
    };
    let parameters: Vec<String> = used_parameters(text)
        .iter()
        .map(|name| {
            format!(
                "    {:?}: {{ \"type\": \"string\", \"defaultValue\": {:?} }}",
                name,
                default_value(name)
            )
        })
        .collect();
    Ok(format!(
        "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"parameters\": {{\n{}\n  }},\n  \"resources\": {resources}\n}}\n",
        parameters.join(",\n")
    ))
}

/// A template body (an object with `resources` but no `$schema`) completed with `$schema`,
/// `contentVersion` and the parameters it uses without declaring them.
fn template_from_body(text: &str, body: serde_json::Map<String, serde_json::Value>) -> String {
    let mut parameters = match body.get("parameters") {
        Some(serde_json::Value::Object(p)) => p.clone(),
        _ => serde_json::Map::new(),
    };
    for name in used_parameters(text) {
        parameters.entry(name.clone()).or_insert_with(
            || serde_json::json!({"type": "string", "defaultValue": default_value(&name)}),
        );
    }
    let mut whole = serde_json::Map::new();
    whole.insert("$schema".into(), SCHEMA.into());
    whole.insert("contentVersion".into(), "1.0.0.0".into());
    whole.insert("parameters".into(), parameters.into());
    for (key, value) in body {
        whole.entry(key).or_insert(value);
    }
    serde_json::to_string_pretty(&whole).unwrap() + "\n"
}

/// The findings of linting one template alone, written to `file` (`example.json` or
/// `example.bicep`): (code, line, message), or why there are none.
fn lint(
    file: &str,
    template: &str,
    code: &str,
    off_by_default: bool,
) -> Result<Vec<(String, u64, String)>, String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(file), template).unwrap();
    if off_by_default {
        std::fs::write(
            dir.path().join("wps-lint.toml"),
            format!("[rules]\n{code} = \"warning\"\n"),
        )
        .unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_wps-lint"))
        .current_dir(dir.path())
        .args(["check", "--no-context", "--format", "json", file])
        .output()
        .unwrap();
    if !matches!(out.status.code(), Some(0 | 1)) {
        return Err(format!(
            "wps-lint exited with {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("the JSON report does not parse: {e}"))?;
    if let Some(notice) = report["notices"].as_array().and_then(|n| n.first()) {
        return Err(format!("the block was not linted: {notice}"));
    }
    Ok(report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect())
}

/// What is wrong with one page's examples, one entry per problem.
fn check_page(file: &str, page: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(code) = front_matter(page, "code") else {
        return vec![format!("{file}: no `code` in the front matter")];
    };
    let off = front_matter(page, "level").as_deref() == Some("off");
    let mut linted = [0, 0];
    for block in blocks(page) {
        let words: Vec<&str> = block.info.split_whitespace().collect();
        if words.contains(&"fragment") {
            continue;
        }
        let at = format!("{file}:{} ({:?} block)", block.line, block.section);
        let (example, template) = match words.first() {
            Some(&"bicep") => ("example.bicep", block.text.clone()),
            Some(&"json") => match template(&block.text) {
                Ok(t) => {
                    linted[(block.section == Section::UseInstead) as usize] += 1;
                    ("example.json", t)
                }
                Err(why) => {
                    problems.push(format!("{at}: {why}"));
                    continue;
                }
            },
            _ => continue,
        };
        let findings = match lint(example, &template, &code, off) {
            Ok(f) => f,
            Err(why) => {
                problems.push(format!("{at}: {why}"));
                continue;
            }
        };
        let own = findings.iter().filter(|f| f.0 == code).count();
        let expected_ok = match block.section {
            Section::Example => own > 0,
            Section::UseInstead => own == 0,
        };
        if !expected_ok {
            let mut found = String::new();
            for (c, line, message) in &findings {
                let _ = write!(found, "\n    {c} at line {line}: {message}");
            }
            if found.is_empty() {
                found.push_str(" no findings");
            }
            let expected = match block.section {
                Section::Example => format!("at least one {code} finding"),
                Section::UseInstead => format!("no {code} finding"),
            };
            problems.push(format!(
                "{at}: expected {expected}, found:{found}\n  linted as:\n{template}"
            ));
        }
    }
    if linted[0] == 0 {
        problems.push(format!("{file}: no linted JSON block under `## Example`"));
    }
    if linted[1] == 0 {
        problems.push(format!(
            "{file}: no linted JSON block under `## Use instead`"
        ));
    }
    problems
}

#[test]
fn rule_page_examples_match_their_rule() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("WPS") && name.ends_with(".md"))
        .collect();
    pages.sort();
    assert!(!pages.is_empty(), "no rule pages in {}", dir.display());
    let problems: Vec<String> = pages
        .iter()
        .flat_map(|name| {
            let page = std::fs::read_to_string(dir.join(name)).unwrap();
            check_page(&format!("rules/{name}"), &page)
        })
        .collect();
    assert!(
        problems.is_empty(),
        "{} problem(s) in rule pages:\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}

#[test]
fn blocks_are_found_by_section_and_wrapped() {
    let page = "+++\ncode = \"WPS9\"\nlevel = \"off\"\n+++\n\n## Example\n\n```json\n{\"type\": \"T\", \"name\": \"[parameters('keyVaultName')]\", \"location\": \"[parameters('location')]\"}\n```\n\n## Use instead\n\n```json fragment\n\"a\": 1\n```\n\n```toml\nx = 1\n```\n\n## References\n\n```json\n{}\n```\n";
    assert_eq!(front_matter(page, "code").as_deref(), Some("WPS9"));
    assert_eq!(front_matter(page, "level").as_deref(), Some("off"));
    let found = blocks(page);
    let summary: Vec<_> = found
        .iter()
        .map(|b| (b.section, b.line, b.info.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            (Section::Example, 8, "json"),
            (Section::UseInstead, 14, "json fragment"),
            (Section::UseInstead, 18, "toml"),
        ]
    );
    let wrapped = template(&found[0].text).unwrap();
    let value: serde_json::Value = serde_json::from_str(&wrapped).unwrap();
    assert_eq!(value["resources"][0]["type"], "T");
    assert_eq!(
        value["parameters"]["keyVaultName"]["defaultValue"],
        "contosokeyvault"
    );
    assert_eq!(
        value["parameters"]["location"]["defaultValue"],
        "westeurope"
    );
    assert!(template("\"a\": 1").is_err());
    let whole = "{\"$schema\": \"x\", \"resources\": []}";
    assert_eq!(template(whole).unwrap(), whole);
}

#[test]
fn bicep_blocks_are_linted_as_bicep_files() {
    let bicep = |group: &str| {
        format!(
            "```bicep\nresource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {{\n  name: 'kv-contoso'\n}}\n\nresource wps 'Microsoft.SignalRService/webPubSub@2024-03-01' existing = {{\n  name: 'wps-contoso'\n}}\n\nresource link 'Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources@2024-03-01' = {{\n  parent: wps\n  name: 'kv-link'\n  properties: {{\n    groupId: '{group}'\n    privateLinkResourceId: kv.id\n    requestMessage: 'please approve'\n  }}\n}}\n```\n"
        )
    };
    let json = |group: &str| {
        format!(
            "```json\n{{\"type\": \"Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources\", \"apiVersion\": \"2024-03-01\", \"name\": \"wps-contoso/kv-link\", \"properties\": {{\"groupId\": \"{group}\", \"privateLinkResourceId\": \"[resourceId('Microsoft.KeyVault/vaults', 'kv-contoso')]\", \"requestMessage\": \"please approve\"}}}}\n```\n"
        )
    };
    let page = |example: &str, instead: &str| {
        format!(
            "+++\ncode = \"WPS103\"\nlevel = \"error\"\n+++\n\n## Example\n\n{}\n{}\n## Use instead\n\n{}\n{}",
            bicep(example),
            json("vaults"),
            bicep(instead),
            json("vault")
        )
    };
    assert_eq!(
        check_page("p.md", &page("vaults", "vault")),
        Vec::<String>::new()
    );
    // Swapped, each Bicep block is reported at its fence.
    let problems = check_page("p.md", &page("vault", "vaults"));
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].starts_with("p.md:8 (Example block): expected at least one WPS103 finding")
    );
    assert!(problems[1].contains("(UseInstead block): expected no WPS103 finding"));
}
