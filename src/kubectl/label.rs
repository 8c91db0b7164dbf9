//! `kubectl label` (staging/src/k8s.io/kubectl/pkg/cmd/label/label.go), and the part it shares
//! with `kubectl annotate` (cmd/annotate/annotate.go): parse `KEY=VALUE` and `KEY-` pairs, fetch
//! the objects, change their metadata map, send the change as a JSON merge patch (field manager
//! `kubectl-label` / `kubectl-annotate`), and print `pod/web labeled` (`not labeled`,
//! `unlabeled`) or `pod/web annotated`, `(dry run)` / `(server dry run)` appended.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::args::Args;
use super::builder::{
    change_cause, report_errors, resources_and_pairs, visit, Found, CHANGE_CAUSE,
};
use super::errors::status_message;
use super::printers::{json as json_printer, yaml};
use super::{object_name, str_at, Env};
use crate::apiserver::validation::names::is_valid_label_value;
use crate::apiserver::{PatchType, Verb};

/// Which metadata map the command changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Label,
    Annotate,
}

impl Which {
    fn field(self) -> &'static str {
        match self {
            Which::Label => "labels",
            Which::Annotate => "annotations",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Which::Label => "label",
            Which::Annotate => "annotation",
        }
    }

    fn field_manager(self) -> &'static str {
        match self {
            Which::Label => "kubectl-label",
            Which::Annotate => "kubectl-annotate",
        }
    }
}

/// The changes asked for: keys to set and keys to remove.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub set: BTreeMap<String, String>,
    pub remove: Vec<String>,
}

/// label.go `parseLabels`: `k=v` (exactly one `=`, the value a valid label value) or `k-`.
pub fn parse_labels(specs: &[String]) -> Result<Changes, String> {
    let mut changes = Changes::default();
    for spec in specs {
        if spec.contains('=') {
            let parts: Vec<&str> = spec.split('=').collect();
            let [key, value] = parts.as_slice() else {
                return Err(format!("invalid label spec: {spec}"));
            };
            let errs = is_valid_label_value(value);
            if !errs.is_empty() {
                return Err(format!(
                    "invalid label value: {}: {}",
                    go_quote(spec),
                    errs.join(";")
                ));
            }
            changes.set.insert(key.to_string(), value.to_string());
        } else if let Some(key) = spec.strip_suffix('-') {
            changes.remove.push(key.to_string());
        } else {
            return Err(format!("unknown label spec: {spec}"));
        }
    }
    if changes.remove.iter().any(|k| changes.set.contains_key(k)) {
        return Err("can not both modify and remove a label in the same command".into());
    }
    Ok(changes)
}

/// annotate.go `parseAnnotations` (cmdutil.ParsePairs with removal) and `validateAnnotations`.
pub fn parse_annotations(specs: &[String]) -> Result<Changes, String> {
    let mut changes = Changes::default();
    let mut invalid: Vec<&str> = Vec::new();
    for spec in specs {
        if spec.contains('=') && !spec.starts_with('=') {
            if let Some((k, v)) = spec.split_once('=') {
                changes.set.insert(k.to_string(), v.to_string());
            }
        } else if spec.ends_with('-') && spec != "-" {
            changes.remove.push(spec.trim_end_matches('-').to_string());
        } else {
            invalid.push(spec);
        }
    }
    if !invalid.is_empty() {
        return Err(format!("invalid annotation format: {}", invalid.join(", ")));
    }
    let both: Vec<&str> = changes
        .remove
        .iter()
        .filter(|k| changes.set.contains_key(*k))
        .map(String::as_str)
        .collect();
    if !both.is_empty() {
        return Err(format!(
            "can not both modify and remove the following annotation(s) in the same command: {}",
            both.join(", ")
        ));
    }
    Ok(changes)
}

/// Go's `%q` of a string (enough for label specs: quotes and backslashes escaped).
fn go_quote(s: &str) -> String {
    format!("{:?}", s)
}

