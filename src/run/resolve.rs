//! Turning spans into what reports need while a file's text and tree are still at hand: the
//! display path, pointer, lines and columns of every place a finding names, and the lines its
//! snippet shows. After a file's pass only these resolved forms remain.

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::diagnostic::{Edit, Excerpt, Fix, Location, Related, Span};
use crate::facts::{
    Anchor, Finding, Located, LocatedAnchor, LocatedRelated, RelatedSpan, Resolved,
};
use crate::json::{Document, pointer_of};
use crate::source::{FileId, Inputs};

/// The documents of one pass, resolving spans in them and remembering which lines were named.
pub struct Resolver<'d, 't> {
    inputs: &'d Inputs,
    docs: Vec<(FileId, &'d Document<'t>)>,
    /// Whether the template is linted with several parameter files, so that which one a
    /// finding comes from is worth saying.
    several: bool,
    named: RefCell<BTreeMap<FileId, Vec<Span>>>,
}

impl<'d, 't> Resolver<'d, 't> {
    pub fn new(inputs: &'d Inputs, docs: Vec<(FileId, &'d Document<'t>)>) -> Self {
        Resolver {
            inputs,
            // The template and two or more parameter files.
            several: docs.len() > 2,
            docs,
            named: RefCell::new(BTreeMap::new()),
        }
    }

    fn doc(&self, file: FileId) -> &'d Document<'t> {
        self.docs
            .iter()
            .find(|(id, _)| *id == file)
            .map(|(_, doc)| *doc)
            .expect("a finding lies in a file of its pass")
    }

    pub fn location(&self, file: FileId, span: Span) -> Located {
        let doc = self.doc(file);
        self.named.borrow_mut().entry(file).or_default().push(span);
        let pointer = doc
            .root
            .as_ref()
            .ok()
            .and_then(|root| pointer_of(root, span))
            .unwrap_or_default();
        Located {
            file,
            location: Location {
                file: self.inputs.files[file].path.clone(),
                pointer,
                range: doc.range(span),
                span,
            },
        }
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
        LocatedAnchor {
            at: self.location(anchor.file, anchor.span),
            related: anchor
                .related
                .into_iter()
                .map(|r| self.related(r))
                .collect(),
            parameters: anchor.parameters.filter(|_| self.several),
        }
    }

    pub fn finding(&self, f: Finding) -> Resolved {
        let at = self.location(f.file, f.span);
        let doc = self.doc(f.file);
        let fix = f.fix.and_then(|mut fix| {
            if doc.lowered {
                fix.edits = match &fix.dependency {
                    Some(d) => vec![crate::bicep::add_dependency(
                        doc.text, d.resource, &d.entry,
                    )?],
                    None => fix
                        .edits
                        .into_iter()
                        .map(|(span, new)| Some((span, bicep_edit(doc.text, span, &new)?)))
                        .collect::<Option<_>>()?,
                };
            }
            self.named
                .borrow_mut()
                .entry(f.file)
                .or_default()
                .extend(fix.edits.iter().map(|(span, _)| *span));
            Some(Fix {
                description: fix.description,
                edits: fix
                    .edits
                    .into_iter()
                    .map(|(span, new_text)| Edit {
                        range: doc.range(span),
                        span,
                        new_text,
                    })
                    .collect(),
            })
        });
        Resolved {
            code: f.code,
            level: f.level,
            message: f.message,
            related: f.related.into_iter().map(|r| self.related(r)).collect(),
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
        let named = std::mem::take(&mut *self.named.borrow_mut());
        named
            .into_iter()
            .map(|(file, spans)| {
                let doc = self.doc(file);
                (file, Excerpt::of(doc.text, doc.lines().starts(), spans))
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
