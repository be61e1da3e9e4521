//! Text edits the server makes itself: applying the client's changes, and gathering a file's
//! fixes for "fix all". The suppressions code actions insert come from `crate::fix::suppress`.

use crate::diagnostic::Edit;
use crate::fix::suppress::TextEdit;

use super::convert::IndexedText;
use tower_lsp_server::ls_types::Range;

/// Applies one `didChange` content change; `None` replaces the whole text.
pub fn apply_change(text: &mut String, range: Option<Range>, new_text: &str) {
    match range {
        None => *text = new_text.to_string(),
        Some(range) => {
            let (start, end) = {
                let index = IndexedText::new(text);
                (index.offset(range.start), index.offset(range.end))
            };
            text.replace_range(start..end.max(start), new_text);
        }
    }
}

/// Every fix's edits, in order, leaving out any that overlaps one already taken.
pub fn fix_all<'d>(edits: impl Iterator<Item = &'d Edit>) -> Vec<TextEdit> {
    let mut all: Vec<&Edit> = edits.collect();
    all.sort_by_key(|e| (e.span.start, e.span.end));
    let mut taken: Vec<TextEdit> = Vec::new();
    for edit in all {
        let overlaps = taken.last().is_some_and(|(span, _)| {
            edit.span.start < span.end || (edit.span.start == span.start && span.start == span.end)
        });
        if !overlaps {
            taken.push((edit.span, edit.new_text.clone()));
        }
    }
    taken
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_apply_in_utf16_positions() {
        let mut doc = "{\"k\": \"🔑x\"}".to_string();
        let at = |character| tower_lsp_server::ls_types::Position { line: 0, character };
        // `x` is at UTF-16 column 9, after the two units of the key emoji.
        apply_change(
            &mut doc,
            Some(Range {
                start: at(9),
                end: at(10),
            }),
            "y",
        );
        assert_eq!(doc, "{\"k\": \"🔑y\"}");
        apply_change(&mut doc, None, "{}");
        assert_eq!(doc, "{}");
    }
}
