//! Turning spans into what reports need while a file's text and tree are still at hand: the
//! display path, pointer, lines and columns of every place a finding names, and the lines its
//! snippet shows. After a file's pass only these resolved forms remain.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use crate::bicep::ModuleText;
use crate::diagnostic::{Edit, Excerpt, Fix, Location, Related, Span};
use crate::facts::{
    Anchor, Finding, Located, LocatedAnchor, LocatedRelated, RelatedSpan, Resolved,
};
use crate::json::{Document, LineIndex, Node, pointer_of};
use crate::source::{FileId, Inputs};

/// The related place a finding in a module file gets for each call of the module. A finding
/// reported in a module file is shown wherever one of its calls is.
pub const MODULE_CALL: &str = "the module is called here";

/// The documents of one pass, resolving spans in them and remembering which lines were named.
pub struct Resolver<'d, 't> {
    inputs: &'d Inputs,
    docs: Vec<(FileId, &'d Document<'t>)>,
    /// The local modules lowered into the template (a Bicep file's).
    modules: Vec<Module<'d, 't>>,
    /// Whether the template is linted with several parameter files, so that which one a
    /// finding comes from is worth saying.
    several: bool,
    /// Behind a lock: a large file's findings are resolved on every core.
    named: Mutex<BTreeMap<FileId, Vec<Span>>>,
}

/// A module's text inside the template's virtual text (see `bicep::ModuleText`).
struct Module<'d, 't> {
    template: FileId,
    text: &'d ModuleText,
    /// The module file among the run's inputs; without one, a place in the module resolves
    /// to its call.
    file: Option<FileId>,
    /// The module's lowered template in the template's tree, for pointers in the module's own
    /// terms.
    root: Option<&'d Node<'t>>,
    lines: OnceLock<LineIndex>,
}

/// Where a span of the pass lies: its file, the text it is in there and the span in that text,
/// its pointer, and the calls of the modules it lies in (innermost first).
struct Place<'a> {
    file: FileId,
    span: Span,
    text: &'a str,
    lines: &'a LineIndex,
    pointer: String,
    calls: Vec<Span>,
}

impl<'d, 't> Resolver<'d, 't> {
    pub fn new(inputs: &'d Inputs, docs: Vec<(FileId, &'d Document<'t>)>) -> Self {
        Resolver {
            inputs,
            // The template and two or more parameter files.
            several: docs.len() > 2,
            docs,
            modules: Vec::new(),
            named: Mutex::new(BTreeMap::new()),
        }
    }

    /// The local modules lowered into `template`, each with its file among the inputs.
    pub fn with_modules(
        mut self,
        template: FileId,
        modules: impl IntoIterator<Item = (&'d ModuleText, Option<FileId>)>,
    ) -> Self {
        let first = self.modules.len();
        self.modules
            .extend(modules.into_iter().map(|(text, file)| Module {
                template,
                text,
                file,
                root: None,
                lines: OnceLock::new(),
            }));
        // A module's root is the first node (parents come first) spanning its whole text.
        let added = &mut self.modules[first..];
        if let Some(root) = self
            .docs
            .iter()
            .find(|(id, _)| *id == template)
            .and_then(|(_, doc)| doc.root.as_ref().ok())
        {
            root.walk(&mut |node| {
                if let Some(module) = added
                    .iter_mut()
                    .find(|m| m.root.is_none() && node.span == Span::new(m.text.base, m.text.end()))
                {
                    module.root = Some(node);
                }
            });
        }
        self
    }

    fn doc(&self, file: FileId) -> &'d Document<'t> {
        self.docs
            .iter()
            .find(|(id, _)| *id == file)
            .map(|(_, doc)| *doc)
            .expect("a finding lies in a file of its pass")
    }

    fn module_at(&self, file: FileId, span: Span) -> Option<&Module<'d, 't>> {
        self.modules
            .iter()
            .find(|m| m.template == file && m.text.contains(span))
    }

    /// Whether a span of `file` lies in a local module lowered into it.
    pub fn in_module(&self, file: FileId, span: Span) -> bool {
        self.module_at(file, span).is_some()
    }

    fn place(&self, file: FileId, span: Span) -> Place<'_> {
        let Some(module) = self.module_at(file, span) else {
            let doc = self.doc(file);
            return Place {
                file,
                span,
                text: doc.text,
                lines: doc.lines(),
                pointer: doc
                    .root
                    .as_ref()
                    .ok()
                    .and_then(|root| pointer_of(root, span))
                    .unwrap_or_default(),
                calls: Vec::new(),
            };
        };
        let Some(module_file) = module.file else {
            return self.place(file, module.text.call);
        };
        let mut calls = vec![module.text.call];
        while let Some(outer) = self.module_at(file, calls[calls.len() - 1]) {
            calls.push(outer.text.call);
        }
        let text = module.text.text.as_str();
        let base = module.text.base as u32;
        Place {
            file: module_file,
            span: Span {
                start: span.start - base,
                end: span.end - base,
            },
            text,
            lines: module.lines.get_or_init(|| LineIndex::new(text)),
            pointer: module
                .root
                .and_then(|root| pointer_of(root, span))
                .unwrap_or_default(),
            calls,
        }
    }

