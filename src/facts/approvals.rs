//! Approvals of private endpoint connections on every target type that has them: connection
//! resources (`{target}/privateEndpointConnections`), and deployment scripts that run an
//! approve command. Also the ordinary private endpoints, which explain approvals no link needs.

use super::azure::{DEPLOYMENT_SCRIPT, KEY_VAULT, PRIVATE_ENDPOINT, STORAGE_ACCOUNT};
use super::producers::{approvable_type, connection_target, display};
use super::template_facts::{ResourceRef, TemplateFacts};
use crate::expr::{Part, ResourceId, Text, Value};
use crate::json::Node;

const COSMOS_DB: &str = "Microsoft.DocumentDB/databaseAccounts";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprovalKind {
    /// A `{target}/privateEndpointConnections` resource.
    Connection,
    /// A deployment script running an approve command.
    Script,
}

/// The resource an approval or a connection is for, as far as it is known: its type, name and
/// resource group.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct TargetKey {
    pub type_name: Option<String>,
    pub name: Option<Text>,
    pub group: Option<Text>,
}

impl TargetKey {
    /// The top-level resource an ID is, or is under.
    pub fn of_id(id: &ResourceId) -> TargetKey {
        let top = id.ancestor(1);
        TargetKey {
            type_name: Some(top.type_name()),
            name: Some(top.name().clone()),
            group: top.resource_group().cloned(),
        }
    }

    pub fn of_type(type_name: &str, name: Option<Text>) -> TargetKey {
        TargetKey {
            type_name: Some(type_name.to_string()),
            name,
            group: None,
        }
    }

    pub fn is_vault(&self) -> bool {
        self.type_name
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case(KEY_VAULT))
    }

    /// Three-valued: the same resource? Types and names decide; a resource group decides too
    /// where both sides write it out, except for vaults, whose names are globally unique.
    pub fn same(&self, other: &TargetKey) -> Option<bool> {
        if let (Some(a), Some(b)) = (&self.type_name, &other.type_name)
            && !a.eq_ignore_ascii_case(b)
        {
            return Some(false);
        }
        let names = self.name.as_ref()?.equals(other.name.as_ref()?, true)?;
        if !names {
            return Some(false);
        }
        let groups = match (&self.group, &other.group) {
            (Some(a), Some(b)) if !self.is_vault() => match (a.as_literal(), b.as_literal()) {
                (Some(x), Some(y)) if !x.eq_ignore_ascii_case(y) => return Some(false),
                _ => a.equals(b, true),
            },
            _ => Some(true),
        };
        let types = self.type_name.is_some() && other.type_name.is_some();
        match (groups, types) {
            (Some(true), true) => Some(true),
            _ => None,
        }
    }

    /// Whether it may be the other (not certainly a different resource).
    pub fn could_be(&self, other: &TargetKey) -> bool {
        self.same(other) != Some(false)
    }

    /// How a message calls it: "vault `kv-one`".
    pub fn describe(&self) -> String {
        let what = self
            .type_name
            .as_deref()
            .map_or_else(|| "resource".to_string(), display);
        match &self.name {
            Some(name) => format!("{what} `{name}`"),
            None => what,
        }
    }
}

#[derive(Debug)]
pub struct Approval {
    pub at: ResourceRef,
    pub kind: ApprovalKind,
    /// The target whose connection it approves.
    pub target: TargetKey,
}

/// A private endpoint's connection to a resource (an unknown key: to something unknown).
#[derive(Debug)]
pub struct EndpointConnection {
    pub at: ResourceRef,
    pub target: TargetKey,
}

/// Whether two vault names are the same vault. Vault names are globally unique, so the name
/// decides (three-valued).
pub fn same_vault(a: &Text, b: &Text) -> Option<bool> {
    a.equals(b, true)
}

/// The vault a resource ID is, or is under.
pub fn vault_of(id: &ResourceId) -> Option<Text> {
    let vault = id.ancestor(1);
    vault.is_type(KEY_VAULT).then(|| vault.name().clone())
}

