//! `kubectl version [--client] [-o yaml|json]` (staging/src/k8s.io/kubectl/pkg/cmd/version):
//! the client's version, the Kustomize module kubectl was built with, and the server's version
//! from `GET /version` (fetched fresh every time: the command invalidates cached discovery).

use super::args::Args;
use super::Env;
use crate::apiserver::discovery::SERVER_VERSION;

/// kubectl's own version (component-base/version for a v1.36.2 build).
pub const CLIENT_VERSION: &str = "v1.36.2";

/// The version of sigs.k8s.io/kustomize/kustomize/v5 in kubectl v1.36's go.mod.
pub const KUSTOMIZE_VERSION: &str = "v5.8.1";

/// version.Info fields in their Go order, for a v1.36.2 build. `gitCommit` and `buildDate`
/// are those of podlab's model, not of the real release build.
fn info_fields(git_version: &str) -> Vec<(&'static str, String)> {
    vec![
        ("major", "1".into()),
        ("minor", "36".into()),
        ("emulationMajor", "1".into()),
        ("emulationMinor", "36".into()),
        ("minCompatibilityMajor", "1".into()),
        ("minCompatibilityMinor", "35".into()),
        ("gitVersion", git_version.into()),
        (
            "gitCommit",
            "0000000000000000000000000000000000000000".into(),
        ),
        ("gitTreeState", "clean".into()),
        ("buildDate", "2026-11-18T00:00:00Z".into()),
        ("goVersion", "go1.26.2".into()),
        ("compiler", "gc".into()),
        ("platform", "linux/amd64".into()),
    ]
}

/// `json.MarshalIndent(&versionInfo, "", "  ")`: struct field order, two-space indent.
fn as_json(server: bool) -> String {
    let object = |indent: &str, fields: Vec<(&'static str, String)>| -> String {
        let lines: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{indent}  \"{k}\": \"{v}\""))
            .collect();
        format!("{{\n{}\n{indent}}}", lines.join(",\n"))
    };
    let mut parts = vec![
        format!(
            "  \"clientVersion\": {}",
            object("  ", info_fields(CLIENT_VERSION))
        ),
        format!("  \"kustomizeVersion\": \"{KUSTOMIZE_VERSION}\""),
    ];
    if server {
        parts.push(format!(
            "  \"serverVersion\": {}",
            object("  ", info_fields(SERVER_VERSION))
        ));
    }
    format!("{{\n{}\n}}\n", parts.join(",\n"))
}

/// sigs.k8s.io/yaml of the same struct: keys sorted at every level.
fn as_yaml(server: bool) -> String {
    let block = |fields: Vec<(&'static str, String)>| -> String {
        let mut sorted = fields;
        sorted.sort_by_key(|(k, _)| *k);
        sorted
            .iter()
            .map(|(k, v)| {
                let needs_quotes = v.parse::<f64>().is_ok() || v.contains(':');
                if needs_quotes {
                    format!("  {k}: \"{v}\"\n")
                } else {
                    format!("  {k}: {v}\n")
                }
            })
            .collect()
    };
    let mut out = format!(
        "clientVersion:\n{}kustomizeVersion: {KUSTOMIZE_VERSION}\n",
        block(info_fields(CLIENT_VERSION))
    );
    if server {
        out.push_str(&format!(
            "serverVersion:\n{}",
            block(info_fields(SERVER_VERSION))
        ));
    }
    out.push('\n');
    out
}

/// `kubectl version`.
pub fn version(args: &Args, env: &mut Env) {
    let extra = args.positional.get(1..).unwrap_or_default();
    if !extra.is_empty() {
        return env
            .out
            .fail(format!("error: extra arguments: [{}]", extra.join(" ")));
    }
    let output = args.flag("output").unwrap_or_default();
    let server = !args.bool_flag("client", false);
    match output {
        "" => {
            env.out.print(format!("Client Version: {CLIENT_VERSION}"));
            env.out
                .print(format!("Kustomize Version: {KUSTOMIZE_VERSION}"));
            if server {
                env.out.print(format!("Server Version: {SERVER_VERSION}"));
            }
        }
        "json" => env.out.out.push_str(&as_json(server)),
        "yaml" => env.out.out.push_str(&as_yaml(server)),
        _ => env.out.fail("error: --output must be 'yaml' or 'json'"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keeps_the_struct_order() {
        let text = as_json(true);
        assert!(text.starts_with(
            "{\n  \"clientVersion\": {\n    \"major\": \"1\",\n    \"minor\": \"36\","
        ));
        assert!(text.contains("\n  \"kustomizeVersion\": \"v5.8.1\",\n  \"serverVersion\": {"));
        assert!(text.ends_with("\n  }\n}\n"));
    }

    #[test]
    fn yaml_sorts_and_quotes() {
        let text = as_yaml(false);
        assert!(text.starts_with(
            "clientVersion:\n  buildDate: \"2026-11-18T00:00:00Z\"\n  compiler: gc\n"
        ));
        assert!(text.contains("  major: \"1\"\n"));
        assert!(text.ends_with("kustomizeVersion: v5.8.1\n\n"));
    }
}
