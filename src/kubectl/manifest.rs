//! Reading manifests as kubectl does: a stream of YAML (or JSON) documents separated by `---`,
//! converted to JSON objects, with go-yaml's error wording (`yaml: line 8: did not find expected
//! key`). `kind: List` documents are expanded into their items.

use serde::Deserialize;
use serde_json::Value;

/// libyaml scanner problems: go-yaml reports them one line later than parser problems.
pub const SCANNER_PROBLEMS: &[&str] = &[
    "mapping values are not allowed in this context",
    "found character that cannot start any token",
    "could not find expected ':'",
    "found unexpected end of stream",
    "found a tab character that violates indentation",
    "found unknown escape character",
    "did not find expected alphabetic or numeric character",
    "did not find URI escaped octet",
    "found undefined tag handle",
    "found unexpected ':'",
    "block sequence entries are not allowed in this context",
];

/// go-yaml's text for a YAML error: `yaml: line N: problem`.
fn go_yaml_error(err: &yaml_serde::Error) -> String {
    let text = err.to_string();
    // yaml_serde: "problem at line L column C, while parsing ... at line L2 column C2"
    let problem = text.split(" at line ").next().unwrap_or(&text).to_string();
    let problem = problem
        .split(", while ")
        .next()
        .unwrap_or(&problem)
        .to_string();
    let Some(loc) = err.location() else {
        return format!("yaml: {problem}");
    };
    let zero_based = loc.line().saturating_sub(1);
    let line = if SCANNER_PROBLEMS.iter().any(|p| problem.starts_with(p)) {
        zero_based + 1
    } else {
        zero_based
    };
    if line == 0 {
        format!("yaml: {problem}")
    } else {
        format!("yaml: line {line}: {problem}")
    }
}

/// One document of a stream as kubectl's `YAMLReader` hands it to the YAML parser: its lines (each
/// ending in `\n`) and where it starts in the whole text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// The 0-based line of the whole text where the document's first line is.
    pub first_line: usize,
    pub text: String,
}

/// Whether a line separates documents, as `YAMLReader.Read` (k8s.io/apimachinery/pkg/util/yaml
/// decoder.go) sees it: it starts with `---` and only spaces or a comment follow. `Err` holds
/// what follows when it is something else (`invalid Yaml document separator: …`).
pub fn separator(line: &str) -> Result<bool, String> {
    let Some(rest) = line.strip_prefix("---") else {
        return Ok(false);
    };
    let trimmed = rest.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        Ok(true)
    } else {
        Err(trimmed.to_string())
    }
}

/// Split a YAML stream into documents as `YAMLReader.Read` does: line by line, a separator line
/// ends the document so far (an empty one is skipped). Go-yaml then parses each document on its
/// own, so the line numbers of its errors count from the document's first line.
pub fn chunks(text: &str) -> Result<Vec<Chunk>, String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut first_line = 0;
    for (i, line) in text.lines().enumerate() {
        match separator(line) {
            Ok(true) => {
                if !current.is_empty() {
                    out.push(Chunk {
                        first_line,
                        text: std::mem::take(&mut current),
                    });
                }
                first_line = i + 1;
            }
            Ok(false) => {
                current.push_str(line);
                current.push('\n');
            }
            Err(rest) => return Err(format!("invalid Yaml document separator: {rest}")),
        }
    }
    if !current.is_empty() {
        out.push(Chunk {
            first_line,
            text: current,
        });
    }
    Ok(out)
}

/// Whether the stream is JSON: its first non-space character is `{` (`GuessJSONStream`); JSON
/// streams are not split into YAML documents.
fn is_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

/// The first document of `text` as sigs.k8s.io/yaml's `Unmarshal` reads it (later documents of
/// the same chunk are ignored), or go-yaml's error.
fn first_document(text: &str) -> Result<Value, yaml_serde::Error> {
    match yaml_serde::Deserializer::from_str(text).next() {
        Some(doc) => Value::deserialize(doc),
        None => Ok(Value::Null),
    }
}

/// The 0-based line, in the whole text, where the document kubectl fails to parse starts: a YAML
/// syntax error's `line N` counts from there (the page adds it back to mark the editor's line).
/// `None` when every document parses.
pub fn failing_document_start(text: &str) -> Option<usize> {
    if is_json(text) {
        return None;
    }
    chunks(text)
        .ok()?
        .into_iter()
        .find(|c| first_document(&c.text).is_err())
        .map(|c| c.first_line)
}

