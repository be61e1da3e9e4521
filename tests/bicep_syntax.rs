//! The Bicep syntax front end (`wps_lint::bicep`): the tree of each construct with its spans,
//! errors with their exact spans and recovery, pathological input, and the corpus of real
//! files (folder named by `WPS_LINT_BICEP_CORPUS`), which must parse without an error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use wps_lint::bicep::*;

fn clean(text: &str) -> Program<'_> {
    let parsed = parse(text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    parsed.program
}

fn line_col(text: &str, offset: u32) -> (usize, usize) {
    let before = &text[..offset as usize];
    let line = before.matches('\n').count() + 1;
    let col = before.len() - before.rfind('\n').map_or(0, |n| n + 1) + 1;
    (line, col)
}

fn bicep_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            bicep_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|ext| ext == "bicep" || ext == "bicepparam")
        {
            out.push(path);
        }
    }
}

/// The corpus folder, or `None` (after saying so) when the test is to be skipped.
fn corpus_dir() -> Option<PathBuf> {
    let Some(dir) = std::env::var_os("WPS_LINT_BICEP_CORPUS")
        .map(PathBuf::from)
        .filter(|dir| dir.is_dir())
    else {
        assert!(
            std::env::var_os("WPS_LINT_REQUIRE_CORPUS").is_none_or(|v| v.is_empty() || v == "0"),
            "WPS_LINT_REQUIRE_CORPUS is set, but WPS_LINT_BICEP_CORPUS does not name the Bicep corpus folder"
        );
        // Straight to the standard error stream: the harness captures `eprintln!` of passing
        // tests, and a skip must be seen.
        let _ = writeln!(
            std::io::stderr(),
            "skipped: Bicep corpus test (set WPS_LINT_BICEP_CORPUS to the folder of .bicep files)"
        );
        return None;
    };
    Some(dir)
}

fn corpus() -> Option<Vec<(PathBuf, String)>> {
    let dir = corpus_dir()?;
    let mut files = Vec::new();
    bicep_files(&dir, &mut files);
    assert!(!files.is_empty(), "no .bicep files under {}", dir.display());
    Some(
        files
            .into_iter()
            .map(|path| {
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                (path, text)
            })
            .collect(),
    )
}

/// Whether a line starts (at its first column) with a declaration's keyword.
fn starts_declaration(line: &str) -> bool {
    let keyword = line.split([' ', '\t']).next().unwrap_or("");
    let keywords = [
        "param", "var", "resource", "module", "output", "type", "func", "metadata",
    ];
    keywords.contains(&keyword) || line.starts_with("targetScope ") || line.starts_with("import ")
}