    /// A place's location, its lines remembered for the snippet.
    fn locate(&self, place: &Place) -> Located {
        self.named
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(place.file)
            .or_default()
            .push(place.span);
        Located {
            file: place.file,
            location: Location {
                file: self.inputs.files[place.file].path.clone(),
                pointer: place.pointer.clone(),
                range: place.lines.range(place.text, place.span),
                span: place.span,
            },
        }
    }

    pub fn location(&self, file: FileId, span: Span) -> Located {
        self.locate(&self.place(file, span))
    }

    /// The calls of the modules a place lies in, as related places.
    fn calls(&self, file: FileId, place: &Place) -> Vec<LocatedRelated> {
        place
            .calls
            .iter()
            .map(|&call| self.location(file, call).related(MODULE_CALL))
            .collect()
    }

    fn related(&self, r: RelatedSpan) -> LocatedRelated {
        let Located { file, location } = self.location(r.file, r.span);
        LocatedRelated {
            file,
            related: Related {
                location,
                message: r.message,
            },
        }
    }

    pub fn anchor(&self, anchor: Anchor) -> LocatedAnchor {
        let place = self.place(anchor.file, anchor.span);
        let mut related: Vec<LocatedRelated> = anchor
            .related
            .into_iter()
            .map(|r| self.related(r))
            .collect();
        related.extend(self.calls(anchor.file, &place));
        LocatedAnchor {
            at: self.locate(&place),
            related,
            parameters: anchor.parameters.filter(|_| self.several),
        }
    }

    pub fn finding(&self, f: Finding) -> Resolved {
        let place = self.place(f.file, f.span);
        let at = self.locate(&place);
        let lowered = self.doc(f.file).lowered;
        // Every edit lands in the file the finding is reported in, or the fix is dropped.
        let fix = f.fix.and_then(|fix| {
            let edits: Vec<(Span, String)> = match &fix.dependency {
                Some(d) if lowered => {
                    let resource = self.place(f.file, d.resource);
                    if resource.file != place.file {
                        return None;
                    }
                    vec![crate::bicep::add_dependency(
                        resource.text,
                        resource.span,
                        &d.entry,
                    )?]
                }
                _ => fix
                    .edits
                    .into_iter()
                    .map(|(span, new)| {
                        let edited = self.place(f.file, span);
                        if edited.file != place.file {
                            return None;
                        }
                        let new = match lowered {
                            true => bicep_edit(edited.text, edited.span, &new)?,
                            false => new,
                        };
                        Some((edited.span, new))
                    })
                    .collect::<Option<_>>()?,
            };
            self.named
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .entry(place.file)
                .or_default()
                .extend(edits.iter().map(|(span, _)| *span));
            Some(Fix {
                description: fix.description,
                edits: edits
                    .into_iter()
                    .map(|(span, new_text)| Edit {
                        range: place.lines.range(place.text, span),
                        span,
                        new_text,
                    })
                    .collect(),
            })
        });
        let mut related: Vec<LocatedRelated> =
            f.related.into_iter().map(|r| self.related(r)).collect();
        related.extend(self.calls(f.file, &place));
        Resolved {
            code: f.code,
            level: f.level,
            message: f.message,
            related,
            at,
            help: f.help,
            fix,
            unless: f.unless,
            vault: f.vault,
            parameters: f.parameters.filter(|_| self.several),
        }
    }
}

