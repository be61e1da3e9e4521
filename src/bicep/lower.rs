//! Lowering: a Bicep file into the JSON tree the Bicep compiler would emit for it (the
//! languageVersion 2.0 form, resources keyed by symbolic name), with every node's span in the
//! Bicep text. The template model, the evaluator and every rule then read a Bicep file as they
//! read JSON, and findings land on Bicep lines.
//!
//! What cannot be lowered exactly becomes an expression the evaluator cannot know (`UNKNOWN`):
//! a wrong value would make a wrong finding, an unknown one only a missed finding.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::syntax::*;
use super::{Stop, SyntaxError, parse, parse_unless};
use crate::diagnostic;
use crate::json::{Comment, Kind, Member, Node};

/// A call no ARM function answers to, so the evaluator leaves its value unknown.
const UNKNOWN: &str = "bicepUnlowered()";
const TEMPLATE_SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
const PARAMETERS_SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#";
/// The API version Bicep gives the deployments its modules compile to.
const DEPLOYMENTS_API: &str = "2022-09-01";
/// Variables inlined into one module output at most: a cycle stops here.
const MAX_INLINED_VARIABLES: u32 = 64;
/// How deep the text of one expression may nest, through the symbols and parameters it names
/// too: a cycle among them (which Bicep rejects) stops here, well before the stack ends.
const MAX_TEXT_DEPTH: u32 = 256;
/// Parts the text of one expression may be written from, and its length: a name used twice
/// in each of a chain of values doubles at every link.
const MAX_TEXT_PARTS: u32 = 1 << 16;
const MAX_TEXT_LEN: usize = 1 << 20;
/// How deep local modules are read.
pub const MAX_MODULE_DEPTH: usize = 8;
/// Module calls (nested ones too) lowered into one file, and the bytes of module text they
/// add to its own: about 16 times the most a file of the Azure Verified Modules has (40 calls,
/// 0.5 MB). Without a bound, a module called ten times by a module called ten times... is a
/// tree no memory holds.
const MAX_MODULE_CALLS: usize = 640;
const MAX_MODULE_TEXT: usize = 8 << 20;
/// Times one file's lowering reads another file to inline values from it (its modules'
/// outputs and theirs, variables imported from other files), and the length of one value
/// inlined: the whole Bicep corpus inlines 119 modules' outputs, none longer than 600 bytes.
/// An output that names other modules' outputs several times grows by that factor at every
/// level down.
const MAX_INLINED_READS: usize = 256;
const MAX_INLINED_TEXT: usize = 16 << 10;

/// A lowered file: the JSON root, the syntax errors (the rest of the file is lowered all the
/// same), its comments as suppressions read them, notices about what was left opaque, and the
/// texts of the local modules lowered into it.
#[derive(Debug)]
pub struct Lowered<'t> {
    pub root: Node<'t>,
    pub errors: Vec<crate::json::SyntaxError>,
    pub comments: Vec<Comment>,
    pub notices: Vec<String>,
    /// One entry per module call (nested calls too), in the order of their `base`.
    pub modules: Vec<ModuleText>,
}

/// The text of a local module as one call lowered it. Nodes lowered from a module's text have
/// spans into a virtual text: the file's own text, then each module's text at its `base`, one
/// newline before it (`Lowered::text_with_modules`), so that a place in a module stays a place
/// in the module's own file.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleText {
    /// The module's path as `ReadModule` was given it (relative to the lowered file's folder).
    pub path: String,
    pub base: usize,
    pub text: String,
    /// The `module` statement that calls it, in the virtual text (in the file's own text, or
    /// in the text of the module that calls it).
    pub call: diagnostic::Span,
    /// The path as that statement writes it, and the module of the list that holds the
    /// statement (`None`: the lowered file): how a module lowered once finds its own modules
    /// again from another caller's folder.
    reference: String,
    caller: Option<usize>,
}

impl ModuleText {
    /// Where the module's own text ends in the virtual text.
    pub fn end(&self) -> usize {
        self.base + self.text.len()
    }

    /// Whether `span`, in the virtual text, lies in the module's own text.
    pub fn contains(&self, span: diagnostic::Span) -> bool {
        self.base <= span.start as usize && span.end as usize <= self.end()
    }

    /// Whether the module is an ARM template, which Bicep takes as it is, not Bicep.
    pub fn is_arm_template(&self) -> bool {
        is_template_module(&self.path)
    }
}

impl Lowered<'_> {
    /// The virtual text the spans of the tree point into: `text` (the lowered file's own)
    /// followed by each module's text, a newline before each.
    pub fn text_with_modules(&self, text: &str) -> String {
        let mut whole = text.to_string();
        for module in &self.modules {
            whole.push('\n');
            whole.push_str(&module.text);
        }
        whole
    }
}

/// Where local modules' texts come from: given a module path relative to the lowered file's
/// folder (`/`-separated, `..` kept), its text.
pub type ReadModule<'r> = &'r dyn Fn(&str) -> Option<String>;

/// Local modules lowered in one run, so that a module many files call (a module's tests, a
/// shared `modules/` folder) is lowered once, not by every caller. A module is taken again only
/// when its text and the texts of the modules it calls in turn (read again from the new
/// caller's folder) are the same, and its depth is, or no module it reads is refused at the new
/// one (see `Reach`). The most recent few are kept: callers of one module sit together in a
/// run's order.
#[derive(Default)]
pub struct LoweredModules {
    kept: Mutex<VecDeque<Arc<LoweredModule>>>,
}

/// How many lowered modules a run keeps.
const KEPT_MODULES: usize = 256;

/// One module lowered on its own: its tree and the modules it calls, with spans and bases in
/// its own virtual text.
struct LoweredModule {
    text: String,
    depth: usize,
    reach: Reach,
    root: Node<'static>,
    modules: Vec<ModuleText>,
}

/// How far below itself a lowering read local modules: the deepest level it asked for one at
/// (0: itself) and whether `MAX_MODULE_DEPTH` refused one. Depth changes nothing else, so a
/// lowering that was refused nothing comes out the same at any depth where its deepest level is
/// still allowed.
#[derive(Debug, Clone, Copy, Default)]
struct Reach {
    levels: usize,
    refused: bool,
    /// A module was left out because it calls back a file that calls it. Which files those
    /// are depends on the caller, so such a lowering is not kept for another.
    cycle: bool,
    /// A value was imported from another file. A file of the same text elsewhere imports
    /// from another file, so such a lowering is not kept for another caller either.
    imported: bool,
}

impl Reach {
    /// This reach with that of a module lowered one level below.
    fn with_below(self, module: Reach) -> Reach {
        Reach {
            levels: self.levels.max(module.levels + 1),
            refused: self.refused || module.refused,
            cycle: self.cycle || module.cycle,
            imported: self.imported || module.imported,
        }
    }
}

impl LoweredModules {
    /// The module with this text lowered at the depth of the end of `chain`, from `folder`,
    /// when its own modules read from there are as they were and none of them is in `chain`
    /// (which would make a cycle), with their paths from there.
    fn get(
        &self,
        text: &str,
        folder: &str,
        chain: &[String],
        read: ReadModule,
    ) -> Option<(Arc<LoweredModule>, Vec<String>)> {
        let depth = chain.len() - 1;
        let candidates: Vec<Arc<LoweredModule>> = {
            let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
            kept.iter()
                .filter(|m| m.serves(depth) && m.text == text)
                .cloned()
                .collect()
        };
        candidates.into_iter().find_map(|m| {
            let paths = m.paths(folder);
            let same = m.modules.iter().zip(&paths).all(|(module, path)| {
                !chain.contains(path) && read(path).is_some_and(|now| now == module.text)
            });
            same.then_some((m, paths))
        })
    }

    fn put(&self, module: LoweredModule) -> Arc<LoweredModule> {
        let module = Arc::new(module);
        if module.reach.cycle || module.reach.imported {
            return module;
        }
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() == KEPT_MODULES {
            kept.pop_front();
        }
        kept.push_back(module.clone());
        module
    }
}

impl LoweredModule {
    /// Whether lowered again at `depth` it would come out the same.
    fn serves(&self, depth: usize) -> bool {
        self.depth == depth || (!self.reach.refused && depth + self.reach.levels < MAX_MODULE_DEPTH)
    }

    /// The paths of its modules when it is read from `folder`.
    fn paths(&self, folder: &str) -> Vec<String> {
        let mut paths: Vec<String> = Vec::with_capacity(self.modules.len());
        for module in &self.modules {
            let from = match module.caller {
                Some(caller) => folder_of(&paths[caller]),
                None => folder.to_string(),
            };
            paths.push(join(&from, &module.reference));
        }
        paths
    }
}

/// Lowers a `.bicep` file; local modules are read through `read`.
pub fn lower<'t>(text: &'t str, read: ReadModule) -> Lowered<'t> {
    let never = || false;
    let lowered = lower_in(
        text,
        read,
        &LoweredModules::default(),
        &never,
        vec![String::new()],
    );
    lowered
        .unwrap_or_else(|| unreachable!("nothing stops this lowering"))
        .0
}

/// `lower` of the file called `name` in its folder (so that a module that calls it back is
/// known for a cycle), taking modules lowered before in the run from `lowered` and keeping
/// those it lowers there; `None` when `stop` said to stop.
pub fn lower_with<'t>(
    text: &'t str,
    name: &str,
    read: ReadModule,
    lowered: &LoweredModules,
    stop: Stop,
) -> Option<Lowered<'t>> {
    lower_in(text, read, lowered, stop, vec![name.to_string()]).map(|(file, _)| file)
}

/// The file lowered and its reach; `None` when `stop` cut it short. `chain` holds the files
/// from the linted one to this one (see `Lowering::chain`).
fn lower_in<'t>(
    text: &'t str,
    read: ReadModule,
    lowered: &LoweredModules,
    stop: Stop,
    chain: Vec<String>,
) -> Option<(Lowered<'t>, Reach)> {
    let parsed = parse_unless(text, stop)?;
    let comments = comments(&parsed, text.len());
    let linted = chain.len() == 1;
    let mut lowering = Lowering::new(text, &parsed.program, read, lowered, stop, chain);
    let root = lowering.template(&parsed.program);
    let reach = lowering.reach.get();
    // Said once, by the linted file, however many modules the limit cut.
    if linted && reach.refused {
        lowering.notices.push(format!(
            "local modules are read {MAX_MODULE_DEPTH} levels deep: what the modules below deploy is not checked"
        ));
    }
    let lowered = Lowered {
        root,
        errors: errors(parsed.errors),
        comments,
        notices: lowering.notices,
        modules: lowering.modules,
    };
    (!lowering.stopped.get()).then_some((lowered, reach))
}

/// Lowers a `.bicepparam` file into a parameter file; also returns the `using` target. The
/// file it `extends` is read through `read` (by its path relative to this file's folder): its
/// parameters that this file does not assign are this file's too, anchored at the `extends`.
pub fn lower_parameters<'t>(text: &'t str, read: ReadModule) -> (Lowered<'t>, Option<String>) {
    let parsed = parse(text);
    let comments = comments(&parsed, text.len());
    let mut using = None;
    let mut parameters = parameter_values(text, &parsed.program, read, String::new(), 0);
    for statement in &parsed.program.statements {
        if let StatementKind::Using {
            target: Some(target),
            ..
        } = &statement.kind
        {
            using = target.plain().map(str::to_string);
        }
    }
    let whole = diagnostic::Span::new(0, text.len());
    parameters.sort_by_key(|p| p.key_span.start);
    let root = object(
        whole,
        vec![
            member("$schema", whole, string(whole, PARAMETERS_SCHEMA)),
            member("contentVersion", whole, string(whole, "1.0.0.0")),
            member("parameters", whole, object(whole, parameters)),
        ],
    );
    let lowered = Lowered {
        root,
        errors: errors(parsed.errors),
        comments,
        notices: Vec::new(),
        modules: Vec::new(),
    };
    (lowered, using)
}

/// The `{"expression": ...}` of each parameter a `.bicepparam` program assigns, and of those
/// the file it extends assigns and it does not, these with every span at the `extends`
/// statement. A value is an expression Bicep works out when it builds the parameters, with the
/// file's variables, imports and functions: it is lowered as a module's output is, in terms
/// that name nothing of the template (see `Lowering::bindings`). The program is the file at
/// `path` relative to the linted one's folder (`""`: the linted one), `depth` files down from
/// it (a cycle ends at `MAX_MODULE_DEPTH`).
fn parameter_values<'t>(
    text: &'t str,
    program: &Program<'t>,
    read: ReadModule,
    path: String,
    depth: usize,
) -> Vec<Member<'t>> {
    let none_lowered = LoweredModules::default();
    let never = || false;
    let folder = folder_of(&path);
    let mut lowering = Lowering::new(text, program, read, &none_lowered, &never, vec![path]);
    lowering.bindings = Some(HashMap::new());
    let mut parameters = Vec::new();
    let mut extends = None;
    for statement in &program.statements {
        match &statement.kind {
            StatementKind::Extends { path } => extends = Some((statement.span, path)),
            StatementKind::Param {
                name,
                value: Some(value),
                ..
            } => {
                let value = lowering.value(value, &Scope::default());
                let wrapped = object(value.span, vec![member("expression", value.span, value)]);
                parameters.push(Member {
                    key: Cow::Borrowed(name.name),
                    key_span: span(name.span),
                    value: wrapped,
                });
            }
            _ => {}
        }
    }
    let base = extends
        .filter(|_| depth < MAX_MODULE_DEPTH)
        .and_then(|(at, path)| Some((at, join(&folder, path.plain()?))));
    if let Some((at, path)) = base
        && let Some(base_text) = read(&path)
    {
        let at = span(at);
        let base_program = parse(&base_text).program;
        for inherited in parameter_values(&base_text, &base_program, read, path, depth + 1) {
            if !parameters.iter().any(|p| p.key == inherited.key) {
                parameters.push(Member {
                    key: Cow::Owned(inherited.key.into_owned()),
                    key_span: at,
                    value: owned(&inherited.value, &|_| at),
                });
            }
        }
    }
    parameters
}

fn errors(errors: Vec<SyntaxError>) -> Vec<crate::json::SyntaxError> {
    errors
        .into_iter()
        .map(|e| crate::json::SyntaxError {
            span: span(e.span),
            message: e.message,
        })
        .collect()
}

/// Comments as the JSON front end gives them, and each Bicep directive naming wps-lint codes as
/// the comment it means: `#disable-next-line` as `wps-lint-disable-next-line`, and
/// `#disable-diagnostics` as `wps-lint-disable-file` reaching from the directive to the
/// `#restore-diagnostics` of its code, or to `end`, the end of the text.
fn comments(parsed: &super::Parsed, end: usize) -> Vec<Comment> {
    use super::DirectiveKind::{DisableDiagnostics, DisableNextLine, RestoreDiagnostics};
    let mut out: Vec<Comment> = parsed
        .comments
        .iter()
        .map(|c| Comment {
            span: span(c.span),
            text: strip_markers(c.text).to_string(),
            reach: None,
        })
        .collect();
    for (i, directive) in parsed.directives.iter().enumerate() {
        let codes = directive
            .codes
            .iter()
            .map(|(code, _)| *code)
            .filter(|code| code.starts_with("WPS"));
        let mut comment = |directive_name: &str, codes: &[&str], reach| {
            out.push(Comment {
                span: span(directive.span),
                text: format!(" {directive_name} {}", codes.join(" ")),
                reach,
            })
        };
        match directive.kind {
            DisableNextLine => {
                let codes: Vec<&str> = codes.collect();
                if !codes.is_empty() {
                    comment("wps-lint-disable-next-line", &codes, None);
                }
            }
            DisableDiagnostics => {
                // Codes restored at the same place share one comment.
                let mut until: Vec<(usize, Vec<&str>)> = Vec::new();
                for code in codes {
                    let restored = parsed.directives[i + 1..].iter().find(|later| {
                        later.kind == RestoreDiagnostics && later.codes.iter().any(|c| c.0 == code)
                    });
                    let to = restored.map_or(end, |r| r.span.end as usize);
                    match until.iter_mut().find(|(at, _)| *at == to) {
                        Some((_, same)) => same.push(code),
                        None => until.push((to, vec![code])),
                    }
                }
                for (to, codes) in until {
                    let reach = diagnostic::Span::new(directive.span.start as usize, to);
                    comment("wps-lint-disable-file", &codes, Some(reach));
                }
            }
            RestoreDiagnostics => {}
        }
    }
    out.sort_by_key(|c| c.span.start);
    out
}

fn strip_markers(text: &str) -> &str {
    match text.strip_prefix("//") {
        Some(rest) => rest,
        None => text
            .strip_prefix("/*")
            .map(|t| t.strip_suffix("*/").unwrap_or(t))
            .unwrap_or(text),
    }
}

fn span(s: Span) -> diagnostic::Span {
    diagnostic::Span {
        start: s.start,
        end: s.end,
    }
}

