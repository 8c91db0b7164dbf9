//! Finding the line of a manifest that an error is about, from the text alone.
//!
//! The API server names fields by path (`spec.containers[0].name`, `metadata.name`, built with
//! `field.NewPath(...).Index(i).Child(...)` in k8s.io/apimachinery/pkg/util/validation/field), and
//! strict decoding names unknown fields the same way (`unknown field "spec.containers[0].imagee"`).
//! This module walks the YAML text by indentation, as a reader would, to the line of that field.
//! It never parses the YAML into values, so it works on exactly the lines the user sees.

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// A mapping key: `containers`, or `[app]` for a map key (`metadata.labels[app]`).
    Key(String),
    /// A list index: `[0]`.
    Index(usize),
}

/// A block of lines (`start..end`, 0-based) whose entries start at column `col`.
#[derive(Debug, Clone, Copy)]
struct Block {
    start: usize,
    end: usize,
    col: usize,
}

/// The 1-based line, in the whole text `yaml`, of the field `path` in document `doc_index` (0-based,
/// counting only documents with content, as kubectl skips empty ones). When the path is only partly
/// there (a missing field's parent exists), the line of the deepest part found; `None` when not
/// even its first part is in the document.
pub fn line_of_path(yaml: &str, doc_index: usize, path: &str) -> Option<usize> {
    let lines: Vec<&str> = yaml.lines().collect();
    let (start, end) = *documents(&lines).get(doc_index)?;
    let first = (start..end).find(|&i| is_content(lines[i]))?;
    let mut block = Block {
        start: first,
        end,
        col: indent(lines[first]),
    };
    let mut found = None;
    for segment in parse_path(path) {
        let Some(line) = find_segment(&lines, block, &segment) else {
            break;
        };
        found = Some(line);
        match child_block(&lines, line, block.col, &segment) {
            Some(child) => block = child,
            // A flow value (`{a: 1}`, `[1, 2]`) or scalar: everything below it is on this line.
            None => break,
        }
    }
    found.map(|line| line + 1)
}

/// The documents of `lines` as `(start, end)` line ranges: separated by `---` lines (with nothing
/// after them but a comment), as kubectl's YAMLReader (k8s.io/apimachinery/pkg/util/yaml) splits a
/// stream. Documents with no content are left out.
pub fn documents(lines: &[&str]) -> Vec<(usize, usize)> {
    let mut docs = Vec::new();
    let mut start = 0;
    for (i, line) in lines.iter().enumerate() {
        if is_separator(line) {
            docs.push((start, i));
            start = i + 1;
        }
    }
    docs.push((start, lines.len()));
    docs.retain(|&(s, e)| (s..e).any(|i| lines.get(i).is_some_and(|l| is_content(l))));
    docs
}

/// The documents of `yaml` as their text, in the order [`line_of_path`] numbers them.
pub fn document_texts(yaml: &str) -> Vec<String> {
    let lines: Vec<&str> = yaml.lines().collect();
    documents(&lines)
        .into_iter()
        .map(|(s, e)| lines.get(s..e).unwrap_or_default().join("\n"))
        .collect()
}

/// A document separator as kubectl's YAMLReader sees it ([`crate::kubectl::manifest::separator`]:
/// the same rule numbers the lines of its YAML errors).
fn is_separator(line: &str) -> bool {
    crate::kubectl::manifest::separator(line) == Ok(true)
}

/// Whether a line holds YAML content (not blank, not only a comment).
fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// `spec.containers[0].name` as its segments. Unparseable parts become keys, never a panic.
fn parse_path(path: &str) -> Vec<Segment> {
    let mut segments = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            segments.push(Segment::Key(key.to_string()));
        }
        while let Some(inner) = rest.strip_prefix('[') {
            let close = inner.find(']').unwrap_or(inner.len());
            let index = &inner[..close];
            segments.push(match index.parse() {
                Ok(n) => Segment::Index(n),
                Err(_) => Segment::Key(index.to_string()),
            });
            rest = inner.get(close + 1..).unwrap_or("");
        }
    }
    segments
}

/// The line of `segment` inside `block`.
fn find_segment(lines: &[&str], block: Block, segment: &Segment) -> Option<usize> {
    match segment {
        Segment::Key(key) => {
            if is_list(lines, block) {
                // A Go struct path without indices (`spec.containers.ports.containerPort`, as
                // json.Unmarshal names fields): the first item that has the key.
                items(lines, block)
                    .into_iter()
                    .find_map(|item| find_key(lines, item, key))
            } else {
                find_key(lines, block, key)
            }
        }
        Segment::Index(n) => items(lines, block).get(*n).map(|item| item.start),
    }
}