pub fn collect(facts: &TemplateFacts) -> (Vec<Approval>, Vec<EndpointConnection>) {
    let mut approvals = Vec::new();
    let mut endpoints = Vec::new();
    for (u, unit) in facts.units.iter().enumerate() {
        for (i, r) in unit.template.resources.iter().enumerate() {
            if r.existing || !r.deployed {
                continue;
            }
            if let Some(target) = connection_target(&r.type_name) {
                let key = match &r.id {
                    Some(id) => TargetKey::of_id(id),
                    // The name's first segment is the target even when the connection is unknown.
                    None => TargetKey::of_type(
                        target.type_name,
                        r.name.as_text().map(|n| n.split('/').swap_remove(0)),
                    ),
                };
                approvals.push(Approval {
                    at: (u, i),
                    kind: ApprovalKind::Connection,
                    target: key,
                });
            } else if r.is_type(DEPLOYMENT_SCRIPT) {
                let eval = |path: &[&str]| r.property(path).map(|n| unit.template.eval(i, n));
                let environment = eval(&["environmentVariables"]).unwrap_or(Value::Unknown);
                for key in ["scriptContent", "arguments"] {
                    let Some(script) = eval(&[key]).and_then(|v| v.as_text()) else {
                        continue;
                    };
                    for target in script_targets(&script, &environment) {
                        approvals.push(Approval {
                            at: (u, i),
                            kind: ApprovalKind::Script,
                            target,
                        });
                    }
                }
            } else if r.is_type(PRIVATE_ENDPOINT) {
                for list in [
                    "privateLinkServiceConnections",
                    "manualPrivateLinkServiceConnections",
                ] {
                    for connection in r.property(&[list]).and_then(Node::as_array).unwrap_or(&[]) {
                        let Some(node) = connection.path(&["properties", "privateLinkServiceId"])
                        else {
                            continue;
                        };
                        let id = unit
                            .template
                            .eval(i, node)
                            .as_text()
                            .and_then(|t| ResourceId::parse(&t).ok());
                        endpoints.push(EndpointConnection {
                            at: (u, i),
                            target: id.as_ref().map(TargetKey::of_id).unwrap_or_default(),
                        });
                    }
                }
            }
        }
    }
    (approvals, endpoints)
}

/// The targets a script approves connections of: one entry per approve command, with what of
/// the target the command names in a way we can read.
fn script_targets(script: &Text, environment: &Value) -> Vec<TargetKey> {
    commands(script)
        .iter()
        .filter_map(|words| approve_command(words))
        .map(|(words, kind)| command_target(words, kind, environment))
        .collect()
}

fn literal_lower(word: &Text) -> Option<String> {
    word.as_literal().map(str::to_ascii_lowercase)
}

/// Which approve command a command line runs: the target type its command group implies
/// (`None`: `az network` and PowerShell, which name the type in an option), and the words from
/// the command on.
fn approve_command(words: &[Text]) -> Option<(&[Text], Option<&'static str>)> {
    let lower: Vec<Option<String>> = words.iter().map(literal_lower).collect();
    if let Some(at) = lower
        .iter()
        .position(|w| w.as_deref() == Some("approve-azprivateendpointconnection"))
    {
        return Some((&words[at..], None));
    }
    let at = lower.windows(2).position(|w| {
        w[0].as_deref() == Some("private-endpoint-connection") && w[1].as_deref() == Some("approve")
    })?;
    let group = |back: usize| {
        at.checked_sub(back)
            .and_then(|k| lower[k].as_deref())
            .unwrap_or_default()
    };
    let kind = match group(1) {
        "keyvault" => Some(KEY_VAULT),
        "cosmosdb" => Some(COSMOS_DB),
        "account" if group(2) == "storage" => Some(STORAGE_ACCOUNT),
        _ => None,
    };
    Some((&words[at..], kind))
}

/// The target an approve command names. In every approve command `--name`/`-n`/`-Name` is the
/// connection, never the target: the target is `--vault-name` or `--account-name` of the
/// service's own command group, `--resource-name` with `--type` of `az network`,
/// `-ServiceName` with `-PrivateLinkResourceType` of PowerShell, or the resource an
/// `--id`/`-ResourceId` is under.
fn command_target(words: &[Text], kind: Option<&'static str>, environment: &Value) -> TargetKey {
    // `Some(None)`: the option is there but its value cannot be known.
    let option = |names: &[&str]| {
        words.windows(2).find_map(|w| {
            let flag = literal_lower(&w[0])?;
            names
                .contains(&flag.as_str())
                .then(|| expand(&w[1], environment))
        })
    };
    if let Some(id) = option(&["--id", "--ids", "-resourceid"]) {
        return id
            .and_then(|id| ResourceId::parse(&id).ok())
            .map(|id| TargetKey::of_id(&id))
            .unwrap_or_default();
    }
    let type_name = match kind {
        Some(kind) => Some(kind.to_string()),
        None => option(&["--type", "-privatelinkresourcetype"])
            .flatten()
            .and_then(|t| t.as_literal().map(canonical_type)),
    };
    let name = match kind {
        Some(KEY_VAULT) => option(&["--vault-name"]),
        Some(_) => option(&["--account-name"]),
        None => option(&["--resource-name", "-servicename"]),
    };
    TargetKey {
        type_name,
        name: name.flatten(),
        group: option(&["--resource-group", "-g", "-resourcegroupname"]).flatten(),
    }
}

