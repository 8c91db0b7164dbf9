//! describe.go's PrefixWriter over a tabwriter (`tabbedString`: text/tabwriter with minwidth 0,
//! tabwidth 8, padding 2, padding with spaces). Each write is indented by two spaces per level and
//! escaped for the terminal (cli-runtime printers.WriteEscaped: ESC as `^[`, CR as `\r`).

use crate::kubectl::printers::escape_terminal;
use crate::kubectl::printers::tabwriter::align_for_describe;

pub const LEVEL_0: usize = 0;
pub const LEVEL_1: usize = 1;
pub const LEVEL_2: usize = 2;
pub const LEVEL_3: usize = 3;

/// Collects describe output; `finish` aligns it.
#[derive(Default)]
pub struct PrefixWriter {
    text: String,
}

impl PrefixWriter {
    pub fn new() -> Self {
        PrefixWriter::default()
    }

    /// Write(level, ...): the text after `level` indents.
    pub fn write(&mut self, level: usize, text: &str) {
        let mut out = "  ".repeat(level);
        out.push_str(text);
        self.text.push_str(&escape_terminal(&out));
    }

    /// WriteLine: the text and a newline, not indented.
    pub fn write_line(&mut self, text: &str) {
        self.text.push_str(&escape_terminal(text));
        self.text.push('\n');
    }

    /// The text as written, not aligned (a PrefixWriter over a plain buffer, as `rollout history
    /// --revision` prints a template).
    pub fn raw(self) -> String {
        self.text
    }

    /// The aligned output.
    pub fn finish(self) -> String {
        align_for_describe(&self.text)
    }
}
