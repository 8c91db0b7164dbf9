//! `kubectl set image (-f FILE | TYPE NAME | TYPE/NAME) CONTAINER=IMAGE ...`
//! (staging/src/k8s.io/kubectl/pkg/cmd/set/set_image.go): the objects are fetched, the named
//! containers (init containers too; `*` for all) of their pod template get the new image, and the
//! change goes to the server as a strategic merge patch (field manager `kubectl-set`). kubectl
//! prints `deployment.apps/web image updated`, and nothing for an object already at that image.

use serde_json::{json, Value};

use super::args::Args;
use super::builder::{
    change_cause, report_errors, resources_and_pairs, visit, Found, CHANGE_CAUSE,
};
use super::label::print_result;
use super::{str_at, Env};
use crate::apiserver::{PatchType, Verb};

/// `kubectl set` without a subcommand prints its help (cmdutil.DefaultSubCommandRun) and exits 1.
const SET_HELP: &str = "Configure application resources.

 These commands help you make changes to existing application resources.

Available Commands:
  env              Update environment variables on a pod template
  image            Update the image of a pod template
  resources        Update resource requests/limits on objects with pod templates
  selector         Set the selector on a resource
  serviceaccount   Update the service account of a resource
  subject          Update the user, group, or service account in a role binding or cluster role binding

Usage:
  kubectl set SUBCOMMAND [options]

Use \"kubectl set <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).";

/// The `set` subcommands kubectl has that podlab does not simulate.
const UNMODELLED: &[&str] = &[
    "env",
    "resources",
    "selector",
    "serviceaccount",
    "sa",
    "subject",
];

/// `kubectl set SUBCOMMAND`.
pub fn set(args: &Args, env: &mut Env) {
    match args.positional.get(1).map(String::as_str) {
        Some("image") => set_image(args, env),
        Some(sub) if UNMODELLED.contains(&sub) => env.out.fail(format!(
            "error: podlab does not simulate \"kubectl set {sub}\""
        )),
        Some(_) => {
            let rest = args.positional.get(1..).unwrap_or_default().join(" ");
            env.out.fail(format!(
                "error: unknown command \"{rest}\"\nSee 'kubectl set -h' for help and examples"
            ));
        }
        None => env.out.fail(SET_HELP),
    }
}

/// Where a kind keeps its pod spec (polymorphichelpers.updatePodSpecForObject).
fn pod_spec_pointer(kind: &str) -> Option<&'static str> {
    match kind {
        "Pod" => Some("/spec"),
        "Deployment"
        | "ReplicaSet"
        | "DaemonSet"
        | "StatefulSet"
        | "Job"
        | "ReplicationController" => Some("/spec/template/spec"),
        "CronJob" => Some("/spec/jobTemplate/spec/template/spec"),
        _ => None,
    }
}

/// cmdutil.ParsePairs without removal: `NAME=IMAGE` pairs.
fn parse_images(pairs: &[String]) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut invalid: Vec<&str> = Vec::new();
    for p in pairs {
        match p.split_once('=') {
            Some((name, image)) if !name.is_empty() => {
                out.retain(|(n, _)| n != name);
                out.push((name.to_string(), image.to_string()));
            }
            _ => invalid.push(p),
        }
    }
    if invalid.is_empty() {
        Ok(out)
    } else {
        Err(format!("invalid image format: {}", invalid.join(", ")))
    }
}

/// set_image.go `Validate`: every problem, aggregated.
fn validate(args: &Args, resources: &[String], images: &[(String, String)]) -> Vec<String> {
    let mut errs = Vec::new();
    if args.bool_flag("all", false) && args.has("selector") {
        errs.push("cannot set --all and --selector at the same time".to_string());
    }
    if resources.is_empty() && !args.has("filename") {
        errs.push(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>"
                .into(),
        );
    }
    if images.is_empty() {
        errs.push("at least one image update is required".into());
    } else if images.len() > 1 && images.iter().any(|(n, _)| n == "*") {
        errs.push("all containers are already specified by *, but saw more than one container_name=container_image pairs".into());
    }
    if args.bool_flag("local", false) && args.flag("dry-run") == Some("server") {
        errs.push(
            "cannot specify --local and --dry-run=server - did you mean --dry-run=client?".into(),
        );
    }
    errs
}

/// Set the images in a list of containers; whether a container of that name was found.
fn set_in(containers: Option<&mut Value>, name: &str, image: &str) -> bool {
    let Some(list) = containers.and_then(Value::as_array_mut) else {
        return false;
    };
    let mut found = false;
    for c in list.iter_mut() {
        if name == "*" || c.get("name").and_then(Value::as_str) == Some(name) {
            c["image"] = json!(image);
            found = true;
        }
    }
    found
}

/// The images of a list of containers whose image changed, as a strategic merge patch list.
fn changed_containers(before: &Value, after: &Value) -> Vec<Value> {
    let (Some(b), Some(a)) = (before.as_array(), after.as_array()) else {
        return Vec::new();
    };
    a.iter()
        .zip(b)
        .filter(|(x, y)| x.get("image") != y.get("image"))
        .map(|(x, _)| json!({"image": x["image"], "name": x["name"]}))
        .collect()
}