/// The line of `key:` at the block's column.
fn find_key(lines: &[&str], block: Block, key: &str) -> Option<usize> {
    (block.start..block.end.min(lines.len())).find(|&i| key_at(lines[i], block.col) == Some(key))
}

/// The key written at column `col` of `line`: only spaces and `- ` may come before it.
fn key_at(line: &str, col: usize) -> Option<&str> {
    let before = line.get(..col)?;
    if !before.chars().all(|c| c == ' ' || c == '-') {
        return None;
    }
    let rest = line.get(col..)?;
    if rest.starts_with(' ') || rest.starts_with('-') || rest.starts_with('#') {
        return None;
    }
    let (key, after) = split_key(rest)?;
    (after.is_empty() || after.starts_with(' ')).then_some(key)
}

/// `key: value` as `(key, " value")`, quotes taken off the key.
fn split_key(rest: &str) -> Option<(&str, &str)> {
    for quote in ['"', '\''] {
        if let Some(inner) = rest.strip_prefix(quote) {
            let close = inner.find(quote)?;
            let after = inner.get(close + 1..)?.strip_prefix(':')?;
            return Some((&inner[..close], after));
        }
    }
    let colon = rest
        .find(": ")
        .or_else(|| rest.ends_with(':').then(|| rest.len() - 1))?;
    Some((rest.get(..colon)?.trim_end(), rest.get(colon + 1..)?))
}

/// Whether the block is a list (its first content line starts with `-`).
fn is_list(lines: &[&str], block: Block) -> bool {
    (block.start..block.end.min(lines.len()))
        .find(|&i| is_content(lines[i]))
        .is_some_and(|i| {
            lines[i]
                .get(block.col..)
                .is_some_and(|r| r.starts_with('-'))
        })
}

/// The items of a list block: each from its `-` line to the next one at the same column, with its
/// entries at the column after `- `.
fn items(lines: &[&str], block: Block) -> Vec<Block> {
    let dashes: Vec<usize> = (block.start..block.end.min(lines.len()))
        .filter(|&i| {
            indent(lines[i]) == block.col
                && lines[i]
                    .get(block.col..)
                    .is_some_and(|r| r == "-" || r.starts_with("- "))
        })
        .collect();
    dashes
        .iter()
        .enumerate()
        .map(|(k, &start)| {
            let end = dashes.get(k + 1).copied().unwrap_or(block.end);
            let after_dash = lines[start].get(block.col + 1..).unwrap_or("");
            let col = block.col + 1 + indent(after_dash);
            // `-` alone on its line: the entries start on the next lines.
            let col = if after_dash.trim().is_empty() {
                (start + 1..end)
                    .find(|&i| is_content(lines[i]))
                    .map_or(col, |i| indent(lines[i]))
            } else {
                col
            };
            Block { start, end, col }
        })
        .collect()
}

