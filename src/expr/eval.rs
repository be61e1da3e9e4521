//! The evaluator. It never fails: what it cannot compute is `Value::Unknown`, and what is
//! definite but unnamed is a symbol, so rules can tell "different" from "cannot tell".

use std::cell::Cell;

use super::ast::{Expr, ExprKind, StringForm, classify};
use super::functions;
use super::parser::{self, ParseError};
use super::value::{Symbol, Text, Value};
use crate::json::{Kind, Node};

/// Where a template is deployed: what `resourceId()`, `subscription()` and `resourceGroup()`
/// refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    ResourceGroup,
    Subscription,
    ManagementGroup,
    Tenant,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentScope {
    pub kind: ScopeKind,
    pub subscription: Text,
    pub resource_group: Text,
    pub tenant: Text,
}

/// A user-defined function: parameter names in order and the output value node.
pub struct UserFunction<'a> {
    pub parameters: Vec<String>,
    pub output: &'a Node<'a>,
}

/// What an expression can see. `None` from a lookup means "not declared here".
pub trait Context {
    fn parameter(&self, name: &str) -> Option<Value>;
    fn variable(&self, name: &str) -> Option<Value>;
    fn function(&self, namespace: &str, name: &str) -> Option<UserFunction<'_>>;
    fn scope(&self) -> &DeploymentScope;
    /// The current index of a `copy` loop (the innermost when `loop_name` is `None`).
    fn copy_index(&self, loop_name: Option<&str>) -> Value;
    /// The parse of an expression text already parsed, if the context keeps them.
    fn parsed(&self, _text: &str) -> Option<&Result<Expr, ParseError>> {
        None
    }
    /// The outputs (each `{"type", "value"}`) of the nested deployment a `reference()` target
    /// names, when the template holds its template and they can be worked out.
    fn outputs(&self, _target: &Value) -> Option<Value> {
        None
    }
}

/// User functions may call each other; this bounds runaway recursion.
const MAX_CALL_DEPTH: u32 = 32;

/// What one evaluation may still spend, the evaluations of the user functions it calls included.
struct Budget {
    /// User-function calls: each evaluates the function's body anew, so a body that calls
    /// functions twice doubles the work at every level.
    calls: Cell<u32>,
    /// Bytes of the values functions return. One value stops at 1 MiB, but a few bytes of
    /// template can ask for many (a big variable named a thousand times in one array); no
    /// evaluation of the shared corpus's templates needs 4 MiB.
    bytes: Cell<usize>,
}

pub(crate) struct Evaluator<'c> {
    pub ctx: &'c dyn Context,
    depth: u32,
    budget: &'c Budget,
}

impl<'c> Evaluator<'c> {
    /// Evaluates with a fresh budget.
    fn run<T>(ctx: &dyn Context, f: impl FnOnce(&Evaluator) -> T) -> T {
        let budget = Budget {
            calls: Cell::new(256),
            bytes: Cell::new(4 << 20),
        };
        f(&Evaluator {
            ctx,
            depth: 0,
            budget: &budget,
        })
    }

    /// Once the bytes are spent, every function call is unknown without being computed.
    pub fn spent(&self) -> bool {
        self.budget.bytes.get() == 0
    }

    /// A function's result, paid for; unknown when it is too large or too deep to keep, or
    /// does not fit in what is left (which spends the rest).
    pub fn charge(&self, value: Value) -> Value {
        let left = self.budget.bytes.get();
        match value.size_within(functions::MAX_VALUE_BYTES, functions::MAX_VALUE_DEPTH) {
            Some(size) if size <= left => {
                self.budget.bytes.set(left - size);
                value
            }
            Some(_) => {
                self.budget.bytes.set(0);
                Value::Unknown
            }
            None => Value::Unknown,
        }
    }

    pub fn eval(&self, expr: &Expr) -> Value {
        grow_stack(|| self.eval_here(expr))
    }