/// The documents of a manifest, as JSON objects. `source` names the input in errors (`STDIN`).
/// kubectl's builder reads them with `NewYAMLOrJSONDecoder` (StreamVisitor: `error parsing
/// SOURCE: …`); each YAML document is converted on its own.
pub fn parse(text: &str, source: &str) -> Result<Vec<Value>, String> {
    let converting = |e: yaml_serde::Error| {
        format!(
            "error parsing {source}: error converting YAML to JSON: {}",
            go_yaml_error(&e)
        )
    };
    let mut values = Vec::new();
    if is_json(text) {
        for doc in yaml_serde::Deserializer::from_str(text) {
            values.push(Value::deserialize(doc).map_err(converting)?);
        }
    } else {
        let chunks = chunks(text).map_err(|e| format!("error parsing {source}: {e}"))?;
        for chunk in chunks {
            values.push(first_document(&chunk.text).map_err(converting)?);
        }
    }
    let mut docs = Vec::new();
    for value in values {
        match value {
            Value::Null => {}
            Value::Object(ref m) if m.get("kind").and_then(Value::as_str) == Some("List") => {
                docs.extend(
                    m.get("items")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default(),
                );
            }
            Value::Object(_) => docs.push(value),
            _ => {
                return Err(format!(
                    "error parsing {source}: error converting YAML to JSON: yaml: unmarshal errors"
                ))
            }
        }
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_documents() {
        let docs = parse("a: 1\n---\nb: x\n---\n", "STDIN").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1]["b"], "x");
    }

    #[test]
    fn go_yaml_wording_for_a_bad_indent() {
        let bad = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: broken\nspec:\n  containers:\n  - name: app\n    image: nginx\n   ports:\n    - containerPort: 80\n";
        assert_eq!(
            parse(bad, "STDIN").unwrap_err(),
            "error parsing STDIN: error converting YAML to JSON: yaml: line 8: did not find expected key"
        );
    }

    #[test]
    fn lists_expand() {
        let docs = parse(
            "kind: List\nitems:\n- kind: Pod\n- kind: Service\n",
            "f.yaml",
        )
        .unwrap();
        assert_eq!(docs.len(), 2);
    }

    #[test]
    fn syntax_errors_count_lines_within_their_document() {
        // The bad indent of fidelity/cases/06-yaml-syntax, as the second document: go-yaml parses
        // each document YAMLReader splits off on its own, so it is still `line 8`.
        let bad = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: broken\nspec:\n  containers:\n  - name: app\n    image: nginx\n   ports:\n    - containerPort: 80\n";
        let stream = format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n{bad}");
        assert_eq!(
            parse(&stream, "pod.yaml").unwrap_err(),
            "error parsing pod.yaml: error converting YAML to JSON: yaml: line 8: did not find expected key"
        );
        assert_eq!(failing_document_start(&stream), Some(5));
        assert_eq!(failing_document_start(bad), Some(0));
        assert_eq!(failing_document_start("a: 1\n---\nb: 2\n"), None);
        let scanner = "a: 1\n--- # second\nb: 2\nc: d: e\n";
        assert_eq!(
            parse(scanner, "STDIN").unwrap_err(),
            "error parsing STDIN: error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context"
        );
        assert_eq!(failing_document_start(scanner), Some(2));
    }

    #[test]
    fn documents_split_as_yaml_reader_does() {
        let c = chunks("---\na: 1\n---\n\n---\nb: 2").unwrap();
        assert_eq!(
            c,
            [
                Chunk {
                    first_line: 1,
                    text: "a: 1\n".into()
                },
                Chunk {
                    first_line: 3,
                    text: "\n".into()
                },
                Chunk {
                    first_line: 5,
                    text: "b: 2\n".into()
                },
            ]
        );
        assert_eq!(
            parse("a: 1\n--- b: 2\n", "STDIN").unwrap_err(),
            "error parsing STDIN: invalid Yaml document separator: b: 2"
        );
        assert_eq!(separator("--- # c"), Ok(true));
        assert_eq!(separator("a: ---"), Ok(false));
    }
}
