//! When Apply fails: which step of the trace refused the manifest, and which lines of the editor
//! the error is about.
//!
//! The trace of a request (see `apiserver`) is a kubectl → kube-apiserver request, the server's
//! stages as entries from kube-apiserver to itself (authentication, authorization, decode,
//! mutating admission, validation), then its kube-apiserver → kubectl response. The stage right
//! before an error response is the one that refused. When kubectl fails before sending anything
//! (a YAML syntax error), its own `exit 1` step is the refusal.

use serde_json::Value;

use super::locate::{document_texts, line_of_path};
use crate::kubectl::manifest::{failing_document_start, SCANNER_PROBLEMS};
use crate::sim::{Actor, TraceEntry};

/// An error placed on a line of the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// 1-based line of the editor's text.
    pub line: usize,
    /// kubectl's message for that line.
    pub message: String,
}

/// The trace entries of a failed apply that the page marks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TraceRejection {
    /// The steps that refused: a server stage, or kubectl's own failing step.
    pub rejected: Vec<usize>,
    /// The error responses the server sent back.
    pub responses: Vec<usize>,
}

/// What the page shows about a failed apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyFailure {
    /// The errors, each on its line of the editor.
    pub markers: Vec<Marker>,
    /// The steps of the trace that refused.
    pub trace: TraceRejection,
}

/// The markers for what kubectl printed (`output`) when applying `yaml`.
pub fn markers_for(yaml: &str, output: &str) -> Vec<Marker> {
    let docs = document_kinds(yaml);
    let line_count = yaml.lines().count().max(1);
    let mut markers = Vec::new();
    let mut invalid_object: Option<usize> = None;
    for line in output.lines() {
        if let Some(marker) = yaml_syntax_marker(line, yaml, line_count) {
            markers.push(marker);
        } else if let Some((kind, name, rest)) = invalid_header(line) {
            invalid_object = find_doc(&docs, kind, Some(name));
            if !rest.trim().is_empty() {
                markers.extend(field_marker(yaml, invalid_object, rest.trim()));
            }
        } else if let Some(item) = line.strip_prefix("* ") {
            markers.extend(field_marker(yaml, invalid_object, item));
        } else if let Some((kind, rest)) = decode_error(line) {
            let doc = find_doc(&docs, kind, None);
            markers.extend(decode_markers(yaml, doc, rest));
        }
    }
    markers
}

/// `error: error parsing STDIN: error converting YAML to JSON: yaml: line 8: did not find expected
/// key`. go-yaml counts a parser error's line from 0 (the line before the problem as the user
/// counts): the line the user sees as wrong is N+1. A scanner error's N is already that line.
/// kubectl counts N within the document that failed (YAMLReader hands go-yaml one document at a
/// time), so that document's first line is added back to mark the editor's line.
fn yaml_syntax_marker(line: &str, yaml: &str, line_count: usize) -> Option<Marker> {
    let at = line.find("yaml: line ")?;
    let rest = line.get(at + "yaml: line ".len()..)?;
    let (number, problem) = rest.split_once(": ")?;
    let reported: usize = number.parse().ok()?;
    let in_document = if SCANNER_PROBLEMS.iter().any(|p| problem.starts_with(p)) {
        reported
    } else {
        reported + 1
    };
    let shown = in_document + failing_document_start(yaml).unwrap_or(0);
    Some(Marker {
        line: shown.clamp(1, line_count),
        message: line.strip_prefix("error: ").unwrap_or(line).to_string(),
    })
}

/// `The Pod "My_Pod" is invalid: rest` (kubectl) or `Pod "x" is invalid: rest` (the server's
/// StatusError text): kind, name and what follows.
fn invalid_header(line: &str) -> Option<(&str, &str, &str)> {
    let (before, rest) = line
        .split_once(" is invalid: ")
        .or_else(|| line.strip_suffix(" is invalid:").map(|before| (before, "")))?;
    let before = before.strip_suffix('"')?;
    let open = before.rfind('"')?;
    let name = before.get(open + 1..)?;
    let kind = before.get(..open)?.trim_end().rsplit(' ').next()?;
    Some((kind, name, rest))
}

/// `… cannot be handled as a Pod: strict decoding error: …`: the kind and the text after it.
fn decode_error(line: &str) -> Option<(&str, &str)> {
    let (_, after) = line.split_once(" cannot be handled as a ")?;
    let (kind, rest) = after.split_once(": ")?;
    Some((kind, rest))
}

/// One `path: message` item of a validation error, on its field's line.
fn field_marker(yaml: &str, doc: Option<usize>, item: &str) -> Option<Marker> {
    let item = item.trim_start_matches('[').trim_end_matches(']');
    let (path, _) = item.split_once(": ")?;
    Some(Marker {
        line: line_in_doc(yaml, doc, path),
        message: item.to_string(),
    })
}