/// The object's map (`metadata.labels`), as strings.
fn current(obj: &Value, which: Which) -> BTreeMap<String, String> {
    obj.pointer(&format!("/metadata/{}", which.field()))
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// The overwrite check: label.go `validateNoOverwrites` (one error per key, in key order) or
/// annotate.go `validateNoAnnotationOverwrites` (one error listing them all).
fn check_overwrites(
    which: Which,
    existing: &BTreeMap<String, String>,
    changes: &Changes,
) -> Result<(), String> {
    let clashes: Vec<(&String, &String)> = changes
        .set
        .keys()
        .filter(|k| !(which == Which::Annotate && k.as_str() == "kubernetes.io/change-cause"))
        .filter_map(|k| existing.get_key_value(k))
        .collect();
    if clashes.is_empty() {
        return Ok(());
    }
    match which {
        Which::Label => {
            let errs: Vec<String> = clashes
                .iter()
                .map(|(k, v)| format!("'{k}' already has a value ({v}), and --overwrite is false"))
                .collect();
            Err(if errs.len() == 1 {
                errs.join("")
            } else {
                format!("[{}]", errs.join(", "))
            })
        }
        Which::Annotate => {
            let found: Vec<String> = clashes
                .iter()
                .map(|(k, v)| format!("'{k}' already has a value ({v})"))
                .collect();
            Err(format!(
                "--overwrite is false but found the following declared annotation(s): {}",
                found.join("; ")
            ))
        }
    }
}

/// The object with the changes applied (labelFunc / updateAnnotations).
fn changed(obj: &Value, which: Which, changes: &Changes) -> Value {
    let mut map = current(obj, which);
    for (k, v) in &changes.set {
        map.insert(k.clone(), v.clone());
    }
    for k in &changes.remove {
        map.remove(k);
    }
    let mut out = obj.clone();
    let as_json: Map<String, Value> = map.into_iter().map(|(k, v)| (k, json!(v))).collect();
    if let Some(meta) = out.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert(which.field().to_string(), Value::Object(as_json));
    }
    out
}

/// label.go `updateDataChangeMsg`: `not labeled` when nothing changed, `unlabeled` when the
/// object got shorter without `--overwrite`, else `labeled`.
fn label_message(old: &Value, new: &Value, overwrite: bool) -> &'static str {
    let (a, b) = (old.to_string(), new.to_string());
    if a == b {
        "not labeled"
    } else if !overwrite && b.len() < a.len() {
        "unlabeled"
    } else {
        "labeled"
    }
}

/// The merge patch between two objects' label and annotation maps (what
/// jsonpatch.CreateMergePatch gives when only those changed).
fn merge_patch(old: &Value, new: &Value) -> Value {
    let mut meta = Map::new();
    for which in [Which::Annotate, Which::Label] {
        let (before, after) = (current(old, which), current(new, which));
        let mut diff = Map::new();
        for (k, v) in &after {
            if before.get(k) != Some(v) {
                diff.insert(k.clone(), json!(v));
            }
        }
        for k in before.keys().filter(|k| !after.contains_key(*k)) {
            diff.insert(k.clone(), Value::Null);
        }
        if !diff.is_empty() {
            meta.insert(which.field().to_string(), Value::Object(diff));
        }
    }
    if meta.is_empty() {
        json!({})
    } else {
        json!({ "metadata": meta })
    }
}

/// `kubectl label`.
pub fn label(args: &Args, env: &mut Env) {
    update(Which::Label, args, env);
}

/// The shared flow of `kubectl label` and `kubectl annotate`.
pub fn update(which: Which, args: &Args, env: &mut Env) {
    let words = args.positional.get(1..).unwrap_or_default();
    let (resources, pairs) = match resources_and_pairs(words, which.noun()) {
        Ok(r) => r,
        Err(e) => return env.out.fail(format!("error: {e}")),
    };
    let parsed = match which {
        Which::Label => parse_labels(&pairs),
        Which::Annotate => parse_annotations(&pairs),
    };
    let changes = match parsed {
        Ok(c) => c,
        Err(e) => return env.out.fail(format!("error: {e}")),
    };
    let list = args.bool_flag("list", false);
    if list && args.has("output") {
        return env
            .out
            .fail("error: --list and --output may not be specified together");
    }
    if let Err(e) = validate(which, args, &resources, &changes, list) {
        return env.out.fail(format!("error: {e}"));
    }
    let found = match visit(&resources, args, env) {
        Ok(v) => v,
        Err(e) => return env.out.fail(e),
    };
    if !found.single && args.has("resource-version") {
        return env
            .out
            .fail("error: --resource-version may only be used with a single resource");
    }
    let mut errors = found.errors.clone();
    for item in &found.found {
        if let Err(e) = update_one(which, item, &changes, found.single, args, env) {
            errors.push(e);
        }
    }
    report_errors(&errors, env);
}