/// `kubectl set image`.
pub fn set_image(args: &Args, env: &mut Env) {
    let words = args.positional.get(2..).unwrap_or_default();
    let (resources, pairs) = match resources_and_pairs(words, "image") {
        Ok(r) => r,
        Err(e) => return env.out.fail(format!("error: {e}")),
    };
    let images = match parse_images(&pairs) {
        Ok(i) => i,
        Err(e) => return env.out.fail(format!("error: {e}")),
    };
    if args.bool_flag("local", false) && !resources.is_empty() {
        return env.out.fail("error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'");
    }
    let found = if resources.is_empty() && !args.has("filename") {
        super::builder::Visit::default()
    } else {
        match visit(&resources, args, env) {
            Ok(v) => v,
            Err(e) => return env.out.fail(e),
        }
    };
    if !found.errors.is_empty() {
        return report_errors(&found.errors, env);
    }
    let errs = validate(args, &resources, &images);
    if !errs.is_empty() {
        return report_errors(&errs, env);
    }
    let mut errors: Vec<String> = Vec::new();
    for item in &found.found {
        errors.extend(update_one(item, &images, args, env));
    }
    report_errors(&errors, env);
}

/// Update one object; the errors met.
fn update_one(
    item: &Found,
    images: &[(String, String)],
    args: &Args,
    env: &mut Env,
) -> Vec<String> {
    let obj = &item.object;
    let Some(ptr) = pod_spec_pointer(item.info.kind) else {
        let type_name = format!(
            "*{}.{}",
            go_package(item.info.group, item.info.version),
            item.info.kind
        );
        return vec![format!(
            "error: {}/{} the object is not a pod or does not have a pod template: {type_name}\n",
            item.info.plural,
            str_at(obj, "/metadata/name")
        )];
    };
    let mut errors = Vec::new();
    let mut new = obj.clone();
    if let Some(spec) = new.pointer_mut(ptr) {
        for (name, image) in images {
            let init = set_in(spec.get_mut("initContainers"), name, image);
            let regular = set_in(spec.get_mut("containers"), name, image);
            if !init && !regular {
                errors.push(format!("error: unable to find container named {name:?}"));
            }
            if name == "*" {
                break;
            }
        }
    }
    let cause = change_cause(args);
    if let Some(cause) = &cause {
        if let Some(meta) = new.get_mut("metadata").and_then(Value::as_object_mut) {
            let annotations = meta.entry("annotations").or_insert_with(|| json!({}));
            annotations[CHANGE_CAUSE] = json!(cause);
        }
    }
    let mut spec_patch = serde_json::Map::new();
    for list in ["containers", "initContainers"] {
        let before = obj
            .pointer(&format!("{ptr}/{list}"))
            .cloned()
            .unwrap_or(Value::Null);
        let after = new
            .pointer(&format!("{ptr}/{list}"))
            .cloned()
            .unwrap_or(Value::Null);
        let changed = changed_containers(&before, &after);
        if !changed.is_empty() {
            spec_patch.insert(list.to_string(), json!(changed));
        }
    }
    let recorded = cause.filter(|c| {
        obj.pointer("/metadata/annotations/kubernetes.io~1change-cause") != Some(&json!(c))
    });
    if spec_patch.is_empty() && recorded.is_none() {
        return errors;
    }
    let dry_run = args.flag("dry-run").unwrap_or("none");
    if dry_run == "client" || args.bool_flag("local", false) {
        print_result(item, &new, "image updated", dry_run, args, env);
        return errors;
    }
    let mut patch = if spec_patch.is_empty() {
        json!({})
    } else {
        nest(ptr, Value::Object(spec_patch))
    };
    if let Some(cause) = recorded {
        patch["metadata"] = json!({"annotations": {CHANGE_CAUSE: cause}});
    }
    let ns = item
        .info
        .namespaced
        .then(|| str_at(obj, "/metadata/namespace").to_string());
    let mut req = env
        .request(Verb::Patch(PatchType::Strategic), item.info, ns.as_deref())
        .name(str_at(obj, "/metadata/name"))
        .body(patch);
    req.field_manager = Some(
        args.flag("field-manager")
            .unwrap_or("kubectl-set")
            .to_string(),
    );
    req.dry_run = dry_run == "server";
    let resp = env.send(req);
    if resp.is_success() {
        print_result(item, &resp.body, "image updated", dry_run, args, env);
    } else {
        errors.push(format!(
            "failed to patch image update to pod template: {}",
            str_at(&resp.body, "/message")
        ));
    }
    errors
}

/// The Go package of a group/version (`v1`, `appsv1` is printed as `v1` by `%T`).
fn go_package(_group: &str, version: &str) -> String {
    version.to_string()
}

/// `{"spec": {"template": {"spec": inner}}}` for the pointer `/spec/template/spec`.
fn nest(ptr: &str, inner: Value) -> Value {
    ptr.split('/')
        .filter(|p| !p.is_empty())
        .rev()
        .fold(inner, |acc, key| json!({ key: acc }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn image_pairs_parse() {
        assert_eq!(
            parse_images(&s(&["web=nginx:1.28"])),
            Ok(vec![("web".into(), "nginx:1.28".into())])
        );
        assert_eq!(
            parse_images(&s(&["=x"])),
            Err("invalid image format: =x".into())
        );
    }

    #[test]
    fn patch_names_only_changed_containers() {
        let before = json!([{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]);
        let after = json!([{"name": "a", "image": "x"}, {"name": "b", "image": "z"}]);
        assert_eq!(
            changed_containers(&before, &after),
            vec![json!({"image": "z", "name": "b"})]
        );
        assert_eq!(
            nest("/spec/template/spec", json!({"containers": []})),
            json!({"spec": {"template": {"spec": {"containers": []}}}})
        );
    }
}