/// A type as the table spells it (the CLI takes `Microsoft.Keyvault/vaults`).
fn canonical_type(type_name: &str) -> String {
    approvable_type(type_name).map_or_else(|| type_name.to_string(), |a| a.type_name.to_string())
}

/// A word with its shell variables (`$VAR`, `${VAR}`, `$env:VAR`, `${env:VAR}`) replaced by
/// the script's environment variables. `None` when a variable is not one of them or has no
/// known value (the script sets it, e.g. from `$(az ...)`, or it is a parameter of the
/// script), or the word holds a command substitution: the value cannot be known.
fn expand(word: &Text, environment: &Value) -> Option<Text> {
    let mut out = Text::default();
    for part in word.parts() {
        let literal = match part {
            Part::Sym(symbol) => {
                out.push_symbol(symbol.clone());
                continue;
            }
            Part::Lit(s) => s.as_str(),
        };
        let mut rest = literal;
        while let Some(at) = rest.find('$') {
            out.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            let (name, tail) = if let Some(braced) = after.strip_prefix('{') {
                let end = braced.find('}')?;
                (without_env_prefix(&braced[..end]), &braced[end + 1..])
            } else {
                let bare = without_env_prefix(after);
                let end = bare
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(bare.len());
                (&bare[..end], &bare[end..])
            };
            if name.is_empty() {
                return None;
            }
            out.push_text(&environment_variable(environment, name)?);
            rest = tail;
        }
        out.push_str(rest);
    }
    Some(out)
}

/// PowerShell's `env:` drive prefix (`$env:X`, `${env:X}`), taken off.
fn without_env_prefix(name: &str) -> &str {
    name.get(..4)
        .filter(|p| p.eq_ignore_ascii_case("env:"))
        .map_or(name, |_| &name[4..])
}

/// The value of one of the script's `environmentVariables` (`value`, else `secureValue`).
fn environment_variable(environment: &Value, name: &str) -> Option<Text> {
    let Value::Array(variables) = environment else {
        return None;
    };
    let variable = variables.iter().find(|v| {
        v.get("name")
            .as_literal_str()
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
    })?;
    let value = variable.get("value");
    if value.is_unknown() {
        variable.get("secureValue")
    } else {
        value
    }
    .as_text()
}