/// label.go / annotate.go `Validate`.
fn validate(
    which: Which,
    args: &Args,
    resources: &[String],
    changes: &Changes,
    list: bool,
) -> Result<(), String> {
    if args.bool_flag("all", false) && args.has("selector") {
        return Err("cannot set --all and --selector at the same time".into());
    }
    if args.bool_flag("all", false) && args.has("field-selector") {
        return Err("cannot set --all and --field-selector at the same time".into());
    }
    let local = args.bool_flag("local", false);
    if local && args.flag("dry-run") == Some("server") {
        return Err(
            "cannot specify --local and --dry-run=server - did you mean --dry-run=client?".into(),
        );
    }
    if local && !resources.is_empty() {
        return Err(match which {
            Which::Label => "can only use local files by -f pod.yaml or --filename=pod.json when --local=true is set",
            Which::Annotate => "can only use local files by -f rsrc.yaml or --filename=rsrc.json when --local=true is set",
        }
        .into());
    }
    if !local && resources.is_empty() && !args.has("filename") {
        return Err(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>"
                .into(),
        );
    }
    if changes.set.is_empty() && changes.remove.is_empty() && !list {
        return Err(format!("at least one {} update is required", which.noun()));
    }
    Ok(())
}

/// Change one object: check, patch (unless a client dry run), print.
fn update_one(
    which: Which,
    item: &Found,
    changes: &Changes,
    single: bool,
    args: &Args,
    env: &mut Env,
) -> Result<(), String> {
    let obj = &item.object;
    let overwrite = args.bool_flag("overwrite", false);
    let dry_run = args.flag("dry-run").unwrap_or("none");
    let local =
        dry_run == "client" || args.bool_flag("local", false) || args.bool_flag("list", false);
    if which == Which::Label && !local {
        let existing = current(obj, which);
        for k in changes.remove.iter().filter(|k| !existing.contains_key(*k)) {
            env.out.print(format!("label {} not found.", go_quote(k)));
        }
    }
    if !overwrite {
        check_overwrites(which, &current(obj, which), changes)?;
    }
    let mut new = changed(obj, which, changes);
    if let Some(cause) = change_cause(args).filter(|_| !local) {
        let mut annotations = current(&new, Which::Annotate);
        annotations.insert(CHANGE_CAUSE.to_string(), cause);
        let as_json: Map<String, Value> = annotations
            .into_iter()
            .map(|(k, v)| (k, json!(v)))
            .collect();
        new["metadata"]["annotations"] = Value::Object(as_json);
    }
    if let Some(rv) = args.flag("resource-version") {
        new["metadata"]["resourceVersion"] = json!(rv);
    }
    let message = match which {
        Which::Label => label_message(obj, &new, overwrite),
        Which::Annotate => "annotated",
    };
    let shown = if local {
        new.clone()
    } else {
        send_patch(which, item, obj, &new, args, env)?
    };
    if args.bool_flag("list", false) {
        print_list(which, item, &shown, single, env);
        return Ok(());
    }
    print_result(item, &shown, message, dry_run, args, env);
    Ok(())
}

/// PATCH the change as a merge patch with the command's field manager.
fn send_patch(
    which: Which,
    item: &Found,
    old: &Value,
    new: &Value,
    args: &Args,
    env: &mut Env,
) -> Result<Value, String> {
    let mut patch = merge_patch(old, new);
    if let Some(rv) = args.flag("resource-version") {
        patch["metadata"]["resourceVersion"] = json!(rv);
    }
    let ns = item
        .info
        .namespaced
        .then(|| str_at(old, "/metadata/namespace").to_string());
    let name = str_at(old, "/metadata/name").to_string();
    let mut req = env
        .request(Verb::Patch(PatchType::Merge), item.info, ns.as_deref())
        .name(&name)
        .body(patch);
    req.field_manager = Some(
        args.flag("field-manager")
            .unwrap_or(which.field_manager())
            .to_string(),
    );
    req.dry_run = args.flag("dry-run") == Some("server");
    let resp = env.send(req);
    if resp.is_success() {
        Ok(resp.body)
    } else {
        Err(status_message(&resp.body, None))
    }
}

