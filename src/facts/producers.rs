//! Every service that creates a private endpoint into a customer's resource for itself (catalog
//! v2): the resource type of its link, where the link keeps its target and group IDs, and the
//! facts the link rules compare, each from Microsoft's documentation as the rule pages in
//! `rules/` cite it. Adding a producer is adding an entry here.

use super::azure::{
    self, KEY_VAULT, PRIVATE_LINK_SERVICE, SIGNALR, SIGNALR_LINK_API_VERSIONS, STORAGE_ACCOUNT,
    WEB_APP, WEB_PUBSUB, WEB_PUBSUB_LINK_API_VERSIONS,
};

/// Who approves the connection the link creates on its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approver {
    /// The target's owner, with a `privateEndpointConnections` change or an approve command.
    Required,
    /// The producer itself, with its own identity (Machine Learning and AI Foundry managed
    /// networks): an approval in the template does nothing (WPS118).
    SelfApproved,
    /// The platform, when the deployer may approve on the target, else the target's owner
    /// (Data Explorer): no approval is required, and one in the template is not superfluous.
    Automatic,
    /// Not documented well enough to check: no approval rule looks at it.
    Unchecked,
}

/// Which targets the producer can reach, and the group IDs each takes.
#[derive(Debug, Clone, Copy)]
pub enum Targets {
    /// Only these types; an empty group list means the group ID is not checked (a private link
    /// service has none; an application gateway's is a frontend configuration name).
    Listed(&'static [(&'static str, &'static [&'static str])]),
    /// Any type with a private link; group IDs of the general table (the general table of private link group IDs)
    /// where the type is in it.
    Any,
}

/// A name rule the documentation states for the link's own name.
#[derive(Debug, Clone, Copy)]
pub enum NameRule {
    /// 3-63 letters, digits and `-`, a letter first, a letter or digit last.
    Splr,
    /// A pattern, and how it reads in a message.
    Pattern(&'static str, &'static str),
    None,
}

/// The SKU that cannot have links.
#[derive(Debug, Clone, Copy)]
pub enum Tier {
    /// `sku.name` is one of these.
    Names(&'static [&'static str]),
    /// AI Search: `free`, `serverless`, or `standard3` with `hostingMode: highDensity`.
    Search,
    /// `sku.name` is not this one.
    Only(&'static str),
    None,
}

/// What makes a resource of the link type a link (Front Door origins without a
/// `sharedPrivateLinkResource` and outbound rules of other kinds are not).
#[derive(Debug, Clone, Copy)]
pub enum Presence {
    Always,
    /// The value at this path (from the link's base) is there and not null.
    Has(&'static [&'static str]),
    /// The value at this path is this word (case-insensitive).
    Equals(&'static [&'static str], &'static str),
}

#[derive(Debug)]
pub struct Producer {
    /// How messages call the link ("AI Search shared private link").
    pub noun: &'static str,
    pub service_type: &'static str,
    pub link_type: &'static str,
    /// The array or map of the resource each item of which is one link (Stream Analytics'
    /// connection list, a workspace's inline outbound rules); none: the resource is one link.
    pub each: Option<&'static [&'static str]>,
    pub presence: Presence,
    /// Paths from the link's base (the resource, or the item).
    pub target: &'static [&'static str],
    pub group: &'static [&'static str],
    /// `groupIds[]`, checked entry by entry.
    pub group_is_list: bool,
    /// The request message the template may set.
    pub request_message: Option<&'static [&'static str]>,
    /// Properties the schema marks read only, from the link's base.
    pub read_only: &'static [&'static [&'static str]],
    pub approver: Approver,
    pub api_versions: &'static [&'static str],
    pub newest_stable: &'static str,
    /// Group IDs that only preview API versions support (WPS110).
    pub preview_groups: &'static [&'static str],
    pub targets: Targets,
    pub name_rule: NameRule,
    /// One link per (target, group ID) on a service (WPS111).
    pub one_per_target: bool,
    pub tier: Tier,
    /// The service rejects links created at the same time (WPS116).
    pub serial_creation: bool,
}