#[test]
fn corpus_parses_without_errors() {
    let Some(files) = corpus() else { return };
    let mut failures = Vec::new();
    for (path, text) in &files {
        let parsed = parse(text);
        for error in parsed.errors {
            let (line, col) = line_col(text, error.span.start);
            failures.push(format!(
                "{}:{line}:{col}: {}",
                path.display(),
                error.message
            ));
        }
        // No declaration is lost inside another: each line starting one starts a statement.
        let statement_lines: Vec<usize> = parsed
            .program
            .statements
            .iter()
            .map(|s| {
                let Some(last) = s.decorators.last() else {
                    return line_col(text, s.span.start).0;
                };
                // The keyword's line: the first after the decorators that is not trivia.
                let (decorator_line, _) = line_col(text, last.span.end);
                let trivia = text
                    .lines()
                    .skip(decorator_line)
                    .take_while(|l| {
                        let l = l.trim_start();
                        l.is_empty() || l.starts_with("//") || l.starts_with('#')
                    })
                    .count();
                decorator_line + trivia + 1
            })
            .collect();
        for (index, line) in text.lines().enumerate() {
            if starts_declaration(line) && !statement_lines.contains(&(index + 1)) {
                failures.push(format!(
                    "{}:{}:1: this declaration is not a statement of the tree",
                    path.display(),
                    index + 1
                ));
            }
        }
    }
    println!("{} Bicep files parsed", files.len());
    assert!(
        failures.is_empty(),
        "{} errors:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Times the corpus: `cargo test --release --test bicep_syntax -- --ignored --nocapture`.
#[test]
#[ignore]
fn corpus_parse_speed() {
    let Some(files) = corpus() else { return };
    let bytes: usize = files.iter().map(|(_, text)| text.len()).sum();
    let rounds = 5;
    let started = std::time::Instant::now();
    for _ in 0..rounds {
        for (_, text) in &files {
            std::hint::black_box(parse(text));
        }
    }
    let seconds = started.elapsed().as_secs_f64() / rounds as f64;
    println!(
        "{} files, {bytes} bytes: {:.1} ms per pass, {:.1} MB/s",
        files.len(),
        seconds * 1e3,
        bytes as f64 / seconds / 1e6
    );
}

/// The values of a program's `var` declarations, in order; it declares nothing else.
fn var_values<'p, 'a>(program: &'p Program<'a>) -> Vec<&'p Expr<'a>> {
    program
        .statements
        .iter()
        .map(|s| match &s.kind {
            StatementKind::Var { value, .. } => value,
            other => panic!("{other:?}"),
        })
        .collect()
}

fn only_statement(program: Program<'_>) -> Statement<'_> {
    let mut statements = program.statements;
    assert_eq!(statements.len(), 1, "{statements:#?}");
    statements.remove(0)
}

fn text_at(text: &str, span: Span) -> &str {
    &text[span.range()]
}

fn plain<'a>(expr: &'a Expr<'_>) -> &'a str {
    match &expr.kind {
        ExprKind::String(string) => string.plain().expect("a plain string"),
        other => panic!("not a string: {other:?}"),
    }
}

fn ident_name<'a>(expr: &Expr<'a>) -> &'a str {
    match &expr.kind {
        ExprKind::Ident(ident) => ident.name,
        other => panic!("not an identifier: {other:?}"),
    }
}

/// The one error of `text`, as (the text it spans, its message).
fn one_error(text: &str) -> (String, String) {
    let parsed = parse(text);
    assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
    let error = &parsed.errors[0];
    (text_at(text, error.span).to_string(), error.message.clone())
}

#[test]
fn param_with_type_default_and_decorators() {
    let text = "@description('The name.')\n@sys.minLength(3)\nparam name string = 'abc'\n";
    let statement = only_statement(clean(text));
    assert_eq!(text_at(text, statement.span), text.trim_end());
    let [description, min_length] = statement.decorators.as_slice() else {
        panic!("two decorators expected")
    };
    assert_eq!(description.name.name, "description");
    assert_eq!(description.namespace, None);
    assert_eq!(plain(&description.args[0]), "The name.");
    assert_eq!(text_at(text, description.span), "@description('The name.')");
    assert_eq!(min_length.namespace.map(|n| n.name), Some("sys"));
    assert_eq!(min_length.args[0].kind, ExprKind::Int(3));
    let StatementKind::Param { name, ty, value } = statement.kind else {
        panic!("a parameter expected")
    };
    assert_eq!(name.name, "name");
    assert_eq!(text_at(text, name.span), "name");
    assert!(matches!(
        ty.unwrap().kind,
        TypeKind::Name(Ident { name: "string", .. })
    ));
    assert_eq!(plain(&value.unwrap()), "abc");
}

#[test]
fn param_types_nullable_resource_input_and_unions() {
    let text = "param a string?\nparam b resourceInput<'Microsoft.Web/sites@2024-04-01'>.properties\n\
                param c ('x' | 'y')[]\nparam d resource 'Microsoft.Storage/storageAccounts@2023-01-01'\n\
                param e int[]?\nparam f -1 | 2 | true | null\n";
    let program = clean(text);
    let types: Vec<TypeExpr<'_>> = program
        .statements
        .into_iter()
        .map(|s| match s.kind {
            StatementKind::Param {
                ty: Some(ty),
                value: None,
                ..
            } => ty,
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(
        matches!(&types[0].kind, TypeKind::Nullable(inner) if matches!(inner.kind, TypeKind::Name(_)))
    );
    let TypeKind::Access {
        base,
        accessor: TypeAccessor::Property(property),
    } = &types[1].kind
    else {
        panic!("{:?}", types[1])
    };
    assert_eq!(property.name, "properties");
    let TypeKind::Parameterized { name, args } = &base.kind else {
        panic!("{base:?}")
    };
    assert_eq!(name.name, "resourceInput");
    assert!(
        matches!(&args[0].kind, TypeKind::String(s) if s.plain() == Some("Microsoft.Web/sites@2024-04-01"))
    );
    let TypeKind::Array(element) = &types[2].kind else {
        panic!("{:?}", types[2])
    };
    let TypeKind::Paren(inner) = &element.kind else {
        panic!("{element:?}")
    };
    assert!(matches!(&inner.kind, TypeKind::Union(members) if members.len() == 2));
    assert_eq!(text_at(text, types[2].span), "('x' | 'y')[]");
    assert!(
        matches!(&types[3].kind, TypeKind::Resource(s) if s.plain() == Some("Microsoft.Storage/storageAccounts@2023-01-01"))
    );
    assert!(
        matches!(&types[4].kind, TypeKind::Nullable(inner) if matches!(inner.kind, TypeKind::Array(_)))
    );
    let TypeKind::Union(members) = &types[5].kind else {
        panic!("{:?}", types[5])
    };
    assert_eq!(
        members[0].kind,
        TypeKind::Int {
            negative: true,
            value: 1
        }
    );
    assert_eq!(members[2].kind, TypeKind::Bool(true));
    assert_eq!(members[3].kind, TypeKind::Null);
}

#[test]
fn user_defined_types_objects_tuples_and_multi_line_unions() {
    let text = "@export()\ntype config = {\n  @description('The name.')\n  name: string\n  'size'?: int, *: bool\n  ...base\n}\n\
                type sku =\n  | 'S0'\n  | 'S1'\ntype pair = [@minValue(1) int, string]\n";
    let program = clean(text);
    let [config, sku, pair] = program.statements.as_slice() else {
        panic!()
    };
    assert_eq!(config.decorators[0].name.name, "export");
    let StatementKind::Type { name, value } = &config.kind else {
        panic!()
    };
    assert_eq!(name.name, "config");
    let TypeKind::Object(items) = &value.kind else {
        panic!("{value:?}")
    };
    assert_eq!(items.len(), 4);
    let ObjectTypeItem::Property {
        decorators,
        key: PropertyKey::Ident(key),
        optional: false,
        ..
    } = &items[0]
    else {
        panic!("{:?}", items[0])
    };
    assert_eq!((key.name, decorators[0].name.name), ("name", "description"));
    assert!(
        matches!(&items[1], ObjectTypeItem::Property { key: PropertyKey::String(k), optional: true, .. } if k.plain() == Some("size"))
    );
    assert!(matches!(&items[2], ObjectTypeItem::Additional { .. }));
    assert!(matches!(&items[3], ObjectTypeItem::Spread { .. }));
    let StatementKind::Type { value, .. } = &sku.kind else {
        panic!()
    };
    assert!(matches!(&value.kind, TypeKind::Union(members) if members.len() == 2));
    let StatementKind::Type { value, .. } = &pair.kind else {
        panic!()
    };
    let TypeKind::Tuple(items) = &value.kind else {
        panic!("{value:?}")
    };
    assert_eq!(items[0].decorators[0].name.name, "minValue");
    assert!(matches!(
        items[1].value.kind,
        TypeKind::Name(Ident { name: "string", .. })
    ));
}

#[test]
fn variables_typed_and_untyped() {
    let program = clean("var a = 1\nvar b string = 'x'\n");
    let [a, b] = program.statements.as_slice() else {
        panic!()
    };
    assert!(
        matches!(&a.kind, StatementKind::Var { ty: None, value, .. } if value.kind == ExprKind::Int(1))
    );
    assert!(matches!(&b.kind, StatementKind::Var { ty: Some(_), name, .. } if name.name == "b"));
}

#[test]
fn resources_existing_conditional_loops_and_children() {
    let text = "resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {\n  name: 'x'\n}\n\
                @batchSize(1)\nresource many 'A/b@1' = [for (item, i) in items: if (item.on) {\n  name: item.name\n}]\n\
                resource cond 'A/b@1' = if (deploy) {\n  name: 'c'\n  @description('child')\n  resource child 'subnets' = {\n    name: 'd'\n  }\n}\n";
    let program = clean(text);
    let [sa, many, cond] = program.statements.as_slice() else {
        panic!()
    };
    let StatementKind::Resource(sa) = &sa.kind else {
        panic!()
    };
    assert!(sa.existing);
    assert_eq!(
        sa.type_string.plain(),
        Some("Microsoft.Storage/storageAccounts@2023-01-01")
    );
    assert_eq!(
        text_at(text, sa.type_string.span),
        "'Microsoft.Storage/storageAccounts@2023-01-01'"
    );
    assert_eq!(
        text_at(text, sa.type_string.content_span),
        "Microsoft.Storage/storageAccounts@2023-01-01"
    );
    assert_eq!(many.decorators[0].name.name, "batchSize");
    let StatementKind::Resource(many) = &many.kind else {
        panic!()
    };
    let ExprKind::For(for_expr) = &many.value.kind else {
        panic!("{:?}", many.value)
    };
    assert_eq!(
        (for_expr.item.name, for_expr.index.map(|i| i.name)),
        ("item", Some("i"))
    );
    assert_eq!(ident_name(&for_expr.iterable), "items");
    assert!(
        matches!(&for_expr.body.kind, ExprKind::If { body, .. } if matches!(body.kind, ExprKind::Object(_)))
    );
    let StatementKind::Resource(cond) = &cond.kind else {
        panic!()
    };
    let ExprKind::If { condition, body } = &cond.value.kind else {
        panic!()
    };
    assert_eq!(ident_name(condition), "deploy");
    let ExprKind::Object(items) = &body.kind else {
        panic!()
    };
    let ObjectItem::Resource(child) = &items[1] else {
        panic!("{:?}", items[1])
    };
    assert_eq!(child.decorators[0].name.name, "description");
    assert!(
        matches!(&child.kind, StatementKind::Resource(r) if r.name.name == "child" && r.type_string.plain() == Some("subnets"))
    );
}

#[test]
fn modules_with_each_kind_of_path() {
    let text = "module a './a.bicep' = {\n  name: 'a'\n}\nmodule b 'br:example.azurecr.io/b:1.0' = {}\n\
                module c 'br/public:avm/res/c:0.1.0' = if (x) {}\nmodule d 'ts:sub/rg/d:1.0' = [for x in range(0, 3): {}]\n";
    let paths: Vec<_> = clean(text)
        .statements
        .iter()
        .map(|s| match &s.kind {
            StatementKind::Module { path, .. } => path.plain().unwrap().to_string(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        paths,
        [
            "./a.bicep",
            "br:example.azurecr.io/b:1.0",
            "br/public:avm/res/c:0.1.0",
            "ts:sub/rg/d:1.0"
        ]
    );
}

#[test]
fn a_parse_asked_to_stop_gives_nothing() {
    // 200 declarations: asked after the 63rd, 127th and 191st.
    let text: String = (0..200).map(|i| format!("var v{i} = {i}\n")).collect();
    let asked = AtomicUsize::new(0);
    let ask = || asked.fetch_add(1, Ordering::Relaxed) + 1;
    let whole = parse_unless(&text, &|| ask() == 0).expect("not stopped");
    assert_eq!(asked.load(Ordering::Relaxed), 3);
    assert_eq!(
        format!("{:?}", whole.program),
        format!("{:?}", parse(&text).program)
    );
    assert!(parse_unless(&text, &|| ask() == 5).is_none());
    assert_eq!(
        asked.load(Ordering::Relaxed),
        5,
        "the parse stopped when first told to"
    );
    // A file of fewer declarations is parsed without asking.
    assert!(parse_unless("var a = 1\n", &|| true).is_some());
    // A file large enough to be parsed in pieces, on several threads, stops too.
    let large: String = (0..40_000).map(|i| format!("var v{i} = {i}\n")).collect();
    assert!(parse_unless(&large, &|| true).is_none());
    let whole = parse_unless(&large, &|| false).expect("not stopped");
    assert_eq!(whole.program.statements.len(), 40_000);
}

#[test]
fn outputs_functions_and_other_declarations() {
    let text = "metadata name = 'x'\ntargetScope = 'subscription'\noutput id string = sa.id\n\
                output sa resource 'A/b@1' = sa\nfunc add(a int, b int) int => a + b\n\
                extension microsoftGraphV1\nextension 'br:x/y:1.0' with { a: 1 } as k8s\nassert ok = true\n";
    let program = clean(text);
    let kinds: Vec<_> = program.statements.iter().map(|s| &s.kind).collect();
    assert!(matches!(kinds[0], StatementKind::Metadata { name, .. } if name.name == "name"));
    assert!(
        matches!(kinds[1], StatementKind::TargetScope { value } if plain(value) == "subscription")
    );
    assert!(matches!(kinds[2], StatementKind::Output { ty, value, .. }
        if matches!(ty.kind, TypeKind::Name(_)) && matches!(value.kind, ExprKind::Member { safe: false, .. })));
    assert!(
        matches!(kinds[3], StatementKind::Output { ty, .. } if matches!(ty.kind, TypeKind::Resource(_)))
    );
    let StatementKind::Func {
        name,
        params,
        return_type,
        body,
    } = kinds[4]
    else {
        panic!()
    };
    assert_eq!(name.name, "add");
    assert_eq!(
        params.iter().map(|p| p.name.name).collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert!(matches!(
        return_type.kind,
        TypeKind::Name(Ident { name: "int", .. })
    ));
    assert!(matches!(
        body.kind,
        ExprKind::Binary {
            op: BinaryOp::Add,
            ..
        }
    ));
    assert!(
        matches!(kinds[5], StatementKind::Extension { reference: ExtensionRef::Name(n), config: None, alias: None } if n.name == "microsoftGraphV1")
    );
    assert!(
        matches!(kinds[6], StatementKind::Extension { reference: ExtensionRef::Path(_), config: Some(_), alias: Some(a) } if a.name == "k8s")
    );
    assert!(matches!(kinds[7], StatementKind::Assert { name, .. } if name.name == "ok"));
}

#[test]
fn imports_named_multi_line_and_wildcard() {
    let text = "import { a, b as c } from 'x.bicep'\nimport {\n  d\n  e as f\n} from 'br/public:y:1.0'\nimport * as ns from './z.bicep'\n";
    let program = clean(text);
    let [first, second, third] = program.statements.as_slice() else {
        panic!()
    };
    let StatementKind::Import(Import::Symbols { symbols, from }) = &first.kind else {
        panic!()
    };
    assert_eq!(from.plain(), Some("x.bicep"));
    assert_eq!(symbols[1].name.name, "b");
    assert_eq!(symbols[1].alias.map(|a| a.name), Some("c"));
    assert!(
        matches!(&second.kind, StatementKind::Import(Import::Symbols { symbols, .. }) if symbols.len() == 2)
    );
    assert!(
        matches!(&third.kind, StatementKind::Import(Import::Wildcard { alias, .. }) if alias.name == "ns")
    );
}

#[test]
fn bicepparam_files() {
    let text = "using './main.bicep'\nparam name = 'x'\nparam count = 2 + 1\n";
    let program = clean(text);
    assert!(
        matches!(&program.statements[0].kind, StatementKind::Using { target: Some(t), config: None } if t.plain() == Some("./main.bicep"))
    );
    assert!(
        matches!(&program.statements[1].kind, StatementKind::Param { ty: None, value: Some(v), .. } if plain(v) == "x")
    );
    assert!(matches!(
        &clean("using none\n").statements[0].kind,
        StatementKind::Using { target: None, .. }
    ));
    let text = "using 'main.bicep'\nextends 'base.bicepparam'\nextensionConfig k8s with {\n  namespace: 'x'\n}\n";
    let program = clean(text);
    assert!(
        matches!(&program.statements[1].kind, StatementKind::Extends { path } if path.plain() == Some("base.bicepparam"))
    );
    assert!(
        matches!(&program.statements[2].kind, StatementKind::ExtensionConfig { alias, config: Some(_) } if alias.name == "k8s")
    );
}

#[test]
fn strings_interpolation_escapes_and_multi_line() {
    let text = "var a = 'x${b}y${c.d}'\nvar e = 'it\\'s\\n\\u{1F600}'\nvar f = '''\nline ${not}\n'''\nvar g = ''\n";
    let program = clean(text);
    let values = var_values(&program);
    let ExprKind::String(a) = &values[0].kind else {
        panic!()
    };
    assert_eq!(a.plain(), None);
    assert_eq!(a.parts.len(), 4);
    assert!(
        matches!(&a.parts[0], StringPart::Text { value, span } if value == "x" && text_at(text, *span) == "x")
    );
    assert!(matches!(&a.parts[1], StringPart::Interpolation(e) if ident_name(e) == "b"));
    assert!(
        matches!(&a.parts[3], StringPart::Interpolation(e) if matches!(e.kind, ExprKind::Member { .. }))
    );
    assert_eq!(text_at(text, a.span), "'x${b}y${c.d}'");
    assert_eq!(text_at(text, a.content_span), "x${b}y${c.d}");
    assert_eq!(plain(values[1]), "it's\n\u{1F600}");
    let ExprKind::String(f) = &values[2].kind else {
        panic!()
    };
    assert!(f.multiline);
    assert_eq!(f.plain(), Some("line ${not}\n"));
    assert_eq!(plain(values[3]), "");
}

#[test]
fn escapes_are_utf16_code_points_as_in_bicep() {
    // A surrogate pair escaped as two code points is one character; a lone surrogate is none.
    let text = "var a = '\\u{D801}\\u{DC37}'\nvar b = '\\u{D801}x'\nvar c = '\\u{0000041}'\n";
    let program = clean(text);
    let values: Vec<&str> = var_values(&program).into_iter().map(plain).collect();
    assert_eq!(values, ["\u{10437}", "\u{FFFD}x", "A"]);
}

#[test]
fn newer_declaration_forms_parse() {
    // `if` may start the line after the `=`; a symbol whose name is no identifier is imported
    // by a string; types take a namespace, `!` and negated literals.
    let text = "import {\n  'not-an-identifier' as aliased\n} from 'mod.bicep'\nresource r 'Microsoft.Storage/storageAccounts@2023-01-01' =\n// why\nif (true) {\n  name: 'r'\n}\ntype t = sys.resourceInput<'Microsoft.Storage/storageAccounts@2023-01-01'>.name\ntype u = (string | int)!\ntype v = ('a' | !true)[]\n";
    let program = clean(text);
    let StatementKind::Import(Import::Symbols { symbols, .. }) = &program.statements[0].kind else {
        panic!()
    };
    assert_eq!(symbols[0].name.name, "not-an-identifier");
    assert_eq!(symbols[0].alias.map(|a| a.name), Some("aliased"));
    let StatementKind::Resource(decl) = &program.statements[1].kind else {
        panic!()
    };
    assert!(matches!(decl.value.kind, ExprKind::If { .. }));
    let types: Vec<&TypeExpr<'_>> = program.statements[2..]
        .iter()
        .map(|s| match &s.kind {
            StatementKind::Type { value, .. } => value,
            other => panic!("{other:?}"),
        })
        .collect();
    let TypeKind::Access { base, .. } = &types[0].kind else {
        panic!("{:?}", types[0])
    };
    assert!(
        matches!(&base.kind, TypeKind::Parameterized { name, args } if name.name == "resourceInput" && args.len() == 1)
    );
    assert_eq!(
        text_at(text, base.span),
        "sys.resourceInput<'Microsoft.Storage/storageAccounts@2023-01-01'>"
    );
    assert!(
        matches!(&types[1].kind, TypeKind::NonNullable(inner) if matches!(inner.kind, TypeKind::Paren(_)))
    );
    let TypeKind::Array(item) = &types[2].kind else {
        panic!()
    };
    let TypeKind::Paren(union) = &item.kind else {
        panic!()
    };
    assert!(
        matches!(&union.kind, TypeKind::Union(members) if matches!(members[1].kind, TypeKind::Bool(false)))
    );
}

#[test]
fn multi_line_strings_interpolate_after_a_dollar() {
    let text = "var a = $'''\nfirst ${b} and $${c}\n'''\nvar d = $$'''\n${e} $${f} $$${g}'''\nvar h = $'''no ${'x${i}'} ${{ j: 1 }.j}'''\nvar k = $'''plain'''\nvar l = '''${m} $'''\n";
    let program = clean(text);
    let values = var_values(&program);
    let parts = |expr: &Expr<'_>| -> Vec<String> {
        let ExprKind::String(string) = &expr.kind else {
            panic!("{expr:?}")
        };
        assert!(string.multiline);
        string
            .parts
            .iter()
            .map(|part| match part {
                StringPart::Text { value, span } => {
                    assert_eq!(text_at(text, *span), value);
                    format!("{value:?}")
                }
                StringPart::Interpolation(e) => format!("<{}>", text_at(text, e.span)),
            })
            .collect()
    };
    // The newline after the opening is not part of the value; with one `$`, `$${c}` is a `$`
    // and a hole.
    assert_eq!(
        parts(values[0]),
        ["\"first \"", "<b>", "\" and $\"", "<c>", "\"\\n\""]
    );
    // With two, `${e}` is text, `$${f}` a hole and `$$${g}` a `$` and a hole.
    assert_eq!(parts(values[1]), ["\"${e} \"", "<f>", "\" $\"", "<g>"]);
    // Holes hold strings with holes of their own, and objects.
    assert_eq!(
        parts(values[2]),
        ["\"no \"", "<'x${i}'>", "\" \"", "<{ j: 1 }.j>"]
    );
    let ExprKind::String(h) = &values[2].kind else {
        panic!()
    };
    assert_eq!(text_at(text, h.span), "$'''no ${'x${i}'} ${{ j: 1 }.j}'''");
    assert_eq!(text_at(text, h.content_span), "no ${'x${i}'} ${{ j: 1 }.j}");
    assert_eq!(plain(values[3]), "plain");
    // Without a `$` before its `'''`, a multi-line string interpolates nothing.
    assert_eq!(plain(values[4]), "${m} $");
}

#[test]
fn expressions_follow_bicep_precedence() {
    let text = "var x = a ?? b || c && d == e < f + g * -h ? 1 : 2\n";
    let StatementKind::Var { value, .. } = only_statement(clean(text)).kind else {
        panic!()
    };
    let ExprKind::Ternary { condition, .. } = value.kind else {
        panic!()
    };
    let ExprKind::Binary {
        op: BinaryOp::Coalesce,
        right,
        ..
    } = condition.kind
    else {
        panic!()
    };
    let ExprKind::Binary {
        op: BinaryOp::Or,
        right,
        ..
    } = right.kind
    else {
        panic!()
    };
    let ExprKind::Binary {
        op: BinaryOp::And,
        right,
        ..
    } = right.kind
    else {
        panic!()
    };
    let ExprKind::Binary {
        op: BinaryOp::Equals,
        right,
        ..
    } = right.kind
    else {
        panic!()
    };
    let ExprKind::Binary {
        op: BinaryOp::Less,
        right,
        ..
    } = right.kind
    else {
        panic!()
    };
    let ExprKind::Binary {
        op: BinaryOp::Add,
        right,
        ..
    } = right.kind
    else {
        panic!()
    };
    let ExprKind::Binary {
        op: BinaryOp::Multiply,
        right,
        ..
    } = right.kind
    else {
        panic!()
    };
    assert!(matches!(
        right.kind,
        ExprKind::Unary {
            op: UnaryOp::Minus,
            ..
        }
    ));
    // Same precedence chains to the left.
    let StatementKind::Var { value, .. } = only_statement(clean("var y = 1 - 2 - 3\n")).kind else {
        panic!()
    };
    let ExprKind::Binary { left, .. } = value.kind else {
        panic!()
    };
    assert!(matches!(
        left.kind,
        ExprKind::Binary {
            op: BinaryOp::Subtract,
            ..
        }
    ));
}

#[test]
fn postfix_access_calls_and_lambdas() {
    let text = "var x = sys.concat(a.?b, c[0], d[?1], e!, f::g, az.resourceGroup().id, map(xs, x => x.y), reduce(xs, 0, (acc, v) => acc + v), (1), h[^1], i[?^2])\n";
    let StatementKind::Var { value, .. } = only_statement(clean(text)).kind else {
        panic!()
    };
    let ExprKind::Call {
        base: Some(base),
        name,
        args,
    } = value.kind
    else {
        panic!()
    };
    assert_eq!((ident_name(&base), name.name), ("sys", "concat"));
    assert!(matches!(&args[0].kind, ExprKind::Member { safe: true, name, .. } if name.name == "b"));
    assert!(matches!(&args[1].kind, ExprKind::Index { safe: false, .. }));
    assert!(matches!(&args[2].kind, ExprKind::Index { safe: true, .. }));
    assert!(matches!(&args[3].kind, ExprKind::NonNull(_)));
    assert!(matches!(&args[4].kind, ExprKind::NestedResource { name, .. } if name.name == "g"));
    assert!(
        matches!(&args[5].kind, ExprKind::Member { base, .. } if matches!(base.kind, ExprKind::Call { .. }))
    );
    let ExprKind::Call { args: map_args, .. } = &args[6].kind else {
        panic!()
    };
    assert!(matches!(&map_args[1].kind, ExprKind::Lambda { params, .. } if params.len() == 1));
    let ExprKind::Call {
        args: reduce_args, ..
    } = &args[7].kind
    else {
        panic!()
    };
    assert!(
        matches!(&reduce_args[2].kind, ExprKind::Lambda { params, .. } if params[1].name == "v")
    );
    assert!(matches!(&args[8].kind, ExprKind::Paren(_)));
    assert!(matches!(
        &args[9].kind,
        ExprKind::Index {
            safe: false,
            from_end: true,
            ..
        }
    ));
    assert!(matches!(
        &args[10].kind,
        ExprKind::Index {
            safe: true,
            from_end: true,
            ..
        }
    ));
    assert!(matches!(
        &args[1].kind,
        ExprKind::Index {
            from_end: false,
            ..
        }
    ));
    assert_eq!(text_at(text, args[5].span), "az.resourceGroup().id");
}

#[test]
fn objects_arrays_spreads_and_multi_line_calls() {
    let text = "var o = {\n  a: 1, 'b-c': [\n    1\n    ...rest\n  ]\n  ...other\n}\nvar l = [1, 2]\n\
                var m = concat(\n  a,\n  b\n)\nvar t = cond\n  ? x\n  : y\nvar s = [\n  for x in range(0, 3): x\n]\n";
    let program = clean(text);
    let StatementKind::Var { value, .. } = &program.statements[0].kind else {
        panic!()
    };
    let ExprKind::Object(items) = &value.kind else {
        panic!()
    };
    assert_eq!(items.len(), 3);
    let ObjectItem::Property(b) = &items[1] else {
        panic!()
    };
    assert!(matches!(&b.key, PropertyKey::String(k) if k.plain() == Some("b-c")));
    assert!(
        matches!(&b.value.kind, ExprKind::Array(elements) if matches!(elements[1], ArrayItem::Spread { .. }))
    );
    assert!(matches!(&items[2], ObjectItem::Spread { .. }));
    let kinds: Vec<_> = var_values(&program)[1..].iter().map(|v| &v.kind).collect();
    assert!(matches!(kinds[0], ExprKind::Array(items) if items.len() == 2));
    assert!(matches!(kinds[1], ExprKind::Call { args, .. } if args.len() == 2));
    assert!(matches!(kinds[2], ExprKind::Ternary { .. }));
    assert!(matches!(kinds[3], ExprKind::For(f) if f.index.is_none()));
}

#[test]
fn comments_and_directives_are_kept() {
    let text = "// lead\n#disable-next-line no-unused-params BCP081 // why\nparam a string /* inline */\n#disable-diagnostics x\n#restore-diagnostics x\n";
    let parsed = parse(text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let comments: Vec<_> = parsed.comments.iter().map(|c| c.text).collect();
    assert_eq!(comments, ["// lead", "// why", "/* inline */"]);
    assert_eq!(text_at(text, parsed.comments[2].span), "/* inline */");
    let [next_line, diagnostics, restore] = parsed.directives.as_slice() else {
        panic!()
    };
    assert_eq!(restore.kind, DirectiveKind::RestoreDiagnostics);
    assert_eq!(next_line.kind, DirectiveKind::DisableNextLine);
    let codes: Vec<_> = next_line.codes.iter().map(|c| c.0).collect();
    assert_eq!(codes, ["no-unused-params", "BCP081"]);
    assert_eq!(text_at(text, next_line.codes[1].1), "BCP081");
    assert_eq!(
        text_at(text, next_line.span),
        "#disable-next-line no-unused-params BCP081"
    );
    assert_eq!(diagnostics.kind, DirectiveKind::DisableDiagnostics);
    assert_eq!(parsed.program.statements.len(), 1);
}

#[test]
fn bom_is_skipped_and_spans_count_it() {
    let text = "\u{feff}param a int\n";
    let statement = only_statement(clean(text));
    assert_eq!(statement.span.start, 3);
}

#[test]
fn missing_equals_is_reported_and_next_declaration_parsed() {
    let text = "param a string 'x'\nparam b int\n";
    let parsed = parse(text);
    assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
    assert_eq!(
        parsed.errors[0].message,
        "expected `=` after the parameter's type"
    );
    assert_eq!(text_at(text, parsed.errors[0].span), "'x'");
    assert_eq!(parsed.errors[0].span, Span::new(15, 18));
    let [broken, next] = parsed.program.statements.as_slice() else {
        panic!()
    };
    assert_eq!(broken.kind, StatementKind::Error);
    assert_eq!(text_at(text, broken.span), "param a string 'x'");
    assert!(matches!(&next.kind, StatementKind::Param { name, .. } if name.name == "b"));
}

#[test]
fn errors_have_exact_spans_and_messages() {
    assert_eq!(
        one_error("var = 1\n"),
        ("=".into(), "expected the variable's name".into())
    );
    assert_eq!(
        one_error("var x = \nvar y = 2\n"),
        ("\n".into(), "expected an expression".into())
    );
    assert_eq!(
        one_error("foo bar\nvar y = 2\n"),
        ("foo".into(), "unknown declaration `foo`: expected `param`, `var`, `resource`, `module`, `output`, `type`, `func`, `import`, ...".into())
    );
    assert_eq!(
        one_error("var x = 'abc\nvar y = 2\n"),
        ("'abc".into(), "unterminated string: expected `'`".into())
    );
    assert_eq!(
        one_error("var x = 'a${b\nvar y = 2\n"),
        (
            "\n".into(),
            "expected `}` to close the string's `${` interpolation".into()
        )
    );
    assert_eq!(
        one_error("var x = 1\nvar y = $'''a ${x} b\n"),
        (
            "}".into(),
            "unterminated multi-line string: expected `'''`".into()
        )
    );
    assert_eq!(
        one_error("var x = $$'''a\n"),
        (
            "$$'''".into(),
            "unterminated multi-line string: expected `'''`".into()
        )
    );
    assert_eq!(
        one_error("var x = $'a'\n"),
        ("$".into(), "unexpected character(s) `$`".into())
    );
    assert_eq!(
        one_error("var x = '\\u{110000}'\n"),
        (
            "\\u{110000}".into(),
            "invalid escape: expected `\\u{...}` with a code point of at most 10FFFF in hex".into()
        )
    );
    assert_eq!(
        one_error("type t = !'a'\n"),
        (
            "!'a'".into(),
            "expected `true` or `false` after `!` in a type".into()
        )
    );
    assert_eq!(
        one_error("var x = 1 /* open\n"),
        ("/*".into(), "unterminated comment: expected `*/`".into())
    );
    assert_eq!(
        one_error("var x = 'a\\qb'\n"),
        ("\\q".into(), "invalid escape: expected one of `\\\\`, `\\'`, `\\n`, `\\r`, `\\t`, `\\$` or `\\u{...}`".into())
    );
    assert_eq!(
        one_error("var x = § + 1\nvar y = 2\n"),
        ("§".into(), "unexpected character(s) `§`".into())
    );
    assert_eq!(
        one_error("var x = 1 2\n"),
        (
            "2".into(),
            "expected a new line after the declaration".into()
        )
    );
    assert_eq!(
        one_error("var x = 99999999999999999999\n"),
        ("99999999999999999999".into(), "integer is too large".into())
    );
}

#[test]
fn a_lambda_body_continues_on_the_next_line_unless_it_is_a_declaration() {
    let program = clean("var f = x =>\n  x + 1\n");
    let StatementKind::Var { value, .. } = &program.statements[0].kind else {
        panic!()
    };
    assert!(
        matches!(&value.kind, ExprKind::Lambda { body, .. } if matches!(body.kind, ExprKind::Binary { .. }))
    );
    let text = "var f = x =>\nparam p int\n";
    let parsed = parse(text);
    assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
    assert_eq!(parsed.errors[0].message, "expected an expression");
    assert_eq!(text_at(text, parsed.errors[0].span), "\n");
    assert!(matches!(
        &parsed.program.statements[1].kind,
        StatementKind::Param { .. }
    ));
}

#[test]
fn broken_object_items_recover_within_the_object() {
    let text = "resource r 'A/b@1' = {\n  name: \n  location: 'x'\n  bad bad\n}\nvar after = 1\n";
    let parsed = parse(text);
    let messages: Vec<_> = parsed.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "expected an expression",
            "expected `:` after the property's name"
        ]
    );
    let [resource, after] = parsed.program.statements.as_slice() else {
        panic!()
    };
    let StatementKind::Resource(resource) = &resource.kind else {
        panic!("{resource:?}")
    };
    let ExprKind::Object(items) = &resource.value.kind else {
        panic!()
    };
    assert_eq!(items.len(), 1, "the good property stays: {items:?}");
    assert!(matches!(&after.kind, StatementKind::Var { .. }));
}

#[test]
fn a_broken_interpolation_loses_only_its_item() {
    let text = "var o = {\n  a: 'x${+}y'\n  b: 1\n}\n";
    let parsed = parse(text);
    assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
    assert_eq!(text_at(text, parsed.errors[0].span), "+");
    let StatementKind::Var { value, .. } = &parsed.program.statements[0].kind else {
        panic!()
    };
    assert!(matches!(&value.kind, ExprKind::Object(items) if items.len() == 1));
}

#[test]
fn unclosed_object_stops_at_the_next_declaration() {
    let text = "var o = {\n  a: 1\nparam p string\n";
    let parsed = parse(text);
    assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
    assert_eq!(
        parsed.errors[0].message,
        "expected `}` to close this object"
    );
    assert_eq!(text_at(text, parsed.errors[0].span), "{");
    let [broken, param] = parsed.program.statements.as_slice() else {
        panic!()
    };
    assert_eq!(broken.kind, StatementKind::Error);
    assert!(matches!(&param.kind, StatementKind::Param { .. }));
}

#[test]
fn only_declarations_at_line_start_end_an_unclosed_object() {
    let text = "type t = {\n@description('x')\nname: string\n}\n@description('y')\nparam p t\n";
    let program = clean(text);
    assert_eq!(program.statements.len(), 2);
    let text = "var o = {\n  a: 1\n@description('y')\nparam p string\n";
    let parsed = parse(text);
    assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
    assert!(matches!(
        &parsed.program.statements[1].kind,
        StatementKind::Param { .. }
    ));
    assert_eq!(parsed.program.statements[1].decorators.len(), 1);
}

/// Parses `text` on a thread with a small stack, asserting it returns errors fast.
fn assert_rejected_quickly(text: String) {
    let started = std::time::Instant::now();
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || parse(&text).errors.len())
        .expect("thread");
    let errors = handle.join().expect("no panic");
    assert!(errors > 0);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn pathological_input_returns_errors_without_panic() {
    for text in [
        "var x = ".to_string() + &"[".repeat(100_000),
        "var x = ".to_string() + &"(".repeat(100_000),
        "var x = ".to_string() + &"{a:".repeat(100_000),
        "var x = ".to_string() + &"!".repeat(100_000),
        "var x = a".to_string() + &".b".repeat(100_000) + " +",
        "var x = 1".to_string() + &" + 1".repeat(100_000) + " +",
        "var x = '".to_string() + &"${'".repeat(100_000),
        "type t = ".to_string() + &"(".repeat(100_000),
        "type t = string".to_string() + &"[]".repeat(100_000) + "(",
        "var x = 1 ? ".to_string() + &"1 ? ".repeat(100_000),
        "type t = {\n".to_string() + &"@a()\n".repeat(100_000),
        "var o = {\n".to_string() + &"@a()\n".repeat(100_000) + "param p int\n",
    ] {
        assert_rejected_quickly(text);
    }
    let nesting = |depth: usize| format!("var x = {}1{}\n", "[".repeat(depth), "]".repeat(depth));
    assert!(parse(&nesting(100)).errors.is_empty());
    let deep_text = nesting(300);
    let too_deep = parse(&deep_text);
    assert_eq!(too_deep.errors.len(), 1);
    assert!(
        too_deep.errors[0]
            .message
            .starts_with("nesting is too deep")
    );
}

#[test]
fn garbage_and_unterminated_input_never_panics() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let alphabet: Vec<char> =
        "{}[]()'$\\\n\r\t ,.:?!=<>|&@#/*-+abc01 for if in resource param '''é\u{feff}"
            .chars()
            .collect();
    for _ in 0..2000 {
        let mut text = String::new();
        for _ in 0..(seed % 64) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        let parsed = parse(&text);
        for error in &parsed.errors {
            assert!(error.span.start <= error.span.end && error.span.end as usize <= text.len());
            assert!(
                text.is_char_boundary(error.span.start as usize),
                "{text:?} {error:?}"
            );
        }
    }
    for text in [
        "'",
        "'''",
        "'${",
        "'${'${",
        "/*",
        "#",
        "#disable-next-line",
        "@",
        "param",
        "\u{0}\u{1}\u{7f}",
    ] {
        parse(text);
    }
}
