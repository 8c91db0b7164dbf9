//! `kubectl set image (-f FILE | TYPE NAME | TYPE/NAME) CONTAINER=IMAGE ...`
//! (staging/src/k8s.io/kubectl/pkg/cmd/set/set_image.go): the objects are fetched, the named
//! containers (init containers too; `*` for all) of their pod template get the new image, and the
//! change goes to the server as a strategic merge patch (field manager `kubectl-set`). kubectl
//! prints `deployment.apps/web image updated`, and nothing for an object already at that image.
//!
//! `kubectl set resources (-f FILE | TYPE NAME) --limits=... --requests=...`
//! (staging/src/k8s.io/kubectl/pkg/cmd/set/set_resources.go): the containers `-c` selects (`*`
//! by default, wildcards allowed) get the given limits and requests merged into theirs, patched
//! the same way; kubectl prints `deployment.apps/web resource requirements updated`.

use serde_json::{json, Value};

use super::args::Args;
use super::builder::{
    change_cause, report_errors, resources_and_pairs, visit, Found, CHANGE_CAUSE,
};
use super::label::print_result;
use super::{str_at, Env};
use crate::apiserver::validation::quantity;
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
const UNMODELLED: &[&str] = &["env", "selector", "serviceaccount", "sa", "subject"];

