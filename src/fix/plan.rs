//! Taking fixes whole: which fixes of a text's findings can be applied together, and the text
//! they give. One algorithm for `--fix` and the language server's "fix all".

use crate::diagnostic::{Diagnostic, Edit, Span};

/// The fixes taken for one text: whole fixes, none overlapping another. `--fix` makes one per
/// file and round; the language server's "fix all" makes one per document.
#[derive(Default)]
pub struct FixPlan {
    pub text: String,
    edits: Vec<Edit>,
    /// How many fixes were taken.
    pub fixes: usize,
    /// A fix overlapped one taken before and waits for the next round.
    pub deferred: bool,
}

impl FixPlan {
    pub fn new(text: String) -> FixPlan {
        FixPlan {
            text,
            ..FixPlan::default()
        }
    }

    /// The edits taken, each as a span of the text and its replacement, in text order.
    pub fn edits(&self) -> Vec<(Span, String)> {
        let mut edits: Vec<(Span, String)> = self
            .edits
            .iter()
            .map(|e| (e.span, e.new_text.clone()))
            .collect();
        edits.sort_by_key(|(span, _)| (span.start, span.end));
        edits
    }

    /// Takes a diagnostic's fix whole when its edits overlap no edit taken already (an
    /// identical edit counts as taken). Each edit's span must fit the text and start at the
    /// line and column its range gives: an edit meant for another file is never applied.
    pub fn take(&mut self, d: &Diagnostic) -> Take {
        let Some(fix) = &d.fix else {
            return Take::Misplaced;
        };
        if !fix.edits.iter().all(|e| self.fits(e)) {
            return Take::Misplaced;
        }
        let mut new = Vec::new();
        for edit in &fix.edits {
            if self.edits.contains(edit) || new.contains(edit) {
                continue;
            }
            if self.edits.iter().chain(&new).any(|e| overlaps(e, edit)) {
                self.deferred = true;
                return Take::Deferred;
            }
            new.push(edit.clone());
        }
        if !new.is_empty() {
            self.fixes += 1;
        }
        self.edits.extend(new);
        Take::Taken
    }

    fn fits(&self, edit: &Edit) -> bool {
        let range = edit.span.range();
        let (Some(before), Some(_)) = (self.text.get(..range.start), self.text.get(range.clone()))
        else {
            return false;
        };
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.matches('\n').count() + 1;
        let column = before[line_start..].chars().count() + 1;
        (line, column)
            == (
                edit.range.start.line as usize,
                edit.range.start.column as usize,
            )
    }

    /// The text with every edit taken, applied from the end so earlier offsets hold.
    pub fn apply(&self) -> String {
        let mut edits: Vec<&Edit> = self.edits.iter().collect();
        edits.sort_by_key(|e| std::cmp::Reverse((e.span.start, e.span.end)));
        let mut text = self.text.clone();
        for edit in edits {
            text.replace_range(edit.span.range(), &edit.new_text);
        }
        text
    }
}

pub enum Take {
    Taken,
    /// Overlaps an edit taken before: next round.
    Deferred,
    /// An edit lies outside the text or not where its range says.
    Misplaced,
}

/// Two edits overlap when their spans share a byte, or both insert at the same place (their
/// order would be a guess).
fn overlaps(a: &Edit, b: &Edit) -> bool {
    let (a, b) = (a.span, b.span);
    (a.start < b.end && b.start < a.end)
        || (a.start == b.start && (a.start == a.end || b.start == b.end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Fix, Level, Location, Position, Range};

    /// An edit of `TEXT` (one line), its range where its span is.
    fn edit(start: usize, end: usize, new_text: &str) -> Edit {
        let at = |offset: usize| Position {
            line: 1,
            column: offset as u32 + 1,
        };
        Edit {
            range: Range {
                start: at(start),
                end: at(end),
            },
            span: Span::new(start, end),
            new_text: new_text.to_string(),
        }
    }

    fn with_fix(edits: Vec<Edit>) -> Diagnostic {
        let at = Position { line: 1, column: 1 };
        Diagnostic {
            code: "WPS103".into(),
            name: "x".into(),
            level: Level::Error,
            message: "m".into(),
            location: Location {
                file: "a.json".into(),
                pointer: String::new(),
                range: Range { start: at, end: at },
                span: Span::default(),
            },
            related: vec![],
            help: None,
            fix: Some(Fix {
                description: "d".into(),
                edits,
            }),
            parameters: None,
        }
    }

    #[test]
    fn overlapping_fixes_wait_and_identical_edits_count_once() {
        let mut plan = FixPlan::new("0123456789".into());
        let take = |plan: &mut FixPlan, edits| matches!(plan.take(&with_fix(edits)), Take::Taken);
        assert!(take(&mut plan, vec![edit(2, 4, "ab")]));
        assert!(take(&mut plan, vec![edit(2, 4, "ab"), edit(8, 9, "z")]));
        assert!(!take(&mut plan, vec![edit(6, 7, "y"), edit(3, 5, "q")]));
        assert!(plan.deferred);
        // Touching spans do not overlap; two insertions at one place do.
        assert!(take(&mut plan, vec![edit(4, 6, "")]));
        assert!(take(&mut plan, vec![edit(0, 0, "<")]));
        assert!(!take(&mut plan, vec![edit(0, 0, ">")]));
        assert_eq!(plan.fixes, 4);
        assert_eq!(plan.apply(), "<01ab67z9");
    }

    #[test]
    fn edits_for_another_text_are_refused() {
        let mut plan = FixPlan::new("{\n  \"a\": \"é\"\n}".into());
        // Past the end, inside the two bytes of `é`, or at a line and column elsewhere.
        assert!(matches!(
            plan.take(&with_fix(vec![edit(9, 30, "")])),
            Take::Misplaced
        ));
        assert!(matches!(
            plan.take(&with_fix(vec![edit(11, 12, "")])),
            Take::Misplaced
        ));
        assert!(matches!(
            plan.take(&with_fix(vec![edit(2, 3, "")])),
            Take::Misplaced
        ));
        let mut good = edit(9, 13, "\"e\"");
        good.range.start = Position { line: 2, column: 8 };
        assert!(matches!(plan.take(&with_fix(vec![good])), Take::Taken));
        assert_eq!(plan.apply(), "{\n  \"a\": \"e\"\n}");
    }
}