/// Strict decoding's `unknown field "p"` / `duplicate field "p"` items, and json.Unmarshal's
/// `cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort
/// of type int32`.
fn decode_markers(yaml: &str, doc: Option<usize>, rest: &str) -> Vec<Marker> {
    let mut markers = Vec::new();
    for part in rest.split(", ") {
        let part = part.trim_start_matches("strict decoding error: ");
        for prefix in ["unknown field \"", "duplicate field \""] {
            if let Some(path) = part.strip_prefix(prefix).and_then(|p| p.strip_suffix('"')) {
                markers.push(Marker {
                    line: line_in_doc(yaml, doc, path),
                    message: part.to_string(),
                });
            }
        }
    }
    if let Some(at) = rest.find("json: cannot unmarshal ") {
        let message = rest.get(at..).unwrap_or(rest);
        if let Some(path) = go_struct_path(message) {
            markers.push(Marker {
                line: line_in_doc(yaml, doc, path),
                message: message.to_string(),
            });
        }
    }
    markers
}

/// `… Go struct field ContainerPort.spec.containers.ports.containerPort of type int32` →
/// `spec.containers.ports.containerPort` (the Go type's name comes first).
fn go_struct_path(message: &str) -> Option<&str> {
    let (_, after) = message.split_once("Go struct field ")?;
    let field = after.split(" of type").next()?;
    field.split_once('.').map(|(_, path)| path)
}

/// The line of `path` in document `doc`; its first line when the path is not there; line 1 when
/// the document is unknown.
fn line_in_doc(yaml: &str, doc: Option<usize>, path: &str) -> usize {
    let Some(doc) = doc else {
        return 1;
    };
    line_of_path(yaml, doc, path)
        .or_else(|| line_of_path(yaml, doc, "apiVersion"))
        .or_else(|| line_of_path(yaml, doc, "kind"))
        .unwrap_or(1)
}

/// Each document's kind and name, in [`line_of_path`]'s numbering.
fn document_kinds(yaml: &str) -> Vec<(String, String)> {
    document_texts(yaml)
        .iter()
        .map(|text| {
            let value: Value = yaml_serde::from_str(text).unwrap_or(Value::Null);
            let field = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
            (
                field(value.get("kind")),
                field(value.get("metadata").and_then(|m| m.get("name"))),
            )
        })
        .collect()
}

/// The first document of `kind` (named `name`, when given).
fn find_doc(docs: &[(String, String)], kind: &str, name: Option<&str>) -> Option<usize> {
    docs.iter()
        .position(|(k, n)| k == kind && name.is_none_or(|name| n == name))
        .or_else(|| docs.iter().position(|(k, _)| k == kind))
}

/// The rejections among `entries[from..]`, the steps of one failed apply.
pub fn find_rejection(entries: &[TraceEntry], from: usize) -> TraceRejection {
    let mut found = TraceRejection::default();
    for index in from..entries.len() {
        let entry = &entries[index];
        if !is_error_response(entry) || answers_a_get_with_404(entries, from, index) {
            continue;
        }
        found.responses.push(index);
        if let Some(stage) = index.checked_sub(1).filter(|&s| s >= from) {
            if is_server_stage(&entries[stage]) {
                found.rejected.push(stage);
            }
        }
    }
    if found.rejected.is_empty() {
        let exit = (from..entries.len()).find(|&i| is_failed_exit(&entries[i]));
        found.rejected.extend(exit);
    }
    found
}

/// A response from kube-apiserver to kubectl with a status of 400 or more (`422 Unprocessable
/// Entity`).
fn is_error_response(entry: &TraceEntry) -> bool {
    entry.from == Actor::ApiServer && entry.to == Actor::Kubectl && status_of(entry) >= 400
}