/// `kubectl set SUBCOMMAND`.
pub fn set(args: &Args, env: &mut Env) {
    match args.positional.get(1).map(String::as_str) {
        Some("image") => set_image(args, env),
        Some("resources") => set_resources(args, env),
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

/// What a `set` subcommand changes: the container field its patch carries, the word of its
/// success line (its `NewPrintFlags` operation) and how a failed patch is reported.
struct Change {
    field: &'static str,
    operation: &'static str,
    patch_failure: &'static str,
}

/// set_image.go: `image updated`, `failed to patch image update to pod template: %v`.
const IMAGE: Change = Change {
    field: "image",
    operation: "image updated",
    patch_failure: "failed to patch image update to pod template: ",
};

/// set_resources.go: `resource requirements updated`, `failed to patch resources update to pod
/// template %v` (no colon).
const RESOURCES: Change = Change {
    field: "resources",
    operation: "resource requirements updated",
    patch_failure: "failed to patch resources update to pod template ",
};

/// The containers of a list whose `field` changed, as strategic merge patch entries: the merge
/// key `name` and the changed part of the field (strategicpatch.CreateTwoWayMergePatch).
fn changed_containers(before: &Value, after: &Value, field: &str) -> Vec<Value> {
    let (Some(b), Some(a)) = (before.as_array(), after.as_array()) else {
        return Vec::new();
    };
    a.iter()
        .zip(b)
        .filter(|(x, y)| x.get(field) != y.get(field))
        .map(|(x, y)| {
            let new = x.get(field).cloned().unwrap_or(Value::Null);
            json!({ "name": x["name"], field: merge_diff(y.get(field), new) })
        })
        .collect()
}

/// The two-way merge patch of a value that only gains or changes keys: for maps, the keys
/// whose value differs (recursively); anything else is replaced whole.
fn merge_diff(before: Option<&Value>, after: Value) -> Value {
    match (before, after) {
        (Some(Value::Object(b)), Value::Object(a)) => Value::Object(
            a.into_iter()
                .filter(|(k, v)| b.get(k) != Some(v))
                .map(|(k, v)| {
                    let diff = merge_diff(b.get(&k), v);
                    (k, diff)
                })
                .collect(),
        ),
        (_, after) => after,
    }
}

/// The objects a `set` command names, fetched (cli-runtime's builder as `Complete` runs it);
/// `None` once an error was printed.
fn fetch(args: &Args, resources: &[String], env: &mut Env) -> Option<Vec<Found>> {
    if args.bool_flag("local", false) && !resources.is_empty() {
        env.out.fail("error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'");
        return None;
    }
    match visit(resources, args, env) {
        Ok(v) if v.errors.is_empty() => Some(v.found),
        Ok(v) => {
            report_errors(&v.errors, env);
            None
        }
        Err(e) => {
            env.out.fail(e);
            None
        }
    }
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
    let found = if resources.is_empty() && !args.has("filename") {
        Vec::new()
    } else {
        match fetch(args, &resources, env) {
            Some(found) => found,
            None => return,
        }
    };
    let errs = validate(args, &resources, &images);
    if !errs.is_empty() {
        return report_errors(&errs, env);
    }
    let errors = change_all(&found, &IMAGE, args, env, |spec| {
        (set_images(spec, &images), true)
    });
    report_errors(&errors, env);
}

/// Mutate each object's pod spec, then patch and print those that changed, as set/helper.go
/// CalculatePatches and the commands' `Run` loops do: `mutate` gives the errors it met and
/// whether it transformed the spec (an untransformed object is left alone, unrecorded). The
/// errors come back in kubectl's order: the mutations' first, then each object's in turn.
fn change_all(
    found: &[Found],
    change: &Change,
    args: &Args,
    env: &mut Env,
    mut mutate: impl FnMut(&mut Value) -> (Vec<String>, bool),
) -> Vec<String> {
    let mut errors: Vec<String> = Vec::new();
    let mut outcomes = Vec::new();
    for item in found {
        let mut transformed = true;
        let outcome = with_pod_spec(item, |spec| {
            let (errs, did) = mutate(spec);
            transformed = did;
            errs
        });
        match outcome {
            Ok((new, errs)) => {
                errors.extend(errs);
                if transformed {
                    outcomes.push((item, Ok(new)));
                }
            }
            Err(e) => outcomes.push((item, Err(e))),
        }
    }
    for (item, outcome) in outcomes {
        match outcome {
            Ok(new) => errors.extend(patch_pod_template(item, new, change, args, env)),
            Err(e) => errors.push(e),
        }
    }
    errors
}

/// set_image.go's mutation of one pod spec; the containers it could not find.
fn set_images(spec: &mut Value, images: &[(String, String)]) -> Vec<String> {
    let mut errors = Vec::new();
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
    errors
}

/// A copy of the object with `mutate` applied to its pod spec, and the errors `mutate` met
/// (polymorphichelpers.updatePodSpecForObject); a kind without a pod template is the error
/// `error: services/NAME the object is not a pod or does not have a pod template: *v1.Service`.
fn with_pod_spec(
    item: &Found,
    mutate: impl FnOnce(&mut Value) -> Vec<String>,
) -> Result<(Value, Vec<String>), String> {
    let obj = &item.object;
    let Some(ptr) = pod_spec_pointer(item.info.kind) else {
        let type_name = format!(
            "*{}.{}",
            go_package(item.info.group, item.info.version),
            item.info.kind
        );
        return Err(format!(
            "error: {}/{} the object is not a pod or does not have a pod template: {type_name}\n",
            item.info.plural,
            str_at(obj, "/metadata/name")
        ));
    };
    let mut new = obj.clone();
    let errors = new.pointer_mut(ptr).map(mutate).unwrap_or_default();
    Ok((new, errors))
}

/// Send what changed between the object and its mutated copy `new` as a strategic merge patch
/// (set/helper.go CalculatePatch; `--record` adds the change cause), then print the result
/// (`--local` and `--dry-run=client` print `new` without a request). Nothing is printed when
/// nothing changed. The errors met.
fn patch_pod_template(
    item: &Found,
    mut new: Value,
    change: &Change,
    args: &Args,
    env: &mut Env,
) -> Vec<String> {
    let obj = &item.object;
    let Some(ptr) = pod_spec_pointer(item.info.kind) else {
        return Vec::new();
    };
    let cause = change_cause(args);
    if let Some(cause) = &cause {
        if let Some(meta) = new.get_mut("metadata").and_then(Value::as_object_mut) {
            let annotations = meta.entry("annotations").or_insert_with(|| json!({}));
            annotations[CHANGE_CAUSE] = json!(cause);
        }
    }
    let mut spec_patch = serde_json::Map::new();
    for list in ["containers", "initContainers"] {
        let at = |v: &Value| {
            v.pointer(&format!("{ptr}/{list}"))
                .cloned()
                .unwrap_or(Value::Null)
        };
        let changed = changed_containers(&at(obj), &at(&new), change.field);
        if !changed.is_empty() {
            spec_patch.insert(list.to_string(), json!(changed));
        }
    }
    let recorded = cause.filter(|c| {
        obj.pointer("/metadata/annotations/kubernetes.io~1change-cause") != Some(&json!(c))
    });
    if spec_patch.is_empty() && recorded.is_none() {
        return Vec::new();
    }
    let dry_run = args.flag("dry-run").unwrap_or("none");
    if dry_run == "client" || args.bool_flag("local", false) {
        print_result(item, &new, change.operation, dry_run, args, env);
        return Vec::new();
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
        print_result(item, &resp.body, change.operation, dry_run, args, env);
        Vec::new()
    } else {
        vec![format!(
            "{}{}",
            change.patch_failure,
            str_at(&resp.body, "/message")
        )]
    }
}

/// The limits and requests of `kubectl set resources`, parsed and in canonical form.
#[derive(Debug, Default, PartialEq)]
struct Requirements {
    /// Whether `--limits` / `--requests` was given non-empty (`len(o.Limits) != 0`).
    limits_given: bool,
    requests_given: bool,
    limits: Vec<(String, String)>,
    requests: Vec<(String, String)>,
}

/// generateversioned.populateResourceListV1: `NAME=QUANTITY,...`, each quantity parsed
/// (resource.ParseQuantity) and kept as its canonical string (`0.5` → `500m`).
fn parse_resource_list(spec: &str) -> Result<Vec<(String, String)>, String> {
    if spec.is_empty() {
        return Ok(Vec::new());
    }
    let mut out: Vec<(String, String)> = Vec::new();
    for statement in spec.split(',') {
        let parts: Vec<&str> = statement.split('=').collect();
        let [name, value] = parts[..] else {
            return Err(format!(
                "Invalid argument syntax {statement}, expected <resource>=<value>"
            ));
        };
        let canonical = quantity::canonical(value).map_err(|e| e.to_string())?;
        out.retain(|(n, _)| n != name);
        out.push((name.to_string(), canonical));
    }
    Ok(out)
}

/// set_resources.go `Validate`: the first problem only, in its order.
fn validate_resources(args: &Args) -> Result<Requirements, String> {
    if args.bool_flag("local", false) && args.flag("dry-run") == Some("server") {
        return Err(
            "cannot specify --local and --dry-run=server - did you mean --dry-run=client?".into(),
        );
    }
    if args.bool_flag("all", false) && args.flag("selector").is_some_and(|s| !s.is_empty()) {
        return Err("cannot set --all and --selector at the same time".into());
    }
    let limits = args.flag("limits").unwrap_or_default();
    let requests = args.flag("requests").unwrap_or_default();
    if limits.is_empty() && requests.is_empty() {
        return Err(
            "you must specify an update to requests or limits (in the form of --requests/--limits)"
                .into(),
        );
    }
    Ok(Requirements {
        limits_given: !limits.is_empty(),
        requests_given: !requests.is_empty(),
        limits: parse_resource_list(limits)?,
        requests: parse_resource_list(requests)?,
    })
}

/// set/helper.go selectString: `*` matches everything; otherwise the pattern's `*`-separated
/// parts are looked for one after another, the way kubectl's non-greedy matcher does (its
/// positions relative to the rest of the name included).
fn select_string(name: &str, spec: &str) -> bool {
    if spec == "*" {
        return true;
    }
    if !spec.contains('*') {
        return name == spec;
    }
    let parts: Vec<&str> = spec.split('*').collect();
    let last = parts.len().saturating_sub(1);
    let mut pos = 0usize;
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            continue;
        }
        let next = name.get(pos..).and_then(|rest| rest.find(part));
        match next {
            Some(next) if next >= pos && !(i == last && name.len() != part.len() + next) => {
                pos = next;
            }
            _ => return false,
        }
    }
    true
}

