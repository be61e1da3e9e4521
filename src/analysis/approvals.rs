//! Approvals of private endpoint connections on Key Vaults: connection resources, and
//! deployment scripts that run an approve command for a vault. Also the ordinary private
//! endpoints that connect to vaults, which explain approvals no shared link needs.

use super::azure::{DEPLOYMENT_SCRIPT, KEY_VAULT, PRIVATE_ENDPOINT, VAULT_CONNECTION};
use super::set::{AnalysisSet, ResourceRef};
use crate::expr::{Part, ResourceId, Text, Value};
use crate::json::Node;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprovalKind {
    /// A `Microsoft.KeyVault/vaults/privateEndpointConnections` resource.
    Connection,
    /// A deployment script running an approve command.
    Script,
}

#[derive(Debug)]
pub struct Approval {
    pub at: ResourceRef,
    pub kind: ApprovalKind,
    /// The vault's name; `None` when it cannot be known.
    pub vault: Option<Text>,
}

/// A private endpoint's connection to a vault (`None`: to something unknown, maybe a vault).
#[derive(Debug)]
pub struct EndpointConnection {
    pub at: ResourceRef,
    pub vault: Option<Text>,
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

pub fn collect(set: &AnalysisSet) -> (Vec<Approval>, Vec<EndpointConnection>) {
    let mut approvals = Vec::new();
    let mut endpoints = Vec::new();
    for (u, unit) in set.units.iter().enumerate() {
        for (i, r) in unit.template.resources.iter().enumerate() {
            if r.existing || !r.deployed {
                continue;
            }
            if r.is_type(VAULT_CONNECTION) {
                let vault = r.id.as_ref().and_then(vault_of).or_else(|| {
                    // The name's first segment is the vault even when the connection is unknown.
                    r.name.as_text().map(|n| n.split('/').swap_remove(0))
                });
                approvals.push(Approval {
                    at: (u, i),
                    kind: ApprovalKind::Connection,
                    vault,
                });
            } else if r.is_type(DEPLOYMENT_SCRIPT) {
                let eval = |path: &[&str]| r.property(path).map(|n| unit.template.eval(i, n));
                let environment = eval(&["environmentVariables"]).unwrap_or(Value::Unknown);
                for key in ["scriptContent", "arguments"] {
                    let Some(script) = eval(&[key]).and_then(|v| v.as_text()) else {
                        continue;
                    };
                    for vault in script_vaults(&script, &environment) {
                        approvals.push(Approval {
                            at: (u, i),
                            kind: ApprovalKind::Script,
                            vault,
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
                        match id {
                            Some(id) if !id.ancestor(1).is_type(KEY_VAULT) => {}
                            id => endpoints.push(EndpointConnection {
                                at: (u, i),
                                vault: id.as_ref().and_then(vault_of),
                            }),
                        }
                    }
                }
            }
        }
    }
    (approvals, endpoints)
}

/// The vaults a script approves connections of: one entry per approve command, `None` where the
/// command names its vault in a way we cannot read.
fn script_vaults(script: &Text, environment: &Value) -> Vec<Option<Text>> {
    commands(script)
        .iter()
        .filter(|words| is_approve_command(words))
        .map(|words| command_vault(words, environment))
        .collect()
}

fn literal_lower(word: &Text) -> Option<String> {
    word.as_literal().map(str::to_ascii_lowercase)
}

fn is_approve_command(words: &[Text]) -> bool {
    let lower: Vec<Option<String>> = words.iter().map(literal_lower).collect();
    lower
        .iter()
        .any(|w| w.as_deref() == Some("approve-azprivateendpointconnection"))
        || lower.windows(2).any(|w| {
            w[0].as_deref() == Some("private-endpoint-connection")
                && w[1].as_deref() == Some("approve")
        })
}

/// The vault an approve command names: `--vault-name`, `--resource-name` or `--name`/`-n`
/// with `--type Microsoft.KeyVault/vaults`, `-ServiceName`, or an `--id`/`-ResourceId` under it.
/// `None` when the option's value cannot be known (a shell variable the script sets itself).
fn command_vault(words: &[Text], environment: &Value) -> Option<Text> {
    // `Some(None)`: the option is there but its value cannot be known.
    let option = |names: &[&str]| {
        words.windows(2).find_map(|w| {
            let flag = literal_lower(&w[0])?;
            names
                .contains(&flag.as_str())
                .then(|| expand(&w[1], environment))
        })
    };
    let typed_as_vault = option(&["--type", "-privatelinkresourcetype"])
        .flatten()
        .and_then(|t| t.as_literal().map(|t| t.eq_ignore_ascii_case(KEY_VAULT)))
        .unwrap_or(false);
    if let Some(name) = option(&["--vault-name", "-servicename", "--resource-name"]) {
        return name;
    }
    if let Some(id) = option(&["--id", "--ids", "-resourceid"]) {
        return ResourceId::parse(&id?).ok().as_ref().and_then(vault_of);
    }
    if typed_as_vault {
        return option(&["--name", "-n", "-name"]).flatten();
    }
    None
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
        script_vaults(&Text::literal(script), &environment)
            .into_iter()
            .map(|v| v.map(|t| t.to_string()))
            .collect()
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