fn string<'t>(at: diagnostic::Span, value: impl Into<Cow<'t, str>>) -> Node<'t> {
    Node {
        span: at,
        kind: Kind::String(value.into()),
    }
}

fn object<'t>(at: diagnostic::Span, members: Vec<Member<'t>>) -> Node<'t> {
    Node {
        span: at,
        kind: Kind::Object(members),
    }
}

fn array<'t>(at: diagnostic::Span, items: Vec<Node<'t>>) -> Node<'t> {
    Node {
        span: at,
        kind: Kind::Array(items),
    }
}

/// An object or array literal as the compiler writes it: `open` (`createObject(`,
/// `createArray(`) with its entries; with `...` in it, each run of entries between spreads so,
/// and the runs and the spread values in order in `combine(createArray(...))` (`shallowMerge`,
/// `flatten`). `spread` says which items are spreads, `entry` writes any other.
fn write_literal<T>(
    out: &mut String,
    items: &[T],
    (open, combine): (&str, &str),
    spread: impl Fn(&T) -> Option<&Expr>,
    entry: impl Fn(&T, &mut String) -> Option<()>,
    value: &dyn Fn(&Expr, &mut String) -> Option<()>,
) -> Option<()> {
    let spreads = items.iter().any(|i| spread(i).is_some());
    if spreads {
        out.push_str(combine);
        out.push_str("(createArray(");
    }
    // Whether a run of entries is open, and whether anything was written before.
    let (mut run, mut after) = (false, false);
    for item in items {
        match spread(item) {
            Some(spread) => {
                if std::mem::take(&mut run) {
                    out.push(')');
                }
                if std::mem::replace(&mut after, true) {
                    out.push_str(", ");
                }
                value(spread, out)?;
            }
            None => {
                if run || std::mem::replace(&mut after, true) {
                    out.push_str(", ");
                }
                if !std::mem::replace(&mut run, true) {
                    out.push_str(open);
                }
                entry(item, out)?;
            }
        }
    }
    if items.is_empty() {
        out.push_str(open);
    }
    if run || items.is_empty() {
        out.push(')');
    }
    if spreads {
        out.push_str("))");
    }
    Some(())
}

/// An object's copy loops (`Lowering::copy_loop`), as the compiler writes them: first, in one
/// `copy` list.
fn loops_first<'t>(members: &mut Vec<Member<'t>>, loops: Vec<Node<'t>>) {
    if let Some(at) = loops.first().map(|first| first.span) {
        members.insert(0, member("copy", at, array(at, loops)));
    }
}

fn member<'t>(key: &'static str, key_span: diagnostic::Span, value: Node<'t>) -> Member<'t> {
    Member {
        key: Cow::Borrowed(key),
        key_span,
        value,
    }
}

fn expression<'t>(at: diagnostic::Span, text: Option<String>) -> Node<'t> {
    string(at, format!("[{}]", text.as_deref().unwrap_or(UNKNOWN)))
}

/// The type inside a `'Type@version'` string (or a module's path), quotes and version left
/// out: `type` is anchored there and `apiVersion` at the whole string, so that a finding on
/// either has its own pointer.
fn type_part(text: &str, string: diagnostic::Span) -> diagnostic::Span {
    let start = (string.start + 1).min(string.end);
    let end = string.end.saturating_sub(1).max(start);
    let at = text
        .get(start as usize..end as usize)
        .and_then(|t| t.find('@'))
        .map_or(end, |at| start + at as u32);
    diagnostic::Span { start, end: at }
}

/// `'text'` as an ARM string literal.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_quoted(&mut out, text);
    out
}

/// `quote(text)` written at the end of `out`.
fn push_quoted(out: &mut String, text: &str) {
    out.push('\'');
    push_escaped(out, text, false);
    out.push('\'');
}

/// Text inside an ARM string literal, its quotes doubled; inside a `format()` pattern
/// (`braces`) its braces doubled too.
fn push_escaped(out: &mut String, text: &str, braces: bool) {
    for c in text.chars() {
        match c {
            '\'' => out.push_str("''"),
            '{' if braces => out.push_str("{{"),
            '}' if braces => out.push_str("}}"),
            _ => out.push(c),
        }
    }
}

/// `function('name')` written at the end of `out`.
fn push_call(out: &mut String, function: &str, name: &str) {
    out.push_str(function);
    out.push('(');
    push_quoted(out, name);
    out.push(')');
}

/// How the compiler writes a binary operator: the text before, between and after its operands.
fn binary_call(op: BinaryOp) -> (&'static str, &'static str, &'static str) {
    match op {
        BinaryOp::Or => ("or(", ", ", ")"),
        BinaryOp::And => ("and(", ", ", ")"),
        BinaryOp::Equals => ("equals(", ", ", ")"),
        BinaryOp::NotEquals => ("not(equals(", ", ", "))"),
        BinaryOp::EqualsIgnoreCase => ("equals(toLower(", "), toLower(", "))"),
        BinaryOp::NotEqualsIgnoreCase => ("not(equals(toLower(", "), toLower(", ")))"),
        BinaryOp::Less => ("less(", ", ", ")"),
        BinaryOp::LessOrEqual => ("lessOrEquals(", ", ", ")"),
        BinaryOp::Greater => ("greater(", ", ", ")"),
        BinaryOp::GreaterOrEqual => ("greaterOrEquals(", ", ", ")"),
        BinaryOp::Add => ("add(", ", ", ")"),
        BinaryOp::Subtract => ("sub(", ", ", ")"),
        BinaryOp::Multiply => ("mul(", ", ", ")"),
        BinaryOp::Divide => ("div(", ", ", ")"),
        BinaryOp::Modulo => ("mod(", ", ", ")"),
        BinaryOp::Coalesce => ("coalesce(", ", ", ")"),
    }
}

/// A declared resource or module, by symbolic name (`parent::child` for a nested child).
#[derive(Debug)]
struct Symbol<'a> {
    /// The full type: `Microsoft.KeyVault/vaults/secrets`.
    ty: String,
    api_version: Option<String>,
    /// `parent: x` (or `parent: x[i]`, one instance of a loop) or the enclosing resource of a
    /// nested one.
    parent: Option<String>,
    /// The body object, after any `if` or `for`.
    body: Option<&'a Expr<'a>>,
    /// Declared with `[for ...]`: its name and id depend on the loop.
    looped: bool,
    module: bool,
    statement: &'a Statement<'a>,
}

impl<'a> Symbol<'a> {
    /// The `name:` value, as declared.
    fn name(&self) -> Option<&'a Expr<'a>> {
        self.body.and_then(|b| property(b, "name"))
    }

    /// The `scope:` value, as declared.
    fn scope(&self) -> Option<&'a Expr<'a>> {
        self.body.and_then(|b| property(b, "scope"))
    }

    /// The index of `parent: x[i]`: which instance of a looped parent this one is under.
    fn parent_index(&self) -> Option<&'a Expr<'a>> {
        parent_instance(self.body.and_then(|b| property(b, "parent"))?).1
    }
}

/// The symbol a `parent:` value names, and for `x[i]`, one instance of a loop, the index.
fn parent_instance<'a>(parent: &'a Expr<'a>) -> (&'a Expr<'a>, Option<&'a Expr<'a>>) {
    match &parent.kind {
        ExprKind::Index {
            base,
            index,
            safe: false,
            from_end: false,
        } => (base, Some(index)),
        _ => (parent, None),
    }
}

/// What an identifier stands for where it is used: loop variables of the enclosing copy loop.
#[derive(Debug, Clone, Default)]
struct Scope {
    /// A loop variable and the ARM expression for it.
    locals: HashMap<String, Option<String>>,
}

struct Lowering<'t, 'p> {
    text: &'t str,
    /// Parameters with their default values.
    parameters: HashMap<&'t str, Option<&'p Expr<'p>>>,
    variables: HashMap<&'t str, &'p Expr<'p>>,
    /// The file's user functions: their parameters and body. A call names one of these or one
    /// imported (see `is_user_function`) instead of an ARM function.
    functions: HashMap<&'t str, (&'p [TypedParam<'p>], &'p Expr<'p>)>,
    /// Names imported from other Bicep files, by the name they have here.
    imports: HashMap<&'t str, Imported<'p>>,
    /// Imported variables' values as expressions of this file (see `imported_value`), by the
    /// file named in the import and the variable's name there.
    imported: RefCell<HashMap<(String, String), Option<String>>>,
    /// Imported functions called so far, by the name they have here, each as this template's
    /// `functions` hold it (`None`: one whose calls stay unknown; see `imported_function`).
    imported_functions: RefCell<BTreeMap<String, Option<Member<'t>>>>,
    /// Set while a module's output is inlined into its parent: what each parameter of the
    /// module was passed, as an expression of the parent. Variables are then inlined too, and
    /// nothing may name a symbol (`reference('kv')` would name the parent's).
    bindings: Option<HashMap<String, Option<String>>>,
    /// Variables inlined so far, to stop at a cycle.
    inlined: Cell<u32>,
    /// How deep the expression being written is nested, and how many parts it took so far
    /// (see `write_text`).
    text_depth: Cell<u32>,
    text_parts: Cell<u32>,
    symbols: HashMap<String, Symbol<'p>>,
    /// Symbols in declaration order, parents before their nested children.
    order: Vec<String>,
    /// The resource whose declaration is being lowered: in it, the resources nested in it and
    /// in the resources around it are named by their own names (`sibling`, not `parent::sibling`).
    within: Option<String>,
    /// The resources with resources nested in them.
    enclosing: HashSet<String>,
    read: ReadModule<'p>,
    lowered: &'p LoweredModules,
    stop: Stop<'p>,
    /// `stop` said to stop: the tree is partial, and nothing more is lowered.
    stopped: Cell<bool>,
    /// The files this lowering is in: the linted file by its name (`""` when unknown), then
    /// each module down to this one by its path from the linted file's folder. Its length
    /// says how deep modules are, its end where this file's modules are read from, and a
    /// module in it calls a file that calls it.
    chain: Vec<String>,
    notices: Vec<String>,
    /// The module texts lowered so far, each after the last (see `ModuleText`).
    modules: Vec<ModuleText>,
    /// Each local module symbol's outputs as expressions of this file (see `module_output`),
    /// worked out when one of them is first referred to: a module is read and parsed once
    /// for all the references to its outputs.
    module_outputs: RefCell<HashMap<String, Rc<ModuleOutputs>>>,
    /// How far below it modules were read so far.
    reach: Cell<Reach>,
    /// How many more times another file may be read to inline a value from it: shared by the
    /// lowerings that inline this file's modules' outputs and imports, and theirs.
    reads_left: Rc<Cell<usize>>,
}

/// What a name imported from another Bicep file (`import ... from './x.bicep'`) stands for.
#[derive(Clone, Copy)]
enum Imported<'p> {
    /// `import { name as alias } from 'from'`, `at` the name here.
    Symbol {
        from: &'p str,
        name: &'p str,
        at: diagnostic::Span,
    },
    /// `import * as alias from 'from'`: the file's exported names are `alias.name`.
    Namespace { from: &'p str },
}

/// Why a local module is not read.
enum Unread {
    TooDeep,
    Cycle,
}

/// A module's outputs by name, each as an expression of the file that calls it (`None`: one
/// that cannot be written there).
type ModuleOutputs = HashMap<String, Option<String>>;

impl<'t: 'p, 'p> Lowering<'t, 'p> {
    fn new(
        text: &'t str,
        program: &'p Program<'t>,
        read: ReadModule<'p>,
        lowered: &'p LoweredModules,
        stop: Stop<'p>,
        chain: Vec<String>,
    ) -> Self {
        let mut lowering = Lowering {
            text,
            parameters: HashMap::new(),
            variables: HashMap::new(),
            functions: HashMap::new(),
            imports: HashMap::new(),
            imported: RefCell::default(),
            imported_functions: RefCell::default(),
            bindings: None,
            inlined: Cell::new(0),
            text_depth: Cell::new(0),
            text_parts: Cell::new(0),
            symbols: HashMap::new(),
            order: Vec::new(),
            within: None,
            enclosing: HashSet::new(),
            read,
            lowered,
            stop,
            stopped: Cell::new(false),
            chain,
            notices: Vec::new(),
            modules: Vec::new(),
            module_outputs: RefCell::default(),
            reach: Cell::default(),
            reads_left: Rc::new(Cell::new(MAX_INLINED_READS)),
        };
        for statement in &program.statements {
            match &statement.kind {
                StatementKind::Param { name, value, .. } => {
                    lowering.parameters.insert(name.name, value.as_ref());
                }
                StatementKind::Var { name, value, .. } => {
                    lowering.variables.insert(name.name, value);
                }
                StatementKind::Func {
                    name, params, body, ..
                } => {
                    lowering.functions.insert(name.name, (params, body));
                }
                StatementKind::Import(Import::Symbols { symbols, from }) => {
                    for symbol in symbols {
                        let here = symbol.alias.as_ref().unwrap_or(&symbol.name).name;
                        if let Some(from) = from.plain() {
                            let name = symbol.name.name;
                            let at = span(symbol.alias.as_ref().unwrap_or(&symbol.name).span);
                            let import = Imported::Symbol { from, name, at };
                            lowering.imports.insert(here, import);
                        }
                    }
                }
                StatementKind::Import(Import::Wildcard { alias, from }) => {
                    if let Some(from) = from.plain() {
                        lowering
                            .imports
                            .insert(alias.name, Imported::Namespace { from });
                    }
                }
                StatementKind::Resource(decl) => lowering.declare(statement, decl, None),
                StatementKind::Module { name, value, .. } => {
                    let (body, looped) = body_of(value);
                    lowering.symbols.insert(
                        name.name.to_string(),
                        Symbol {
                            ty: "Microsoft.Resources/deployments".into(),
                            api_version: Some(DEPLOYMENTS_API.into()),
                            parent: None,
                            body,
                            looped,
                            module: true,
                            statement,
                        },
                    );
                    lowering.order.push(name.name.to_string());
                }
                _ => {}
            }
        }
        lowering
    }

    /// Records a resource and, after it, the resources nested in its body.
    fn declare(
        &mut self,
        statement: &'p Statement<'p>,
        decl: &'p ResourceDecl<'p>,
        enclosing: Option<&str>,
    ) {
        let (body, looped) = body_of(&decl.value);
        let written = decl.type_string.plain().unwrap_or_default();
        // `az:` names the namespace the type is from, which the compiler does not write.
        let written = written.strip_prefix("az:").unwrap_or(written);
        let (own_type, version) = match written.split_once('@') {
            Some((t, v)) => (t, Some(v.to_string())),
            None => (written, None),
        };
        let key = match enclosing {
            Some(parent) => format!("{parent}::{}", decl.name.name),
            None => decl.name.name.to_string(),
        };
        if let Some(outer) = enclosing {
            self.enclosing.insert(outer.to_string());
        }
        let parent = match enclosing {
            Some(p) => Some(p.to_string()),
            None => body
                .and_then(|b| property(b, "parent"))
                .and_then(|p| self.symbol_key(parent_instance(p).0).map(Cow::into_owned)),
        };
        let (ty, api_version) = match (&parent, enclosing) {
            // A nested child's type is relative to its parent's and may leave out the version.
            (Some(p), Some(_)) => {
                let parent = &self.symbols[p];
                (
                    format!("{}/{own_type}", parent.ty),
                    version.or_else(|| parent.api_version.clone()),
                )
            }
            _ => (own_type.to_string(), version),
        };
        self.symbols.insert(
            key.clone(),
            Symbol {
                ty,
                api_version,
                parent,
                body,
                looped,
                module: false,
                statement,
            },
        );
        self.order.push(key.clone());
        for item in body.map_or(&[][..], |b| items(b)) {
            if let ObjectItem::Resource(child) = item
                && let StatementKind::Resource(child_decl) = &child.kind
            {
                self.declare(child, child_decl, Some(&key));
            }
        }
    }

