//! A structure-aware generator: ARM templates with Web PubSub/SignalR links, Key Vaults,
//! private endpoint connections, certificates, nested deployments, copy loops, conditions,
//! dependsOn, parameters, variables, user functions and expressions built from every function
//! the evaluator knows.

use arbitrary::{Result, Unstructured};
use serde_json::{Map, Value as J, json};

const FUNCTIONS: &[(&str, usize)] = &[
    ("add", 2),
    ("and", 2),
    ("array", 1),
    ("bool", 1),
    ("coalesce", 3),
    ("concat", 3),
    ("contains", 2),
    ("copyIndex", 2),
    ("createArray", 3),
    ("createObject", 4),
    ("deployment", 0),
    ("div", 2),
    ("empty", 1),
    ("endsWith", 2),
    ("environment", 0),
    ("equals", 2),
    ("extensionResourceId", 3),
    ("false", 0),
    ("first", 1),
    ("format", 3),
    ("greater", 2),
    ("greaterOrEquals", 2),
    ("guid", 2),
    ("if", 3),
    ("int", 1),
    ("join", 2),
    ("json", 1),
    ("last", 1),
    ("length", 1),
    ("less", 2),
    ("lessOrEquals", 2),
    ("managementGroup", 0),
    ("managementGroupResourceId", 2),
    ("max", 2),
    ("min", 2),
    ("mod", 2),
    ("mul", 2),
    ("not", 1),
    ("null", 0),
    ("or", 2),
    ("padLeft", 3),
    ("parameters", 1),
    ("range", 2),
    ("replace", 3),
    ("resourceGroup", 0),
    ("resourceId", 3),
    ("skip", 2),
    ("split", 2),
    ("startsWith", 2),
    ("string", 1),
    ("sub", 2),
    ("subscription", 0),
    ("subscriptionResourceId", 3),
    ("substring", 3),
    ("take", 2),
    ("tenant", 0),
    ("tenantResourceId", 2),
    ("toLower", 1),
    ("toUpper", 1),
    ("trim", 1),
    ("true", 0),
    ("tryGet", 3),
    ("union", 2),
    ("uniqueString", 2),
    ("variables", 1),
    ("reference", 2),
    ("listKeys", 2),
    ("utcNow", 0),
    ("lastIndexOf", 2),
    ("indexOf", 2),
    ("base64", 1),
    ("dataUri", 1),
    ("items", 1),
    ("filter", 2),
];

const STRINGS: &[&str] = &[
    "",
    "a",
    "kv",
    "wps",
    "/",
    "//",
    "'",
    "{0}",
    "{1}/{0}",
    "{99}",
    "{",
    "}",
    "{0:N2}",
    "{{",
    "}}",
    "{18446744073709551615}",
    "{-1}",
    "Microsoft.KeyVault/vaults",
    "Microsoft.SignalRService/webPubSub",
    "Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources",
    "Microsoft.KeyVault/vaults/privateEndpointConnections",
    "Microsoft.Resources/deployments",
    "Microsoft.Network/privateEndpoints",
    "Microsoft.Authorization/locks",
    "a/b",
    "a/b/c",
    "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv",
    "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv/providers/Microsoft.Authorization/locks/l",
    "/providers",
    "/subscriptions",
    "/subscriptions/x/resourceGroups",
    "Straße",
    "ǅ",
    "𝔘x",
    "é",
    "İ",
    "ﬃ",
    "\u{301}",
    " ",
    "\t",
    "vault",
    "vaults",
    "Approved",
    "Pending",
    "[",
    "]",
    "[[x]",
    "https://kv.vault.azure.net/",
    "https://kv.privatelink.vaultcore.azure.net/",
    "true",
    "42",
    "-9223372036854775808",
    "9223372036854775807",
    "{\"a\":[1,{\"b\":null}]}",
    "[1,2,3]",
    "null",
    "2024-03-01",
    "2021-10-01-preview",
    "sharedPrivateLinkResources",
    "x",
    "y",
    "v0",
    "v1",
    "p0",
    "p1",
    "loop",
    "inner",
    "outer",
];

const INTS: &[i64] = &[
    0,
    1,
    2,
    3,
    -1,
    -2,
    7,
    800,
    801,
    1 << 20,
    1 << 31,
    i32::MAX as i64,
    i64::MAX,
    i64::MIN,
    i64::MAX - 1,
    i64::MIN + 1,
    16 << 20,
];

pub struct Gen<'u, 'd> {
    pub u: &'u mut Unstructured<'d>,
    params: Vec<String>,
    vars: Vec<String>,
    funcs: Vec<(String, usize)>,
}