impl Producer {
    /// The link's own type segment(s) as written inside its parent (`sharedPrivateLinkResources`).
    pub fn child_type(&self) -> &'static str {
        self.link_type.rsplit('/').next().unwrap_or(self.link_type)
    }

    /// Whether a link is written at the resource's own level (not an item of a list).
    pub fn is_resource(&self) -> bool {
        self.each.is_none()
    }

    /// The noun with its indefinite article ("an AI Search shared private link"): every noun
    /// that starts with a vowel letter here also starts with a vowel sound.
    pub fn a_noun(&self) -> String {
        let article = match self.noun.chars().next() {
            Some('A' | 'E' | 'I' | 'O' | 'U' | 'a' | 'e' | 'i' | 'o' | 'u') => "an",
            _ => "a",
        };
        format!("{article} {}", self.noun)
    }

    /// Web PubSub or SignalR, the services the custom-certificate rules are about.
    pub fn is_signalr_family(&self) -> bool {
        self.service_type.eq_ignore_ascii_case(WEB_PUBSUB)
            || self.service_type.eq_ignore_ascii_case(SIGNALR)
    }
}

const LINK_TARGET: &[&str] = &["properties", "privateLinkResourceId"];
const LINK_GROUP: &[&str] = &["properties", "groupId"];
const LINK_MESSAGE: &[&str] = &["properties", "requestMessage"];
const STATUS_FIELDS: &[&[&str]] = &[
    &["properties", "status"],
    &["properties", "provisioningState"],
];

/// Web PubSub and SignalR.
const SIGNALR_TARGETS: &[(&str, &[&str])] = &[
    (KEY_VAULT, &["vault"]),
    (WEB_APP, &["sites"]),
    (STORAGE_ACCOUNT, &["table"]),
];
const WEB_PUBSUB_TARGETS: &[(&str, &[&str])] = &[
    (KEY_VAULT, &["vault"]),
    (WEB_APP, &["sites"]),
    (STORAGE_ACCOUNT, &["table"]),
    (PRIVATE_LINK_SERVICE, &[]),
];

/// AI Search.
const SEARCH_TARGETS: &[(&str, &[&str])] = &[
    (STORAGE_ACCOUNT, &["blob", "table", "dfs", "file"]),
    ("Microsoft.DocumentDB/databaseAccounts", &["Sql"]),
    ("Microsoft.Sql/servers", &["sqlServer"]),
    (KEY_VAULT, &["vault"]),
    ("Microsoft.DBforMySQL/servers", &["mysqlServer"]),
    (WEB_APP, &["sites"]),
    ("Microsoft.Sql/managedInstances", &["managedInstance"]),
    (
        "Microsoft.CognitiveServices/accounts",
        &["openai_account", "cognitiveservices_account"],
    ),
    (
        "Microsoft.Fabric/privateLinkServicesForFabric",
        &["workspace"],
    ),
];

/// Front Door Premium origins; an application gateway's group ID is the name of one of its
/// frontend IP configurations, so it is not checked.
const FRONT_DOOR_TARGETS: &[(&str, &[&str])] = &[
    (WEB_APP, &["sites"]),
    (
        STORAGE_ACCOUNT,
        &["blob", "blob_secondary", "web", "web_secondary"],
    ),
    ("Microsoft.ApiManagement/service", &["Gateway"]),
    (
        "Microsoft.App/managedEnvironments",
        &["managedEnvironments"],
    ),
    ("Microsoft.Network/applicationGateways", &[]),
    (PRIVATE_LINK_SERVICE, &[]),
];

/// Data Explorer; Digital Twins' group ID is UNVERIFIED (the sources disagree), and the
/// docs spell its type two ways.
const KUSTO_TARGETS: &[(&str, &[&str])] = &[
    (STORAGE_ACCOUNT, &["blob", "dfs"]),
    ("Microsoft.EventHub/namespaces", &["namespace"]),
    ("Microsoft.Devices/IotHubs", &["iotHub"]),
    (KEY_VAULT, &["vault"]),
    ("Microsoft.Sql/servers", &["sqlServer"]),
    ("Microsoft.Kusto/clusters", &["cluster"]),
    ("Microsoft.DigitalTwins/digitalTwinsInstances", &[]),
    ("Microsoft.DigitalTwins/digitalTwinsInstance", &[]),
];

