//! `kubectl get -o custom-columns=HEADER:.path,...` (kubectl/pkg/cmd/get/customcolumn.go):
//! one column per `HEADER:jsonpath` pair, values of several results joined by commas, `<none>`
//! when a path finds nothing, aligned by kubectl's tabwriter.

use serde_json::Value;

use super::escape_terminal;
use super::jsonpath::column_values;
use super::tabwriter::TabWriter;

/// One column: its header and its template (`{.reason}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub header: String,
    pub field_spec: String,
}

/// RelaxedJSONPathExpression: `name.x`, `.name.x`, `{name.x}` and `{.name.x}` all become
/// `{.name.x}`.
pub fn relaxed_json_path_expression(expr: &str) -> Result<String, String> {
    if expr.is_empty() {
        return Ok(String::new());
    }
    let no_braces = |s: &str| !s.is_empty() && !s.contains(['{', '}']);
    let inner = expr
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .map(|s| s.strip_prefix('.').unwrap_or(s))
        .filter(|s| no_braces(s))
        .or_else(|| Some(expr.strip_prefix('.').unwrap_or(expr)).filter(|s| no_braces(s)));
    match inner {
        Some(field) => Ok(format!("{{.{field}}}")),
        None => Err("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'".to_string()),
    }
}

/// NewCustomColumnsPrinterFromSpec: `HEADER:path` pairs separated by commas. The error is the
/// text kubectl prints (with `error: ` and a newline).
pub fn parse_spec(spec: &str) -> Result<Vec<Column>, String> {
    if spec.is_empty() {
        return Err(
            "error: custom-columns format specified but no custom columns given\n".to_string(),
        );
    }
    spec.split(',')
        .map(|part| {
            let Some((header, path)) = part.split_once(':') else {
                return Err(format!(
                    "error: unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>\n"
                ));
            };
            let field_spec =
                relaxed_json_path_expression(path).map_err(|e| format!("error: {e}\n"))?;
            Ok(Column {
                header: header.to_string(),
                field_spec,
            })
        })
        .collect()
}

/// The table `kubectl get -o custom-columns=SPEC` prints for `objects` (headers unless
/// `no_headers`), or kubectl's error text.
pub fn render(spec: &str, objects: &[Value], no_headers: bool) -> Result<String, String> {
    let columns = parse_spec(spec)?;
    let mut text = String::new();
    if !no_headers {
        let headers: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
        text.push_str(&headers.join("\t"));
        text.push('\n');
    }
    for obj in objects {
        let mut cells = Vec::new();
        for column in &columns {
            let values =
                column_values(&column.field_spec, obj).map_err(|e| format!("error: {e}\n"))?;
            let cell = match values {
                None => "<none>".to_string(),
                Some(values) => values
                    .iter()
                    .map(|v| escape_terminal(v))
                    .collect::<Vec<_>>()
                    .join(","),
            };
            cells.push(cell);
        }
        text.push_str(&cells.join("\t"));
        text.push('\n');
    }
    let mut writer = TabWriter::for_get();
    writer.write(&text);
    Ok(writer.flush())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reason_and_message_as_in_case_k04() {
        let event =
            json!({"reason": "BackOff", "message": "Back-off pulling image \"doesnotexist:1.0\""});
        assert_eq!(
            render("REASON:.reason,MESSAGE:.message", &[event], false).unwrap(),
            "REASON    MESSAGE\nBackOff   Back-off pulling image \"doesnotexist:1.0\"\n"
        );
    }

    #[test]
    fn missing_values_lists_and_maps() {
        let pod = json!({"metadata": {"name": "web", "labels": {"app": "web", "tier": "fe"}},
                         "spec": {"containers": [{"name": "a"}, {"name": "b"}]}});
        assert_eq!(
            render(
                "NAME:metadata.name,C:{.spec.containers[*].name},L:.metadata.labels,X:.x",
                &[pod],
                false
            )
            .unwrap(),
            "NAME   C     L                      X\nweb    a,b   map[app:web tier:fe]   <none>\n"
        );
    }

    #[test]
    fn spec_errors() {
        assert_eq!(
            render("NAME", &[], false).unwrap_err(),
            "error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n"
        );
        assert_eq!(relaxed_json_path_expression("{.a}").unwrap(), "{.a}");
        assert!(relaxed_json_path_expression("{a}{b}").is_err());
    }
}
