//! `kubectl apply` (client-side: create with the last-applied-configuration annotation, or a
//! three-way strategic merge patch) and `kubectl create -f`.

use serde_json::{json, Map, Value};

use super::args::Args;
use super::errors::status_message;
use super::{manifest, namespace_flag, object_name, str_at, Env};
use crate::apiserver::patch::three_way;
use crate::apiserver::resources::{by_kind, ResourceInfo};
use crate::apiserver::{FieldValidation, PatchType, Request, Verb};

pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The manifests named by `-f`, with the name kubectl gives their source in messages.
pub fn read_manifests(args: &Args, env: &mut Env) -> Option<Vec<(String, Value)>> {
    let files = args.all("filename");
    if files.is_empty() {
        env.out.fail("error: must specify one of -f and -k");
        return None;
    }
    let mut docs = Vec::new();
    for file in files {
        let (source, text) = if file == "-" {
            (
                "STDIN".to_string(),
                env.stdin.unwrap_or_default().to_string(),
            )
        } else {
            match (env.read_file)(&file) {
                Some(t) => (file.clone(), t),
                None => {
                    env.out
                        .fail(format!("error: the path \"{file}\" does not exist"));
                    return None;
                }
            }
        };
        match manifest::parse(&text, &source) {
            Ok(parsed) => docs.extend(parsed.into_iter().map(|d| (source.clone(), d))),
            Err(e) => {
                env.out.fail(format!("error: {e}"));
                return None;
            }
        }
    }
    if docs.is_empty() {
        env.out.fail("error: no objects passed to apply");
        return None;
    }
    Some(docs)
}

/// kubectl's `--validate`: strict by default.
pub fn field_validation(args: &Args) -> FieldValidation {
    // GetValidationDirective: lower-cased, a strconv.ParseBool boolean or a directive's name.
    match args
        .flag("validate")
        .unwrap_or("strict")
        .to_lowercase()
        .as_str()
    {
        "false" | "f" | "0" | "ignore" => FieldValidation::Ignore,
        "warn" => FieldValidation::Warn,
        _ => FieldValidation::Strict,
    }
}

/// Go's `%v` of a decoded JSON value (`map[name:x]`, `[a b]`), as accessor errors print it.
fn go_value(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let inner: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_value(v)))
                .collect();
            format!("map[{}]", inner.join(" "))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(go_value).collect::<Vec<_>>().join(" ")),
        Value::String(s) => s.clone(),
        Value::Null => "<nil>".into(),
        other => other.to_string(),
    }
}

fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "map[string]interface {}",
        Value::Array(_) => "[]interface {}",
        Value::String(_) => "string",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::Bool(_) => "bool",
        Value::Null => "<nil>",
    }
}

/// The unstructured accessors kubectl reads metadata with refuse a `metadata` (or its labels or
/// annotations) that is not a map (unstructured.NestedFieldNoCopy's accessor error).
fn check_metadata_shape(doc: &Value, source: &str) -> Result<(), String> {
    for path in [
        &["metadata"][..],
        &["metadata", "labels"],
        &["metadata", "annotations"],
    ] {
        let mut v = doc;
        for (i, field) in path.iter().enumerate() {
            match v.get(field) {
                Some(next) if next.is_object() || next.is_null() => v = next,
                Some(bad) => {
                    return Err(format!(
                        "error: unable to decode \"{source}\": .{} accessor error: {} is of the type {}, expected map[string]interface{{}}",
                        path[..=i].join("."),
                        go_value(bad),
                        go_type(bad)
                    ))
                }
                None => break,
            }
        }
    }
    Ok(())
}

/// The resource of a manifest, or kubectl's "no matches for kind" error.
fn mapping(doc: &Value, source: &str, ns: &str) -> Result<&'static ResourceInfo, String> {
    check_metadata_shape(doc, source)?;
    let (api_version, kind) = (str_at(doc, "/apiVersion"), str_at(doc, "/kind"));
    if kind.is_empty() {
        return Err(format!("error: error validating \"{source}\": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false"));
    }
    if api_version.is_empty() {
        return Err(format!("error: error validating \"{source}\": error validating data: apiVersion not set; if you choose to ignore these errors, turn validation off with --validate=false"));
    }
    by_kind(api_version, kind).ok_or_else(|| {
        format!(
            "error: resource mapping not found for name: \"{}\" namespace: \"{ns}\" from \"{source}\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first",
            str_at(doc, "/metadata/name")
        )
    })
}

/// The namespace an object goes to: its own, else `-n`, else default.
fn target_namespace(
    info: &ResourceInfo,
    doc: &mut Value,
    args: &Args,
) -> Result<Option<String>, String> {
    if !info.namespaced {
        return Ok(None);
    }
    let flag = namespace_flag(args);
    let own = str_at(doc, "/metadata/namespace").to_string();
    if !own.is_empty() && args.has("namespace") && own != flag {
        return Err(format!(
            "error: the namespace from the provided object \"{own}\" does not match the namespace \"{flag}\". You must pass '--namespace={own}' to perform this operation."
        ));
    }
    let ns = if own.is_empty() { flag } else { own };
    if let Some(meta) = doc.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert("namespace".into(), json!(ns));
    }
    Ok(Some(ns))
}