    /// The symbolic name an expression refers to: `kv` or `kv::secret`.
    fn symbol_key<'e>(&self, expr: &Expr<'e>) -> Option<Cow<'e, str>> {
        match &expr.kind {
            // The innermost resource around that declares it, as the compiler's scopes do.
            ExprKind::Ident(id) => {
                let mut around = self.within.as_deref();
                while let Some(resource) = around {
                    if self.enclosing.contains(resource) {
                        let nested = format!("{resource}::{}", id.name);
                        if self.symbols.contains_key(&nested) {
                            return Some(Cow::Owned(nested));
                        }
                    }
                    around = resource.rsplit_once("::").map(|(outer, _)| outer);
                }
                Some(Cow::Borrowed(id.name))
            }
            ExprKind::NestedResource { base, name } => Some(Cow::Owned(format!(
                "{}::{}",
                self.symbol_key(base)?,
                name.name
            ))),
            _ => None,
        }
    }

    fn template(&mut self, program: &'p Program<'t>) -> Node<'t> {
        let whole = diagnostic::Span::new(0, self.text.len());
        let mut parameters = Vec::new();
        let mut variables = Vec::new();
        let mut variable_loops = Vec::new();
        let mut outputs = Vec::new();
        let mut functions = Vec::new();
        let mut schema = TEMPLATE_SCHEMA.to_string();
        let top = Scope::default();
        for statement in &program.statements {
            match &statement.kind {
                StatementKind::TargetScope { value } => {
                    if let ExprKind::String(s) = &value.kind {
                        schema = match s.plain() {
                            Some("subscription") => schema
                                .replace("deploymentTemplate", "subscriptionDeploymentTemplate"),
                            Some("managementGroup") => schema
                                .replace("deploymentTemplate", "managementGroupDeploymentTemplate"),
                            Some("tenant") => {
                                schema.replace("deploymentTemplate", "tenantDeploymentTemplate")
                            }
                            _ => schema,
                        };
                    }
                }
                StatementKind::Param { name, ty, value } => {
                    let mut members = vec![member(
                        "type",
                        span(statement.span),
                        string(span(statement.span), param_type(ty.as_ref(), statement)),
                    )];
                    if let Some(value) = value {
                        members.push(member(
                            "defaultValue",
                            span(value.span),
                            self.value(value, &top),
                        ));
                    } else if let Some(ty) = ty
                        && matches!(ty.kind, TypeKind::Nullable(_))
                    {
                        // As Bicep writes it: the model reads a nullable parameter given no
                        // value as it reads the compiled template's, which the caller may pass.
                        let at = span(ty.span);
                        members.push(member(
                            "nullable",
                            at,
                            Node {
                                span: at,
                                kind: Kind::Bool(true),
                            },
                        ));
                    }
                    parameters.push(Member {
                        key: Cow::Borrowed(name.name),
                        key_span: span(name.span),
                        value: object(span(statement.span), members),
                    });
                }
                // As the compiler writes it: a variable loop in the variables' `copy` list. A
                // filtered one (`if` in its body) is left as an unknown expression.
                StatementKind::Var { name, value, .. } => match &value.kind {
                    ExprKind::For(lp) if !matches!(lp.body.kind, ExprKind::If { .. }) => {
                        let at = span(value.span);
                        let name_at = span(name.span);
                        variable_loops.push(self.copy_loop(
                            name.name.into(),
                            name_at,
                            at,
                            lp,
                            &top,
                        ));
                    }
                    _ => variables.push(Member {
                        key: Cow::Borrowed(name.name),
                        key_span: span(name.span),
                        value: self.value(value, &top),
                    }),
                },
                StatementKind::Func {
                    name,
                    params,
                    return_type,
                    body,
                } => {
                    let value = self.text_of(body, &function_scope(params));
                    let at = span(statement.span);
                    let function = Function {
                        params,
                        return_type,
                        statement,
                    };
                    functions.push(function.member(name.name, span(name.span), at, value));
                }
                StatementKind::Output { name, ty, value } => {
                    let ty_name = match &ty.kind {
                        TypeKind::Resource(_) => "string".to_string(),
                        _ => param_type(Some(ty), statement),
                    };
                    outputs.push(Member {
                        key: Cow::Borrowed(name.name),
                        key_span: span(name.span),
                        value: object(
                            span(statement.span),
                            vec![
                                member("type", span(ty.span), string(span(ty.span), ty_name)),
                                member("value", span(value.span), self.value(value, &top)),
                            ],
                        ),
                    });
                }
                _ => {}
            }
        }
        let order = self.order.clone();
        let resources: Vec<Member<'t>> = order
            .iter()
            .map_while(|key| {
                if self.stopping() {
                    return None;
                }
                let symbol = &self.symbols[key];
                let key_span = match &symbol.statement.kind {
                    StatementKind::Resource(decl) => span(decl.name.span),
                    StatementKind::Module { name, .. } => span(name.span),
                    _ => span(symbol.statement.span),
                };
                self.within = Some(key.clone());
                let value = self.resource(key);
                self.within = None;
                Some(Member {
                    key: Cow::Owned(key.clone()),
                    key_span,
                    value,
                })
            })
            .collect();
        loops_first(&mut variables, variable_loops);
        let mut members = vec![
            member("$schema", whole, string(whole, schema)),
            member("languageVersion", whole, string(whole, "2.0")),
            member("contentVersion", whole, string(whole, "1.0.0.0")),
            member("parameters", whole, object(whole, parameters)),
            member("variables", whole, object(whole, variables)),
            member("resources", whole, object(whole, resources)),
            member("outputs", whole, object(whole, outputs)),
        ];
        functions.extend(self.imported_functions.take().into_values().flatten());
        // As the compiler writes them: one namespace, `__bicep`.
        if !functions.is_empty() {
            let namespace = object(
                whole,
                vec![
                    member("namespace", whole, string(whole, FUNCTIONS)),
                    member("members", whole, object(whole, functions)),
                ],
            );
            members.push(member("functions", whole, array(whole, vec![namespace])));
        }
        object(whole, members)
    }

    /// Whether a call of `name` is of a function the file declares or imports, not ARM's.
    fn is_user_function(&self, name: &str) -> bool {
        self.functions.contains_key(name)
            || matches!(self.imports.get(name), Some(Imported::Symbol { .. }))
    }

    /// A call of a user function as the compiler writes it, `__bicep.name(args)`, its
    /// function in the template's `functions`; in another file's terms (`bindings`), where the
    /// function is not in that file's template, its body with the arguments put in. Unknown for
    /// an imported function that is not read.
    fn write_function_call(
        &self,
        name: &str,
        args: &[Expr],
        scope: &Scope,
        out: &mut String,
    ) -> Option<()> {
        if self.bindings.is_some() {
            let arguments: Vec<String> = args
                .iter()
                .map(|a| self.text_of(a, scope))
                .collect::<Option<_>>()?;
            let body = match self.imports.get(name) {
                Some(&Imported::Symbol {
                    from, name: there, ..
                }) => self.imported_body(from, there, arguments)?,
                _ => {
                    let (params, body) = self.functions.get(name)?;
                    self.text_of(body, &call_scope(params, arguments)?)?
                }
            };
            out.push_str(&body);
            return Some(());
        }
        if let Some(&Imported::Symbol {
            from,
            name: there,
            at,
        }) = self.imports.get(name)
        {
            self.imported_function(name, from, there, at)?;
        }
        out.push_str(FUNCTIONS);
        out.push('.');
        out.push_str(name);
        out.push('(');
        for (i, arg) in args.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            self.write_text(arg, scope, out)?;
        }
        out.push(')');
        Some(())
    }

    /// Makes sure the function imported as `here` (`there` in the file `from`) is among the
    /// template's `functions`; `None` when it cannot be (see `read_function`).
    fn imported_function(
        &self,
        here: &str,
        from: &str,
        there: &str,
        at: diagnostic::Span,
    ) -> Option<()> {
        if let Some(known) = self.imported_functions.borrow().get(here) {
            return known.as_ref().map(|_| ());
        }
        let function = self.read_function(here, from, there, at);
        let found = function.is_some();
        self.imported_functions
            .borrow_mut()
            .insert(here.to_string(), function);
        found.then_some(())
    }

    /// The function `there` that the Bicep file `from` exports, as this template's `functions`
    /// hold it under the name `here`, all of it placed at `at` (the name in the import); the
    /// functions it calls in its own file are written in place (that file's terms are another
    /// file's). `None` for a file not read or a body not lowered.
    fn read_function(
        &self,
        here: &str,
        from: &str,
        there: &str,
        at: diagnostic::Span,
    ) -> Option<Member<'t>> {
        self.read_export(from, there, |s, source| {
            let StatementKind::Func {
                params,
                return_type,
                body,
                ..
            } = &s.kind
            else {
                return None;
            };
            let value = source.text_of(body, &function_scope(params))?;
            let function = Function {
                params,
                return_type,
                statement: s,
            };
            Some(function.member(here, at, at, Some(value)))
        })
    }

    /// One resource or module as a symbolic resource.
    fn resource(&mut self, key: &str) -> Node<'t> {
        let symbol = &self.symbols[key];
        let statement = symbol.statement;
        // The whole statement, so that the pointers of its `'Type@version'` string and its
        // `for` expression, which lie outside the body, run through it.
        let at = span(statement.span);
        let (type_span, declared) = match &statement.kind {
            StatementKind::Resource(decl) => (span(decl.type_string.span), Some(decl)),
            StatementKind::Module { path, .. } => (span(path.span), None),
            _ => (span(statement.span), None),
        };
        let type_name_span = type_part(self.text, type_span);
        let mut scope = Scope::default();
        let value = match &statement.kind {
            StatementKind::Resource(decl) => &decl.value,
            StatementKind::Module { value, .. } => value,
            _ => unreachable!("symbols are resources and modules"),
        };
        let mut members = vec![
            member(
                "type",
                type_name_span,
                string(type_name_span, symbol.ty.clone()),
            ),
            member(
                "apiVersion",
                type_span,
                match &symbol.api_version {
                    Some(v) => string(type_span, v.clone()),
                    None => expression(type_span, None),
                },
            ),
        ];
        if declared.is_some_and(|d| d.existing) {
            members.push(member(
                "existing",
                type_span,
                Node {
                    span: type_span,
                    kind: Kind::Bool(true),
                },
            ));
        }
        // The `if` and `for` around the body, outermost first.
        let mut around = value;
        loop {
            match &around.kind {
                ExprKind::If { condition, body } => {
                    members.push(member(
                        "condition",
                        span(condition.span),
                        self.value(condition, &scope),
                    ));
                    around = body;
                }
                ExprKind::For(lp) => {
                    let iterable = self.text_of(&lp.iterable, &scope);
                    members.push(member(
                        "copy",
                        span(around.span),
                        self.copy(key, around.span, statement, iterable.as_deref()),
                    ));
                    scope.locals.insert(
                        lp.item.name.to_string(),
                        iterable.map(|i| format!("{i}[copyIndex()]")),
                    );
                    if let Some(index) = &lp.index {
                        scope
                            .locals
                            .insert(index.name.to_string(), Some("copyIndex()".into()));
                    }
                    around = &lp.body;
                }
                _ => break,
            }
        }
        let name_node = self.name_node(key, &scope);
        let name_span = name_node.span;
        members.push(member("name", name_span, name_node));
        let symbol = &self.symbols[key];
        match self.scope_of(key, &scope) {
            Some(Some((target, names))) => members.extend(self.scope_members(target, &names)),
            Some(None) => {}
            None => members.push(member(
                "resourceGroup",
                name_span,
                expression(name_span, None),
            )),
        }
        let mut depends: Vec<String> = Vec::new();
        let mut explicit = None;
        if let Some(parent) = &symbol.parent {
            depends.push(parent.clone());
        }
        if let Some(body) = symbol.body {
            for item in items(body) {
                let ObjectItem::Property(p) = item else {
                    continue;
                };
                let key_name = key_text(&p.key);
                match key_name.as_str() {
                    "name" | "parent" | "scope" => {}
                    "dependsOn" => explicit = Some(p),
                    "params" if symbol.module => {}
                    _ => members.push(Member {
                        key: key_cow(&p.key),
                        key_span: key_span(&p.key),
                        value: self.value(&p.value, &scope),
                    }),
                }
                if key_name != "dependsOn" {
                    self.references(&p.value, &mut depends);
                }
            }
        }
        if symbol.module {
            members.push(self.module_properties(key, &scope));
        }
        // A list of symbols, or one symbol (a loop's whole collection).
        if let Some(p) = explicit {
            self.references(&p.value, &mut depends);
        }
        depends.retain(|d| d != key && self.symbols.contains_key(d));
        let mut seen = HashSet::new();
        depends.retain(|d| seen.insert(d.clone()));
        if !depends.is_empty() {
            let at = explicit.map_or(name_span, |p| span(p.value.span));
            let list = depends.into_iter().map(|d| string(at, d)).collect();
            members.push(member(
                "dependsOn",
                explicit.map_or(name_span, |p| key_span(&p.key)),
                array(at, list),
            ));
        }
        object(at, members)
    }

    fn copy(&self, key: &str, at: Span, statement: &Statement, iterable: Option<&str>) -> Node<'t> {
        let at = span(at);
        let count = iterable.map(|i| format!("length({i})"));
        let mut members = vec![
            member("name", at, string(at, key.to_string())),
            member("count", at, expression(at, count)),
        ];
        let batch = statement
            .decorators
            .iter()
            .find(|d| d.name.name == "batchSize")
            .and_then(|d| d.args.first());
        if let Some(size) = batch {
            members.push(member("mode", at, string(at, "serial")));
            members.push(member(
                "batchSize",
                span(size.span),
                self.value(size, &Scope::default()),
            ));
        }
        object(at, members)
    }

    /// A resource's `name`: the `name:` value, or for a child of a parent `parent/child`.
    fn name_node(&self, key: &str, scope: &Scope) -> Node<'t> {
        let symbol = &self.symbols[key];
        let at = span(symbol.name().map_or(symbol.statement.span, |n| n.span));
        match (&symbol.parent, symbol.name()) {
            (None, Some(name)) => self.value(name, scope),
            (None, None) if symbol.module => expression(at, Some(module_name(key, symbol.looped))),
            _ => expression(at, self.full_name(key, scope)),
        }
    }

    /// The ARM expression of a resource's full name (`parent/child` for children).
    fn full_name(&self, key: &str, scope: &Scope) -> Option<String> {
        let segments = self.name_segments(key, scope, 0)?;
        Some(match segments.as_slice() {
            [one] => one.clone(),
            many => {
                let holes: Vec<String> = (0..many.len()).map(|i| format!("{{{i}}}")).collect();
                format!("format('{}', {})", holes.join("/"), many.join(", "))
            }
        })
    }

    /// The name of each level of a resource, outermost first, as ARM expressions.
    fn name_segments(&self, key: &str, scope: &Scope, depth: usize) -> Option<Vec<String>> {
        let symbol = self.symbols.get(key)?;
        if depth > 16 {
            return None;
        }
        let own = self.text_of(symbol.name()?, scope)?;
        let mut segments = match &symbol.parent {
            Some(parent) => {
                let names = self.parent_names(symbol, scope)?;
                self.name_segments(parent, &names, depth + 1)?
            }
            None => Vec::new(),
        };
        segments.push(own);
        Some(segments)
    }

    /// `resourceId(...)` of a resource, with the resource group or subscription it is
    /// declared in when its `scope:` says.
    fn resource_id(&self, key: &str, scope: &Scope) -> Option<String> {
        let symbol = self.symbols.get(key)?;
        let mut args = match self.scope_of(key, scope)? {
            None => Vec::new(),
            Some((target, names)) => self
                .scope_arguments(target, &names)?
                .into_iter()
                .collect::<Option<_>>()?,
        };
        args.push(quote(&symbol.ty));
        args.extend(self.name_segments(key, scope, 0)?);
        Some(format!("resourceId({})", args.join(", ")))
    }

    /// A resource's `scope:`, or its nearest ancestor's (a child is deployed where its parent
    /// is), with what names stand for in the declaration it is in, given `names` for the
    /// resource's own; `Some(None)` for none, `None` when it cannot be known.
    fn scope_of(&self, key: &str, names: &Scope) -> Option<Option<(&'p Expr<'p>, Scope)>> {
        let mut symbol = self.symbols.get(key)?;
        let mut names = names.clone();
        for _ in 0..16 {
            if let Some(scope) = symbol.scope() {
                return Some(Some((scope, names)));
            }
            let Some(parent) = &symbol.parent else {
                return Some(None);
            };
            names = self.parent_names(symbol, &names)?;
            symbol = self.symbols.get(parent)?;
        }
        None
    }

    /// What names stand for in the declaration of `symbol`'s parent, given what they stand for
    /// in `symbol`'s (`names`): nothing of the child's, and for one instance of a looped
    /// parent, that instance's loop variables. `None` for a looped parent whose instance is
    /// not said (a resource nested in a loop's body).
    fn parent_names(&self, symbol: &Symbol, names: &Scope) -> Option<Scope> {
        let parent = self.symbols.get(symbol.parent.as_deref()?)?;
        if !parent.looped {
            return Some(Scope::default());
        }
        self.instance_scope(parent, symbol.parent_index()?, names)
    }

    /// The leading `resourceId` arguments of `scope: resourceGroup(...)`.
    /// (`None` for one that cannot be lowered; none for `resourceGroup()`, the file's own).
    fn scope_arguments(&self, target: &Expr, scope: &Scope) -> Option<Vec<Option<String>>> {
        let ExprKind::Call { name, args, base } = &target.kind else {
            return None;
        };
        if !self.is_builtin(base.as_deref()) || name.name != "resourceGroup" {
            return None;
        }
        Some(args.iter().map(|a| self.text_of(a, scope)).collect())
    }

    /// The `name:` of instance `index` of a loop's symbol: the loop's item and index bound to
    /// that instance, as the compiler writes it.
    fn instance_name(&self, symbol: &Symbol, index: &Expr, scope: &Scope) -> Option<String> {
        self.text_of(symbol.name()?, &self.instance_scope(symbol, index, scope)?)
    }

    /// What the loop variables of a looped resource or module stand for in its instance at
    /// `index` (an expression in `scope`).
    fn instance_scope(&self, symbol: &Symbol, index: &Expr, scope: &Scope) -> Option<Scope> {
        let (StatementKind::Resource(ResourceDecl { value, .. })
        | StatementKind::Module { value, .. }) = &symbol.statement.kind
        else {
            return None;
        };
        let ExprKind::For(lp) = &value.kind else {
            return None;
        };
        let at = self.text_of(index, scope)?;
        let iterable = self.text_of(&lp.iterable, &Scope::default())?;
        let mut instance = Scope::default();
        instance
            .locals
            .insert(lp.item.name.to_string(), Some(format!("{iterable}[{at}]")));
        if let Some(i) = &lp.index {
            instance.locals.insert(i.name.to_string(), Some(at));
        }
        Some(instance)
    }

    /// A member or index access with a `.?` or `[?` at or before it in its chain, as the
    /// compiler writes it: one `tryGet(value, key, ...)` from the first safe access on (a null
    /// anywhere ends the whole chain). `Some(None)` for an access without one; `None` when a
    /// part cannot be lowered.
    fn safe_access(&self, expr: &Expr, scope: &Scope) -> Option<Option<String>> {
        let chain = self.safe_chain(expr, scope)?;
        Some(chain.map(|(root, keys)| format!("tryGet({root}, {})", keys.join(", "))))
    }

    /// For `safe_access`: the value before the first safe access and the keys from there on.
    fn safe_chain(&self, expr: &Expr, scope: &Scope) -> Option<Option<(String, Vec<String>)>> {
        let (base, key, safe) = match &expr.kind {
            ExprKind::Member { base, name, safe } => (base, quote(name.name), *safe),
            // Counting from the end is a call of its own (see `text_of`), which a chain starts
            // from.
            ExprKind::Index {
                base,
                index,
                safe,
                from_end: false,
            } => (base, self.text_of(index, scope)?, *safe),
            _ => return Some(None),
        };
        Some(match self.safe_chain(base, scope)? {
            Some((root, mut keys)) => {
                keys.push(key);
                Some((root, keys))
            }
            None if safe => Some((self.text_of(base, scope)?, vec![key])),
            None => None,
        })
    }

    /// Whether a call on `base` is a built-in function's: no base, or the `az` or `sys`
    /// namespace (unless a symbol has that name).
    fn is_builtin(&self, base: Option<&Expr>) -> bool {
        match base.map(|b| &b.kind) {
            None => true,
            Some(ExprKind::Ident(ns)) => {
                matches!(ns.name, "az" | "sys") && !self.symbols.contains_key(ns.name)
            }
            Some(_) => false,
        }
    }

    /// `resourceGroup`/`subscriptionId` members for `scope: resourceGroup(...)`,
    /// `subscriptionId` for `scope: subscription(id)`, `scope` for an extension resource's
    /// `scope: someResource`; other scopes are left out.
    fn scope_members(&self, target: &Expr, scope: &Scope) -> Vec<Member<'t>> {
        let at = span(target.span);
        if let ExprKind::Call { name, args, base } = &target.kind
            && self.is_builtin(base.as_deref())
            && name.name == "subscription"
            && let [id] = args.as_slice()
        {
            return vec![member(
                "subscriptionId",
                at,
                expression(at, self.text_of(id, scope)),
            )];
        }
        if let Some(args) = self.scope_arguments(target, scope) {
            let mut out = Vec::new();
            if let [subscription, _] = args.as_slice() {
                out.push(member(
                    "subscriptionId",
                    at,
                    expression(at, subscription.clone()),
                ));
            }
            if let Some(group) = args.last() {
                out.push(member("resourceGroup", at, expression(at, group.clone())));
            }
            return out;
        }
        match self.symbol_key(target) {
            Some(k) if self.symbols.contains_key(&*k) => {
                vec![member(
                    "scope",
                    at,
                    expression(at, self.resource_id(&k, scope)),
                )]
            }
            _ => Vec::new(),
        }
    }

    /// A module's `properties`: its parameters and its lowered template.
    fn module_properties(&mut self, key: &str, scope: &Scope) -> Member<'t> {
        let symbol = &self.symbols[key];
        let statement = symbol.statement;
        let at = span(statement.span);
        let StatementKind::Module { path, .. } = &statement.kind else {
            unreachable!("a module symbol is a module statement")
        };
        let mut parameters = Vec::new();
        if let Some(params) = symbol.body.and_then(|b| property(b, "params")) {
            for item in items(params) {
                if let ObjectItem::Property(p) = item {
                    let value = self.value(&p.value, scope);
                    let value_span = value.span;
                    parameters.push(Member {
                        key: key_cow(&p.key),
                        key_span: key_span(&p.key),
                        value: object(span(p.span), vec![member("value", value_span, value)]),
                    });
                }
            }
        }
        let mut members = vec![
            member(
                "expressionEvaluationOptions",
                at,
                object(at, vec![member("scope", at, string(at, "inner"))]),
            ),
            member("mode", at, string(at, "Incremental")),
            member("parameters", at, object(at, parameters)),
        ];
        let reference = path.plain().unwrap_or_default();
        if is_registry(reference) {
            self.notices.push(format!(
                "module `{}` comes from `{reference}`, which is not read: what it deploys is not checked",
                statement_name(statement)
            ));
        } else if let Some(template) =
            self.module_template(statement_name(statement), reference, at)
        {
            members.push(member("template", at, template));
        }
        member("properties", at, object(at, members))
    }

    /// A local module's template, lowered, its spans moved into the virtual text after the
    /// module texts lowered so far (see `ModuleText`); `at` is the `module` statement.
    fn module_template(
        &mut self,
        name: &str,
        reference: &str,
        at: diagnostic::Span,
    ) -> Option<Node<'t>> {
        let path = match self.module_path(reference) {
            Ok(path) => path,
            Err(Unread::Cycle) => {
                self.notices.push(format!(
                    "module `{name}` is not read: `{reference}` is this file or one that calls it, a cycle Bicep does not allow"
                ));
                return None;
            }
            Err(Unread::TooDeep) => return None,
        };
        let too_many = |this: &mut Self| {
            this.notices.push(format!(
                "module `{name}` is not read: with it, the modules this file calls would pass {MAX_MODULE_CALLS} calls or {} MB of Bicep",
                MAX_MODULE_TEXT >> 20
            ));
            None
        };
        if self.modules.len() >= MAX_MODULE_CALLS {
            return too_many(self);
        }
        let text = (self.read)(&path)?;
        let end = self.modules.last().map_or(self.text.len(), ModuleText::end);
        // One newline keeps the file's last line apart from the module's first.
        let base = end + 1;
        let folder = folder_of(&path);
        let mut chain = self.chain.clone();
        chain.push(path.clone());
        let depth = chain.len() - 1;
        let (module, paths) = match self.lowered.get(&text, &folder, &chain, self.read) {
            Some(found) => found,
            // An ARM template is its own tree; a broken one is left out (its own pass, when it
            // is linted, reports it).
            None if is_template_module(reference) => {
                let mut root = crate::json::parse(&text).root.ok()?;
                // The module's root spans its whole text, as a lowered module's does.
                root.span = diagnostic::Span::new(0, text.len());
                let module = LoweredModule {
                    root: rehome(&root, 0),
                    modules: Vec::new(),
                    text,
                    depth,
                    reach: Reach::default(),
                };
                (self.lowered.put(module), Vec::new())
            }
            None => {
                // A module cut short is never kept: another caller would take the part for
                // the whole.
                let Some((lowered, reach)) =
                    lower_in(&text, self.read, self.lowered, self.stop, chain)
                else {
                    self.stopped.set(true);
                    return None;
                };
                // Lowered from here, its modules' paths are already this caller's.
                let paths = lowered.modules.iter().map(|m| m.path.clone()).collect();
                let module = LoweredModule {
                    root: rehome(&lowered.root, 0),
                    modules: lowered.modules,
                    text,
                    depth,
                    reach,
                };
                (self.lowered.put(module), paths)
            }
        };
        self.reached(module.reach);
        let last = module
            .modules
            .last()
            .map_or(module.text.len(), ModuleText::end);
        // One file's modules are bounded, and spans are 32-bit.
        if self.modules.len() + 1 + module.modules.len() > MAX_MODULE_CALLS
            || base + last - self.text.len() > MAX_MODULE_TEXT
            || u32::try_from(base + last).is_err()
        {
            return too_many(self);
        }
        let first = self.modules.len();
        self.modules.push(ModuleText {
            path,
            base,
            text: module.text.clone(),
            call: at,
            reference: reference.to_string(),
            caller: None,
        });
        self.modules.extend(
            module
                .modules
                .iter()
                .zip(paths)
                .map(|(m, path)| ModuleText {
                    path,
                    base: m.base + base,
                    text: m.text.clone(),
                    call: shifted(m.call, base),
                    reference: m.reference.clone(),
                    caller: Some(m.caller.map_or(first, |c| first + 1 + c)),
                }),
        );
        Some(rehome(&module.root, base))
    }

    /// A local module's output as an expression of the parent: the module's output value with
    /// the parameters it was passed put in. A module deployed to another scope, in a loop or
    /// from a registry has none (the parent's `resourceId()` would name another group).
    fn module_output(&self, key: &str, output: &str) -> Option<String> {
        if let Some(outputs) = self.module_outputs.borrow().get(key) {
            return outputs.get(output).cloned().flatten();
        }
        let outputs = Rc::new(self.outputs_of(key).unwrap_or_default());
        self.module_outputs
            .borrow_mut()
            .insert(key.to_string(), outputs.clone());
        outputs.get(output).cloned().flatten()
    }

    /// Every output of the local module `key` as an expression of this file; `None` for a
    /// module that has none here (see `module_output`).
    fn outputs_of(&self, key: &str) -> Option<ModuleOutputs> {
        let symbol = &self.symbols[key];
        let StatementKind::Module { path, .. } = &symbol.statement.kind else {
            return None;
        };
        let reference = path.plain()?;
        // An ARM template module's outputs are left to the evaluator (`reference(...)`).
        if symbol.scope().is_some()
            || symbol.looped
            || is_registry(reference)
            || is_template_module(reference)
        {
            return None;
        }
        let path = self.module_path(reference).ok()?;
        // The module statement is in no loop (a looped one has no outputs here).
        let passed = symbol.body.and_then(|b| property(b, "params"));
        let bindings = passed
            .map_or(&[][..], items)
            .iter()
            .filter_map(|item| match item {
                ObjectItem::Property(p) => {
                    Some((key_text(&p.key), self.text_of(&p.value, &Scope::default())))
                }
                _ => None,
            })
            .collect();
        self.inline_from(path, bindings, |statements, module| {
            statements
                .iter()
                .filter_map(|s| match &s.kind {
                    StatementKind::Output { name, value, .. } => Some((
                        name.name.to_string(),
                        module.inlined(value, &Scope::default()),
                    )),
                    _ => None,
                })
                .collect()
        })
    }

    /// The variable `name` that the Bicep file `from` exports, as an expression of this file;
    /// `None` when it cannot be written here or the file is not read (a registry's, an ARM
    /// template, one in a cycle of imports).
    fn imported_value(&self, from: &str, name: &str) -> Option<String> {
        let key = (from.to_string(), name.to_string());
        if let Some(value) = self.imported.borrow().get(&key) {
            return value.clone();
        }
        let value = self.read_import(from, name);
        self.imported.borrow_mut().insert(key, value.clone());
        value
    }

    fn read_import(&self, from: &str, name: &str) -> Option<String> {
        self.read_export(from, name, |s, source| match &s.kind {
            StatementKind::Var { value, .. } => source.inlined(value, &Scope::default()),
            _ => None,
        })
    }

    /// The body of the function `there` that the Bicep file `from` exports, with `arguments`
    /// (expressions of this file) for its parameters: a call of it written in place.
    fn imported_body(&self, from: &str, there: &str, arguments: Vec<String>) -> Option<String> {
        self.read_export(from, there, |s, source| match &s.kind {
            StatementKind::Func { params, body, .. } => {
                source.inlined(body, &call_scope(params, arguments)?)
            }
            _ => None,
        })
    }

    /// What `found` makes of the declaration `there` that the Bicep file `from` exports,
    /// given the lowering of that file in this file's terms (see `inline_from`); `None` when
    /// the file is not read or exports no such name.
    fn read_export<T>(
        &self,
        from: &str,
        there: &str,
        found: impl FnOnce(&Statement, &Lowering) -> Option<T>,
    ) -> Option<T> {
        let path = self.import_path(from)?;
        self.inline_from(path, HashMap::new(), |statements, source| {
            let exported = statements
                .iter()
                .find(|s| is_exported(s) && statement_name(s) == there)?;
            found(exported, source)
        })?
    }

    /// The path of the local Bicep file an import names (`None`: one from a registry, an ARM
    /// template, or one deeper than modules are read or in a cycle, whose values stay unknown
    /// and which leaves no module out). The lowering is marked as one that imported.
    fn import_path(&self, from: &str) -> Option<String> {
        if is_registry(from) || is_template_module(from) {
            return None;
        }
        let mut reach = self.reach.get();
        reach.imported = true;
        self.reach.set(reach);
        self.path_of(from).ok()
    }

    /// What `values` works out from the Bicep file at `path`, lowered with `bindings`
    /// (what its parameters were passed, as expressions of this file) so that what it gives
    /// is written in this file's terms; `None` when the file is not read. Each read counts
    /// against `MAX_INLINED_READS`.
    fn inline_from<T>(
        &self,
        path: String,
        bindings: HashMap<String, Option<String>>,
        values: impl FnOnce(&[Statement], &Lowering) -> T,
    ) -> Option<T> {
        let left = self.reads_left.get().checked_sub(1)?;
        self.reads_left.set(left);
        let text = (self.read)(&path)?;
        let parsed = parse(&text);
        let mut chain = self.chain.clone();
        chain.push(path);
        let mut source = Lowering::new(
            &text,
            &parsed.program,
            self.read,
            self.lowered,
            self.stop,
            chain,
        );
        source.reads_left = self.reads_left.clone();
        source.bindings = Some(bindings);
        let found = values(&parsed.program.statements, &source);
        self.reached(source.reach.get());
        Some(found)
    }

    /// A value of a file read by `inline_from`, unless it is too long to inline.
    fn inlined(&self, value: &Expr, scope: &Scope) -> Option<String> {
        self.text_of(value, scope)
            .filter(|text| text.len() <= MAX_INLINED_TEXT)
    }

    /// The path, from the linted file's folder, of the local module `reference` names, as
    /// `path_of` gives it, its refusal noted in the lowering's reach.
    fn module_path(&self, reference: &str) -> Result<String, Unread> {
        let path = self.path_of(reference);
        let mut reach = self.reach.get();
        match path {
            Err(Unread::TooDeep) => reach.refused = true,
            Err(Unread::Cycle) => reach.cycle = true,
            Ok(_) => {}
        }
        self.reach.set(reach);
        path
    }

    /// The path, from the linted file's folder, of the file `reference` names from this one,
    /// unless it lies below `MAX_MODULE_DEPTH` or is one of the files that lead to this one
    /// (Bicep rejects such a cycle, and each round of it would add the file again).
    fn path_of(&self, reference: &str) -> Result<String, Unread> {
        if self.chain.len() > MAX_MODULE_DEPTH {
            return Err(Unread::TooDeep);
        }
        let folder = folder_of(self.chain.last().map_or("", String::as_str));
        let path = join(&folder, reference);
        // An empty path names no file (and the linted file's name when it is unknown).
        if !path.is_empty() && self.chain.contains(&path) {
            return Err(Unread::Cycle);
        }
        Ok(path)
    }

    /// Whether to stop lowering: `stop` says so, now or before.
    fn stopping(&self) -> bool {
        if !self.stopped.get() && (self.stop)() {
            self.stopped.set(true);
        }
        self.stopped.get()
    }

    /// Notes the reach of a module lowered one level below this lowering.
    fn reached(&self, module: Reach) {
        self.reach.set(self.reach.get().with_below(module));
    }

    /// Every resource or module symbol an expression refers to, for `dependsOn`: through the
    /// variables it uses too, as the compiler does.
    fn references(&self, expr: &Expr, out: &mut Vec<String>) {
        self.references_through(expr, out, &mut HashSet::new());
    }

    /// `references`, each variable followed once (`followed`), so a cycle ends.
    fn references_through<'e>(
        &self,
        expr: &'e Expr<'e>,
        out: &mut Vec<String>,
        followed: &mut HashSet<&'e str>,
    ) where
        'p: 'e,
    {
        if let Some(k) = self.symbol_key(expr)
            && self.symbols.contains_key(&*k)
        {
            out.push(k.into_owned());
            return;
        }
        if let ExprKind::Ident(id) = &expr.kind
            && let Some(&value) = self.variables.get(id.name)
        {
            if followed.insert(id.name) {
                self.references_through(value, out, followed);
            }
            return;
        }
        visit_children(expr, &mut |e| self.references_through(e, out, followed));
    }

    /// A Bicep value as JSON: literals and objects as themselves, the rest as expressions.
    fn value(&self, expr: &Expr, scope: &Scope) -> Node<'t> {
        let at = span(expr.span);
        match &expr.kind {
            ExprKind::String(s) => match s.plain() {
                Some(plain) if plain.starts_with('[') && plain.ends_with(']') => {
                    string(at, format!("[{plain}"))
                }
                Some(_) => match s.parts.as_slice() {
                    [StringPart::Text { value, .. }] => string(at, value.to_string()),
                    _ => string(at, ""),
                },
                None => expression(at, self.text_of(expr, scope)),
            },
            ExprKind::Int(_) => Node {
                span: at,
                kind: Kind::Number(&self.text[expr.span.range()]),
            },
            ExprKind::Bool(b) => Node {
                span: at,
                kind: Kind::Bool(*b),
            },
            ExprKind::Null => Node {
                span: at,
                kind: Kind::Null,
            },
            ExprKind::Paren(inner) => self.value(inner, scope),
            ExprKind::Object(list) if list.iter().all(|i| matches!(i, ObjectItem::Property(_))) => {
                let mut members = Vec::new();
                let mut loops = Vec::new();
                for item in list {
                    let ObjectItem::Property(p) = item else {
                        continue;
                    };
                    match &p.value.kind {
                        // A filtered loop (`if` in its body) is left as an unknown expression.
                        ExprKind::For(lp) if !matches!(lp.body.kind, ExprKind::If { .. }) => {
                            loops.push(self.property_loop(p, lp, scope))
                        }
                        _ => members.push(Member {
                            key: key_cow(&p.key),
                            key_span: key_span(&p.key),
                            value: self.value(&p.value, scope),
                        }),
                    }
                }
                loops_first(&mut members, loops);
                object(at, members)
            }
            ExprKind::Array(list) if list.iter().all(|i| matches!(i, ArrayItem::Value(_))) => {
                let items = list
                    .iter()
                    .filter_map(|item| match item {
                        ArrayItem::Value(v) => Some(self.value(v, scope)),
                        ArrayItem::Spread { .. } => None,
                    })
                    .collect();
                array(at, items)
            }
            _ => expression(at, self.text_of(expr, scope)),
        }
    }

    /// A property whose value is a `for` expression, as the compiler writes it: a property copy
    /// loop named by the property, the loop's item `iterable[copyIndex('name')]` in its input.
    fn property_loop(&self, p: &ObjectProperty, lp: &ForExpr, scope: &Scope) -> Node<'t> {
        let at = span(p.value.span);
        self.copy_loop(key_text(&p.key), key_span(&p.key), at, lp, scope)
    }

    /// A copy loop named `name` (said at `name_at`) over `lp`, as the compiler writes a property
    /// or variable loop: `count` the iterable's length, the loop's item
    /// `iterable[copyIndex('name')]` in its `input`.
    fn copy_loop(
        &self,
        name: String,
        name_at: diagnostic::Span,
        at: diagnostic::Span,
        lp: &ForExpr,
        scope: &Scope,
    ) -> Node<'t> {
        let index = format!("copyIndex({})", quote(&name));
        let iterable = self.text_of(&lp.iterable, scope);
        let mut inner = scope.clone();
        inner.locals.insert(
            lp.item.name.to_string(),
            iterable.as_ref().map(|i| format!("{i}[{index}]")),
        );
        if let Some(i) = &lp.index {
            inner.locals.insert(i.name.to_string(), Some(index));
        }
        object(
            at,
            vec![
                member("name", name_at, string(name_at, name)),
                member(
                    "count",
                    at,
                    expression(at, iterable.map(|i| format!("length({i})"))),
                ),
                member("input", span(lp.body.span), self.value(&lp.body, &inner)),
            ],
        )
    }

    /// A Bicep expression as ARM expression text, or `None` when it cannot be said exactly.
    fn text_of(&self, expr: &Expr, scope: &Scope) -> Option<String> {
        let mut out = String::new();
        self.write_text(expr, scope, &mut out)?;
        Some(out)
    }

    /// `text_of` written at the end of `out`, which the caller drops on `None`: one buffer for
    /// a whole expression instead of a string for each of its parts. `None` too past
    /// `MAX_TEXT_DEPTH`, `MAX_TEXT_PARTS` or `MAX_TEXT_LEN`, counted from the outermost call.
    fn write_text(&self, expr: &Expr, scope: &Scope, out: &mut String) -> Option<()> {
        let depth = self.text_depth.get();
        let parts = if depth == 0 {
            1
        } else {
            self.text_parts.get() + 1
        };
        if depth == MAX_TEXT_DEPTH || parts > MAX_TEXT_PARTS || out.len() > MAX_TEXT_LEN {
            return None;
        }
        self.text_parts.set(parts);
        self.text_depth.set(depth + 1);
        let written = self.write_expression(expr, scope, out);
        self.text_depth.set(depth);
        written
    }

    /// `write_text` of one expression, its parts through `write_text`.
    fn write_expression(&self, expr: &Expr, scope: &Scope, out: &mut String) -> Option<()> {
        let of = |e: &Expr, out: &mut String| self.write_text(e, scope, out);
        match &expr.kind {
            ExprKind::String(s) => match s.plain() {
                Some(plain) => push_quoted(out, plain),
                None => {
                    out.push_str("format('");
                    let mut holes = 0;
                    for part in &s.parts {
                        match part {
                            StringPart::Text { value, .. } => push_escaped(out, value, true),
                            StringPart::Interpolation(_) => {
                                out.push('{');
                                out.push_str(&holes.to_string());
                                out.push('}');
                                holes += 1;
                            }
                        }
                    }
                    out.push('\'');
                    for part in &s.parts {
                        if let StringPart::Interpolation(e) = part {
                            out.push_str(", ");
                            of(e, out)?;
                        }
                    }
                    out.push(')');
                }
            },
            ExprKind::Int(n) => out.push_str(&n.to_string()),
            ExprKind::Bool(b) => out.push_str(if *b { "true()" } else { "false()" }),
            ExprKind::Null => out.push_str("null()"),
            ExprKind::Ident(id) => {
                if let Some(local) = scope.locals.get(id.name) {
                    out.push_str(local.as_deref()?);
                    return Some(());
                }
                if self.symbols.contains_key(id.name) {
                    // A whole resource or module as a value: its properties are deploy-time.
                    return None;
                }
                if let Some(default) = self.parameters.get(id.name) {
                    match &self.bindings {
                        None => push_call(out, "parameters", id.name),
                        Some(bound) => match bound.get(id.name) {
                            Some(passed) => out.push_str(passed.as_deref()?),
                            None => self.write_text(default.as_ref()?, &Scope::default(), out)?,
                        },
                    }
                } else if let Some(value) = self.variables.get(id.name) {
                    if self.bindings.is_none() {
                        push_call(out, "variables", id.name)
                    } else {
                        if self.inlined.get() >= MAX_INLINED_VARIABLES {
                            return None;
                        }
                        self.inlined.set(self.inlined.get() + 1);
                        self.write_text(value, &Scope::default(), out)?
                    }
                } else if let Some(Imported::Symbol { from, name, .. }) = self.imports.get(id.name)
                {
                    out.push_str(&self.imported_value(from, name)?);
                } else {
                    return None;
                }
            }
            ExprKind::Object(list) => write_literal(
                out,
                list,
                ("createObject(", "shallowMerge"),
                |item| match item {
                    ObjectItem::Spread { value, .. } => Some(value),
                    _ => None,
                },
                |item, out| {
                    let ObjectItem::Property(p) = item else {
                        return None;
                    };
                    push_quoted(out, &key_text(&p.key));
                    out.push_str(", ");
                    of(&p.value, out)
                },
                &of,
            )?,
            ExprKind::Array(list) => write_literal(
                out,
                list,
                ("createArray(", "flatten"),
                |item| match item {
                    ArrayItem::Spread { value, .. } => Some(value),
                    ArrayItem::Value(_) => None,
                },
                |item, out| match item {
                    ArrayItem::Value(v) => of(v, out),
                    ArrayItem::Spread { .. } => None,
                },
                &of,
            )?,
            ExprKind::Member { base, name, .. } => {
                if let ExprKind::Ident(alias) = &base.kind
                    && !scope.locals.contains_key(alias.name)
                    && let Some(Imported::Namespace { from }) = self.imports.get(alias.name)
                {
                    out.push_str(&self.imported_value(from, name.name)?);
                    return Some(());
                }
                if let Some(text) = self.symbol_member(base, name.name, scope) {
                    out.push_str(&text?);
                    return Some(());
                }
                match self.safe_access(expr, scope)? {
                    Some(text) => out.push_str(&text),
                    None => {
                        of(base, out)?;
                        out.push('.');
                        out.push_str(name.name);
                    }
                }
            }
            // As the compiler writes them; the evaluator knows neither function, so the value
            // stays unknown.
            ExprKind::Index {
                base,
                index,
                safe,
                from_end: true,
            } => {
                out.push_str(if *safe {
                    "tryIndexFromEnd("
                } else {
                    "indexFromEnd("
                });
                of(base, out)?;
                out.push_str(", ");
                of(index, out)?;
                out.push(')');
            }
            ExprKind::Index { base, index, .. } => match self.safe_access(expr, scope)? {
                Some(text) => out.push_str(&text),
                None => {
                    of(base, out)?;
                    out.push('[');
                    of(index, out)?;
                    out.push(']');
                }
            },
            ExprKind::NonNull(inner) | ExprKind::Paren(inner) => of(inner, out)?,
            ExprKind::Call { base, name, args } => {
                let namespace = self.is_builtin(base.as_deref());
                if base.is_none() && self.is_user_function(name.name) {
                    return self.write_function_call(name.name, args, scope, out);
                }
                if !namespace {
                    return None;
                }
                match (name.name, args.as_slice()) {
                    // A type cast only: the compiler writes its argument.
                    ("any", [value]) => of(value, out)?,
                    // Worked out by the compiler: the name the argument ends with.
                    ("nameof", [value]) => push_quoted(out, name_of(value)?),
                    _ => {
                        out.push_str(name.name);
                        out.push('(');
                        for (i, arg) in args.iter().enumerate() {
                            if i > 0 {
                                out.push_str(", ");
                            }
                            of(arg, out)?;
                        }
                        out.push(')');
                    }
                }
            }
            ExprKind::Unary { op, operand } => match (op, &operand.kind) {
                (UnaryOp::Minus, ExprKind::Int(n)) => {
                    out.push('-');
                    out.push_str(&n.to_string());
                }
                (UnaryOp::Minus, _) => {
                    out.push_str("sub(0, ");
                    of(operand, out)?;
                    out.push(')');
                }
                (UnaryOp::Not, _) => {
                    out.push_str("not(");
                    of(operand, out)?;
                    out.push(')');
                }
            },
            ExprKind::Binary { op, left, right } => {
                let (open, between, close) = binary_call(*op);
                out.push_str(open);
                of(left, out)?;
                out.push_str(between);
                of(right, out)?;
                out.push_str(close);
            }
            ExprKind::Ternary {
                condition,
                then,
                otherwise,
            } => {
                out.push_str("if(");
                of(condition, out)?;
                out.push_str(", ");
                of(then, out)?;
                out.push_str(", ");
                of(otherwise, out)?;
                out.push(')');
            }
            ExprKind::NestedResource { .. }
            | ExprKind::Lambda { .. }
            | ExprKind::For(_)
            | ExprKind::If { .. }
            | ExprKind::Error => return None,
        }
        Some(())
    }

    /// `sym.id`, `sym.name`, `sym.properties.x`, `m.outputs.x` and the like: `Some(text)` when
    /// `base` is a resource or module symbol (`Some(None)`: one that cannot be lowered).
    fn symbol_member(&self, base: &Expr, name: &str, scope: &Scope) -> Option<Option<String>> {
        // `sym[i].name` and `sym[i].id` of a looped resource: those of instance `i`.
        if let ExprKind::Index {
            base: inner,
            index,
            safe: false,
            from_end: false,
        } = &base.kind
            && let Some(key) = self.symbol_key(inner)
            && let Some(symbol) = self.symbols.get(&*key)
            && symbol.looped
        {
            match name {
                "name" => return Some(self.instance_name(symbol, index, scope)),
                "id" if !symbol.module => {
                    let instance = self.instance_scope(symbol, index, scope);
                    return Some(instance.and_then(|i| self.resource_id(&key, &i)));
                }
                _ => {}
            }
        }
        // `sym.properties.x` and `m.outputs.x` reach one level further than `sym.x`.
        if let ExprKind::Member {
            base: inner,
            name: middle,
            safe: false,
        } = &base.kind
            && let Some(key) = self.symbol_key(inner)
            && let Some(symbol) = self.symbols.get(&*key)
        {
            if symbol.looped {
                return Some(None);
            }
            let referable = self.bindings.is_none();
            return Some(match (symbol.module, middle.name) {
                (true, "outputs") => self.module_output(&key, name).or_else(|| {
                    referable.then(|| format!("reference({}).outputs.{name}.value", quote(&key)))
                }),
                (false, "properties") if referable => {
                    Some(format!("reference({}).{name}", quote(&key)))
                }
                (false, "properties") => None,
                _ => self
                    .symbol_member(inner, middle.name, scope)
                    .flatten()
                    .map(|t| format!("{t}.{name}")),
            });
        }
        let key = self.symbol_key(base)?;
        let symbol = self.symbols.get(&*key)?;
        if symbol.looped {
            return Some(None);
        }
        Some(match name {
            "id" => self.resource_id(&key, scope),
            // A child's `name` is its own segment, as declared, not `parent/child`.
            "name" => match symbol.name() {
                Some(name) => self.text_of(name, &Scope::default()),
                None if symbol.module => Some(module_name(&key, false)),
                None => None,
            },
            "type" => Some(quote(&symbol.ty)),
            "apiVersion" => symbol.api_version.as_deref().map(quote),
            _ if symbol.module || self.bindings.is_some() => None,
            "properties" => Some(format!("reference({})", quote(&key))),
            _ => Some(format!(
                "reference({}, {}, 'full').{name}",
                quote(&key),
                symbol
                    .api_version
                    .as_deref()
                    .map_or_else(|| UNKNOWN.to_string(), quote)
            )),
        })
    }
}