/// Merge the requirements into one container's `resources` (set_resources.go `Run`: a map is
/// created only when its flag was given; each named resource overwritten).
fn set_requirements(container: &mut Value, req: &Requirements) {
    let Some(c) = container.as_object_mut() else {
        return;
    };
    let resources = c.entry("resources").or_insert_with(|| json!({}));
    for (key, given, list) in [
        ("limits", req.limits_given, &req.limits),
        ("requests", req.requests_given, &req.requests),
    ] {
        let Some(res) = resources.as_object_mut() else {
            return;
        };
        let empty = res
            .get(key)
            .and_then(Value::as_object)
            .is_none_or(serde_json::Map::is_empty);
        if given && empty {
            res.insert(key.to_string(), json!({}));
        }
        if let Some(map) = res.get_mut(key).and_then(Value::as_object_mut) {
            for (name, value) in list {
                map.insert(name.clone(), json!(value));
            }
        }
    }
}

/// set_resources.go's mutation of one pod spec: the selected containers and init containers
/// get the requirements; none selected is `error: unable to find container named SPEC`.
fn set_resources_in(spec: &mut Value, selector: &str, req: &Requirements) -> Vec<String> {
    let mut selected = 0;
    for list in ["containers", "initContainers"] {
        let Some(containers) = spec.get_mut(list).and_then(Value::as_array_mut) else {
            continue;
        };
        for c in containers.iter_mut() {
            if select_string(str_at(c, "/name"), selector) {
                set_requirements(c, req);
                selected += 1;
            }
        }
    }
    if selected == 0 {
        vec![format!("error: unable to find container named {selector}")]
    } else {
        Vec::new()
    }
}