impl<'u, 'd> Gen<'u, 'd> {
    pub fn new(u: &'u mut Unstructured<'d>) -> Self {
        Gen {
            u,
            params: Vec::new(),
            vars: Vec::new(),
            funcs: Vec::new(),
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Result<&'a T> {
        self.u.choose(items)
    }

    fn string_lit(&mut self) -> Result<String> {
        Ok(if self.u.ratio(1, 6)? {
            let s: String = self.u.arbitrary()?;
            s.chars().take(24).collect()
        } else {
            self.pick(STRINGS)?.to_string()
        })
    }

    fn quote(s: &str) -> String {
        format!("'{}'", s.replace('\'', "''"))
    }

    /// An expression (the text between the brackets).
    pub fn expr(&mut self, depth: u32) -> Result<String> {
        let choice = if depth == 0 {
            self.u.int_in_range(0..=3)?
        } else {
            self.u.int_in_range(0..=12)?
        };
        Ok(match choice {
            0 => Self::quote(&self.string_lit()?),
            1 => self.pick(INTS)?.to_string(),
            2 if !self.params.is_empty() => {
                let p = self.pick(&self.params.clone())?.clone();
                format!("parameters('{p}')")
            }
            3 if !self.vars.is_empty() => {
                let v = self.pick(&self.vars.clone())?.clone();
                format!("variables('{v}')")
            }
            2 | 3 => "resourceGroup().name".into(),
            4 => {
                let base = self.expr(depth - 1)?;
                let name = self.pick(&[
                    "id",
                    "name",
                    "a",
                    "b",
                    "location",
                    "tenantId",
                    "suffixes",
                    "keyvaultDns",
                    "outputs",
                    "properties",
                ])?;
                format!("{base}.{name}")
            }
            5 => {
                let base = self.expr(depth - 1)?;
                let index = self.expr(depth - 1)?;
                format!("{base}[{index}]")
            }
            6 if !self.funcs.is_empty() => {
                let (name, arity) = self.pick(&self.funcs.clone())?.clone();
                let args = (0..arity)
                    .map(|_| self.expr(depth - 1))
                    .collect::<Result<Vec<_>>>()?;
                format!("ns.{name}({})", args.join(", "))
            }
            _ => {
                let (name, arity) = *self.pick(FUNCTIONS)?;
                let n = if self.u.ratio(1, 5)? {
                    self.u.int_in_range(0..=5)?
                } else {
                    arity
                };
                let args = (0..n)
                    .map(|_| self.expr(depth - 1))
                    .collect::<Result<Vec<_>>>()?;
                format!("{name}({})", args.join(", "))
            }
        })
    }

    fn expr_string(&mut self) -> Result<J> {
        let depth = self.u.int_in_range(0..=5)?;
        Ok(J::String(format!("[{}]", self.expr(depth)?)))
    }

    fn value(&mut self, depth: u32) -> Result<J> {
        Ok(match self.u.int_in_range(0..=7)? {
            0 | 1 | 2 => self.expr_string()?,
            3 => J::String(self.string_lit()?),
            4 => json!(*self.pick(INTS)?),
            5 if depth > 0 => {
                let n = self.u.int_in_range(0..=3)?;
                J::Array(
                    (0..n)
                        .map(|_| self.value(depth - 1))
                        .collect::<Result<_>>()?,
                )
            }
            6 if depth > 0 => {
                let n = self.u.int_in_range(0..=3)?;
                let mut m = Map::new();
                for _ in 0..n {
                    let k = self.pick(&["a", "b", "name", "id", "A"])?.to_string();
                    m.insert(k, self.value(depth - 1)?);
                }
                J::Object(m)
            }
            _ => J::Null,
        })
    }

    /// Sometimes a character of `s` replaced by a random one (often multi-byte).
    fn mutate(&mut self, s: &str) -> Result<String> {
        if !self.u.ratio(1, 8)? {
            return Ok(s.to_string());
        }
        let mut chars: Vec<char> = s.chars().collect();
        let at = self.u.choose_index(chars.len())?;
        chars[at] = *self.pick(&['é', '𝔘', 'İ', '/', '\u{0}', 'K', 'ß'])?;
        Ok(chars.into_iter().collect())
    }

    fn name_value(&mut self) -> Result<J> {
        Ok(if self.u.ratio(1, 2)? {
            self.expr_string()?
        } else {
            J::String(self.string_lit()?)
        })
    }

    fn resource(&mut self, depth: u32) -> Result<J> {
        let types = [
            "Microsoft.KeyVault/vaults",
            "Microsoft.SignalRService/webPubSub",
            "Microsoft.SignalRService/signalR",
            "Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources",
            "Microsoft.SignalRService/signalR/sharedPrivateLinkResources",
            "Microsoft.SignalRService/webPubSub/replicas/sharedPrivateLinkResources",
            "Microsoft.KeyVault/vaults/privateEndpointConnections",
            "Microsoft.SignalRService/webPubSub/customCertificates",
            "Microsoft.SignalRService/webPubSub/customDomains",
            "Microsoft.Resources/deployments",
            "sharedPrivateLinkResources",
            "Microsoft.Web/sites",
        ];
        let t = *self.pick(&types)?;
        let mut r = Map::new();
        r.insert("type".into(), J::String(self.mutate(t)?));
        let api = *self.pick(&[
            "2024-03-01",
            "2023-07-01",
            "2021-10-01",
            "2023-08-01-preview",
            "1999-01-01",
            "[parameters('p0')]",
        ])?;
        r.insert("apiVersion".into(), J::String(api.into()));
        r.insert("name".into(), self.name_value()?);
        if self.u.ratio(1, 3)? {
            r.insert(
                "location".into(),
                J::String("[resourceGroup().location]".into()),
            );
        }
        if self.u.ratio(1, 4)? {
            r.insert("condition".into(), self.value(0)?);
        }
        if self.u.ratio(1, 4)? {
            let mut copy = Map::new();
            copy.insert(
                "name".into(),
                J::String(self.pick(&["loop", "inner", "x"])?.to_string()),
            );
            copy.insert("count".into(), self.value(0)?);
            r.insert("copy".into(), J::Object(copy));
        }
        if self.u.ratio(1, 3)? {
            let n = self.u.int_in_range(0..=3)?;
            r.insert(
                "dependsOn".into(),
                J::Array((0..n).map(|_| self.name_value()).collect::<Result<_>>()?),
            );
        }
        if self.u.ratio(1, 3)? {
            r.insert(
                "sku".into(),
                json!({ "name": self.name_value()?, "tier": "Premium", "capacity": 1 }),
            );
        }
        if self.u.ratio(1, 3)? {
            r.insert(
                "identity".into(),
                json!({ "type": self.pick(&["SystemAssigned", "UserAssigned", "None"])? }),
            );
        }
        let mut props = Map::new();
        match t {
            t if t.ends_with("sharedPrivateLinkResources") => {
                props.insert("groupId".into(), self.name_value()?);
                props.insert("privateLinkResourceId".into(), self.name_value()?);
                if self.u.ratio(1, 3)? {
                    props.insert("requestMessage".into(), self.name_value()?);
                }
            }
            "Microsoft.KeyVault/vaults/privateEndpointConnections" => {
                props.insert(
                    "privateLinkServiceConnectionState".into(),
                    json!({ "status": self.name_value()?, "description": self.name_value()? }),
                );
                if self.u.ratio(1, 2)? {
                    props.insert(
                        "privateEndpoint".into(),
                        json!({ "id": self.name_value()? }),
                    );
                }
            }
            "Microsoft.SignalRService/webPubSub/customCertificates" => {
                props.insert("keyVaultBaseUri".into(), self.name_value()?);
                props.insert("keyVaultSecretName".into(), self.name_value()?);
            }
            "Microsoft.SignalRService/webPubSub/customDomains" => {
                props.insert("domainName".into(), self.name_value()?);
                props.insert(
                    "customCertificate".into(),
                    json!({ "id": self.name_value()? }),
                );
            }
            "Microsoft.KeyVault/vaults" => {
                props.insert(
                    "tenantId".into(),
                    J::String("[subscription().tenantId]".into()),
                );
                props.insert("publicNetworkAccess".into(), self.name_value()?);
                props.insert(
                    "networkAcls".into(),
                    json!({ "defaultAction": self.name_value()?, "bypass": "None" }),
                );
            }
            "Microsoft.Resources/deployments" if depth > 0 => {
                props.insert("mode".into(), J::String("Incremental".into()));
                let scope = *self.pick(&["inner", "outer", "Inner", "bogus"])?;
                props.insert(
                    "expressionEvaluationOptions".into(),
                    json!({ "scope": scope }),
                );
                let inner = self.template(depth - 1)?;
                let mut inner_params = Map::new();
                if let Some(J::Object(ps)) = inner.get("parameters") {
                    for k in ps.keys() {
                        if self.u.ratio(2, 3)? {
                            inner_params.insert(k.clone(), json!({ "value": self.value(1)? }));
                        }
                    }
                }
                props.insert("parameters".into(), J::Object(inner_params));
                props.insert("template".into(), inner);
                if self.u.ratio(1, 4)? {
                    r.insert("resourceGroup".into(), self.name_value()?);
                }
                if self.u.ratio(1, 4)? {
                    r.insert("subscriptionId".into(), self.name_value()?);
                }
            }
            _ => {
                if self.u.ratio(1, 2)? {
                    props.insert("x".into(), self.value(2)?);
                }
            }
        }
        r.insert("properties".into(), J::Object(props));
        if depth > 0 && self.u.ratio(1, 4)? {
            let n = self.u.int_in_range(0..=2)?;
            r.insert(
                "resources".into(),
                J::Array(
                    (0..n)
                        .map(|_| self.resource(depth - 1))
                        .collect::<Result<_>>()?,
                ),
            );
        }
        Ok(J::Object(r))
    }

    pub fn template(&mut self, depth: u32) -> Result<J> {
        let saved = (self.params.clone(), self.vars.clone(), self.funcs.clone());
        let mut t = Map::new();
        t.insert(
            "$schema".into(),
            J::String(
                "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
                    .into(),
            ),
        );
        t.insert("contentVersion".into(), J::String("1.0.0.0".into()));
        let np = self.u.int_in_range(0..=4)?;
        self.params = (0..np).map(|i| format!("p{i}")).collect();
        let nv = self.u.int_in_range(0..=5)?;
        self.vars = (0..nv).map(|i| format!("v{i}")).collect();
        let nf = self.u.int_in_range(0..=2)?;
        self.funcs = Vec::new();
        let mut funcs = Map::new();
        for i in 0..nf {
            let arity = self.u.int_in_range(0..=2)?;
            self.funcs.push((format!("f{i}"), arity));
        }
        for i in 0..nf {
            let arity = self.funcs[i].1;
            let params: Vec<J> = (0..arity)
                .map(|a| json!({ "name": format!("a{a}"), "type": "string" }))
                .collect();
            // Inside a function body only its parameters are visible.
            let outer = std::mem::replace(
                &mut self.params,
                (0..arity).map(|a| format!("a{a}")).collect(),
            );
            let body = self.expr_string()?;
            self.params = outer;
            funcs.insert(
                format!("f{i}"),
                json!({ "parameters": params, "output": { "type": "string", "value": body } }),
            );
        }
        let mut params = Map::new();
        for p in self.params.clone() {
            let ty = *self.pick(&["string", "int", "array", "object", "bool", "securestring"])?;
            let mut decl = Map::new();
            decl.insert("type".into(), J::String(ty.into()));
            if self.u.ratio(1, 2)? {
                decl.insert("defaultValue".into(), self.value(1)?);
            }
            params.insert(p, J::Object(decl));
        }
        let mut vars = Map::new();
        for v in self.vars.clone() {
            vars.insert(v, self.value(2)?);
        }
        t.insert("parameters".into(), J::Object(params));
        t.insert("variables".into(), J::Object(vars));
        if nf > 0 {
            t.insert(
                "functions".into(),
                json!([{ "namespace": "ns", "members": funcs }]),
            );
        }
        let nr = self.u.int_in_range(1..=6)?;
        let resources: Vec<J> = (0..nr)
            .map(|_| self.resource(depth))
            .collect::<Result<_>>()?;
        if self.u.ratio(1, 6)? {
            // languageVersion 2.0: resources keyed by symbolic name.
            t.insert("languageVersion".into(), J::String("2.0".into()));
            let mut m = Map::new();
            for (i, r) in resources.into_iter().enumerate() {
                m.insert(format!("r{i}"), r);
            }
            t.insert("resources".into(), J::Object(m));
        } else {
            t.insert("resources".into(), J::Array(resources));
        }
        if self.u.ratio(1, 3)? {
            t.insert(
                "outputs".into(),
                json!({ "o": { "type": "string", "value": self.expr_string()? } }),
            );
        }
        (self.params, self.vars, self.funcs) = saved;
        Ok(J::Object(t))
    }

    /// A parameter file for the root template's parameters.
    pub fn parameter_file(&mut self, template: &J) -> Result<J> {
        let mut ps = Map::new();
        if let Some(J::Object(declared)) = template.get("parameters") {
            for k in declared.keys() {
                if self.u.ratio(1, 2)? {
                    let v = if self.u.ratio(1, 5)? {
                        json!({ "reference": { "keyVault": { "id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv" }, "secretName": "s" } })
                    } else {
                        json!({ "value": self.value(1)? })
                    };
                    ps.insert(k.clone(), v);
                }
            }
        }
        Ok(json!({
            "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
            "contentVersion": "1.0.0.0",
            "parameters": ps,
        }))
    }
}