/// The body object of a resource or module value, through `if` and `for`; and whether a loop
/// declares it.
pub(super) fn body_of<'a>(value: &'a Expr<'a>) -> (Option<&'a Expr<'a>>, bool) {
    match &value.kind {
        ExprKind::Object(_) => (Some(value), false),
        ExprKind::If { body, .. } => body_of(body),
        ExprKind::For(lp) => (body_of(&lp.body).0, true),
        _ => (None, false),
    }
}

fn items<'a>(object: &'a Expr<'a>) -> &'a [ObjectItem<'a>] {
    match &object.kind {
        ExprKind::Object(items) => items,
        _ => &[],
    }
}

/// The value of an object's property `key`.
fn property<'a>(object: &'a Expr<'a>, key: &str) -> Option<&'a Expr<'a>> {
    items(object).iter().find_map(|item| match item {
        ObjectItem::Property(p) if key_text(&p.key) == key => Some(&p.value),
        _ => None,
    })
}

pub(super) fn key_text(key: &PropertyKey) -> String {
    match key {
        PropertyKey::Ident(id) => id.name.to_string(),
        PropertyKey::String(s) => s.plain().unwrap_or_default().to_string(),
    }
}

fn key_cow<'t>(key: &PropertyKey) -> Cow<'t, str> {
    Cow::Owned(key_text(key))
}