/// The general private-link table, only rows whose sub-resources are literal group IDs
/// from a primary source.
pub const GENERAL_GROUPS: &[(&str, &[&str])] = &[
    ("Microsoft.CognitiveServices/accounts", &["account"]),
    ("Microsoft.HealthcareApis/services", &["fhir"]),
    (
        "Microsoft.AppConfiguration/configurationStores",
        &["configurationStores"],
    ),
    (WEB_APP, &["sites"]),
    (
        "Microsoft.Automation/automationAccounts",
        &["Webhook", "DSCAndHybridWorker"],
    ),
    (
        "Microsoft.RecoveryServices/vaults",
        &["AzureBackup", "AzureSiteRecovery"],
    ),
    (
        "Microsoft.Batch/batchAccounts",
        &["batchAccount", "nodeManagement"],
    ),
    ("Microsoft.Cache/Redis", &["redisCache"]),
    ("Microsoft.Cache/redisEnterprise", &["redisEnterprise"]),
    ("Microsoft.Search/searchServices", &["searchService"]),
    ("Microsoft.ContainerRegistry/registries", &["registry"]),
    (
        "Microsoft.DocumentDB/databaseAccounts",
        &["SQL", "MongoDB", "Cassandra", "Gremlin", "Table"],
    ),
    ("Microsoft.DBforPostgreSQL/serverGroupsv2", &["coordinator"]),
    ("Microsoft.DocumentDB/mongoClusters", &["mongoCluster"]),
    ("Microsoft.Kusto/clusters", &["cluster"]),
    ("Microsoft.DataFactory/factories", &["dataFactory"]),
    ("Microsoft.DBforMariaDB/servers", &["mariadbServer"]),
    ("Microsoft.DBforMySQL/servers", &["mysqlServer"]),
    ("Microsoft.DBforMySQL/flexibleServers", &["mysqlServer"]),
    ("Microsoft.DBforPostgreSQL/servers", &["postgresqlServer"]),
    (
        "Microsoft.Databricks/workspaces",
        &["databricks_ui_api", "browser_authentication"],
    ),
    ("Microsoft.Devices/provisioningServices", &["iotDps"]),
    ("Microsoft.EventGrid/domains", &["domain"]),
    ("Microsoft.EventGrid/topics", &["topic"]),
    ("Microsoft.EventHub/namespaces", &["namespace"]),
    ("Microsoft.ServiceBus/namespaces", &["namespace"]),
    ("Microsoft.Relay/namespaces", &["namespace"]),
    ("Microsoft.HDInsight/clusters", &["cluster"]),
    ("Microsoft.Devices/IotHubs", &["iotHub"]),
    (KEY_VAULT, &["vault"]),
    ("Microsoft.KeyVault/managedHSMs", &["HSM"]),
    (
        "Microsoft.ContainerService/managedClusters",
        &["management"],
    ),
    (
        "Microsoft.MachineLearningServices/registries",
        &["amlregistry"],
    ),
    (
        "Microsoft.MachineLearningServices/workspaces",
        &["amlworkspace"],
    ),
    ("Microsoft.Insights/privateLinkScopes", &["azuremonitor"]),
    (WEB_PUBSUB, &["webpubsub"]),
    (SIGNALR, &["signalr"]),
    ("Microsoft.Sql/servers", &["sqlServer"]),
    ("Microsoft.Sql/managedInstances", &["managedInstance"]),
    ("Microsoft.Web/staticSites", &["staticSites"]),
    (
        STORAGE_ACCOUNT,
        &[
            "blob",
            "blob_secondary",
            "table",
            "table_secondary",
            "queue",
            "queue_secondary",
            "file",
            "file_secondary",
            "web",
            "web_secondary",
            "dfs",
            "dfs_secondary",
        ],
    ),
    ("Microsoft.Synapse/privateLinkHubs", &["web"]),
    (
        "Microsoft.Synapse/workspaces",
        &["Sql", "SqlOnDemand", "Dev"],
    ),
    ("Microsoft.Purview/accounts", &["account", "portal"]),
    (PRIVATE_LINK_SERVICE, &[]),
];

pub const SEARCH: &str = "Microsoft.Search/searchServices";
pub const FRONT_DOOR: &str = "Microsoft.Cdn/profiles";
pub const FRONT_DOOR_ORIGIN: &str = "Microsoft.Cdn/profiles/originGroups/origins";