/// Splits a script into commands (lines and `;`, with `\` and backtick continuations joined)
/// and each command into words (white space outside quotes; quotes removed).
fn commands(script: &Text) -> Vec<Vec<Text>> {
    let joined = script.map_literals(|s| {
        s.replace("\\\r\n", " ")
            .replace("\\\n", " ")
            .replace("`\r\n", " ")
            .replace("`\n", " ")
    });
    let mut commands: Vec<Vec<Text>> = vec![Vec::new()];
    let mut word = Text::default();
    let flush = |word: &mut Text, commands: &mut Vec<Vec<Text>>| {
        if !word.parts().is_empty() {
            commands.last_mut().unwrap().push(std::mem::take(word));
        }
    };
    for part in joined.parts() {
        match part {
            Part::Sym(symbol) => word.push_symbol(symbol.clone()),
            Part::Lit(s) => {
                for c in s.chars() {
                    match c {
                        '\n' | ';' => {
                            flush(&mut word, &mut commands);
                            commands.push(Vec::new());
                        }
                        '"' | '\'' => {}
                        c if c.is_whitespace() => flush(&mut word, &mut commands),
                        c => word.push_str(c.encode_utf8(&mut [0; 4])),
                    }
                }
            }
        }
    }
    flush(&mut word, &mut commands);
    commands
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Symbol;

    fn vaults(script: &str, environment: Value) -> Vec<Option<String>> {
        script_targets(&Text::literal(script), &environment)
            .into_iter()
            .map(|k| k.name.map(|t| t.to_string()))
            .collect()
    }

    fn targets(script: &str) -> Vec<(Option<String>, Option<String>)> {
        script_targets(&Text::literal(script), &Value::Unknown)
            .into_iter()
            .map(|k| (k.type_name, k.name.map(|t| t.to_string())))
            .collect()
    }

    #[test]
    fn the_connection_name_is_never_the_target() {
        let vault = Some(KEY_VAULT.to_string());
        // `--name` is the connection; the vault is `--resource-name`.
        assert_eq!(
            targets(
                "az network private-endpoint-connection approve -g rg -n conn-1 --resource-name kv-one --type Microsoft.Keyvault/vaults"
            ),
            [(vault.clone(), Some("kv-one".to_string()))]
        );
        assert_eq!(
            targets(
                "az network private-endpoint-connection approve --name conn-1 --type Microsoft.KeyVault/vaults"
            ),
            [(vault, None)]
        );
        assert_eq!(
            targets(
                "az storage account private-endpoint-connection approve --account-name stcontoso --name conn-1"
            ),
            [(
                Some(STORAGE_ACCOUNT.to_string()),
                Some("stcontoso".to_string())
            )]
        );
        assert_eq!(
            targets(
                "az cosmosdb private-endpoint-connection approve -a cosmos -n c --id /subscriptions/s/resourceGroups/rg/providers/Microsoft.DocumentDB/databaseAccounts/cosmos-one/privateEndpointConnections/c"
            ),
            [(Some(COSMOS_DB.to_string()), Some("cosmos-one".to_string()))]
        );
        assert_eq!(
            targets(
                "Approve-AzPrivateEndpointConnection -Name c -ResourceGroupName rg -ServiceName app-one -PrivateLinkResourceType Microsoft.Web/sites"
            ),
            [(
                Some("Microsoft.Web/sites".to_string()),
                Some("app-one".to_string())
            )]
        );
    }

    #[test]
    fn reads_approve_commands() {
        let none = Value::Unknown;
        assert_eq!(
            vaults(
                "set -e\naz keyvault private-endpoint-connection approve --vault-name 'kv-one' -n $CONN",
                none.clone()
            ),
            [Some("kv-one".to_string())]
        );
        assert_eq!(
            vaults(
                "az network private-endpoint-connection approve \\\n --id /subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-two/privateEndpointConnections/c",
                none.clone()
            ),
            [Some("kv-two".to_string())]
        );
        assert_eq!(
            vaults(
                "Approve-AzPrivateEndpointConnection -ServiceName kv3 -Name c; echo ok",
                none.clone()
            ),
            [Some("kv3".to_string())]
        );
        let env = Value::Array(vec![Value::Object(vec![
            ("name".into(), Value::str("VAULT")),
            (
                "value".into(),
                Value::String(Text::symbol(Symbol::new("parameters('kv')"))),
            ),
        ])]);
        assert_eq!(
            vaults(
                "az keyvault private-endpoint-connection approve --vault-name \"${VAULT}\" --name c",
                env
            ),
            [Some("{parameters('kv')}".to_string())]
        );
        // Shell variables the environment does not define are unknown, not vault names.
        assert_eq!(
            vaults(
                "KV=$(az keyvault list --query [0].name -o tsv)\naz keyvault private-endpoint-connection approve --vault-name $KV -n c",
                none.clone()
            ),
            [None]
        );
        let env = Value::Array(vec![
            Value::Object(vec![
                ("name".into(), Value::str("VAULT")),
                ("value".into(), Value::str("kv-four")),
            ]),
            Value::Object(vec![
                ("name".into(), Value::str("VAULT_ID")),
                (
                    "value".into(),
                    Value::str(
                        "/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-five",
                    ),
                ),
            ]),
            Value::Object(vec![
                ("name".into(), Value::str("LATER")),
                ("value".into(), Value::Unknown),
            ]),
        ]);
        assert_eq!(
            vaults(
                "Approve-AzPrivateEndpointConnection -ServiceName ${env:VAULT} -Name c\nApprove-AzPrivateEndpointConnection -ServiceName $VaultName -Name c\naz network private-endpoint-connection approve --id \"$VAULT_ID/privateEndpointConnections/$CONN\"\naz network private-endpoint-connection approve --id \"${VAULT_ID}/privateEndpointConnections/c\"\naz keyvault private-endpoint-connection approve --vault-name $LATER -n c",
                env
            ),
            [
                Some("kv-four".to_string()),
                None,
                None,
                Some("kv-five".to_string()),
                None
            ]
        );
        assert_eq!(
            vaults("az keyvault show --name kv", none.clone()),
            Vec::<Option<String>>::new()
        );
        assert_eq!(
            vaults(
                "az network private-endpoint-connection approve --name c",
                none
            ),
            [None]
        );
    }
}