/// A fix's edit, written as JSON, for a file lowered from Bicep: one word put for another (a
/// host inside a string) reads the same in both languages; a JSON string that replaces a plain
/// Bicep string literal becomes that literal. Every other edit is JSON text that does not fit
/// Bicep (`None`: the fix is dropped).
fn bicep_edit(text: &str, span: Span, new: &str) -> Option<String> {
    let is_word = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    };
    if is_word(text.get(span.range())?) && is_word(new) {
        return Some(new.to_string());
    }
    bicep_string_edit(text, span, new)
}

fn bicep_string_edit(text: &str, span: Span, new: &str) -> Option<String> {
    if !crate::bicep::is_plain_string(text.get(span.range())?) {
        return None;
    }
    let value: String = serde_json::from_str(new).ok()?;
    // A JSON string starting with `[` is an ARM expression (or one escaped with `[[`), which a
    // Bicep string cannot say.
    if value.starts_with('[') {
        return None;
    }
    Some(crate::bicep::string_literal(&value))
}

impl Resolver<'_, '_> {
    /// The lines of each file that resolved places lie on.
    pub fn excerpts(self) -> Vec<(FileId, Excerpt)> {
        let named = std::mem::take(&mut *self.named.lock().unwrap_or_else(|e| e.into_inner()));
        named
            .into_iter()
            .map(|(file, spans)| {
                let excerpt = match self.modules.iter().find(|m| m.file == Some(file)) {
                    // A module file, unless it is also a document of the pass (a template
                    // calling itself).
                    Some(module) if !self.docs.iter().any(|(id, _)| *id == file) => {
                        let text = module.text.text.as_str();
                        let lines = module.lines.get_or_init(|| LineIndex::new(text));
                        Excerpt::of(text, lines.starts(), spans)
                    }
                    _ => {
                        let doc = self.doc(file);
                        Excerpt::of(doc.text, doc.lines().starts(), spans)
                    }
                };
                (file, excerpt)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_string_edits_become_bicep_string_edits() {
        let text = "groupId: 'vaults'\nuri: 'a${b}'\n";
        let at = |s: &str| {
            let start = text.find(s).unwrap();
            Span::new(start, start + s.len())
        };
        let edit = |s: &str, new: &str| bicep_string_edit(text, at(s), new);
        assert_eq!(edit("'vaults'", "\"vault\""), Some("'vault'".into()));
        assert_eq!(
            edit("'vaults'", "\"it's ${x} \\\\\""),
            Some("'it\\'s \\${x} \\\\'".into())
        );
        // An interpolated string, an ARM expression and JSON that is no string do not fit.
        assert_eq!(edit("'a${b}'", "\"x\""), None);
        assert_eq!(edit("'vaults'", "\"[parameters('x')]\""), None);
        assert_eq!(edit("'vaults'", "[\"vault\"]"), None);
    }

    #[test]
    fn a_word_for_a_word_is_kept_in_bicep() {
        let text = "uri: 'https://${kv.name}.privatelink.vaultcore.azure.net/'\nlist: [a]\n";
        let at = |s: &str| {
            let start = text.find(s).unwrap();
            Span::new(start, start + s.len())
        };
        assert_eq!(
            bicep_edit(
                text,
                at("privatelink.vaultcore.azure.net"),
                "vault.azure.net"
            ),
            Some("vault.azure.net".into())
        );
        // JSON text around a word, or an insertion, is not Bicep.
        assert_eq!(bicep_edit(text, at("a]"), "a, \"b\"]"), None);
        assert_eq!(bicep_edit(text, Span::new(0, 0), "dependsOn"), None);
    }
}