fn status_of(entry: &TraceEntry) -> u16 {
    entry
        .action
        .split_whitespace()
        .next()
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

/// apply first GETs the object; a 404 there means "create it", not a refusal.
fn answers_a_get_with_404(entries: &[TraceEntry], from: usize, response: usize) -> bool {
    status_of(&entries[response]) == 404
        && (from..response)
            .rev()
            .find(|&i| entries[i].from == Actor::Kubectl && entries[i].to == Actor::ApiServer)
            .is_some_and(|i| entries[i].action.starts_with("GET "))
}

fn is_server_stage(entry: &TraceEntry) -> bool {
    entry.from == Actor::ApiServer && entry.to == Actor::ApiServer
}

/// kubectl's last step when it exits with an error (`exit 1`).
fn is_failed_exit(entry: &TraceEntry) -> bool {
    entry.from == Actor::Kubectl
        && entry.to == Actor::Kubectl
        && entry
            .action
            .strip_prefix("exit ")
            .is_some_and(|code| code != "0")
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    const INVALID_NAMES: &str = "apiVersion: v1
kind: Pod
metadata:
  name: My_Pod
spec:
  containers:
  - name: Web_Server
    image: nginx
";

    /// fidelity/cases/03-invalid-name.out
    const INVALID_NAMES_OUT: &str = "The Pod \"My_Pod\" is invalid: 
* metadata.name: Invalid value: \"My_Pod\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
* spec.containers[0].name: Invalid value: \"Web_Server\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    #[wasm_bindgen_test]
    fn validation_errors_go_on_their_fields() {
        let markers = markers_for(INVALID_NAMES, INVALID_NAMES_OUT);
        let lines: Vec<usize> = markers.iter().map(|m| m.line).collect();
        assert_eq!(lines, [4, 7]);
        assert!(markers[0]
            .message
            .starts_with("metadata.name: Invalid value: \"My_Pod\": a lowercase RFC 1123"));
    }

    #[wasm_bindgen_test]
    fn the_named_object_of_several() {
        let yaml =
            format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: ok\n---\n{INVALID_NAMES}");
        let markers = markers_for(&yaml, INVALID_NAMES_OUT);
        let lines: Vec<usize> = markers.iter().map(|m| m.line).collect();
        assert_eq!(lines, [9, 12]);
    }

    #[wasm_bindgen_test]
    fn yaml_parser_errors_mark_the_line_after_the_one_reported() {
        // fidelity/cases/06-yaml-syntax: `   ports:` on line 9, reported as line 8.
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: broken\nspec:\n  containers:\n  - name: app\n    image: nginx\n   ports:\n    - containerPort: 80\n";
        let out = "error: error parsing STDIN: error converting YAML to JSON: yaml: line 8: did not find expected key";
        assert_eq!(
            markers_for(yaml, out),
            [Marker {
                line: 9,
                message: "error parsing STDIN: error converting YAML to JSON: yaml: line 8: did not find expected key".into()
            }]
        );
        let scanner = "error: error parsing STDIN: error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context";
        assert_eq!(markers_for("a: b\nc: d: e\n", scanner)[0].line, 2);
        // In a second document the reported line counts from that document's first line.
        let stream = format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n{yaml}");
        assert_eq!(markers_for(&stream, out)[0].line, 14);
        assert_eq!(
            markers_for("a: 1\n---\nb: b\nc: d: e\n", scanner)[0].line,
            4
        );
    }

    #[wasm_bindgen_test]
    fn decode_errors_mark_unknown_fields_and_wrong_types() {
        // fidelity/cases/05-unknown-field and 06-yaml-syntax.
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: typo\nspec:\n  containers:\n  - name: app\n    image: nginx\n    imagee: nginx\n    ports:\n    - containerPort: \"eighty\"\n  restartPolicyy: Always\n";
        let out = "Error from server (BadRequest): error when creating \"STDIN\": Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].imagee\", unknown field \"spec.restartPolicyy\"";
        assert_eq!(
            markers_for(yaml, out),
            [
                Marker {
                    line: 9,
                    message: "unknown field \"spec.containers[0].imagee\"".into()
                },
                Marker {
                    line: 12,
                    message: "unknown field \"spec.restartPolicyy\"".into()
                }
            ]
        );
        let out = "Error from server (BadRequest): error when creating \"STDIN\": Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32";
        assert_eq!(markers_for(yaml, out)[0].line, 11);
    }

    fn entry(from: Actor, to: Actor, action: &str) -> TraceEntry {
        TraceEntry {
            at: 0,
            from,
            to,
            action: action.into(),
            object: String::new(),
            detail: String::new(),
            revision: 0,
        }
    }

    #[wasm_bindgen_test]
    fn the_stage_before_the_error_response_refused() {
        use Actor::{ApiServer as A, Kubectl as K};
        let trace = vec![
            entry(K, A, "GET /api/v1/namespaces/default/pods/My_Pod"),
            entry(A, A, "authorization"),
            entry(A, K, "404 Not Found"),
            entry(K, A, "POST /api/v1/namespaces/default/pods"),
            entry(A, A, "decode"),
            entry(A, A, "validation"),
            entry(A, K, "422 Unprocessable Entity"),
            entry(K, K, "exit 1"),
        ];
        assert_eq!(
            find_rejection(&trace, 0),
            TraceRejection {
                rejected: vec![5],
                responses: vec![6]
            }
        );
        // A YAML error: kubectl exits before any request.
        let trace = vec![entry(K, K, "exit 0"), entry(K, K, "exit 1")];
        assert_eq!(find_rejection(&trace, 1).rejected, vec![1]);
        assert_eq!(find_rejection(&trace, 5), TraceRejection::default());
    }
}