const ML_RULE_NAME: NameRule = NameRule::Pattern(
    "^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$",
    "3-33 letters, digits, `_` and `-`, starting with a letter or digit",
);
const ML_API_VERSIONS: &[&str] = &[
    "2023-04-01-preview",
    "2023-06-01-preview",
    "2023-08-01-preview",
    "2023-10-01",
    "2024-01-01-preview",
    "2024-04-01-preview",
    "2024-04-01",
    "2024-07-01-preview",
    "2024-10-01-preview",
    "2024-10-01",
    "2025-01-01-preview",
    "2025-04-01-preview",
    "2025-04-01",
    "2025-06-01",
    "2025-07-01-preview",
    "2025-09-01",
    "2025-10-01-preview",
    "2025-12-01",
    "2026-01-15-preview",
    "2026-03-01",
    "2026-03-15-preview",
    "2026-05-01",
    "2026-05-15-preview",
];
const OUTBOUND_TARGET: &[&str] = &["properties", "destination", "serviceResourceId"];
const OUTBOUND_GROUP: &[&str] = &["properties", "destination", "subresourceTarget"];
const PRIVATE_ENDPOINT_RULE: Presence =
    Presence::Equals(&["properties", "type"], "PrivateEndpoint");

const fn signalr_family(
    service_type: &'static str,
    link_type: &'static str,
    api_versions: &'static [&'static str],
    targets: &'static [(&'static str, &'static [&'static str])],
) -> Producer {
    Producer {
        noun: "shared private link",
        service_type,
        link_type,
        each: None,
        presence: Presence::Always,
        target: LINK_TARGET,
        group: LINK_GROUP,
        group_is_list: false,
        request_message: Some(LINK_MESSAGE),
        read_only: STATUS_FIELDS,
        approver: Approver::Required,
        api_versions,
        newest_stable: azure::NEWEST_STABLE_LINK_API_VERSION,
        preview_groups: &[],
        targets: Targets::Listed(targets),
        name_rule: NameRule::Splr,
        one_per_target: true,
        tier: Tier::Names(&[azure::FREE_SKU]),
        serial_creation: false,
    }
}