/// The object with the last-applied-configuration annotation kubectl sets: the manifest itself,
/// as compact JSON with sorted keys, its annotations map without that key.
fn with_last_applied(doc: &Value) -> Value {
    let mut config = doc.clone();
    if let Some(meta) = config.get_mut("metadata").and_then(Value::as_object_mut) {
        let ann = meta
            .entry("annotations")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(a) = ann.as_object_mut() {
            a.remove(LAST_APPLIED);
        }
    }
    let text = serde_json::to_string(&config).unwrap_or_default();
    let mut out = config;
    out["metadata"]["annotations"][LAST_APPLIED] = json!(format!("{text}\n"));
    out
}

fn dry_run_suffix(args: &Args) -> &'static str {
    match args.flag("dry-run") {
        Some("client") | Some("true") => " (dry run)",
        Some("server") => " (server dry run)",
        _ => "",
    }
}

pub fn apply(args: &Args, env: &mut Env) {
    let Some(docs) = read_manifests(args, env) else {
        return;
    };
    for (source, mut doc) in docs {
        let ns = namespace_flag(args);
        let info = match mapping(&doc, &source, &ns) {
            Ok(i) => i,
            Err(e) => {
                env.out.fail(e);
                continue;
            }
        };
        let ns = match target_namespace(info, &mut doc, args) {
            Ok(ns) => ns,
            Err(e) => {
                env.out.fail(e);
                continue;
            }
        };
        let name = str_at(&doc, "/metadata/name").to_string();
        let modified = with_last_applied(&doc);
        let get = env.request(Verb::Get, info, ns.as_deref()).name(&name);
        let current = env.send(get);
        if current.code == 404 || name.is_empty() {
            create_one(info, ns.as_deref(), modified, &source, args, env);
            continue;
        }
        if !current.is_success() {
            env.out.fail(status_message(&current.body, None));
            continue;
        }
        let live = current.body;
        let original: Value = live
            .pointer(&format!(
                "/metadata/annotations/{}",
                LAST_APPLIED.replace('/', "~1")
            ))
            .and_then(Value::as_str)
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or(json!({}));
        let patch = three_way(&original, &modified, &live);
        let label = object_name(info, &name);
        if patch == json!({}) {
            env.out
                .print(format!("{label} unchanged{}", dry_run_suffix(args)));
            continue;
        }
        let mut req = env
            .request(Verb::Patch(PatchType::Strategic), info, ns.as_deref())
            .name(&name)
            .body(patch);
        req.field_manager = Some("kubectl-client-side-apply".into());
        req.field_validation = field_validation(args);
        req.dry_run = args.flag("dry-run") == Some("server");
        if args.flag("dry-run") == Some("client") {
            env.out.print(format!("{label} configured (dry run)"));
            continue;
        }
        let resp = env.send(req);
        if resp.is_success() {
            env.out
                .print(format!("{label} configured{}", dry_run_suffix(args)));
        } else {
            env.out.fail(status_message(
                &resp.body,
                Some(&format!("error when patching \"{source}\": ")),
            ));
        }
    }
}

fn create_one(
    info: &'static ResourceInfo,
    ns: Option<&str>,
    body: Value,
    source: &str,
    args: &Args,
    env: &mut Env,
) {
    let name = str_at(&body, "/metadata/name").to_string();
    if args.flag("dry-run") == Some("client") {
        env.out
            .print(format!("{} created (dry run)", object_name(info, &name)));
        return;
    }
    let mut req: Request = env.request(Verb::Create, info, ns).body(body);
    req.field_manager = Some(
        if args.positional.first().map(String::as_str) == Some("apply") {
            "kubectl-client-side-apply".into()
        } else {
            "kubectl-create".into()
        },
    );
    req.field_validation = field_validation(args);
    req.dry_run = args.flag("dry-run") == Some("server");
    let resp = env.send(req);
    if resp.is_success() {
        let created = str_at(&resp.body, "/metadata/name").to_string();
        env.out.print(format!(
            "{} created{}",
            object_name(info, &created),
            dry_run_suffix(args)
        ));
    } else {
        env.out.fail(status_message(
            &resp.body,
            Some(&format!("error when creating \"{source}\": ")),
        ));
    }
}

pub fn create(args: &Args, env: &mut Env) {
    if args.positional.len() > 1 {
        env.out.fail(format!(
            "error: unknown command \"{}\" for \"kubectl create\"",
            args.positional[1]
        ));
        return;
    }
    let Some(docs) = read_manifests(args, env) else {
        return;
    };
    for (source, mut doc) in docs {
        let ns = namespace_flag(args);
        let info = match mapping(&doc, &source, &ns) {
            Ok(i) => i,
            Err(e) => {
                env.out.fail(e);
                continue;
            }
        };
        match target_namespace(info, &mut doc, args) {
            Ok(ns) => create_one(info, ns.as_deref(), doc, &source, args, env),
            Err(e) => env.out.fail(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_applied_is_the_manifest_as_compact_sorted_json() {
        let doc = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "nginx", "namespace": "default"}, "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]}});
        let applied = with_last_applied(&doc);
        assert_eq!(
            applied["metadata"]["annotations"][LAST_APPLIED],
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"annotations\":{},\"name\":\"nginx\",\"namespace\":\"default\"},\"spec\":{\"containers\":[{\"image\":\"nginx:1.27\",\"name\":\"nginx\",\"ports\":[{\"containerPort\":80}]}]}}\n"
        );
    }
}
