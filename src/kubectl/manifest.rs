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

/// The documents of a manifest, as JSON objects. `source` names the input in errors (`STDIN`).
pub fn parse(text: &str, source: &str) -> Result<Vec<Value>, String> {
    let mut docs = Vec::new();
    for doc in yaml_serde::Deserializer::from_str(text) {
        let value = Value::deserialize(doc).map_err(|e| {
            format!(
                "error parsing {source}: error converting YAML to JSON: {}",
                go_yaml_error(&e)
            )
        })?;
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
}
