//! `kubectl api-resources` (staging/src/k8s.io/kubectl/pkg/cmd/apiresources/apiresources.go):
//! the preferred version of every served resource (subresources left out), sorted by group then
//! name (or by `--sort-by=name|kind`), filtered by `--api-group`, `--namespaced`, `--verbs`,
//! `--categories`, printed as a table (`-o wide` adds VERBS and CATEGORIES) or as names.
//! The same catalogue the API server serves in discovery ([`crate::apiserver::discovery`]).

use super::args::Args;
use super::printers::table::table_text;
use super::printers::tabwriter::TabWriter;
use super::Env;
use crate::apiserver::discovery::{categories_of, verbs_of};
use crate::apiserver::resources::{ResourceInfo, RESOURCES};

/// A StringSlice flag's values (comma-separated, repeatable).
fn slice_flag(args: &Args, name: &str) -> Vec<String> {
    args.all(name)
        .iter()
        .flat_map(|v| v.split(',').map(str::to_string).collect::<Vec<_>>())
        .filter(|v| !v.is_empty())
        .collect()
}

/// The resources the filters keep, in kubectl's order.
fn selected(args: &Args, sort_by: &str) -> Vec<&'static ResourceInfo> {
    let verbs = slice_flag(args, "verbs");
    let categories = slice_flag(args, "categories");
    let group = args.flag("api-group");
    let namespaced = args
        .has("namespaced")
        .then(|| args.bool_flag("namespaced", true));
    let mut out: Vec<&'static ResourceInfo> = RESOURCES
        .iter()
        .filter(|r| group.is_none_or(|g| r.group == g))
        .filter(|r| namespaced.is_none_or(|n| r.namespaced == n))
        .filter(|r| {
            let have = verbs_of(r);
            verbs.iter().all(|v| have.contains(&v.as_str()))
        })
        .filter(|r| {
            let have = categories_of(r);
            categories.iter().all(|c| have.contains(&c.as_str()))
        })
        .collect();
    out.sort_by(|a, b| {
        let key = |r: &ResourceInfo| match sort_by {
            "name" => r.plural.to_string(),
            "kind" => r.kind.to_string(),
            _ => r.group.to_string(),
        };
        key(a).cmp(&key(b)).then_with(|| a.plural.cmp(b.plural))
    });
    out
}

/// Go's `%v` of a string slice: `[create delete get]`.
fn go_slice(items: &[&str]) -> String {
    format!("[{}]", items.join(" "))
}

/// `kubectl api-resources`.
pub fn api_resources(args: &Args, env: &mut Env) {
    let extra = args.positional.get(1..).unwrap_or_default();
    if !extra.is_empty() {
        return env.out.fail(format!(
            "error: unexpected arguments: [{}]\nSee 'kubectl api-resources -h' for help and examples",
            extra.join(" ")
        ));
    }
    let output = args.flag("output").unwrap_or_default();
    if !matches!(output, "" | "wide" | "name") {
        return env
            .out
            .fail(format!("error: --output {output} is not available"));
    }
    let sort_by = args.flag("sort-by").unwrap_or_default();
    if !matches!(sort_by, "" | "name" | "kind") {
        return env.out.fail("error: --sort-by accepts only name or kind");
    }
    let resources = selected(args, sort_by);
    if output == "name" {
        for r in resources {
            env.out.print(r.qualified_plural());
        }
        return;
    }
    let mut headers: Vec<String> = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
        .iter()
        .map(|h| h.to_string())
        .collect();
    if output == "wide" {
        headers.push("VERBS".into());
        headers.push("CATEGORIES".into());
    }
    let rows: Vec<Vec<String>> = resources
        .iter()
        .map(|r| {
            let mut row = vec![
                r.plural.to_string(),
                r.short_names.join(","),
                r.api_version(),
                r.namespaced.to_string(),
                r.kind.to_string(),
            ];
            if output == "wide" {
                row.push(go_slice(&verbs_of(r)));
                row.push(go_slice(&categories_of(r)));
            }
            row
        })
        .collect();
    let show_headers = !args.bool_flag("no-headers", false);
    let mut writer = TabWriter::for_get();
    writer.write(&table_text(show_headers.then_some(&headers[..]), &rows));
    env.out.out.push_str(&writer.flush());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_first_then_groups_by_name() {
        let args = Args::default();
        let names: Vec<String> = selected(&args, "")
            .iter()
            .map(|r| r.qualified_plural())
            .collect();
        let pods = names.iter().position(|n| n == "pods").unwrap();
        let deployments = names.iter().position(|n| n == "deployments.apps").unwrap();
        assert!(pods < deployments);
        assert_eq!(go_slice(&["create", "get"]), "[create get]");
    }
}
