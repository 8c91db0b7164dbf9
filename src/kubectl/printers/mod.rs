//! kubectl's printers: `-o yaml`, `-o json`, `-o jsonpath`, and the human-readable tables of
//! `kubectl get`, as pure functions over the objects the API server returns.

pub mod custom_columns;
pub mod duration;
pub mod gofmt;
pub mod human;
pub mod json;
pub mod jsonpath;
pub mod kind_tables;
pub mod object;
pub mod quantity;
pub mod table;
pub mod tabwriter;
pub mod workload_tables;
pub mod yaml;

/// cli-runtime printers.EscapeTerminal: ESC shows as `^[`, CR as `\r`, so printed values cannot
/// drive the terminal.
pub fn escape_terminal(s: &str) -> String {
    s.replace('\u{1b}', "^[").replace('\r', "\\r")
}

/// The object kubectl prints for several objects with `-o yaml`, `-o json` or `-o jsonpath`: a
/// `kind: List` holding them (cli-runtime wraps the items this way; case 10 shows it).
pub fn list_of(items: Vec<serde_json::Value>) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "v1",
        "items": items,
        "kind": "List",
        "metadata": {"resourceVersion": ""}
    })
}