fn key_span(key: &PropertyKey) -> diagnostic::Span {
    match key {
        PropertyKey::Ident(id) => span(id.span),
        PropertyKey::String(s) => span(s.span),
    }
}

fn statement_name<'a>(statement: &Statement<'a>) -> &'a str {
    match &statement.kind {
        StatementKind::Module { name, .. }
        | StatementKind::Var { name, .. }
        | StatementKind::Func { name, .. } => name.name,
        _ => "",
    }
}

/// The deployment name the compiler gives a module declared without `name:`.
fn module_name(key: &str, looped: bool) -> String {
    let unique = format!("uniqueString({}, deployment().name)", quote(key));
    if looped {
        format!(
            "format({}, copyIndex(), {unique})",
            quote(&format!("{key}-{{0}}-{{1}}"))
        )
    } else {
        format!("format({}, {unique})", quote(&format!("{key}-{{0}}")))
    }
}

/// Modules from a registry or template spec: `br:`, `br/alias:`, `ts:`, `ts/alias:`.
fn is_registry(reference: &str) -> bool {
    ["br:", "br/", "ts:", "ts/"]
        .iter()
        .any(|p| reference.starts_with(p))
}

/// A module that is an ARM template, by its extension as the compiler tells one: `.json`,
/// `.jsonc` or `.arm`.
fn is_template_module(reference: &str) -> bool {
    std::path::Path::new(reference)
        .extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| ["json", "jsonc", "arm"].contains(&ext))
}

