//! Go's text/tabwriter, in the github.com/liggitt/tabwriter variant kubectl uses (which adds the
//! RememberWidths flag: column widths never shrink across flushes, as `kubectl get -w` shows).
//!
//! Text is cut into cells at tabs; a cell ends with its tab, the text after the last tab of a line
//! is not part of any column. Consecutive lines that have a cell in column k form a block whose cells
//! are padded to the widest one plus `padding` (at least `minwidth`). A line with no tab at all ends
//! every block and flushes what came before it (this is why `kubectl describe` realigns after each
//! `Containers:`-style heading).

/// One cell: its text and whether a tab terminated it.
#[derive(Clone, Debug, Default)]
struct Cell {
    text: String,
    width: usize,
    htab: bool,
}

/// A tabwriter that collects text and renders it on `flush`.
#[derive(Clone, Debug)]
pub struct TabWriter {
    minwidth: usize,
    padding: usize,
    remember_widths: bool,
    lines: Vec<Vec<Cell>>,
    cell: Cell,
    widths: Vec<usize>,
    maxwidths: Vec<usize>,
    out: String,
}

impl TabWriter {
    /// A writer padding with spaces (kubectl never pads with tabs, so tabwidth plays no part).
    pub fn new(minwidth: usize, padding: usize, remember_widths: bool) -> Self {
        TabWriter {
            minwidth,
            padding,
            remember_widths,
            lines: vec![Vec::new()],
            cell: Cell::default(),
            widths: Vec::new(),
            maxwidths: Vec::new(),
            out: String::new(),
        }
    }

    /// cli-runtime printers.GetNewTabWriter: minwidth 6, tabwidth 4, padding 3, ' ',
    /// RememberWidths — the writer of `kubectl get` tables.
    pub fn for_get() -> Self {
        TabWriter::new(6, 3, true)
    }

    /// kubectl describe's `tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)` (describe.go tabbedString).
    pub fn for_describe() -> Self {
        TabWriter::new(0, 2, false)
    }

    /// Writes text; complete blocks may already be rendered into the pending output.
    pub fn write(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '\t' | '\u{0B}' | '\n' | '\u{0C}' => {
                    let ncells = self.terminate_cell(c == '\t');
                    if c == '\n' || c == '\u{0C}' {
                        self.lines.push(Vec::new());
                        if c == '\u{0C}' || ncells == 1 {
                            self.flush_lines();
                        }
                    }
                }
                _ => {
                    self.cell.text.push(c);
                    self.cell.width += 1;
                }
            }
        }
    }

    /// Renders everything written so far and returns all output not yet taken. Remembered widths
    /// survive the flush.
    pub fn flush(&mut self) -> String {
        self.flush_lines();
        std::mem::take(&mut self.out)
    }

    fn flush_lines(&mut self) {
        if !self.cell.text.is_empty() {
            self.terminate_cell(false);
        }
        let n = self.lines.len();
        self.format(0, n);
        self.lines = vec![Vec::new()];
        self.cell = Cell::default();
        self.widths.clear();
    }

    fn terminate_cell(&mut self, htab: bool) -> usize {
        let mut cell = std::mem::take(&mut self.cell);
        cell.htab = htab;
        match self.lines.last_mut() {
            Some(line) => {
                line.push(cell);
                line.len()
            }
            None => {
                self.lines.push(vec![cell]);
                1
            }
        }
    }

    fn cells_in(&self, line: usize) -> usize {
        self.lines.get(line).map_or(0, Vec::len)
    }

    fn format(&mut self, mut line0: usize, line1: usize) {
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= self.cells_in(this) {
                this += 1;
                continue;
            }
            // This line starts a block in `column`: print what comes before it.
            self.write_lines(line0, this);
            line0 = this;
            let mut width = self.minwidth;
            while this < line1 {
                if column + 1 >= self.cells_in(this) {
                    break;
                }
                let cell_width = self.lines[this][column].width;
                width = width.max(cell_width + self.padding);
                this += 1;
            }
            let width = self.remembered(width);
            self.widths.push(width);
            self.format(line0, this);
            self.widths.pop();
            line0 = this;
            this += 1;
        }
        self.write_lines(line0, line1);
    }

    /// RememberWidths: a column is never narrower than it was in an earlier flush.
    fn remembered(&mut self, width: usize) -> usize {
        if !self.remember_widths {
            return width;
        }
        let column = self.widths.len();
        if self.maxwidths.len() < column {
            let missing = self.widths[self.maxwidths.len()..].to_vec();
            self.maxwidths.extend(missing);
        }
        match self.maxwidths.get(column).copied() {
            None => {
                self.maxwidths.push(width);
                width
            }
            Some(max) if max > width => max,
            Some(_) => {
                self.maxwidths[column] = width;
                width
            }
        }
    }

    fn write_lines(&mut self, line0: usize, line1: usize) {
        let last = self.lines.len();
        for i in line0..line1 {
            let Some(line) = self.lines.get(i) else { break };
            for (j, cell) in line.iter().enumerate() {
                self.out.push_str(&cell.text);
                if let Some(&w) = self.widths.get(j) {
                    for _ in cell.width..w {
                        self.out.push(' ');
                    }
                }
            }
            if i + 1 == last {
                self.out.push_str(&self.cell.text);
            } else {
                self.out.push('\n');
            }
        }
    }
}

/// Aligns `text` in one go with kubectl get's writer.
pub fn align_for_get(text: &str) -> String {
    let mut w = TabWriter::for_get();
    w.write(text);
    w.flush()
}

/// Aligns `text` in one go with kubectl describe's writer.
pub fn align_for_describe(text: &str) -> String {
    let mut w = TabWriter::for_describe();
    w.write(text);
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_columns_to_widest_cell_plus_three() {
        let got = align_for_get("NAME\tREADY\tSTATUS\nnginx\t0/1\tPending\n");
        assert_eq!(got, "NAME    READY   STATUS\nnginx   0/1     Pending\n");
    }

    #[test]
    fn minimum_width_is_six() {
        let got = align_for_get("A\tB\nx\ty\n");
        assert_eq!(got, "A     B\nx     y\n");
    }

    #[test]
    fn a_line_without_tabs_ends_the_block() {
        let got = align_for_describe("Name:\tnginx\nNamespace:\tdefault\nContainers:\n  a:\tb\n");
        assert_eq!(
            got,
            "Name:       nginx\nNamespace:  default\nContainers:\n  a:  b\n"
        );
    }

    #[test]
    fn trailing_cells_are_not_padded() {
        let got = align_for_describe("  Type\tStatus\n  PodScheduled \tFalse \n");
        assert_eq!(got, "  Type           Status\n  PodScheduled   False \n");
    }

    #[test]
    fn remembered_widths_never_shrink() {
        // kubectl get -w (case k02): STATUS keeps the width of ContainerCreating.
        let mut w = TabWriter::for_get();
        w.write("NAME\tSTATUS\tAGE\ncrasher\tContainerCreating\t0s\n");
        assert_eq!(
            w.flush(),
            "NAME      STATUS              AGE\ncrasher   ContainerCreating   0s\n"
        );
        w.write("crasher\tError\t1s\n");
        assert_eq!(w.flush(), "crasher   Error               1s\n");
    }
}