    fn eval_here(&self, expr: &Expr) -> Value {
        match &expr.kind {
            ExprKind::String(s) => Value::str(s.clone()),
            ExprKind::Int(i) => Value::Int(*i),
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Null => Value::Null,
            ExprKind::Member { base, name } => {
                functions::outputs(self, base, name).unwrap_or_else(|| self.eval(base).get(name))
            }
            ExprKind::Index { base, index } => index_value(&self.eval(base), &self.eval(index)),
            ExprKind::Call {
                namespace: Some(ns),
                name,
                args,
            } => self.call_user(ns, name, args),
            ExprKind::Call {
                namespace: None,
                name,
                args,
            } => functions::call(self, name, args),
        }
    }

    pub fn args(&self, args: &[Expr]) -> Vec<Value> {
        args.iter().map(|a| self.eval(a)).collect()
    }

    fn call_user(&self, namespace: &str, name: &str, args: &[Expr]) -> Value {
        let Some(function) = self.ctx.function(namespace, name) else {
            return Value::Unknown;
        };
        let calls = self.budget.calls.get();
        if self.depth >= MAX_CALL_DEPTH || calls == 0 || self.spent() {
            return Value::Unknown;
        }
        self.budget.calls.set(calls - 1);
        let values = self.args(args);
        let frame = FunctionFrame {
            outer: self.ctx,
            parameters: function.parameters.into_iter().zip(values).collect(),
        };
        let inner = Evaluator {
            ctx: &frame,
            depth: self.depth + 1,
            budget: self.budget,
        };
        self.charge(inner.node(function.output))
    }

    pub fn node(&self, node: &Node) -> Value {
        grow_stack(|| self.node_here(node))
    }

    fn node_here(&self, node: &Node) -> Value {
        match &node.kind {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(*b),
            Kind::Number(text) => text.parse().map_or(Value::Unknown, Value::Int),
            Kind::String(s) => self.string(s),
            Kind::Array(items) => Value::Array(items.iter().map(|n| self.node(n)).collect()),
            Kind::Object(members) => {
                let mut object = Vec::with_capacity(members.len());
                for m in members {
                    match property_loops(&m.key, &m.value) {
                        Some(loops) => object.extend(loops.map(|l| self.property_loop(l))),
                        None => object.push((m.key.to_string(), self.node(&m.value))),
                    }
                }
                Value::Object(object)
            }
        }
    }

    /// One property copy loop (`{"name", "count", "input"}`): the array of its `input` at each
    /// index, `copyIndex('name')` bound. Unknown when the count is, or is past
    /// `MAX_PROPERTY_ITEMS`.
    fn property_loop(&self, l: &Node) -> (String, Value) {
        let name = l.get("name").and_then(Node::as_str).unwrap_or_default();
        let count = l
            .get("count")
            .map(|c| self.node(c))
            .and_then(|c| c.as_int());
        let value = match (count.and_then(|c| usize::try_from(c).ok()), l.get("input")) {
            (Some(count), Some(input)) if count <= MAX_PROPERTY_ITEMS => Value::Array(
                (0..count)
                    .map(|index| {
                        let frame = PropertyLoop {
                            outer: self.ctx,
                            name,
                            index: index as i64,
                        };
                        let inner = Evaluator {
                            ctx: &frame,
                            depth: self.depth,
                            budget: self.budget,
                        };
                        self.charge(inner.node(input))
                    })
                    .collect(),
            ),
            _ => Value::Unknown,
        };
        (name.to_string(), value)
    }

    fn string(&self, s: &str) -> Value {
        match classify(s) {
            StringForm::Literal(text) => Value::str(text),
            StringForm::Expression(text) => match self.ctx.parsed(text) {
                Some(Ok(expr)) => self.eval(expr),
                Some(Err(_)) => Value::Unknown,
                None => match parser::parse(text) {
                    Ok(expr) => self.eval(&expr),
                    Err(_) => Value::Unknown,
                },
            },
        }
    }
}

/// One evaluation is as deep as its JSON value and expressions; variables, parameters and user
/// functions start evaluations inside it, and so on down a chain. The limits on each still let
/// a chain need more stack than a thread has (2 MiB for rayon's), so the stack grows instead.
fn grow_stack(f: impl FnOnce() -> Value) -> Value {
    stacker::maybe_grow(RED_ZONE, 8 << 20, f)
}

