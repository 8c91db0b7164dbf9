//! The `kubectl get` flags that shape its output (staging/src/k8s.io/kubectl/pkg/cmd/get/get.go):
//! `--sort-by` (see [`super::sort`]), `--no-headers` (the rows alone, and no blank line between
//! the tables of several resource types), `--ignore-not-found` (a missing named object is no
//! error, and an empty result prints nothing instead of `No resources found`).

use serde_json::Value;

use super::args::Args;
use super::printers::human::{self, TableOptions};
use super::printers::object::format_labels;
use super::printers::table::{render, table_text};
use super::printers::tabwriter::TabWriter;

/// Sort each resource type's objects by `--sort-by`, if given.
pub fn sort_all<T>(args: &Args, all: &mut [(T, Vec<Value>, bool)]) -> Result<(), String> {
    let Some(field) = args.flag("sort-by") else {
        return Ok(());
    };
    for (_, objects, _) in all.iter_mut() {
        super::sort::sort_by(objects, field).map_err(|e| format!("error: {e}"))?;
    }
    Ok(())
}

/// Whether `--no-headers` was given.
pub fn no_headers(args: &Args) -> bool {
    args.bool_flag("no-headers", false)
}

/// Whether `--ignore-not-found` was given.
pub fn ignore_not_found(args: &Args) -> bool {
    args.bool_flag("ignore-not-found", false)
}

/// One resource type's table, with or without its header row.
pub fn table(args: &Args, headers: &[String], rows: &[Vec<String>]) -> String {
    if no_headers(args) {
        let mut writer = TabWriter::for_get();
        writer.write(&table_text(None, rows));
        writer.flush()
    } else {
        render(headers, rows)
    }
}

/// The table of a resource: its printer's, or the API server's default table for a kind
/// without one (rest.NewDefaultTableConvertor: NAME and CREATED AT, the creation time as
/// RFC 3339), as kubectl prints what the server's Table holds.
pub fn table_for(
    resource: &str,
    objects: &[Value],
    now: jiff::Timestamp,
    opts: &TableOptions,
) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    if let Some(table) = human::table_for(resource, objects, now, opts) {
        return Some(table);
    }
    let mut headers: Vec<String> = Vec::new();
    if opts.with_namespace {
        headers.push("NAMESPACE".into());
    }
    headers.extend(["NAME".to_string(), "CREATED AT".to_string()]);
    if opts.show_labels {
        headers.push("LABELS".into());
    }
    let text = |o: &Value, p: &str| {
        o.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let rows = objects
        .iter()
        .map(|o| {
            let mut row = Vec::new();
            if opts.with_namespace {
                row.push(text(o, "/metadata/namespace"));
            }
            row.push(text(o, "/metadata/name"));
            row.push(text(o, "/metadata/creationTimestamp"));
            if opts.show_labels {
                row.push(format_labels(
                    o.pointer("/metadata/labels").and_then(Value::as_object),
                ));
            }
            row
        })
        .collect();
    Some((headers, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Args {
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        Args::parse(&words).unwrap()
    }

    #[test]
    fn no_headers_prints_rows_aligned() {
        let headers = vec!["NAME".to_string(), "AGE".to_string()];
        let rows = vec![vec!["web".to_string(), "5s".to_string()]];
        assert_eq!(
            table(&args("get pods --no-headers"), &headers, &rows),
            "web   5s\n"
        );
        assert_eq!(
            table(&args("get pods"), &headers, &rows),
            "NAME   AGE\nweb    5s\n"
        );
    }
}
