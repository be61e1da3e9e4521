//! Layer 3, `json`: JSON text to a tree whose every value keeps its byte span, plus the
//! line index that turns spans into lines and columns and the pointer lookup that names a value.

mod lines;
mod parse;
mod pointer;
mod tree;

pub use lines::LineIndex;
pub use parse::{Comment, Document, SyntaxError, parse};
pub use pointer::{escape_pointer_token, pointer_of};
pub use tree::{Kind, Member, Node};