pub static PRODUCERS: &[Producer] = &[
    signalr_family(
        WEB_PUBSUB,
        "Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources",
        WEB_PUBSUB_LINK_API_VERSIONS,
        WEB_PUBSUB_TARGETS,
    ),
    signalr_family(
        SIGNALR,
        "Microsoft.SignalRService/signalR/sharedPrivateLinkResources",
        SIGNALR_LINK_API_VERSIONS,
        SIGNALR_TARGETS,
    ),
    //
    Producer {
        noun: "AI Search shared private link",
        service_type: SEARCH,
        link_type: "Microsoft.Search/searchServices/sharedPrivateLinkResources",
        each: None,
        presence: Presence::Always,
        target: LINK_TARGET,
        group: LINK_GROUP,
        group_is_list: false,
        request_message: Some(LINK_MESSAGE),
        // `status` and `provisioningState` are writable in the schema.
        read_only: &[],
        approver: Approver::Required,
        api_versions: &[
            "2020-08-01-preview",
            "2020-08-01",
            "2021-04-01-preview",
            "2022-09-01",
            "2023-11-01",
            "2024-03-01-preview",
            "2024-06-01-preview",
            "2025-02-01-preview",
            "2025-05-01",
            "2026-03-01-preview",
            "2026-09-01-preview",
        ],
        newest_stable: "2025-05-01",
        preview_groups: &["mysqlServer", "managedInstance"],
        targets: Targets::Listed(SEARCH_TARGETS),
        // The troubleshooting page: 1-60 characters, letters, digits, `_`, `.`, `-`,
        // not first.
        name_rule: NameRule::Pattern(
            "^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,59}$",
            "1-60 letters, digits, `_`, `.` and `-`, starting with a letter or digit",
        ),
        one_per_target: true,
        tier: Tier::Search,
        serial_creation: true,
    },
    //
    Producer {
        noun: "Front Door private origin",
        service_type: FRONT_DOOR,
        link_type: FRONT_DOOR_ORIGIN,
        each: None,
        presence: Presence::Has(&["properties", "sharedPrivateLinkResource"]),
        target: &[
            "properties",
            "sharedPrivateLinkResource",
            "privateLink",
            "id",
        ],
        group: &["properties", "sharedPrivateLinkResource", "groupId"],
        group_is_list: false,
        request_message: Some(&["properties", "sharedPrivateLinkResource", "requestMessage"]),
        // `sharedPrivateLinkResource.status` is writable in the schema.
        read_only: &[],
        approver: Approver::Required,
        api_versions: &[
            "2020-09-01",
            "2021-06-01",
            "2022-05-01-preview",
            "2022-11-01-preview",
            "2023-05-01",
            "2023-07-01-preview",
            "2024-02-01",
            "2024-05-01-preview",
            "2024-06-01-preview",
            "2024-09-01",
            "2025-01-01-preview",
            "2025-04-15",
            "2025-05-01-preview",
            "2025-06-01",
            "2025-07-01-preview",
            "2025-09-01-preview",
            "2025-12-01",
            "2026-04-01-preview",
        ],
        newest_stable: "2025-12-01",
        preview_groups: &[],
        targets: Targets::Listed(FRONT_DOOR_TARGETS),
        name_rule: NameRule::None,
        // Origins with the same (target, group ID, region) share one endpoint.
        one_per_target: false,
        tier: Tier::Only("Premium_AzureFrontDoor"),
        serial_creation: false,
    },
    //
    Producer {
        noun: "Data Factory managed private endpoint",
        service_type: "Microsoft.DataFactory/factories",
        link_type: "Microsoft.DataFactory/factories/managedVirtualNetworks/managedPrivateEndpoints",
        each: None,
        presence: Presence::Always,
        target: LINK_TARGET,
        group: LINK_GROUP,
        group_is_list: false,
        // No request message.
        request_message: None,
        read_only: &[
            &["properties", "connectionState"],
            &["properties", "provisioningState"],
            &["properties", "isReserved"],
        ],
        approver: Approver::Required,
        api_versions: &["2018-06-01"],
        newest_stable: "2018-06-01",
        preview_groups: &[],
        targets: Targets::Any,
        name_rule: NameRule::Pattern(
            "^([_A-Za-z0-9]|([_A-Za-z0-9][-_A-Za-z0-9]{0,125}[_A-Za-z0-9]))$",
            "1-127 letters, digits, `_` and `-`, not starting or ending with `-`",
        ),
        one_per_target: true,
        tier: Tier::None,
        serial_creation: false,
    },
    // Approved automatically when the deployer may approve on the target.
    Producer {
        noun: "Data Explorer managed private endpoint",
        service_type: "Microsoft.Kusto/clusters",
        link_type: "Microsoft.Kusto/clusters/managedPrivateEndpoints",
        each: None,
        presence: Presence::Always,
        target: LINK_TARGET,
        group: LINK_GROUP,
        group_is_list: false,
        request_message: Some(LINK_MESSAGE),
        read_only: &[&["properties", "provisioningState"]],
        approver: Approver::Automatic,
        api_versions: &[
            "2021-08-27",
            "2022-02-01",
            "2022-07-07",
            "2022-11-11",
            "2022-12-29",
            "2023-05-02",
            "2023-08-15",
            "2024-04-13",
            "2025-02-14",
        ],
        newest_stable: "2025-02-14",
        preview_groups: &[],
        targets: Targets::Listed(KUSTO_TARGETS),
        name_rule: NameRule::None,
        one_per_target: true,
        tier: Tier::None,
        serial_creation: false,
    },
    //
    Producer {
        noun: "Stream Analytics private endpoint",
        service_type: "Microsoft.StreamAnalytics/clusters",
        link_type: "Microsoft.StreamAnalytics/clusters/privateEndpoints",
        each: Some(&["properties", "manualPrivateLinkServiceConnections"]),
        presence: Presence::Always,
        target: &["properties", "privateLinkServiceId"],
        group: &["properties", "groupIds"],
        group_is_list: true,
        // Read only here.
        request_message: None,
        read_only: &[
            &["properties", "requestMessage"],
            &["properties", "privateLinkServiceConnectionState"],
        ],
        approver: Approver::Required,
        api_versions: &["2020-03-01-preview", "2020-03-01"],
        newest_stable: "2020-03-01",
        preview_groups: &[],
        targets: Targets::Any,
        name_rule: NameRule::None,
        one_per_target: false,
        tier: Tier::None,
        serial_creation: false,
    },
    //
    Producer {
        noun: "Managed Grafana managed private endpoint",
        service_type: "Microsoft.Dashboard/grafana",
        link_type: "Microsoft.Dashboard/grafana/managedPrivateEndpoints",
        each: None,
        presence: Presence::Always,
        target: LINK_TARGET,
        group: &["properties", "groupIds"],
        group_is_list: true,
        request_message: Some(LINK_MESSAGE),
        read_only: &[
            &["properties", "connectionState"],
            &["properties", "provisioningState"],
            &["properties", "privateLinkServicePrivateIP"],
        ],
        approver: Approver::Required,
        api_versions: &[
            "2022-10-01-preview",
            "2023-09-01",
            "2023-10-01-preview",
            "2024-10-01",
            "2024-11-01-preview",
            "2025-08-01",
            "2025-09-01-preview",
        ],
        newest_stable: "2025-08-01",
        preview_groups: &[],
        targets: Targets::Any,
        name_rule: NameRule::None,
        one_per_target: true,
        tier: Tier::Only("Standard"),
        serial_creation: false,
    },
    // How the target approves is UNVERIFIED.
    Producer {
        noun: "Database Watcher shared private link",
        service_type: "Microsoft.DatabaseWatcher/watchers",
        link_type: "Microsoft.DatabaseWatcher/watchers/sharedPrivateLinkResources",
        each: None,
        presence: Presence::Always,
        target: LINK_TARGET,
        group: LINK_GROUP,
        group_is_list: false,
        request_message: Some(LINK_MESSAGE),
        read_only: STATUS_FIELDS,
        approver: Approver::Unchecked,
        api_versions: &[
            "2023-09-01-preview",
            "2024-07-19-preview",
            "2024-10-01-preview",
            "2025-01-02",
        ],
        newest_stable: "2025-01-02",
        preview_groups: &[],
        targets: Targets::Any,
        name_rule: NameRule::Pattern(
            "^[a-zA-Z0-9]{1}[a-zA-Z0-9-_.]{0,62}[a-zA-Z0-9_]{1}$",
            "2-64 letters, digits, `-`, `_` and `.`, starting with a letter or digit and ending with a letter, digit or `_`",
        ),
        one_per_target: false,
        tier: Tier::None,
        serial_creation: false,
    },
    // The workspace's identity approves.
    Producer {
        noun: "Machine Learning outbound rule",
        service_type: "Microsoft.MachineLearningServices/workspaces",
        link_type: "Microsoft.MachineLearningServices/workspaces/outboundRules",
        each: None,
        presence: PRIVATE_ENDPOINT_RULE,
        target: OUTBOUND_TARGET,
        group: OUTBOUND_GROUP,
        group_is_list: false,
        request_message: None,
        read_only: &[],
        approver: Approver::SelfApproved,
        api_versions: ML_API_VERSIONS,
        newest_stable: "2026-05-01",
        preview_groups: &[],
        targets: Targets::Any,
        name_rule: ML_RULE_NAME,
        one_per_target: false,
        tier: Tier::None,
        serial_creation: false,
    },
    // The same rules written inline on the workspace, a map from rule name to rule.
    Producer {
        noun: "Machine Learning outbound rule",
        service_type: "Microsoft.MachineLearningServices/workspaces",
        link_type: "Microsoft.MachineLearningServices/workspaces",
        each: Some(&["properties", "managedNetwork", "outboundRules"]),
        presence: Presence::Equals(&["type"], "PrivateEndpoint"),
        target: &["destination", "serviceResourceId"],
        group: &["destination", "subresourceTarget"],
        group_is_list: false,
        request_message: None,
        read_only: &[],
        approver: Approver::SelfApproved,
        api_versions: &[],
        newest_stable: "",
        preview_groups: &[],
        targets: Targets::Any,
        name_rule: NameRule::None,
        one_per_target: false,
        tier: Tier::None,
        serial_creation: false,
    },
    Producer {
        noun: "AI Foundry outbound rule",
        service_type: "Microsoft.CognitiveServices/accounts",
        link_type: "Microsoft.CognitiveServices/accounts/managedNetworks/outboundRules",
        each: None,
        presence: PRIVATE_ENDPOINT_RULE,
        target: OUTBOUND_TARGET,
        group: OUTBOUND_GROUP,
        group_is_list: false,
        request_message: None,
        read_only: &[],
        approver: Approver::SelfApproved,
        api_versions: &[
            "2025-10-01-preview",
            "2025-12-01",
            "2026-01-15-preview",
            "2026-03-01",
            "2026-03-15-preview",
            "2026-05-01",
            "2026-05-15-preview",
            "2026-07-01",
        ],
        newest_stable: "2026-07-01",
        preview_groups: &[],
        targets: Targets::Any,
        name_rule: ML_RULE_NAME,
        one_per_target: false,
        tier: Tier::None,
        serial_creation: false,
    },
];