/// Room left for what runs between two checks: one level of evaluation and the recursive
/// operations on values (comparing, cloning, dropping) inside it.
const RED_ZONE: usize = 1 << 20;

fn index_value(base: &Value, index: &Value) -> Value {
    match (base, index) {
        (Value::Array(items), Value::Int(i)) => usize::try_from(*i)
            .ok()
            .and_then(|i| items.get(i).cloned())
            .unwrap_or(Value::Unknown),
        (Value::Object(_), Value::String(key)) => match key.as_literal() {
            Some(key) => base.get(key),
            None => Value::Unknown,
        },
        (Value::Symbol(sym), index) => match index {
            Value::Int(i) => Value::Symbol(sym.index(&i.to_string())),
            Value::String(t) if t.is_literal() => {
                Value::Symbol(sym.member(t.as_literal().unwrap()))
            }
            Value::Symbol(i) => Value::Symbol(sym.index(i.key())),
            _ => Value::Unknown,
        },
        // A known array at a symbolic index (`parameters('vaults')[copyIndex()]` in a copy
        // loop): one definite item, the same wherever the same array and index meet.
        (Value::Array(_), Value::Symbol(i)) => match base.key() {
            Some(items) => Value::Symbol(Symbol::new(format!("{items}[{}]", i.key()))),
            None => Value::Unknown,
        },
        _ => Value::Unknown,
    }
}

/// A user function's body sees its own parameters, its template's variables (Bicep emits
/// imported variables so) and the other user functions; nothing else.
struct FunctionFrame<'c> {
    outer: &'c dyn Context,
    parameters: Vec<(String, Value)>,
}

impl Context for FunctionFrame<'_> {
    fn parameter(&self, name: &str) -> Option<Value> {
        self.parameters
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }

    fn variable(&self, name: &str) -> Option<Value> {
        self.outer.variable(name)
    }

    fn function(&self, namespace: &str, name: &str) -> Option<UserFunction<'_>> {
        self.outer.function(namespace, name)
    }

    fn scope(&self) -> &DeploymentScope {
        self.outer.scope()
    }

    fn copy_index(&self, _loop_name: Option<&str>) -> Value {
        Value::Unknown
    }

    fn parsed(&self, text: &str) -> Option<&Result<Expr, ParseError>> {
        self.outer.parsed(text)
    }
}

/// How many items of one property copy loop are evaluated; past this the property is unknown.
/// The loops of real templates build lists of a few items; ARM's own limit is 800.
pub const MAX_PROPERTY_ITEMS: usize = 32;

/// The loops of an object's `copy` member when it is a property copy loop list: an array of
/// objects each with a literal `name` and an `input` (a resource's own loop is an object).
pub fn property_loops<'n, 'a>(
    key: &str,
    value: &'n Node<'a>,
) -> Option<impl Iterator<Item = &'n Node<'a>>> {
    let loops = value
        .as_array()
        .filter(|_| key.eq_ignore_ascii_case("copy"))?;
    let is_loop =
        |l: &Node| l.get("name").and_then(Node::as_str).is_some() && l.get("input").is_some();
    (!loops.is_empty() && loops.iter().all(is_loop)).then(|| loops.iter())
}

/// The `input` of a property copy loop at one index: `copyIndex('name')` is that index; the
/// rest is the enclosing context's.
struct PropertyLoop<'c> {
    outer: &'c dyn Context,
    name: &'c str,
    index: i64,
}

impl Context for PropertyLoop<'_> {
    fn parameter(&self, name: &str) -> Option<Value> {
        self.outer.parameter(name)
    }

    fn variable(&self, name: &str) -> Option<Value> {
        self.outer.variable(name)
    }

    fn function(&self, namespace: &str, name: &str) -> Option<UserFunction<'_>> {
        self.outer.function(namespace, name)
    }

    fn scope(&self) -> &DeploymentScope {
        self.outer.scope()
    }

    fn copy_index(&self, loop_name: Option<&str>) -> Value {
        match loop_name {
            Some(n) if n.eq_ignore_ascii_case(self.name) => Value::Int(self.index),
            _ => self.outer.copy_index(loop_name),
        }
    }

    fn parsed(&self, text: &str) -> Option<&Result<Expr, ParseError>> {
        self.outer.parsed(text)
    }

    fn outputs(&self, target: &Value) -> Option<Value> {
        self.outer.outputs(target)
    }
}