/// `--list`: the map's `key=value` lines (under a heading per object when several).
fn print_list(which: Which, item: &Found, obj: &Value, single: bool, env: &mut Env) {
    let indent = if single { "" } else { " " };
    if !single {
        let noun = match which {
            Which::Label => "labels",
            Which::Annotate => "annotations",
        };
        env.out.print(format!(
            "Listing {noun} for {}.{}/{}:",
            item.info.kind,
            item.info.group,
            str_at(obj, "/metadata/name")
        ));
    }
    for (k, v) in current(obj, which) {
        env.out.print(format!("{indent}{k}={v}"));
    }
}

/// The name printer (`pod/web labeled (dry run)`), or the object for `-o yaml|json|name`.
pub fn print_result(
    item: &Found,
    obj: &Value,
    message: &str,
    dry_run: &str,
    args: &Args,
    env: &mut Env,
) {
    let name = object_name(item.info, str_at(obj, "/metadata/name"));
    let suffix = match dry_run {
        "client" => " (dry run)",
        "server" => " (server dry run)",
        _ => "",
    };
    match args.flag("output").unwrap_or_default() {
        "" => env.out.print(format!("{name} {message}{suffix}")),
        "name" => env.out.print(name),
        "yaml" => env.out.out.push_str(&yaml::to_yaml(&without_managed_fields(obj))),
        "json" => env.out.out.push_str(&json_printer::to_json(&without_managed_fields(obj))),
        other => env.out.fail(format!(
            "error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: json,name,yaml"
        )),
    }
}

fn without_managed_fields(obj: &Value) -> Value {
    let mut out = obj.clone();
    if let Some(meta) = out.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn label_specs_parse_as_kubectl() {
        let c = parse_labels(&s(&["app=web", "tier-"])).unwrap();
        assert_eq!(c.set.get("app").map(String::as_str), Some("web"));
        assert_eq!(c.remove, vec!["tier"]);
        assert_eq!(
            parse_labels(&s(&["a=b=c"])),
            Err("invalid label spec: a=b=c".into())
        );
        assert_eq!(
            parse_labels(&s(&["app"])),
            Err("unknown label spec: app".into())
        );
        assert_eq!(
            parse_labels(&s(&["app=x", "app-"])),
            Err("can not both modify and remove a label in the same command".into())
        );
        assert!(parse_labels(&s(&["app=-x"]))
            .unwrap_err()
            .starts_with("invalid label value: \"app=-x\": a valid label must be an empty string"));
    }

    #[test]
    fn annotation_specs_parse_as_kubectl() {
        let c = parse_annotations(&s(&["description=my frontend=1"])).unwrap();
        assert_eq!(
            c.set.get("description").map(String::as_str),
            Some("my frontend=1")
        );
        assert_eq!(
            parse_annotations(&s(&["a=1", "a-"])),
            Err(
                "can not both modify and remove the following annotation(s) in the same command: a"
                    .into()
            )
        );
        assert_eq!(
            parse_annotations(&s(&["=x"])),
            Err("invalid annotation format: =x".into())
        );
    }

    #[test]
    fn overwrite_errors_read_as_kubectl() {
        let existing: BTreeMap<String, String> = [("app".to_string(), "web".to_string())].into();
        let c = parse_labels(&s(&["app=api"])).unwrap();
        assert_eq!(
            check_overwrites(Which::Label, &existing, &c),
            Err("'app' already has a value (web), and --overwrite is false".into())
        );
        let c = parse_annotations(&s(&["app=api"])).unwrap();
        assert_eq!(
            check_overwrites(Which::Annotate, &existing, &c),
            Err("--overwrite is false but found the following declared annotation(s): 'app' already has a value (web)".into())
        );
    }

    #[test]
    fn messages_follow_the_json_change() {
        let old = json!({"metadata": {"name": "web", "labels": {"app": "web", "tier": "fe"}}});
        let c = parse_labels(&s(&["tier-"])).unwrap();
        let new = changed(&old, Which::Label, &c);
        assert_eq!(label_message(&old, &new, false), "unlabeled");
        assert_eq!(label_message(&old, &new, true), "labeled");
        assert_eq!(label_message(&old, &old, false), "not labeled");
        assert_eq!(
            merge_patch(&old, &new),
            json!({"metadata": {"labels": {"tier": null}}})
        );
    }
}