/// The producer whose links have this resource type.
pub fn producer_of(type_name: &str) -> Option<&'static Producer> {
    PRODUCERS
        .iter()
        .find(|p| p.link_type.eq_ignore_ascii_case(type_name))
}

/// The producer whose service has this type (the first, for a type with two link forms).
pub fn producer_of_service(type_name: &str) -> Option<&'static Producer> {
    PRODUCERS
        .iter()
        .find(|p| p.service_type.eq_ignore_ascii_case(type_name))
}

/// The group IDs a target type takes from this producer: `None` when the producer cannot
/// reach it, `Some(&[])` when its group ID is not checked.
pub fn target_groups(producer: &Producer, target_type: &str) -> Option<&'static [&'static str]> {
    let find = |table: &'static [(&'static str, &'static [&'static str])]| {
        table
            .iter()
            .find(|(t, _)| t.eq_ignore_ascii_case(target_type))
            .map(|(_, groups)| *groups)
    };
    match producer.targets {
        Targets::Listed(table) => find(table),
        Targets::Any => Some(find(GENERAL_GROUPS).unwrap_or(&[])),
    }
}

/// The supported target types, for a message.
pub fn targets_text(producer: &Producer) -> String {
    let Targets::Listed(table) = producer.targets else {
        return "any resource with a private link".into();
    };
    let names: Vec<&str> = table.iter().map(|(t, _)| *t).collect();
    match names.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// A target type with a `privateEndpointConnections` child: how messages call it, and
/// the status words of its connections (`None`: a free string in the schema).
pub struct Approvable {
    pub type_name: &'static str,
    pub display: &'static str,
    pub statuses: Option<&'static [&'static str]>,
}

