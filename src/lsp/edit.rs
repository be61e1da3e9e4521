//! Text edits the server makes itself: applying the client's changes, and gathering a file's
//! fixes for "fix all". The suppressions code actions insert come from `crate::fix::suppress`.

use crate::diagnostic::Diagnostic;
use crate::fix::FixPlan;
use crate::fix::suppress::TextEdit;

use crate::json::LineIndex;
use tower_lsp_server::ls_types::Range;

/// Applies one `didChange` content change; `None` replaces the whole text.
pub fn apply_change(text: &mut String, range: Option<Range>, new_text: &str) {
    match range {
        None => *text = new_text.to_string(),
        Some(range) => {
            let (from, to) = (range.start, range.end);
            // Lines past the change are never read: on a large file, a keystroke's cost.
            let lines = LineIndex::through(text, from.line.max(to.line));
            let start = lines.offset_of_utf16(text, from.line, from.character);
            let end = lines.offset_of_utf16(text, to.line, to.character);
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
        // Across lines, and past the end of a line and of the text (clamped).
        let mut doc = "a\r\nbé\nc".to_string();
        let at = |line, character| tower_lsp_server::ls_types::Position { line, character };
        let range = |start, end| Some(Range { start, end });
        apply_change(&mut doc, range(at(1, 2), at(2, 0)), "-");
        assert_eq!(doc, "a\r\nbé-c");
        apply_change(&mut doc, range(at(0, 9), at(0, 9)), "!");
        assert_eq!(doc, "a!\r\nbé-c");
        apply_change(&mut doc, range(at(7, 0), at(9, 0)), "?");
        assert_eq!(doc, "a!\r\nbé-c?");
    }
}
