//! Azure facts the rules stand on; the rule pages in `rules/` cite Microsoft's documentation
//! for each.

/// Service types that have shared private link resources.
pub const WEB_PUBSUB: &str = "Microsoft.SignalRService/webPubSub";
pub const SIGNALR: &str = "Microsoft.SignalRService/signalR";
pub const SERVICES: [&str; 2] = [WEB_PUBSUB, SIGNALR];
pub const CUSTOM_CERTIFICATE_CHILD: &str = "customCertificates";
pub const CUSTOM_DOMAIN_CHILD: &str = "customDomains";

pub const KEY_VAULT: &str = "Microsoft.KeyVault/vaults";
pub const DEPLOYMENT_SCRIPT: &str = "Microsoft.Resources/deploymentScripts";
pub const PRIVATE_ENDPOINT: &str = "Microsoft.Network/privateEndpoints";
pub const WEB_APP: &str = "Microsoft.Web/sites";
pub const STORAGE_ACCOUNT: &str = "Microsoft.Storage/storageAccounts";
pub const PRIVATE_LINK_SERVICE: &str = "Microsoft.Network/privateLinkServices";

/// API versions in which the SPLR child type exists.
pub const WEB_PUBSUB_LINK_API_VERSIONS: &[&str] = &[
    "2021-04-01-preview",
    "2021-06-01-preview",
    "2021-09-01-preview",
    "2021-10-01",
    "2022-08-01-preview",
    "2023-02-01",
    "2023-03-01-preview",
    "2023-06-01-preview",
    "2023-08-01-preview",
    "2024-01-01-preview",
    "2024-03-01",
    "2024-04-01-preview",
    "2024-08-01-preview",
    "2024-10-01-preview",
    "2025-01-01-preview",
    "2025-08-01-preview",
    "2025-12-01-preview",
];
pub const SIGNALR_LINK_API_VERSIONS: &[&str] = &[
    "2021-04-01-preview",
    "2021-06-01-preview",
    "2021-09-01-preview",
    "2021-10-01",
    "2022-02-01",
    "2022-08-01-preview",
    "2023-02-01",
    "2023-03-01-preview",
    "2023-06-01-preview",
    "2023-08-01-preview",
    "2024-01-01-preview",
    "2024-03-01",
    "2024-04-01-preview",
    "2024-08-01-preview",
    "2024-10-01-preview",
    "2025-01-01-preview",
];
pub const NEWEST_STABLE_LINK_API_VERSION: &str = "2024-03-01";
/// `fqdns` exists only in preview versions from this one on.
pub const FIRST_FQDNS_API_VERSION: &str = "2024-08-01-preview";

pub fn is_preview(api_version: &str) -> bool {
    api_version.to_ascii_lowercase().ends_with("-preview")
}

/// Key Vault data-plane DNS suffixes.
pub const KEY_VAULT_DNS_SUFFIXES: [&str; 4] = [
    "vault.azure.net",
    "vault.azure.cn",
    "vault.usgovcloudapi.net",
    "vault.microsoftazure.de",
];

pub const PREMIUM_SKUS: [&str; 2] = ["Premium_P1", "Premium_P2"];
pub const FREE_SKU: &str = "Free_F1";

/// "1 character", "4 characters".
fn characters(count: usize) -> String {
    match count {
        1 => "1 character".into(),
        _ => format!("{count} characters"),
    }
}

/// What a name breaks among the rules vault, service and link names share: its length, only
/// letters, digits and `-`, a letter first and a letter or digit last.
fn name_problem(name: &str, lengths: std::ops::RangeInclusive<usize>) -> Option<String> {
    let length = name.chars().count();
    if !lengths.contains(&length) {
        return Some(format!(
            "it has {} ({}-{} allowed)",
            characters(length),
            lengths.start(),
            lengths.end()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !c.is_ascii_alphanumeric() && *c != '-')
    {
        return Some(format!(
            "`{c}` is not allowed (letters, digits and `-` only)"
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Some("it must start with a letter".into());
    }
    (!name.ends_with(|c: char| c.is_ascii_alphanumeric()))
        .then(|| "it must end with a letter or digit".into())
}

/// Why a vault name breaks the naming rules, if it does.
pub fn vault_name_problem(name: &str) -> Option<String> {
    name_problem(name, 3..=24).or_else(|| name.contains("--").then(|| "it contains `--`".into()))
}

/// Why a shared private link (or service) name breaks its pattern, if it does.
pub fn link_name_problem(name: &str) -> Option<String> {
    name_problem(name, 3..=63)
}

/// Why a resource group name breaks its rules, if it does.
pub fn resource_group_problem(name: &str) -> Option<String> {
    let length = name.chars().count();
    if !(1..=90).contains(&length) {
        return Some(format!(
            "the resource group name has {} (1-90 allowed)",
            characters(length)
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || "_-.()".contains(*c)))
    {
        return Some(format!("`{c}` is not allowed in a resource group name"));
    }
    name.ends_with('.')
        .then(|| "a resource group name cannot end with `.`".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naming_rules() {
        assert_eq!(vault_name_problem("kv-contoso-prod"), None);
        assert!(vault_name_problem("kv").unwrap().contains("2 characters"));
        assert_eq!(
            vault_name_problem("k").unwrap(),
            "it has 1 character (3-24 allowed)"
        );
        assert!(vault_name_problem("1kv").unwrap().contains("start"));
        assert!(vault_name_problem("kv--x").unwrap().contains("--"));
        assert!(vault_name_problem("kv_x").unwrap().contains("`_`"));
        assert_eq!(link_name_problem("kv-link"), None);
        assert!(link_name_problem("kv-link-").unwrap().contains("end"));
        assert_eq!(resource_group_problem("rg.(prod)_1"), None);
        assert!(resource_group_problem("rg.").unwrap().contains("`.`"));
    }
}