/// The folder of a module path, with its trailing `/` (empty for one beside the file).
fn folder_of(path: &str) -> String {
    path.rsplit_once('/')
        .map_or(String::new(), |(folder, _)| format!("{folder}/"))
}

/// What `nameof(expr)` gives: the name a symbol, property or child resource access ends with, or
/// the string that indexes it.
fn name_of<'a>(expr: &'a Expr) -> Option<&'a str> {
    match &expr.kind {
        ExprKind::Ident(name)
        | ExprKind::Member { name, .. }
        | ExprKind::NestedResource { name, .. } => Some(name.name),
        ExprKind::Index { index, .. } => match &index.kind {
            ExprKind::String(s) => s.plain(),
            _ => None,
        },
        _ => None,
    }
}

/// `folder` + `relative`, with `.` and `dir/..` folded away.
fn join(folder: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in folder.split('/').chain(relative.split('/')) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

/// A module's tree in the parent's lifetime, every span moved `base` bytes on, into the
/// module's place in the virtual text.
fn rehome<'t>(node: &Node, base: usize) -> Node<'t> {
    owned(node, &|span| shifted(span, base))
}

/// `node` owned, each span mapped by `to`.
fn owned<'t>(node: &Node, to: &impl Fn(diagnostic::Span) -> diagnostic::Span) -> Node<'t> {
    let kind = match &node.kind {
        Kind::Null => Kind::Null,
        Kind::Bool(b) => Kind::Bool(*b),
        // A number of another text cannot be borrowed; as an expression it has the same value.
        Kind::Number(n) => Kind::String(Cow::Owned(format!("[{n}]"))),
        Kind::String(s) => Kind::String(Cow::Owned(s.to_string())),
        Kind::Array(items) => Kind::Array(items.iter().map(|n| owned(n, to)).collect()),
        Kind::Object(members) => Kind::Object(
            members
                .iter()
                .map(|m| Member {
                    key: Cow::Owned(m.key.to_string()),
                    key_span: to(m.key_span),
                    value: owned(&m.value, to),
                })
                .collect(),
        ),
    };
    Node {
        span: to(node.span),
        kind,
    }
}

fn shifted(span: diagnostic::Span, base: usize) -> diagnostic::Span {
    diagnostic::Span::new(span.start as usize + base, span.end as usize + base)
}

/// The namespace the compiler writes user functions in.
const FUNCTIONS: &str = "__bicep";

/// Whether a declaration is `@export()`ed, so that other files may import it.
fn is_exported(statement: &Statement) -> bool {
    statement.decorators.iter().any(|d| d.name.name == "export")
}

/// What a user function's body sees when a call is written in place: each parameter is the
/// argument given (`None` when their numbers differ).
fn call_scope(params: &[TypedParam], arguments: Vec<String>) -> Option<Scope> {
    if params.len() != arguments.len() {
        return None;
    }
    let locals = params
        .iter()
        .zip(arguments)
        .map(|(p, argument)| (p.name.name.to_string(), Some(argument)))
        .collect();
    Some(Scope { locals })
}

/// What a user function's body sees: its own parameters.
fn function_scope(params: &[TypedParam]) -> Scope {
    let own = params.iter().map(|p| {
        let mut text = String::new();
        push_call(&mut text, "parameters", p.name.name);
        text
    });
    call_scope(params, own.collect()).unwrap_or_default()
}

/// A user function's declaration, as the compiler writes it in `functions`.
struct Function<'f, 'a> {
    params: &'f [TypedParam<'a>],
    return_type: &'f TypeExpr<'a>,
    statement: &'f Statement<'a>,
}

impl Function<'_, '_> {
    /// The function as a member of a `functions` namespace, named `name` (at `name_at`), all
    /// else at `at`: its parameters' names and types, and its output's type and `value` (its
    /// body as an expression; `None` for one not lowered).
    fn member<'t>(
        &self,
        name: &str,
        name_at: diagnostic::Span,
        at: diagnostic::Span,
        value: Option<String>,
    ) -> Member<'t> {
        let type_of = |ty| member("type", at, string(at, param_type(Some(ty), self.statement)));
        let parameters = self
            .params
            .iter()
            .map(|p| {
                let name = member("name", at, string(at, p.name.name.to_string()));
                object(at, vec![type_of(&p.ty), name])
            })
            .collect();
        let output = vec![
            type_of(self.return_type),
            member("value", at, expression(at, value)),
        ];
        Member {
            key: Cow::Owned(name.to_string()),
            key_span: name_at,
            value: object(
                at,
                vec![
                    member("parameters", at, array(at, parameters)),
                    member("output", at, object(at, output)),
                ],
            ),
        }
    }
}

/// The ARM type of a declared type.
fn param_type(ty: Option<&TypeExpr>, statement: &Statement) -> String {
    let secure = statement.decorators.iter().any(|d| d.name.name == "secure");
    let base = match ty.map(|t| &t.kind) {
        Some(TypeKind::Nullable(inner)) => return param_type(Some(inner), statement),
        Some(TypeKind::Paren(inner) | TypeKind::NonNullable(inner)) => {
            return param_type(Some(inner), statement);
        }
        Some(TypeKind::Name(id)) => match id.name {
            "string" | "int" | "bool" | "array" | "object" => id.name,
            _ => "object",
        },
        Some(TypeKind::String(_)) => "string",
        Some(TypeKind::Int { .. }) => "int",
        Some(TypeKind::Bool(_)) => "bool",
        Some(TypeKind::Array(_) | TypeKind::Tuple(_)) => "array",
        Some(TypeKind::Union(members)) => {
            return members
                .first()
                .map_or("object".into(), |m| param_type(Some(m), statement));
        }
        _ => "object",
    };
    match (secure, base) {
        (true, "string") => "securestring".into(),
        (true, "object") => "secureObject".into(),
        _ => base.into(),
    }
}