/// The block below the entry on `line` (a key at column `col`, or a list item): the lines after it
/// indented deeper, or a list at the key's own column. `None` for a value written on the line.
fn child_block(lines: &[&str], line: usize, col: usize, segment: &Segment) -> Option<Block> {
    if let Segment::Index(_) = segment {
        // An item's entries are its own block: start at its dash line, at the column after `- `.
        let parent = Block {
            start: line,
            end: lines.len(),
            col,
        };
        let list_end = (line + 1..lines.len())
            .find(|&i| is_content(lines[i]) && indent(lines[i]) < col)
            .unwrap_or(lines.len());
        let parent = Block {
            end: list_end,
            ..parent
        };
        return items(lines, parent).into_iter().next();
    }
    let key_col = lines[line].len() - lines[line].trim_start_matches([' ', '-']).len();
    let value = split_key(lines[line].get(key_col..)?)?.1.trim();
    if !value.is_empty() && !value.starts_with('#') && !value.starts_with('&') {
        return None;
    }
    let first = (line + 1..lines.len()).find(|&i| is_content(lines[i]))?;
    let child_col = indent(lines[first]);
    let same_col_list = child_col == key_col && lines[first].get(child_col..)?.starts_with('-');
    if child_col <= key_col && !same_col_list {
        return None;
    }
    let end = (first + 1..lines.len())
        .find(|&i| {
            is_content(lines[i])
                && (indent(lines[i]) < child_col
                    || (same_col_list
                        && indent(lines[i]) == child_col
                        && !lines[i]
                            .get(child_col..)
                            .is_some_and(|r| r.starts_with('-'))))
        })
        .unwrap_or(lines.len());
    Some(Block {
        start: first,
        end,
        col: child_col,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// fidelity/cases/03-invalid-name.sh
    const INVALID_NAMES: &str = "apiVersion: v1
kind: Pod
metadata:
  name: My_Pod
spec:
  containers:
  - name: Web_Server
    image: nginx
";

    #[wasm_bindgen_test]
    fn finds_the_fields_of_case_03() {
        assert_eq!(line_of_path(INVALID_NAMES, 0, "metadata.name"), Some(4));
        assert_eq!(
            line_of_path(INVALID_NAMES, 0, "spec.containers[0].name"),
            Some(7)
        );
        assert_eq!(
            line_of_path(INVALID_NAMES, 0, "spec.containers[0].image"),
            Some(8)
        );
        assert_eq!(
            line_of_path(INVALID_NAMES, 0, "spec.containers[0]"),
            Some(7)
        );
        assert_eq!(line_of_path(INVALID_NAMES, 0, "kind"), Some(2));
    }

    #[wasm_bindgen_test]
    fn unknown_fields_and_later_items() {
        // fidelity/cases/05-unknown-field.sh, with a second container indented under its key.
        let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: typo
spec:
  containers:
    - name: app
      image: nginx
    - name: side
      imagee: busybox
      ports:
        - containerPort: 80
  restartPolicyy: Always
";
        assert_eq!(line_of_path(yaml, 0, "spec.containers[1].imagee"), Some(10));
        assert_eq!(line_of_path(yaml, 0, "spec.restartPolicyy"), Some(13));
        assert_eq!(
            line_of_path(yaml, 0, "spec.containers[1].ports[0].containerPort"),
            Some(12)
        );
        // json.Unmarshal's Go struct path has no indices: the first item with the field.
        assert_eq!(
            line_of_path(yaml, 0, "spec.containers.ports.containerPort"),
            Some(12)
        );
    }

    #[wasm_bindgen_test]
    fn missing_fields_point_at_their_parent() {
        assert_eq!(
            line_of_path(INVALID_NAMES, 0, "spec.containers[0].resources"),
            Some(7)
        );
        assert_eq!(line_of_path(INVALID_NAMES, 0, "spec.nodeName"), Some(5));
        assert_eq!(line_of_path(INVALID_NAMES, 0, "status"), None);
        assert_eq!(line_of_path(INVALID_NAMES, 3, "metadata.name"), None);
    }

    #[wasm_bindgen_test]
    fn documents_are_counted_in_the_whole_text() {
        let yaml = "---
apiVersion: v1
kind: Service
metadata:
  name: web
---
# a comment only
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web, tier: front}
spec:
  containers: [{name: Web, image: nginx}]
";
        assert_eq!(line_of_path(yaml, 0, "metadata.name"), Some(5));
        assert_eq!(line_of_path(yaml, 1, "metadata.name"), Some(12));
        // Flow values: everything inside is on the key's line.
        assert_eq!(line_of_path(yaml, 1, "metadata.labels[app]"), Some(13));
        assert_eq!(line_of_path(yaml, 1, "spec.containers[0].name"), Some(15));
        assert_eq!(document_texts(yaml).len(), 2);
    }

    #[wasm_bindgen_test]
    fn quoted_keys_dashes_alone_and_nested_maps() {
        let yaml = "\"apiVersion\": v1
spec:
  template:
    spec:
      containers:
      -
        name: a
      - name: b
        env:
        - name: X
          value: '1'
";
        assert_eq!(line_of_path(yaml, 0, "apiVersion"), Some(1));
        assert_eq!(
            line_of_path(yaml, 0, "spec.template.spec.containers[0].name"),
            Some(7)
        );
        assert_eq!(
            line_of_path(yaml, 0, "spec.template.spec.containers[1].env[0].value"),
            Some(11)
        );
    }

    #[wasm_bindgen_test]
    fn odd_input_never_panics() {
        for yaml in [
            "",
            "-",
            "- - -",
            "a:\n  - \n  -",
            ":\n:",
            "é: [\n",
            "a: |\n  b: c\n",
        ] {
            for path in ["", "a", "a[0]", "[", "a[x", "a[0][1].b", "é"] {
                let _ = line_of_path(yaml, 0, path);
            }
        }
        assert_eq!(line_of_path("a: |\n  b: c\n", 0, "a.b"), Some(1));
    }
}