const FOUR: &[&str] = &["Pending", "Approved", "Rejected", "Disconnected"];
const THREE: &[&str] = &["Pending", "Approved", "Rejected"];

const fn approvable(
    type_name: &'static str,
    display: &'static str,
    statuses: Option<&'static [&'static str]>,
) -> Approvable {
    Approvable {
        type_name,
        display,
        statuses,
    }
}

pub static APPROVABLE: &[Approvable] = &[
    approvable(KEY_VAULT, "vault", Some(FOUR)),
    approvable(STORAGE_ACCOUNT, "storage account", Some(THREE)),
    approvable(
        "Microsoft.Sql/servers",
        "SQL server",
        Some(&[
            "Pending",
            "Approved",
            "Rejected",
            "Disconnected",
            "Required",
        ]),
    ),
    approvable(
        "Microsoft.Sql/managedInstances",
        "SQL managed instance",
        None,
    ),
    approvable(
        "Microsoft.DocumentDB/databaseAccounts",
        "Cosmos DB account",
        None,
    ),
    approvable(WEB_APP, "web app", None),
    approvable(
        "Microsoft.CognitiveServices/accounts",
        "Cognitive Services account",
        Some(THREE),
    ),
    approvable(SEARCH, "search service", Some(FOUR)),
    approvable(
        "Microsoft.EventHub/namespaces",
        "Event Hubs namespace",
        Some(FOUR),
    ),
    approvable(
        "Microsoft.ServiceBus/namespaces",
        "Service Bus namespace",
        Some(FOUR),
    ),
    approvable(
        "Microsoft.DBforMySQL/flexibleServers",
        "MySQL flexible server",
        Some(THREE),
    ),
    approvable(
        "Microsoft.DBforPostgreSQL/flexibleServers",
        "PostgreSQL flexible server",
        Some(THREE),
    ),
    approvable("Microsoft.Kusto/clusters", "Data Explorer cluster", None),
    approvable(
        "Microsoft.App/managedEnvironments",
        "Container Apps environment",
        Some(FOUR),
    ),
    approvable(
        "Microsoft.ApiManagement/service",
        "API Management service",
        Some(THREE),
    ),
    approvable(PRIVATE_LINK_SERVICE, "private link service", None),
    approvable("Microsoft.DataFactory/factories", "data factory", None),
    approvable("Microsoft.Synapse/workspaces", "Synapse workspace", None),
    approvable("Microsoft.Purview/accounts", "Purview account", None),
    approvable(
        "Microsoft.MachineLearningServices/workspaces",
        "Machine Learning workspace",
        None,
    ),
    approvable(
        "Microsoft.ContainerRegistry/registries",
        "container registry",
        None,
    ),
    approvable("Microsoft.Cache/redis", "Redis cache", None),
    approvable(
        "Microsoft.Insights/privateLinkScopes",
        "Azure Monitor private link scope",
        None,
    ),
    approvable(
        "Microsoft.Network/applicationGateways",
        "application gateway",
        None,
    ),
];

pub fn approvable_type(type_name: &str) -> Option<&'static Approvable> {
    APPROVABLE
        .iter()
        .find(|a| a.type_name.eq_ignore_ascii_case(type_name))
}