/// Calls `visit` on each expression directly inside `expr`.
fn visit_children<'a>(expr: &'a Expr<'a>, visit: &mut impl FnMut(&'a Expr<'a>)) {
    match &expr.kind {
        ExprKind::String(s) => s.parts.iter().for_each(|p| {
            if let StringPart::Interpolation(e) = p {
                visit(e)
            }
        }),
        ExprKind::Object(list) => list.iter().for_each(|item| match item {
            ObjectItem::Property(p) => visit(&p.value),
            ObjectItem::Spread { value, .. } => visit(value),
            ObjectItem::Resource(_) => {}
        }),
        ExprKind::Array(list) => list.iter().for_each(|item| match item {
            ArrayItem::Value(v) | ArrayItem::Spread { value: v, .. } => visit(v),
        }),
        ExprKind::Member { base, .. } | ExprKind::NestedResource { base, .. } => visit(base),
        ExprKind::Index { base, index, .. } => {
            visit(base);
            visit(index);
        }
        ExprKind::NonNull(e) | ExprKind::Paren(e) => visit(e),
        ExprKind::Unary { operand, .. } => visit(operand),
        ExprKind::Call { base, args, .. } => {
            base.iter().for_each(|b| visit(b));
            args.iter().for_each(&mut *visit);
        }
        ExprKind::Binary { left, right, .. } => {
            visit(left);
            visit(right);
        }
        ExprKind::Ternary {
            condition,
            then,
            otherwise,
        } => {
            visit(condition);
            visit(then);
            visit(otherwise);
        }
        ExprKind::Lambda { body, .. } => visit(body),
        ExprKind::For(lp) => {
            visit(&lp.iterable);
            visit(&lp.body);
        }
        ExprKind::If { condition, body } => {
            visit(condition);
            visit(body);
        }
        ExprKind::Int(_)
        | ExprKind::Bool(_)
        | ExprKind::Null
        | ExprKind::Ident(_)
        | ExprKind::Error => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lowered(text: &str) -> serde_json::Value {
        let modules = |path: &str| {
            (path == "mods/kv.bicep").then(|| {
                "param n string\nvar full = '${n}-kv'\nresource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {\n  name: full\n}\noutput id string = kv.id\noutput uri string = kv.properties.vaultUri\n".to_string()
            })
        };
        lower(text, &modules).root.to_json()
    }

    #[test]
    fn spreads_lower_as_the_compiler_writes_them() {
        let text = "param x object\nparam y object\nparam xs array\nvar a = {\n  ...x\n  k: 1\n  l: 2\n  ...y\n}\nvar b = [\n  1\n  ...xs\n  2\n  3\n]\nvar c = [\n  ...xs\n]\nvar d = union({}, { ...x })\n";
        let v = lowered(text);
        assert_eq!(
            v["variables"],
            json!({
                "a": "[shallowMerge(createArray(parameters('x'), createObject('k', 1, 'l', 2), parameters('y')))]",
                "b": "[flatten(createArray(createArray(1), parameters('xs'), createArray(2, 3)))]",
                "c": "[flatten(createArray(parameters('xs')))]",
                "d": "[union(createObject(), shallowMerge(createArray(parameters('x'))))]",
            })
        );
    }

    #[test]
    fn expressions_become_arm_expressions() {
        let text = "param a string\nparam o string?\nparam n int = -1\nvar b = 'x${a}{y}'\nvar c = a == 'q' ? !true : a != 'r'\nvar d = a ?? az.resourceGroup().location\nvar e = '[not an expression]'\nvar f = 'it\\'s'\nvar g = map([1], x => x)\nvar h = [for x in [1]: x]\nvar i = { k: a, l: [a, 1] }\nvar j = sys.concat(a, 'z')\nvar k = any(a)\nfunc concat() string => 'x'\nvar l = concat()\n";
        let v = lowered(text);
        assert_eq!(
            v["parameters"]["n"],
            json!({"type": "int", "defaultValue": "[-1]"})
        );
        assert_eq!(
            v["parameters"]["o"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(v["parameters"]["a"], json!({"type": "string"}));
        assert_eq!(
            v["variables"],
            json!({
                // As the compiler writes a variable loop.
                "copy": [{
                    "name": "h",
                    "count": "[length(createArray(1))]",
                    "input": "[createArray(1)[copyIndex('h')]]",
                }],
                "b": "[format('x{0}{{y}}', parameters('a'))]",
                "c": "[if(equals(parameters('a'), 'q'), not(true()), not(equals(parameters('a'), 'r')))]",
                "d": "[coalesce(parameters('a'), resourceGroup().location)]",
                "e": "[[not an expression]",
                "f": "it's",
                "g": "[bicepUnlowered()]",
                "i": {"k": "[parameters('a')]", "l": ["[parameters('a')]", 1]},
                "j": "[concat(parameters('a'), 'z')]",
                "k": "[parameters('a')]",
                "l": "[__bicep.concat()]",
            })
        );
    }

    #[test]
    fn property_for_expressions_become_property_copy_loops() {
        let text = "param targets array\nresource pe 'Microsoft.StreamAnalytics/clusters/privateEndpoints@2020-03-01' = {\n  name: 'c/pe'\n  properties: {\n    kept: 1\n    conns: [for (t, i) in targets: {\n      id: t.id\n      n: i\n    }]\n    some: [for t in targets: if (t.on) { id: t.id }]\n  }\n}\n";
        let v = lowered(text);
        assert_eq!(
            v["resources"]["pe"]["properties"],
            json!({
                "copy": [{
                    "name": "conns",
                    "count": "[length(parameters('targets'))]",
                    "input": {"id": "[parameters('targets')[copyIndex('conns')].id]", "n": "[copyIndex('conns')]"},
                }],
                "kept": 1,
                "some": "[bicepUnlowered()]",
            })
        );
    }

    #[test]
    fn resources_children_loops_and_modules() {
        let text = "param names array\nresource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {\n  name: 'v'\n  resource s 'secrets' = {\n    name: 's'\n  }\n}\n@batchSize(1)\nresource c 'Microsoft.KeyVault/vaults/accessPolicies@2023-07-01' = [for (x, i) in names: if (i > 0) {\n  parent: kv\n  name: x\n  properties: { uri: kv::s.id }\n}]\nmodule m 'mods/kv.bicep' = {\n  name: 'm'\n  params: { n: 'p' }\n}\nmodule r 'br/public:avm/x:1.0' = {\n  name: 'r'\n}\noutput o string = m.outputs.id\noutput u string = m.outputs.uri\noutput sn string = kv::s.name\nresource far 'Microsoft.KeyVault/vaults@2023-07-01' existing = {\n  scope: resourceGroup('sub', 'rg')\n  name: 'f'\n}\nresource farChild 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = {\n  parent: far\n  name: 'c'\n}\noutput far string = farChild.id\nresource here 'Microsoft.KeyVault/vaults@2023-07-01' existing = {\n  scope: resourceGroup()\n  name: 'h'\n}\nresource odd 'Microsoft.KeyVault/vaults@2023-07-01' existing = {\n  scope: resourceGroup(map([1], x => x)[0])\n  name: 'o'\n}\noutput here string = here.id\noutput odd string = odd.id\n";
        let v = lowered(text);
        let r = &v["resources"];
        assert_eq!(r["kv"]["existing"], json!(true));
        assert_eq!(
            r["kv::s"],
            json!({"type": "Microsoft.KeyVault/vaults/secrets", "apiVersion": "2023-07-01", "name": "[format('{0}/{1}', 'v', 's')]", "dependsOn": ["kv"]})
        );
        assert_eq!(
            r["c"]["copy"],
            json!({"name": "c", "count": "[length(parameters('names'))]", "mode": "serial", "batchSize": 1})
        );
        assert_eq!(r["c"]["condition"], json!("[greater(copyIndex(), 0)]"));
        assert_eq!(
            r["c"]["name"],
            json!("[format('{0}/{1}', 'v', parameters('names')[copyIndex()])]")
        );
        assert_eq!(
            r["c"]["properties"]["uri"],
            json!("[resourceId('Microsoft.KeyVault/vaults/secrets', 'v', 's')]")
        );
        assert_eq!(r["c"]["dependsOn"], json!(["kv", "kv::s"]));
        let m = &r["m"]["properties"];
        assert_eq!(m["expressionEvaluationOptions"]["scope"], json!("inner"));
        assert_eq!(m["parameters"], json!({"n": {"value": "p"}}));
        assert_eq!(
            m["template"]["resources"]["kv"]["name"],
            json!("[variables('full')]")
        );
        assert!(r["r"]["properties"].get("template").is_none());
        // The module's output with what the parent passed; a deploy-time property stays one.
        assert_eq!(
            v["outputs"]["o"]["value"],
            json!("[resourceId('Microsoft.KeyVault/vaults', format('{0}-kv', 'p'))]")
        );
        assert_eq!(
            v["outputs"]["u"]["value"],
            json!("[reference('m').outputs.uri.value]")
        );
        // A child's `name` is its own segment, as in Bicep.
        assert_eq!(v["outputs"]["sn"]["value"], json!("['s']"));
        // A child is where its parent is.
        assert_eq!(
            v["outputs"]["far"]["value"],
            json!("[resourceId('sub', 'rg', 'Microsoft.KeyVault/vaults/secrets', 'f', 'c')]")
        );
        assert_eq!(r["farChild"]["resourceGroup"], json!("['rg']"));
        // The file's own group, and one that cannot be said: unknown, not the file's.
        assert_eq!(
            v["outputs"]["here"]["value"],
            json!("[resourceId('Microsoft.KeyVault/vaults', 'h')]")
        );
        assert_eq!(r["odd"]["resourceGroup"], json!("[bicepUnlowered()]"));
        assert_eq!(v["outputs"]["odd"]["value"], json!("[bicepUnlowered()]"));
    }

    #[test]
    fn a_scope_in_the_az_namespace_is_a_scope() {
        let v = lowered(
            "var g = 'rg'\nmodule m 'mods/kv.bicep' = {\n  scope: az.resourceGroup(g)\n  params: { n: 'p' }\n}\n",
        );
        assert_eq!(
            v["resources"]["m"]["resourceGroup"],
            json!("[variables('g')]")
        );
    }

    #[test]
    fn a_resource_depends_on_what_its_variables_refer_to() {
        let v = lowered(
            "module m 'mods/kv.bicep' = {\n  params: { n: 'p' }\n}\nvar uri = m.outputs.uri\nvar again = { u: uri, self: again }\nresource s 'Microsoft.Web/sites@2023-01-01' = {\n  name: 's'\n  properties: { u: again }\n}\n",
        );
        assert_eq!(v["resources"]["s"]["dependsOn"], json!(["m"]));
    }

    #[test]
    fn depends_on_may_name_one_symbol_without_a_list() {
        let v = lowered(
            "resource a 'Microsoft.Web/sites@2023-01-01' = [for n in ['x']: {\n  name: n\n}]\nresource b 'Microsoft.Web/sites@2023-01-01' = {\n  name: 'b'\n  dependsOn: a\n}\n",
        );
        assert_eq!(v["resources"]["b"]["dependsOn"], json!(["a"]));
    }

    #[test]
    fn a_module_may_deploy_to_another_subscription() {
        let v = lowered(
            "targetScope = 'managementGroup'\nparam subs array\nmodule m 'mods/kv.bicep' = [for s in subs: {\n  scope: subscription(s)\n  params: { n: 'p' }\n}]\n",
        );
        assert_eq!(
            v["resources"]["m"]["subscriptionId"],
            json!("[parameters('subs')[copyIndex()]]")
        );
    }

    #[test]
    fn a_safe_access_covers_the_rest_of_its_chain() {
        let v = lowered("param o object\nvar a = o.?x.y[0]\nvar b = o.x[?'y'].z\nvar c = o.x.y\n");
        assert_eq!(
            v["variables"],
            json!({
                "a": "[tryGet(parameters('o'), 'x', 'y', 0)]",
                "b": "[tryGet(parameters('o').x, 'y', 'z')]",
                "c": "[parameters('o').x.y]"
            })
        );
    }

    #[test]
    fn nameof_is_the_name_its_argument_ends_with() {
        let v = lowered(
            "param o object\nresource kv 'az:Microsoft.KeyVault/vaults@2023-07-01' existing = {\n  name: 'kv'\n}\nvar a = nameof(o)\nvar b = nameof(o.first)\nvar c = nameof(o['second-key'])\nvar d = nameof(kv.properties.vaultUri)\n",
        );
        assert_eq!(
            v["variables"],
            json!({"a": "['o']", "b": "['first']", "c": "['second-key']", "d": "['vaultUri']"})
        );
        // `az:` is the namespace of the type, which the compiler leaves out.
        assert_eq!(
            v["resources"]["kv"]["type"],
            json!("Microsoft.KeyVault/vaults")
        );
        assert_eq!(v["resources"]["kv"]["apiVersion"], json!("2023-07-01"));
    }

    #[test]
    fn nested_resources_are_named_by_their_own_names_inside_their_parent() {
        let v = lowered(
            "resource p 'Microsoft.Web/sites@2023-01-01' = {\n  name: 'p'\n  resource a 'config' = {\n    name: 'web'\n  }\n  resource b 'config' = {\n    name: 'logs'\n    properties: {\n      x: a.name\n    }\n  }\n}\n",
        );
        assert_eq!(v["resources"]["p::b"]["dependsOn"], json!(["p", "p::a"]));
    }

    #[test]
    fn a_json_module_is_its_template() {
        let template = json!({
            "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0",
            "parameters": {"n": {"type": "string"}},
            "resources": [{"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "[parameters('n')]"}]
        });
        let text = template.to_string();
        let modules = |path: &str| (path == "mods/t.json").then(|| text.clone());
        let lowered = lower(
            "module m 'mods/t.json' = {\n  name: 'm'\n  params: { n: 'kv' }\n}\n",
            &modules,
        );
        let root = lowered.root.to_json();
        assert_eq!(root["resources"]["m"]["properties"]["template"], template);
        assert_eq!(
            root["resources"]["m"]["properties"]["parameters"],
            json!({"n": {"value": "kv"}})
        );
        assert_eq!(lowered.modules[0].path, "mods/t.json");
    }

    #[test]
    fn a_parameter_file_takes_what_it_extends_and_does_not_assign() {
        // Each file's `extends` is relative to its own folder.
        let files = |path: &str| {
            match path {
            "shared/base.bicepparam" => Some(
                "using none\nextends '../root.bicepparam'\nparam a = 'base a'\nparam b = 'base b'\n"
                    .to_string(),
            ),
            "root.bicepparam" => {
                Some("using none\nparam c = { k: [1] }\nparam a = 'root a'\n".to_string())
            }
            _ => None,
        }
        };
        let text = "using 'main.bicep'\nextends 'shared/base.bicepparam'\nparam b = 'own b'\n";
        let (lowered, using) = lower_parameters(text, &files);
        assert_eq!(using.as_deref(), Some("main.bicep"));
        assert_eq!(
            lowered.root.to_json()["parameters"],
            json!({
                "a": {"expression": "base a"},
                "b": {"expression": "own b"},
                "c": {"expression": {"k": ["[1]"]}}
            })
        );
        // What only the extended files give is placed at the `extends`.
        let extends = text.find("extends").unwrap();
        let a = lowered.root.at_pointer("/parameters/a/expression").unwrap();
        assert_eq!(a.span.start as usize, extends);
    }

    #[test]
    fn an_index_from_the_end_lowers_as_the_compiler_writes_it() {
        let v = lowered(
            "param a array\nvar b = a[^1]\nvar c = a[?^2]\nvar d = a[^1].x\nvar e = a[?^1].?y\n",
        );
        assert_eq!(
            v["variables"],
            json!({
                "b": "[indexFromEnd(parameters('a'), 1)]",
                "c": "[tryIndexFromEnd(parameters('a'), 2)]",
                "d": "[indexFromEnd(parameters('a'), 1).x]",
                "e": "[tryGet(tryIndexFromEnd(parameters('a'), 1), 'y')]"
            })
        );
    }

    #[test]
    fn a_multi_line_string_with_holes_lowers_like_a_string_with_holes() {
        let v = lowered(
            "param a string\nvar b = $'''\nx ${a} {y} '${a}'\n'''\nvar c = 'x ${a} {y} \\'${a}\\'\\n'\n",
        );
        assert_eq!(
            v["variables"]["b"],
            json!("[format('x {0} {{y}} ''{1}''\n', parameters('a'), parameters('a'))]")
        );
        assert_eq!(v["variables"]["b"], v["variables"]["c"]);
    }

    #[test]
    fn the_name_of_one_instance_of_a_loop() {
        let v = lowered(
            "param hubs object\nresource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' existing = [for (hub, i) in items(hubs): {\n  name: '${hub.key}-${i}'\n}]\nvar first = vnet[0].name\n",
        );
        assert_eq!(
            v["variables"]["first"],
            json!("[format('{0}-{1}', items(parameters('hubs'))[0].key, 0)]")
        );
    }

    #[test]
    fn the_id_and_children_of_one_instance_of_a_loop() {
        let v = lowered(
            "param names array\nparam rgs array\n\
             resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = [for (n, i) in names: {\n  name: n\n  scope: resourceGroup(rgs[i])\n}]\n\
             resource s 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = [for n in names: {\n  parent: kv[0]\n  name: n\n}]\n\
             resource l 'Microsoft.Search/searchServices/sharedPrivateLinkResources@2025-05-01' = [for (n, i) in names: {\n  name: 'search/${n}'\n  properties: {\n    privateLinkResourceId: kv[i].id\n  }\n}]\n\
             var second = kv[1].id\nvar secret = s[0].id\n",
        );
        // Each instance in its own resource group, as the compiler writes it.
        assert_eq!(
            v["variables"]["second"],
            json!(
                "[resourceId(parameters('rgs')[1], 'Microsoft.KeyVault/vaults', parameters('names')[1])]"
            )
        );
        assert_eq!(
            v["resources"]["l"]["properties"]["privateLinkResourceId"],
            json!(
                "[resourceId(parameters('rgs')[copyIndex()], 'Microsoft.KeyVault/vaults', parameters('names')[copyIndex()])]"
            )
        );
        // A child of one instance of a loop, under that instance and in its resource group.
        assert_eq!(
            v["variables"]["secret"],
            json!(
                "[resourceId(parameters('rgs')[0], 'Microsoft.KeyVault/vaults/secrets', parameters('names')[0], parameters('names')[0])]"
            )
        );
        assert_eq!(
            v["resources"]["s"]["name"],
            json!("[format('{0}/{1}', parameters('names')[0], parameters('names')[copyIndex()])]")
        );
        assert_eq!(
            v["resources"]["s"]["resourceGroup"],
            json!("[parameters('rgs')[0]]")
        );
    }

    #[test]
    fn a_module_without_a_name_gets_the_compilers_name() {
        let v = lowered(
            "module one 'mods/kv.bicep' = {\n  params: { n: 'p' }\n}\nmodule each 'mods/kv.bicep' = [for n in ['a']: {\n  params: { n: n }\n}]\nvar named = one.name\n",
        );
        assert_eq!(
            v["resources"]["one"]["name"],
            json!("[format('one-{0}', uniqueString('one', deployment().name))]")
        );
        assert_eq!(
            v["resources"]["each"]["name"],
            json!("[format('each-{0}-{1}', copyIndex(), uniqueString('each', deployment().name))]")
        );
        assert_eq!(v["variables"]["named"], v["resources"]["one"]["name"]);
    }

    #[test]
    fn spans_point_into_the_bicep_text() {
        let text = "resource l 'Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources@2024-03-01' = {\n  name: 'w/l'\n  properties: {\n    groupId: 'vaults'\n  }\n}\n";
        let root = lower(text, &|_: &str| None).root;
        let at = |pointer: &str| {
            let span = root.at_pointer(pointer).unwrap().span;
            &text[span.start as usize..span.end as usize]
        };
        assert_eq!(at("/resources/l/properties/groupId"), "'vaults'");
        assert_eq!(
            at("/resources/l/properties"),
            "{\n    groupId: 'vaults'\n  }"
        );
        assert_eq!(at("/resources/l/name"), "'w/l'");
        assert_eq!(
            at("/resources/l/apiVersion"),
            "'Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources@2024-03-01'"
        );
        assert_eq!(
            at("/resources/l/type"),
            "Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources"
        );
        // The resource is its whole statement, so the pointer of its `'Type@version'` string,
        // outside the body, runs through it.
        assert!(at("/resources/l").starts_with("resource l "));
        let api_version = root.at_pointer("/resources/l/apiVersion").unwrap().span;
        assert_eq!(
            crate::json::pointer_of(&root, api_version).as_deref(),
            Some("/resources/l/apiVersion")
        );
    }

    #[test]
    fn type_part_leaves_out_quotes_and_version() {
        fn part(text: &str) -> &str {
            &text[type_part(text, diagnostic::Span::new(0, text.len())).range()]
        }
        assert_eq!(
            part("'Microsoft.KeyVault/vaults@2023-07-01'"),
            "Microsoft.KeyVault/vaults"
        );
        assert_eq!(part("'secrets'"), "secrets");
        // What recovery leaves of an unterminated string.
        assert_eq!(part("'"), "");
        assert_eq!(part(""), "");
    }

    #[test]
    fn a_place_in_a_local_module_keeps_its_place_in_the_module_text() {
        let text =
            "@batchSize(1)\nmodule m 'mods/kv.bicep' = [for n in ['a']: {\n  params: { n: n }\n}]";
        let vault = "resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {\n  name: 'kv'\n}\nmodule inner 'inner.bicep' = {}\n";
        let inner = "param p string = 'x'\n";
        let modules = |path: &str| match path {
            "mods/kv.bicep" => Some(vault.to_string()),
            "mods/inner.bicep" => Some(inner.to_string()),
            _ => None,
        };
        let lowered = lower(text, &modules);
        let whole = lowered.text_with_modules(text);
        assert_eq!(whole, format!("{text}\n{vault}\n{inner}"));
        let paths: Vec<&str> = lowered.modules.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(paths, ["mods/kv.bicep", "mods/inner.bicep"]);
        let (outer, nested) = (&lowered.modules[0], &lowered.modules[1]);
        assert_eq!((outer.base, nested.base), (text.len() + 1, outer.end() + 1));
        // Each call is its `module` statement: the parent's, and the one in the module's text.
        assert!(whole[outer.call.range()].starts_with("@batchSize(1)\nmodule m "));
        assert!(whole[nested.call.range()].starts_with("module inner "));
        let at = |pointer: &str| {
            let node = lowered.root.at_pointer(pointer).unwrap();
            &whole[node.span.range()]
        };
        assert_eq!(
            at("/resources/m/properties/template/resources/kv/name"),
            "'kv'"
        );
        let p = "/resources/m/properties/template/resources/inner/properties/template/parameters/p/defaultValue";
        assert_eq!(at(p), "'x'");
    }

    #[test]
    fn an_imported_variable_is_its_value_where_it_is_used() {
        // `naming.bicep` exports values built from a variable of its own and one it imports in
        // turn; `loop.bicep` imports from itself through `back.bicep`, a cycle.
        let files = |path: &str| {
            Some(
                match path {
                    "shared/naming.bicep" => {
                        "import { region } from './regions.bicep'\n\
                     var prefix = 'kv'\n\
                     @export()\nvar vaultName = '${prefix}-${region}'\n\
                     @export()\nvar groups = { vault: 'vault' }\n\
                     var hidden = 'x'\n"
                    }
                    "shared/regions.bicep" => "@export()\nvar region = 'weu'\n",
                    "loop.bicep" => "import { v } from './back.bicep'\n@export()\nvar w = v\n",
                    "back.bicep" => "import { w } from './loop.bicep'\n@export()\nvar v = w\n",
                    _ => return None,
                }
                .to_string(),
            )
        };
        let text = "import { vaultName as name, hidden } from './shared/naming.bicep'\n\
                    import * as naming from './shared/naming.bicep'\n\
                    import { v } from './loop.bicep'\n\
                    import { t } from 'br/public:avm/utl/types:0.1.0'\n\
                    resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {\n  name: name\n  \
                    properties: {\n    a: naming.groups.vault\n    b: hidden\n    c: v\n    d: t\n  }\n}\n";
        let file = lower_with(
            text,
            "main.bicep",
            &files,
            &LoweredModules::default(),
            &|| false,
        )
        .unwrap();
        let kv = &file.root.to_json()["resources"]["kv"];
        assert_eq!(kv["name"], "[format('{0}-{1}', 'kv', 'weu')]");
        assert_eq!(
            kv["properties"]["a"],
            "[createObject('vault', 'vault').vault]"
        );
        // Not exported, in a cycle, from a registry: unknown, as the compiler would refuse or
        // as what is not read.
        for key in ["b", "c", "d"] {
            assert_eq!(kv["properties"][key], "[bicepUnlowered()]", "{key}");
        }
    }

    #[test]
    fn user_functions_are_lowered_as_the_compiler_writes_them() {
        let files = |path: &str| {
            Some(
                match path {
                    "naming.bicep" => {
                        "@export()\nfunc suffixed(base string) string => '${base}-${suffix()}'\n\
                     func suffix() string => 'x'\n\
                     @export()\nfunc prefixed(base string) string => 'p-${base}'\n"
                    }
                    "m.bicep" => {
                        "func twice(s string) string => '${s}${s}'\noutput o string = twice('a')\n"
                    }
                    _ => return None,
                }
                .to_string(),
            )
        };
        let text = "import { prefixed, suffixed } from './naming.bicep'\n\
                    import { remote } from 'br/public:avm/utl/names:0.1.0'\n\
                    func vaultName(env string) string => prefixed('kv-${env}')\n\
                    module m './m.bicep' = {\n  name: 'm'\n}\n\
                    resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {\n  name: vaultName('dev')\n  \
                    properties: {\n    a: suffixed('s')\n    b: remote()\n    c: m.outputs.o\n  }\n}\n";
        let json = lower(text, &files).root.to_json();
        let kv = &json["resources"]["kv"];
        assert_eq!(kv["name"], "[__bicep.vaultName('dev')]");
        assert_eq!(kv["properties"]["a"], "[__bicep.suffixed('s')]");
        // One from a registry is unknown.
        assert_eq!(kv["properties"]["b"], "[bicepUnlowered()]");
        // A module's function, in the module's output written into its caller: its body with
        // the arguments put in.
        assert_eq!(kv["properties"]["c"], "[format('{0}{1}', 'a', 'a')]");
        assert_eq!(
            json["functions"],
            json!([{
                "namespace": "__bicep",
                "members": {
                    "vaultName": {
                        "parameters": [{"type": "string", "name": "env"}],
                        "output": {
                            "type": "string",
                            "value": "[__bicep.prefixed(format('kv-{0}', parameters('env')))]"
                        }
                    },
                    "prefixed": {
                        "parameters": [{"type": "string", "name": "base"}],
                        "output": {
                            "type": "string",
                            "value": "[format('p-{0}', parameters('base'))]"
                        }
                    },
                    // The function it calls in its own file is written in place.
                    "suffixed": {
                        "parameters": [{"type": "string", "name": "base"}],
                        "output": {
                            "type": "string",
                            "value": "[format('{0}-{1}', parameters('base'), 'x')]"
                        }
                    }
                }
            }])
        );
        // The module's own template has its function.
        let module = &json["resources"]["m"]["properties"]["template"];
        assert_eq!(
            module["functions"][0]["members"]["twice"]["output"]["value"],
            "[format('{0}{1}', parameters('s'), parameters('s'))]"
        );
    }

    #[test]
    fn imports_are_read_as_deep_as_modules_and_leave_out_no_module() {
        // `dK.bicep` exports `v`, the `v` of `dK+1.bicep`; the last one's is 'x'.
        let chain = |last: usize| {
            move |path: &str| {
                let k: usize = path
                    .strip_prefix("d")?
                    .strip_suffix(".bicep")?
                    .parse()
                    .ok()?;
                Some(match k.cmp(&last) {
                    std::cmp::Ordering::Less => format!(
                        "import * as next from './d{}.bicep'\n@export()\nvar v = next.v\n",
                        k + 1
                    ),
                    std::cmp::Ordering::Equal => "@export()\nvar v = 'x'\n".to_string(),
                    std::cmp::Ordering::Greater => return None,
                })
            }
        };
        let text = "import { v } from './d1.bicep'\n\
                    resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {\n  name: v\n}\n";
        let name = |last: usize| {
            let file = lower(text, &chain(last));
            assert!(file.notices.is_empty(), "{:?}", file.notices);
            file.root.to_json()["resources"]["kv"]["name"].clone()
        };
        assert_eq!(name(MAX_MODULE_DEPTH), "['x']");
        assert_eq!(name(MAX_MODULE_DEPTH + 1), "[bicepUnlowered()]");
    }

    #[test]
    fn a_module_that_imports_a_value_is_lowered_for_each_caller() {
        // One module text in two folders, each beside its own `names.bicep`.
        let module = "import { n } from './names.bicep'\n\
                      resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {\n  name: n\n}\n";
        let files = |path: &str| match path {
            "x/m.bicep" | "y/m.bicep" => Some(module.to_string()),
            "x/names.bicep" => Some("@export()\nvar n = 'kv-x'\n".to_string()),
            "y/names.bicep" => Some("@export()\nvar n = 'kv-y'\n".to_string()),
            _ => None,
        };
        let shared = LoweredModules::default();
        let name_from = |folder: &str| {
            let text = format!("module m './{folder}/m.bicep' = {{\n  name: 'm'\n}}\n");
            let file = lower_with(&text, "main.bicep", &files, &shared, &|| false).unwrap();
            file.root.to_json()["resources"]["m"]["properties"]["template"]["resources"]["kv"]
                ["name"]
                .clone()
        };
        assert_eq!(name_from("x"), "['kv-x']");
        assert_eq!(name_from("y"), "['kv-y']");
        assert_eq!(shared.kept.lock().unwrap().len(), 0);
    }

    #[test]
    fn a_module_in_a_cycle_is_not_read() {
        // `main.bicep` calls itself twice and `a.bicep`, which calls it back: each round would
        // add the files again, 2^8 copies down to the depth limit.
        let main = "module self './main.bicep' = {\n  name: 's'\n}\n\
                    module again './main.bicep' = {\n  name: 'g'\n}\n\
                    module a './a.bicep' = {\n  name: 'a'\n}\n";
        let modules = |path: &str| match path {
            "main.bicep" => Some(main.to_string()),
            "a.bicep" => Some("module back './main.bicep' = {\n  name: 'b'\n}\n".to_string()),
            _ => None,
        };
        let shared = LoweredModules::default();
        let file = lower_with(main, "main.bicep", &modules, &shared, &|| false).unwrap();
        let paths: Vec<&str> = file.modules.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(paths, ["a.bicep"]);
        assert_eq!(
            file.notices,
            ["self", "again"].map(|name| format!(
                "module `{name}` is not read: `./main.bicep` is this file or one that calls it, a cycle Bicep does not allow"
            ))
        );
        // `a.bicep` cut its call back because of who called it: it is not kept for others.
        let other = lower_with(
            "module a './a.bicep' = {\n  name: 'a'\n}\n",
            "other.bicep",
            &modules,
            &shared,
            &|| false,
        )
        .unwrap();
        let paths: Vec<&str> = other.modules.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(paths, ["a.bicep", "main.bicep"]);
    }

    #[test]
    fn modules_below_the_depth_limit_are_named_in_a_notice() {
        // `l0.bicep` calls `l1.bicep`, which calls `l2.bicep`... down to `l10.bicep`.
        let level = |n: usize| format!("module next './l{}.bicep' = {{\n  name: 'n'\n}}\n", n + 1);
        let modules = |path: &str| level_number(path).filter(|n| *n < 10).map(level);
        let shared = LoweredModules::default();
        let (top, middle) = (level(0), level(5));
        let file = lower_with(&top, "l0.bicep", &modules, &shared, &|| false).unwrap();
        assert_eq!(file.modules.len(), MAX_MODULE_DEPTH);
        assert_eq!(
            file.notices,
            ["local modules are read 8 levels deep: what the modules below deploy is not checked"]
        );
        // Within the limit, nothing to say.
        let file = lower_with(&middle, "l5.bicep", &modules, &shared, &|| false).unwrap();
        assert_eq!(file.modules.len(), 4);
        assert!(file.notices.is_empty(), "{:?}", file.notices);
    }

    /// `n` for the module `l{n}.bicep` of a test that nests modules level by level.
    fn level_number(path: &str) -> Option<usize> {
        path.strip_prefix('l')?.strip_suffix(".bicep")?.parse().ok()
    }

    #[test]
    fn the_modules_of_one_file_are_bounded() {
        // Four levels of modules, each calling the next ten times: 11,110 calls unbounded.
        let level = |n: usize| -> String {
            (0..10)
                .map(|i| format!("module m{i} './l{}.bicep' = {{\n  name: 'm'\n}}\n", n + 1))
                .collect()
        };
        let modules = |path: &str| {
            let n = level_number(path)?;
            Some(if n < 4 { level(n) } else { String::new() })
        };
        let text = level(0);
        let shared = LoweredModules::default();
        let file = lower_with(&text, "l0.bicep", &modules, &shared, &|| false).unwrap();
        assert_eq!(file.modules.len(), 556);
        assert_eq!(file.notices.len(), 9);
        assert_eq!(
            file.notices[0],
            "module `m1` is not read: with it, the modules this file calls would pass 640 calls or 8 MB of Bicep"
        );
    }

    /// The `name` (`m9.outputs.o9`) of a vault declared after `level(0, last)`, the modules
    /// `l1.bicep` to `l{last}.bicep` each the text `level(n, last)`.
    fn vault_name_through_levels(level: impl Fn(usize, usize) -> String, last: usize) -> String {
        let modules = |path: &str| {
            let n = level_number(path)?;
            (n <= last).then(|| level(n, last))
        };
        let root = format!(
            "{}resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {{\n  name: m9.outputs.o9\n}}\n",
            level(0, last)
        );
        let json = lower(&root, &modules).root.to_json();
        json["resources"]["kv"]["name"]
            .as_str()
            .unwrap()
            .to_string()
    }

    #[test]
    fn outputs_that_repeat_outputs_are_cut_before_they_grow() {
        // Each level's output names its module's output ten times: a million copies of the
        // deepest parameter six levels up.
        let level = |n: usize, last: usize| {
            let mut text = "param p string = 'x'\n".to_string();
            if n < last {
                text += &format!("module m9 './l{}.bicep' = {{\n  name: 'm'\n}}\n", n + 1);
                text += &format!("output o9 string = '{}'\n", "${m9.outputs.o9}".repeat(10));
            } else {
                text += "output o9 string = p\n";
            }
            text
        };
        // Not inlined, the output is left to the evaluator, which bounds the values it builds.
        assert_eq!(
            vault_name_through_levels(level, 6),
            "[reference('m9').outputs.o9.value]"
        );
        // Two levels down the output is inlined as ever.
        let name = vault_name_through_levels(level, 2);
        assert!(name.starts_with("[format('{0}{1}"), "{name}");
    }

    #[test]
    fn the_outputs_inlined_into_one_file_are_bounded() {
        // Output `oI` of each level is output `o0` of its module `mI`: working out one output
        // of a module works out all of its outputs, 1 + 10 + 100 + 1000 modules' outputs.
        let level = |n: usize, last: usize| -> String {
            let mut text = "param p string = 'x'\n".to_string();
            for i in 0..10 {
                if n < last {
                    text += &format!("module m{i} './l{}.bicep' = {{\n  name: 'm'\n}}\n", n + 1);
                    text += &format!("output o{i} string = m{i}.outputs.o0\n");
                } else {
                    text += &format!("output o{i} string = p\n");
                }
            }
            text
        };
        // The last output asked for needs more modules' outputs than one file may inline.
        assert_eq!(
            vault_name_through_levels(level, 4),
            "[reference('m9').outputs.o9.value]"
        );
        assert_eq!(vault_name_through_levels(level, 2), "['x']");
    }

    #[test]
    fn names_that_name_each_other_are_left_unknown() {
        // Bicep rejects the cycle; lowering followed it until the stack ran out.
        let json = lowered(
            "resource a 'Microsoft.KeyVault/vaults@2023-07-01' = {\n  name: b.name\n}\n\
             resource b 'Microsoft.KeyVault/vaults@2023-07-01' = {\n  name: a.name\n}\n",
        );
        assert_eq!(json["resources"]["a"]["name"], "[bicepUnlowered()]");
        // The same through a module's parameters, whose defaults are inlined into its outputs.
        let module = "param a string = b\nparam b string = a\noutput o string = a\n";
        let modules = |path: &str| (path == "m.bicep").then(|| module.to_string());
        let text = "module m './m.bicep' = {\n  name: 'm'\n}\n\
                    resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {\n  name: m.outputs.o\n}\n";
        let json = lower(text, &modules).root.to_json();
        assert_eq!(
            json["resources"]["kv"]["name"],
            "[reference('m').outputs.o.value]"
        );
    }

    #[test]
    fn a_name_doubled_at_every_link_of_a_chain_is_left_unknown() {
        // `r0`'s name would be written from a million copies of `r20`'s.
        let mut text = String::new();
        for i in 0..20 {
            text += &format!(
                "resource r{i} 'Microsoft.KeyVault/vaults@2023-07-01' = {{\n  name: '${{r{0}.name}}${{r{0}.name}}'\n}}\n",
                i + 1
            );
        }
        text += "resource r20 'Microsoft.KeyVault/vaults@2023-07-01' = {\n  name: 'x'\n}\n";
        let json = lowered(&text);
        assert_eq!(json["resources"]["r0"]["name"], "[bicepUnlowered()]");
        assert_eq!(
            json["resources"]["r19"]["name"],
            "[format('{0}{1}', 'x', 'x')]"
        );
    }

    #[test]
    fn a_module_lowered_once_serves_other_callers_with_their_own_modules() {
        // Two callers in other folders name one module text whose own module, by the same
        // relative path, differs beside each: the second takes the first's lowering only where
        // that holds, and gets its own module.
        let caller = |path: &str| format!("module m '{path}' = {{\n  name: 'm'\n}}\n");
        let module = "module n './n.bicep' = {\n  name: 'n'\n}\n";
        let inner = |name: &str| {
            format!(
                "resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {{\n  name: '{name}'\n}}\n"
            )
        };
        let modules = |path: &str| match path {
            "../x/m.bicep" | "y/m.bicep" | "../z/m.bicep" => Some(module.to_string()),
            "../x/n.bicep" | "../z/n.bicep" => Some(inner("kv-x")),
            "y/n.bicep" => Some(inner("kv-y")),
            _ => None,
        };
        let json = |text: &str, lowered: &LoweredModules| {
            let file = lower_with(text, "main.bicep", &modules, lowered, &|| false).unwrap();
            let paths: Vec<String> = file.modules.iter().map(|m| m.path.clone()).collect();
            (file.root.to_json(), paths)
        };
        let shared = LoweredModules::default();
        let first = json(&caller("../x/m.bicep"), &shared);
        assert_eq!(first.1, ["../x/m.bicep", "../x/n.bicep"]);
        for path in ["y/m.bicep", "../z/m.bicep"] {
            let alone = json(&caller(path), &LoweredModules::default());
            assert_eq!(json(&caller(path), &shared), alone, "{path}");
        }
        let vault =
            "/resources/m/properties/template/resources/n/properties/template/resources/kv/name";
        let y = json(&caller("y/m.bicep"), &shared);
        assert_eq!(y.0.pointer(vault).unwrap(), "kv-y");
        assert_eq!(y.1, ["y/m.bicep", "y/n.bicep"]);
        // x's module and its module, y's own two; z took x's.
        assert_eq!(shared.kept.lock().unwrap().len(), 4);
    }

    #[test]
    fn a_stopped_lowering_gives_nothing_and_keeps_no_module_it_cut_short() {
        let vault = |name: &str| {
            format!(
                "resource {name} 'Microsoft.KeyVault/vaults@2023-07-01' = {{\n  name: '{name}'\n}}\n"
            )
        };
        let module = format!("{}{}", vault("a"), vault("b"));
        let modules = |path: &str| (path == "m.bicep").then(|| module.clone());
        let text = format!("module m './m.bicep' = {{\n  name: 'm'\n}}\n{}", vault("c"));
        // Asked before each declaration: `m`, then the module's `a` and `b`, then `c`.
        let stopped_at = |call: usize| {
            let shared = LoweredModules::default();
            let calls = std::sync::atomic::AtomicUsize::new(0);
            let stop = || calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1 >= call;
            let lowered =
                lower_with(&text, "main.bicep", &modules, &shared, &stop).map(|l| l.root.to_json());
            (lowered, shared)
        };
        let whole = lower(&text, &modules).root.to_json();
        assert_eq!(stopped_at(5).0, Some(whole.clone()));
        for call in 1..=4 {
            let (lowered, shared) = stopped_at(call);
            assert_eq!(lowered, None, "stopped at call {call}");
            // The module cut short (calls 2 and 3) was not kept: a later caller lowers it whole.
            let kept = shared.kept.lock().unwrap().len();
            assert_eq!(kept, usize::from(call == 4), "stopped at call {call}");
            let again = lower_with(&text, "main.bicep", &modules, &shared, &|| false).unwrap();
            assert_eq!(again.root.to_json(), whole, "stopped at call {call}");
        }
    }

    #[test]
    fn a_module_lowered_at_one_depth_serves_another_unless_the_depth_limit_cut_it() {
        // `c1` to `c10` each call the next; `d1` calls `d2`, and `e` calls `d1`.
        let chain = |k: usize| format!("module next './c{}.bicep' = {{\n  name: 'c'\n}}\n", k + 1);
        let vault = "resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {\n  name: 'kv'\n}\n";
        let modules = |path: &str| {
            let name = path.trim_start_matches("./").strip_suffix(".bicep")?;
            match name {
                "c10" | "d2" => Some(vault.to_string()),
                "d1" => Some("module d './d2.bicep' = {\n  name: 'd'\n}\n".to_string()),
                "e" => Some("module d './d1.bicep' = {\n  name: 'd'\n}\n".to_string()),
                _ => Some(chain(name.strip_prefix('c')?.parse().ok()?)),
            }
        };
        let caller = |path: &str| format!("module m '{path}' = {{\n  name: 'm'\n}}\n");
        let json = |text: &str, lowered: &LoweredModules| {
            let file = lower_with(text, "main.bicep", &modules, lowered, &|| false).unwrap();
            (file.root.to_json(), file.modules.len())
        };
        let shared = LoweredModules::default();
        // Nothing was cut below `d1`: called one level deeper, it is taken as it was.
        json(&caller("./d1.bicep"), &shared);
        let deeper = json(&caller("./e.bicep"), &shared);
        assert_eq!(
            deeper,
            json(&caller("./e.bicep"), &LoweredModules::default())
        );
        assert_eq!(shared.kept.lock().unwrap().len(), 3);
        // From the file, the limit stops the chain at `c8`; from `c2`, one module later.
        let from_c1 = json(&caller("./c1.bicep"), &shared);
        assert_eq!(from_c1.1, MAX_MODULE_DEPTH);
        let from_c2 = json(&caller("./c2.bicep"), &shared);
        assert_eq!(
            from_c2,
            json(&caller("./c2.bicep"), &LoweredModules::default())
        );
        assert_eq!(from_c2.1, MAX_MODULE_DEPTH);
        assert_eq!(shared.kept.lock().unwrap().len(), 3 + 8 + 8);
    }

    #[test]
    fn disable_next_line_becomes_a_suppression_comment() {
        let lowered = lower(
            "#disable-next-line WPS103 no-unused-vars\nvar a = 1\n// note\n",
            &|_: &str| None,
        );
        let texts: Vec<&str> = lowered.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, [" wps-lint-disable-next-line WPS103", " note"]);
    }
}