pub fn eval_expr(expr: &Expr, ctx: &dyn Context) -> Value {
    Evaluator::run(ctx, |ev| ev.eval(expr))
}

/// Evaluates a JSON value from a template: strings that are expressions are evaluated.
pub fn eval_node(node: &Node, ctx: &dyn Context) -> Value {
    Evaluator::run(ctx, |ev| ev.node(node))
}

/// A copy loop (`{"name", "count", "input"}`) as the array it makes.
pub fn eval_copy_loop(copy: &Node, ctx: &dyn Context) -> Value {
    Evaluator::run(ctx, |ev| ev.property_loop(copy).1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::value::Symbol;

    /// A context with two parameters (`kv` without a value, `count` = 3), a variable and a
    /// copy loop at index 2.
    struct Fixed(DeploymentScope);

    impl Context for Fixed {
        fn parameter(&self, name: &str) -> Option<Value> {
            match name.to_ascii_lowercase().as_str() {
                "kv" => Some(Value::Symbol(Symbol::new("parameters('kv')"))),
                "count" => Some(Value::Int(3)),
                _ => None,
            }
        }
        fn variable(&self, name: &str) -> Option<Value> {
            (name == "list").then(|| Value::Array(vec![Value::str("a"), Value::str("b")]))
        }
        fn function(&self, _: &str, _: &str) -> Option<UserFunction<'_>> {
            None
        }
        fn scope(&self) -> &DeploymentScope {
            &self.0
        }
        fn copy_index(&self, _: Option<&str>) -> Value {
            Value::Int(2)
        }
    }

    fn eval(text: &str) -> String {
        let scope = DeploymentScope {
            kind: ScopeKind::ResourceGroup,
            subscription: Text::literal("sub"),
            resource_group: Text::literal("rg"),
            tenant: Text::literal("tenant"),
        };
        let expr = parser::parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        match eval_expr(&expr, &Fixed(scope)) {
            Value::String(t) => t.to_string(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn functions_evaluate_like_arm() {
        let cases = [
            ("concat('a', 'b', 1)", "ab1"),
            (
                "format('{0}/{1}-{{x}}', 'svc', parameters('kv'))",
                "svc/{parameters('kv')}-{x}",
            ),
            (
                "resourceId('Microsoft.KeyVault/vaults', 'kv1')",
                "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1",
            ),
            (
                "resourceId('other', 'Microsoft.Web/sites', 'app')",
                "/subscriptions/sub/resourceGroups/other/providers/Microsoft.Web/sites/app",
            ),
            (
                "subscriptionResourceId('Microsoft.Resources/resourceGroups', 'g')",
                "/subscriptions/sub/providers/Microsoft.Resources/resourceGroups/g",
            ),
            (
                "tenantResourceId('Microsoft.Management/managementGroups', 'm')",
                "/providers/Microsoft.Management/managementGroups/m",
            ),
            (
                "extensionResourceId(resourceId('Microsoft.KeyVault/vaults', 'kv1'), 'Microsoft.Authorization/locks', 'l')",
                "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1/providers/Microsoft.Authorization/locks/l",
            ),
            (
                "extensionResourceId(format('/subscriptions/{0}/resourceGroups/{1}', subscription().subscriptionId, 'other'), 'Microsoft.KeyVault/vaults', 'kv1')",
                "/subscriptions/sub/resourceGroups/other/providers/Microsoft.KeyVault/vaults/kv1",
            ),
            (
                "extensionResourceId(subscription().id, 'Microsoft.Resources/resourceGroups', 'g')",
                "/subscriptions/sub/providers/Microsoft.Resources/resourceGroups/g",
            ),
            (
                "extensionResourceId('/subscriptions/sub/resourceGroups', 'Microsoft.KeyVault/vaults', 'kv1')",
                "Unknown",
            ),
            ("subscription().id", "/subscriptions/sub"),
            ("resourceGroup().id", "/subscriptions/sub/resourceGroups/rg"),
            ("tenant().tenantId", "tenant"),
            ("environment().suffixes.keyvaultDns", ".vault.azure.net"),
            ("if(equals(parameters('count'), 3), 'yes', 'no')", "yes"),
            ("if(not(and(true, or(false, true))), 'yes', 'no')", "no"),
            ("toLower('AbC')", "abc"),
            ("toUpper('AbC')", "ABC"),
            ("trim('  x ')", "x"),
            ("replace('a-b-c', '-', '/')", "a/b/c"),
            ("substring('abcdef', 1, 3)", "bcd"),
            ("first(split('a/b/c', '/'))", "a"),
            ("last(variables('list'))", "b"),
            ("string(length(variables('list')))", "2"),
            ("string(empty(''))", "True"),
            ("string(contains(variables('list'), 'b'))", "True"),
            ("string(startsWith('Vault', 'va'))", "True"),
            ("string(endsWith('vault', 'x'))", "False"),
            ("coalesce(null(), 'z')", "z"),
            ("json('{\"a\": {\"b\": \"deep\"}}').a.b", "deep"),
            ("createObject('k', 'v').k", "v"),
            (
                "union(createObject('a', 'x'), createObject('a', 'y')).a",
                "y",
            ),
            // Nested objects are merged too; arrays in them are replaced.
            (
                "concat(string(union(createObject('p', createObject('a', 1, 'l', createArray(1))), createObject('p', createObject('b', 2, 'l', createArray(2)))).p.a), '/', string(union(createObject('p', createObject('a', 1, 'l', createArray(1))), createObject('p', createObject('b', 2, 'l', createArray(2)))).p.b), '/', string(length(union(createObject('p', createObject('l', createArray(1))), createObject('p', createObject('l', createArray(2)))).p.l)))",
                "1/2/1",
            ),
            // As Bicep writes `{...common, b: 2}`: the top level only, a later value replacing.
            (
                "concat(string(shallowMerge(createArray(createObject('a', 1, 'p', createObject('x', 1)), createObject('p', createObject('y', 2), 'b', 2))).a), '/', string(length(shallowMerge(createArray(createObject('p', createObject('x', 1)), createObject('p', createObject('y', 2)))).p)), '/', string(shallowMerge(createArray(createObject('p', createObject('x', 1)), createObject('p', createObject('y', 2)))).p.y))",
                "1/1/2",
            ),
            (
                "shallowMerge(createArray(createObject('a', 1), reference('x')))",
                "Unknown",
            ),
            // As Bicep writes `[...first, 'c']`: one level of arrays.
            (
                "concat(string(length(flatten(createArray(createArray('a', createArray('b')), createArray('c'))))), '/', flatten(createArray(createArray('a', createArray('b')), createArray('c')))[2], '/', flatten(createArray(createArray('a', createArray('b')), createArray('c')))[1][0])",
                "3/c/b",
            ),
            ("flatten(createArray(createArray('a'), 'b'))", "Unknown"),
            ("createArray('p', 'q')[1]", "q"),
            ("string(int('42'))", "42"),
            ("string(bool('true'))", "True"),
            (
                "uniqueString(parameters('kv'))",
                "{uniquestring({parameters('kv')})}",
            ),
            ("guid('a', 'b')", "{guid('a', 'b')}"),
            // Replacing in a text with a symbol makes a new value, not the same one.
            (
                "string(equals(replace(parameters('kv'), 'a', 'b'), parameters('kv')))",
                "Unknown",
            ),
            // Anything unknown inside makes the hash unknown: two unknowns are not equal.
            ("uniqueString(createArray(reference('x')))", "Unknown"),
            // A known array at a symbolic index (a copy loop's item) is one definite item.
            (
                "concat('x-', variables('list')[parameters('kv')])",
                "x-{['a', 'b'][parameters('kv')]}",
            ),
            ("parameters('kv')", "Symbol(Symbol(\"parameters('kv')\"))"),
            ("reference('x').outputs", "Unknown"),
            ("listKeys('x', '2020-01-01').keys[0]", "Unknown"),
        ];
        for (text, expected) in cases {
            assert_eq!(eval(text), expected, "{text}");
        }
    }

    #[test]
    fn symbols_compare_three_ways() {
        assert_eq!(
            eval("equals(parameters('kv'), parameters('KV'))"),
            "Bool(true)"
        );
        assert_eq!(eval("equals(parameters('kv'), 'kv1')"), "Unknown");
        assert_eq!(
            eval("equals(concat('a-', parameters('kv')), concat('b-', parameters('kv')))"),
            "Bool(false)"
        );
    }

    #[test]
    fn runaway_values_become_unknown() {
        let doubled = (0..30).fold("'x'".to_string(), |e, _| format!("replace({e}, 'x', 'xx')"));
        assert_eq!(eval(&doubled), "Unknown");
        let items = Value::Array(vec![Value::str("item"); 1000]);
        assert!(items.size_within(1000, 1).is_none() && items.size_within(1 << 20, 1).is_some());
        let nested = (0..3).fold(Value::Null, |v, _| Value::Array(vec![v]));
        assert!(nested.size_within(1000, 2).is_none() && nested.size_within(1000, 3).is_some());
        assert_eq!(eval("padLeft('7', 9223372036854775807, '0')"), "Unknown");
        assert_eq!(eval("padLeft('7', 3, '0')"), "007");
        assert_eq!(eval("string(length(replace('aaaa', 'a', 'bb')))"), "8");
    }

    #[test]
    fn integer_overflow_is_unknown_not_a_panic() {
        assert_eq!(eval("range(9223372036854775807, 2)"), "Unknown");
        assert_eq!(
            eval("string(last(range(9223372036854775806, 1)))"),
            "9223372036854775806"
        );
        assert_eq!(eval("format('{18446744073709551615}', 'a')"), "Unknown");
        assert_eq!(eval("string(copyIndex(3))"), "5");
        assert_eq!(eval("copyIndex('loop', 9223372036854775807)"), "Unknown");
    }

    /// A property copy loop becomes its array, each item with `copyIndex('name')` bound (an
    /// unnamed `copyIndex()` is still the resource's loop); past the bound, or with an unknown
    /// count, unknown. A resource's own `copy` (an object) is a plain member.
    #[test]
    fn property_copy_loops_expand_item_by_item() {
        let scope = DeploymentScope {
            kind: ScopeKind::ResourceGroup,
            subscription: Text::literal("sub"),
            resource_group: Text::literal("rg"),
            tenant: Text::literal("tenant"),
        };
        let value = |json: &str| {
            let doc = crate::json::parse(json);
            let value = eval_node(doc.root.as_ref().unwrap(), &Fixed(scope.clone()));
            format!("{value:?}")
        };
        let looped = value(
            r#"{"a": 1, "copy": [{"name": "xs", "count": 2, "input": {"i": "[copyIndex('xs')]", "r": "[copyIndex()]"}}]}"#,
        );
        assert_eq!(
            looped,
            format!(
                "{:?}",
                Value::Object(vec![
                    ("a".into(), Value::Int(1)),
                    (
                        "xs".into(),
                        Value::Array(
                            (0..2)
                                .map(|i| Value::Object(vec![
                                    ("i".into(), Value::Int(i)),
                                    ("r".into(), Value::Int(2)),
                                ]))
                                .collect()
                        )
                    ),
                ])
            )
        );
        let unknown = format!("{:?}", Value::Object(vec![("xs".into(), Value::Unknown)]));
        let past = format!(
            r#"{{"copy": [{{"name": "xs", "count": {}, "input": 1}}]}}"#,
            MAX_PROPERTY_ITEMS + 1
        );
        assert_eq!(value(&past), unknown);
        assert_eq!(
            value(r#"{"copy": [{"name": "xs", "count": "[parameters('kv')]", "input": 1}]}"#),
            unknown
        );
        let own = value(r#"{"copy": {"name": "xs", "count": 2}}"#);
        assert!(own.contains("\"copy\""), "{own}");
    }
}