/// The target type whose connections a type `{target}/privateEndpointConnections` is.
pub fn connection_target(type_name: &str) -> Option<&'static Approvable> {
    let (parent, child) = type_name.rsplit_once('/')?;
    child
        .eq_ignore_ascii_case("privateEndpointConnections")
        .then(|| approvable_type(parent))
        .flatten()
}

/// How a message calls a target type: its display name, or the type itself.
pub fn display(type_name: &str) -> String {
    approvable_type(type_name).map_or_else(|| type_name.to_string(), |a| a.display.to_string())
}

/// A producer as the on-disk cache keeps it: by its link type (`#[serde(with)]`).
pub mod by_link_type {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use super::{PRODUCERS, Producer};

    pub fn serialize<S: Serializer>(p: &&'static Producer, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(p.link_type)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static Producer, D::Error> {
        let link_type = <&str>::deserialize(d)?;
        PRODUCERS
            .iter()
            .find(|p| p.link_type == link_type)
            .ok_or_else(|| D::Error::custom(format!("no producer has links of type {link_type}")))
    }
}

/// A producer's service type, as summaries keep it. An alias rather than `&'static str`
/// written out, so that serde's derive does not take it for text borrowed from its input.
pub type ServiceType = &'static str;

/// A service type as the on-disk cache keeps it: the type, read back as the table's own string
/// (`#[serde(with)]`).
pub mod service_type {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use super::{PRODUCERS, ServiceType};

    pub fn serialize<S: Serializer>(t: &ServiceType, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(t)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ServiceType, D::Error> {
        let wanted = <&str>::deserialize(d)?;
        PRODUCERS
            .iter()
            .map(|p| p.service_type)
            .find(|t| *t == wanted)
            .ok_or_else(|| D::Error::custom(format!("no producer's service has type {wanted}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_reads_every_producer_and_service_type_back_as_the_tables_own() {
        #[derive(serde::Serialize, serde::Deserialize)]
        struct Kept {
            #[serde(with = "by_link_type")]
            producer: &'static Producer,
            #[serde(with = "service_type")]
            service: ServiceType,
        }
        let children = azure::SERVICES.map(|service| (&PRODUCERS[0], service));
        let every = PRODUCERS.iter().map(|p| (p, p.service_type));
        for (producer, service) in every.chain(children) {
            let bytes = postcard::to_allocvec(&Kept { producer, service }).unwrap();
            let back: Kept = postcard::from_bytes(&bytes).unwrap();
            assert!(std::ptr::eq(back.producer, producer), "{}", producer.noun);
            assert_eq!(back.service, service);
        }
        let unknown = postcard::to_allocvec(&("Microsoft.Nothing/links", "x")).unwrap();
        assert!(postcard::from_bytes::<Kept>(&unknown).is_err());
    }

    #[test]
    fn every_producer_is_found_by_its_types() {
        for p in PRODUCERS.iter().filter(|p| p.is_resource()) {
            assert!(std::ptr::eq(producer_of(p.link_type).unwrap(), p));
            assert!(producer_of_service(p.service_type).is_some());
            assert!(p.api_versions.contains(&p.newest_stable), "{}", p.noun);
        }
        assert_eq!(
            producer_of("microsoft.search/SEARCHSERVICES/sharedprivatelinkresources")
                .unwrap()
                .noun,
            "AI Search shared private link"
        );
        let search = producer_of_service(SEARCH).unwrap();
        assert_eq!(
            target_groups(search, "microsoft.storage/storageaccounts"),
            Some(&["blob", "table", "dfs", "file"][..])
        );
        assert_eq!(
            target_groups(search, "Microsoft.Network/privateLinkServices"),
            None
        );
        let factory = producer_of_service("Microsoft.DataFactory/factories").unwrap();
        assert_eq!(
            target_groups(factory, "Microsoft.Databricks/workspaces").map(<[_]>::len),
            Some(2)
        );
        assert_eq!(
            target_groups(factory, "Microsoft.Contoso/widgets"),
            Some(&[][..])
        );
        assert_eq!(
            connection_target("Microsoft.Storage/storageAccounts/privateEndpointConnections")
                .map(|a| a.display),
            Some("storage account")
        );
        assert!(connection_target("Microsoft.Storage/storageAccounts/blobServices").is_none());
        assert!(
            targets_text(search).ends_with("and Microsoft.Fabric/privateLinkServicesForFabric")
        );
    }
}
