//! Text edits the server makes itself: applying the client's changes, and gathering a file's
//! fixes for "fix all". The suppressions code actions insert come from `crate::fix::suppress`.

use crate::diagnostic::Diagnostic;
use crate::fix::FixPlan;
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

/// The edits of "fix all" for a document: its findings' fixes taken whole as `--fix` takes
/// them, leaving out any that overlaps one already taken.
pub fn fix_all(text: &str, findings: &[Diagnostic]) -> Vec<TextEdit> {
    let mut plan = FixPlan::new(text.to_string());
    for finding in findings.iter().filter(|d| d.fix.is_some()) {
        plan.take(finding);
    }
    plan.edits()
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