/// `kubectl set resources`.
pub fn set_resources(args: &Args, env: &mut Env) {
    let resources = args.positional.get(2..).unwrap_or_default();
    let Some(found) = fetch(args, resources, env) else {
        return;
    };
    let req = match validate_resources(args) {
        Ok(r) => r,
        Err(e) => return env.out.fail(format!("error: {e}")),
    };
    let selector = args
        .flag("containers")
        .or_else(|| args.flag("container"))
        .unwrap_or("*");
    let errors = change_all(&found, &RESOURCES, args, env, |spec| {
        let errs = set_resources_in(spec, selector, &req);
        let transformed = errs.is_empty();
        (errs, transformed)
    });
    report_errors(&errors, env);
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
            changed_containers(&before, &after, "image"),
            vec![json!({"image": "z", "name": "b"})]
        );
        assert_eq!(
            nest("/spec/template/spec", json!({"containers": []})),
            json!({"spec": {"template": {"spec": {"containers": []}}}})
        );
    }

    /// populateResourceListV1: canonical quantities, and its two errors.
    #[test]
    fn resource_lists_parse_to_canonical_quantities() {
        assert_eq!(
            parse_resource_list("cpu=200m,memory=512Mi,cpu=0.5"),
            Ok(vec![
                ("memory".into(), "512Mi".into()),
                ("cpu".into(), "500m".into())
            ])
        );
        assert_eq!(parse_resource_list(""), Ok(vec![]));
        assert_eq!(
            parse_resource_list("cpu"),
            Err("Invalid argument syntax cpu, expected <resource>=<value>".into())
        );
        assert_eq!(
            parse_resource_list("cpu=1,"),
            Err("Invalid argument syntax , expected <resource>=<value>".into())
        );
        assert_eq!(
            parse_resource_list("cpu=lots"),
            Err("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'".into())
        );
    }

    /// helper.go selectString, wildcards included.
    #[test]
    fn container_selectors_match_as_kubectl_does() {
        assert!(select_string("nginx", "*"));
        assert!(select_string("nginx", "nginx"));
        assert!(!select_string("nginx", "ngin"));
        assert!(select_string("nginx", "ng*"));
        assert!(select_string("nginx", "*nx"));
        assert!(!select_string("nginx", "*ng"));
        assert!(!select_string("sidecar", "ng*"));
    }

    /// Limits merge into the container's own; requests stay as they were; the patch carries
    /// only the changed resource.
    #[test]
    fn limits_merge_into_the_selected_containers() {
        let req = Requirements {
            limits_given: true,
            limits: vec![("cpu".into(), "200m".into())],
            ..Requirements::default()
        };
        let before = json!({"containers": [
            {"name": "nginx", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}},
            {"name": "sidecar", "resources": {}}
        ]});
        let mut spec = before.clone();
        assert!(set_resources_in(&mut spec, "nginx", &req).is_empty());
        assert_eq!(
            spec["containers"][0]["resources"],
            json!({"limits": {"cpu": "200m", "memory": "1Gi"}})
        );
        assert_eq!(spec["containers"][1]["resources"], json!({}));
        assert_eq!(
            changed_containers(&before["containers"], &spec["containers"], "resources"),
            vec![json!({"name": "nginx", "resources": {"limits": {"cpu": "200m"}}})]
        );
        assert_eq!(
            set_resources_in(&mut spec, "web", &req),
            vec!["error: unable to find container named web".to_string()]
        );
    }

    const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  replicas: 1
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
";

    fn cluster_with_deployment() -> crate::Cluster {
        let mut c = crate::Cluster::new(crate::Preset::Default, 3);
        let out = c.kubectl("kubectl apply -f -", Some(DEPLOYMENT));
        assert_eq!(out.exit_code, 0, "{}", out.text);
        c
    }

    /// deployment.md: `kubectl set resources deployment/nginx-deployment -c=nginx
    /// --limits=cpu=200m,memory=512Mi` prints kubectl's line, once; the same again changes
    /// nothing and prints nothing.
    #[test]
    fn set_resources_prints_resource_requirements_updated() {
        let mut c = cluster_with_deployment();
        let line =
            "kubectl set resources deployment/nginx-deployment -c=nginx --limits=cpu=200m,memory=512Mi";
        let out = c.kubectl(line, None);
        assert_eq!(
            (out.exit_code, out.text.as_str()),
            (
                0,
                "deployment.apps/nginx-deployment resource requirements updated\n"
            )
        );
        let again = c.kubectl(line, None);
        assert_eq!((again.exit_code, again.text.as_str()), (0, ""));
        let got = c.kubectl(
            "kubectl get deploy nginx-deployment -o jsonpath={.spec.template.spec.containers[0].resources}",
            None,
        );
        assert_eq!(got.text, r#"{"limits":{"cpu":"200m","memory":"512Mi"}}"#);
        let dry = c.kubectl(
            "kubectl set resources deployment nginx-deployment --requests=cpu=100m --dry-run=client",
            None,
        );
        assert_eq!(
            dry.text,
            "deployment.apps/nginx-deployment resource requirements updated (dry run)\n"
        );
    }

    /// set_resources.go Validate: neither --limits nor --requests.
    #[test]
    fn set_resources_without_limits_or_requests_fails() {
        let mut c = cluster_with_deployment();
        let out = c.kubectl(
            "kubectl set resources deployment/nginx-deployment -c=nginx",
            None,
        );
        assert_eq!(out.exit_code, 1);
        assert_eq!(
            out.text,
            "error: you must specify an update to requests or limits (in the form of --requests/--limits)\n"
        );
        let out = c.kubectl(
            "kubectl set resources deployment/nginx-deployment --limits=cpu=1 --all -l app=nginx",
            None,
        );
        assert_eq!(
            out.text,
            "error: cannot set --all and --selector at the same time\n"
        );
    }
}
