//! How kubectl turns a server error into its one line (cmdutil.StandardErrorMessage and the
//! `error when creating "FILE"` wrapping of the resource builder).

use serde_json::Value;

/// The text kubectl prints for an error Status; `during` is the apply/create context
/// (`error when creating "STDIN": `), which Invalid errors do not get.
pub fn status_message(status: &Value, during: Option<&str>) -> String {
    let reason = status
        .get("reason")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let message = status
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let causes = status
        .pointer("/details/causes")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if reason == "Invalid" {
        let kind = status
            .pointer("/details/kind")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let name = status
            .pointer("/details/name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let lines: Vec<String> = causes
            .iter()
            .map(|c| {
                let field = c.get("field").and_then(Value::as_str).unwrap_or_default();
                let msg = c.get("message").and_then(Value::as_str).unwrap_or_default();
                if field.is_empty() {
                    msg.to_string()
                } else {
                    format!("{field}: {msg}")
                }
            })
            .collect();
        let head = if kind.is_empty() {
            "The request is invalid".to_string()
        } else {
            format!("The {kind} \"{name}\" is invalid")
        };
        return match lines.as_slice() {
            [] => format!("{head}: {message}"),
            [one] => format!("{head}: {one}"),
            many => format!(
                "{head}: \n{}",
                many.iter()
                    .map(|l| format!("* {l}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        };
    }
    let context = during.unwrap_or_default();
    // A Status without a reason reads `Error from server: …` (StandardErrorMessage).
    if reason.is_empty() {
        return format!("Error from server: {context}{message}");
    }
    format!("Error from server ({reason}): {context}{message}")
}
