//! `kubectl run NAME --image=IMAGE` (staging/src/k8s.io/kubectl/pkg/cmd/run/run.go): builds a
//! Pod with the `run-pod/v1` generator (pkg/generate/versioned/run.go, BasicPod), POSTs it with
//! the field manager `kubectl-run` unless `--dry-run=client`, and prints `pod/NAME created`.
//! `--overrides` patches the generated pod before it is sent. Attaching (`-i`, `-t`, `--attach`,
//! `--rm`) and `--expose` are not modelled.

use serde_json::{json, Map, Value};

use super::args::Args;
use super::errors::status_message;
use super::printers::{json as json_printer, yaml};
use super::{namespace_flag, object_name, str_at, Env};
use crate::apiserver::resources::by_plural;
use crate::apiserver::{patch, Verb};

/// The restart policies `getRestartPolicy` accepts.
const RESTART_POLICIES: &[&str] = &["Always", "OnFailure", "Never"];

/// The pull policies `verifyImagePullPolicy` accepts (and empty: left to the server).
const PULL_POLICIES: &[&str] = &["Always", "IfNotPresent", "Never"];

/// `kubectl run ...`.
pub fn run(args: &Args, env: &mut Env) {
    match build(args) {
        Ok(pod) => send_and_print(pod, args, env),
        Err(e) => env.out.fail(e),
    }
}

/// The command's checks (cobra's required flag, then `RunOptions.Validate`) and the generated
/// Pod, or kubectl's error line.
pub fn build(args: &Args) -> Result<Value, String> {
    if !args.has("image") {
        return Err("error: required flag(s) \"image\" not set".into());
    }
    let name = args
        .positional
        .get(1)
        .cloned()
        .ok_or_else(|| "error: NAME is required for run".to_string())?;
    let image = args.flag("image").unwrap_or_default();
    if image.is_empty() {
        return Err("error: --image is required".into());
    }
    if !is_image_reference(image) {
        return Err(format!(
            "error: Invalid image name \"{image}\": invalid reference format"
        ));
    }
    let restart = args.flag("restart").unwrap_or("Always");
    let restart = if restart.is_empty() {
        "Always"
    } else {
        restart
    };
    if !RESTART_POLICIES.contains(&restart) {
        return Err(format!("error: invalid restart policy: {restart}"));
    }
    let pull = args.flag("image-pull-policy").unwrap_or_default();
    if !pull.is_empty() && !PULL_POLICIES.contains(&pull) {
        return Err(format!("error: invalid image pull policy: {pull}"));
    }
    let dry_run = args.flag("dry-run").unwrap_or("none");
    if !matches!(dry_run, "none" | "client" | "server") {
        return Err(format!(
            "error: Invalid dry-run value ({dry_run}). Must be \"none\", \"server\", or \"client\"."
        ));
    }
    let labels = labels(args.flag("labels").unwrap_or_default(), &name)?;
    let mut container = Map::new();
    let rest: Vec<String> = args
        .positional
        .iter()
        .skip(2)
        .chain(args.after_dashes.iter())
        .cloned()
        .collect();
    if !rest.is_empty() {
        let field = if args.bool_flag("command", false) {
            "command"
        } else {
            "args"
        };
        container.insert(field.into(), json!(rest));
    }
    let envs = envs(&args.all("env"))?;
    if !envs.is_empty() {
        container.insert("env".into(), Value::Array(envs));
    }
    container.insert("image".into(), json!(image));
    if !pull.is_empty() {
        container.insert("imagePullPolicy".into(), json!(pull));
    }
    container.insert("name".into(), json!(name));
    if let Some(port) = args.flag("port").filter(|p| !p.is_empty()) {
        container.insert(
            "ports".into(),
            json!([{"containerPort": parse_port(port)?}]),
        );
    }
    container.insert("resources".into(), json!({}));
    let mut metadata = json!({"labels": labels, "name": name});
    let annotations = annotations(&args.all("annotations"));
    if !annotations.is_empty() {
        metadata["annotations"] = Value::Object(annotations);
    }
    let pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata,
        "spec": {
            "containers": [Value::Object(container)],
            "dnsPolicy": "ClusterFirst",
            "restartPolicy": restart,
        },
        "status": {},
    });
    apply_overrides(pod, args)
}

/// `--overrides` with `--override-type` (cmdutil.Overrider.Apply): a JSON merge patch (the
/// default), a strategic merge patch or a JSON patch applied to the generated pod.
fn apply_overrides(mut pod: Value, args: &Args) -> Result<Value, String> {
    let Some(overrides) = args.flag("overrides").filter(|o| !o.is_empty()) else {
        return Ok(pod);
    };
    let kind = args.flag("override-type").unwrap_or("merge");
    let parsed: Result<Value, _> = serde_json::from_str(overrides);
    match (kind, parsed) {
        ("merge", Ok(patch)) if patch.is_object() => patch::merge_patch(&mut pod, &patch),
        ("merge", _) => return Err("error: Invalid JSON Patch".into()),
        ("strategic", Ok(patch)) if patch.is_object() => patch::strategic_merge(&mut pod, &patch),
        ("json", Ok(ops)) => {
            patch::json_patch(&mut pod, &ops).map_err(|e| format!("error: {e}"))?
        }
        ("strategic" | "json", Err(e)) => return Err(format!("error: {e}")),
        ("strategic", Ok(_)) => return Err("error: Invalid JSON Patch".into()),
        (other, _) => return Err(format!("error: invalid override type: {other}")),
    }
    Ok(pod)
}

/// A rough check of a docker reference (distribution/reference ReferenceRegexp): lower-case path
/// components of `[a-z0-9._-]` joined by `/` (the first may be a registry host with a port),
/// then an optional `:tag` and `@digest`.
fn is_image_reference(image: &str) -> bool {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    if digest.is_some_and(|d| !d.contains(':')) {
        return false;
    }
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (path, tag) = match rest.get(last_slash..).and_then(|tail| tail.rfind(':')) {
        Some(i) => rest.split_at(last_slash + i),
        None => (rest, ""),
    };
    let tag_ok = tag.is_empty()
        || (tag.len() > 1
            && tag.len() <= 129
            && tag
                .chars()
                .skip(1)
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')));
    let mut components = path.split('/').peekable();
    let mut first = true;
    let mut ok = !path.is_empty();
    while let Some(c) = components.next() {
        let is_host = first && components.peek().is_some() && c.contains(['.', ':']);
        let allowed = |ch: char| {
            ch.is_ascii_lowercase()
                || ch.is_ascii_digit()
                || matches!(ch, '.' | '_' | '-')
                || (is_host && (ch == ':' || ch.is_ascii_uppercase()))
        };
        ok &= !c.is_empty() && c.chars().all(allowed);
        first = false;
    }
    ok && tag_ok
}

/// `--labels a=b,c=d` (generate.ParseLabels), or `run=NAME` when none is given (getLabels).
fn labels(spec: &str, name: &str) -> Result<Value, String> {
    let mut labels = Map::new();
    if spec.is_empty() {
        labels.insert("run".into(), json!(name));
        return Ok(Value::Object(labels));
    }
    for item in spec.split(',') {
        let parts: Vec<&str> = item.split('=').collect();
        match parts.as_slice() {
            [key, value] if !key.is_empty() => {
                labels.insert((*key).to_string(), json!(value));
            }
            [_, _] => return Err("error: unexpected empty label key".into()),
            _ => return Err(format!("error: unexpected label spec: {item}")),
        }
    }
    Ok(Value::Object(labels))
}

/// `--env NAME=VALUE` (parseEnvs): the name must be a C identifier-like env var name.
fn envs(specs: &[String]) -> Result<Vec<Value>, String> {
    specs
        .iter()
        .map(|spec| {
            let (name, value) = spec
                .split_once('=')
                .ok_or_else(|| format!("error: invalid env: {spec}"))?;
            if !is_env_var_name(name) {
                return Err(format!("error: invalid env: {spec}"));
            }
            Ok(json!({"name": name, "value": value}))
        })
        .collect()
}

/// validation.IsEnvVarName: `[-._a-zA-Z][-._a-zA-Z0-9]*`.
fn is_env_var_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '-' | '.' | '_'))
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
}

/// `--annotations k=v` (the override of the pod's annotations).
fn annotations(specs: &[String]) -> Map<String, Value> {
    specs
        .iter()
        .filter_map(|s| s.split_once('='))
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect()
}

/// utilsnet.ParsePort(port, allowZero=true): an unsigned 16-bit number.
fn parse_port(port: &str) -> Result<u16, String> {
    port.parse::<u16>().map_err(|_| {
        let digits = !port.is_empty() && port.chars().all(|c| c.is_ascii_digit());
        let why = if digits {
            "value out of range"
        } else {
            "invalid syntax"
        };
        format!("error: strconv.ParseUint: parsing \"{port}\": {why}")
    })
}

/// POST the pod (unless a client dry run) and print it as `-o` asks.
fn send_and_print(mut pod: Value, args: &Args, env: &mut Env) {
    let Some(info) = by_plural("", "pods") else {
        return env
            .out
            .fail("error: the server doesn't have a resource type \"pods\"");
    };
    let ns = namespace_flag(args);
    let dry_run = args.flag("dry-run").unwrap_or("none");
    let shown = if dry_run == "client" {
        if args.has("namespace") {
            pod["metadata"]["namespace"] = json!(ns);
        }
        pod
    } else {
        if args.bool_flag("save-config", false) {
            let text = serde_json::to_string(&pod).unwrap_or_default();
            pod["metadata"]["annotations"][super::apply::LAST_APPLIED] = json!(format!("{text}\n"));
        }
        let mut req = env.request(Verb::Create, info, Some(&ns)).body(pod);
        req.field_manager = Some(
            args.flag("field-manager")
                .unwrap_or("kubectl-run")
                .to_string(),
        );
        req.dry_run = dry_run == "server";
        let resp = env.send(req);
        if !resp.is_success() {
            return env.out.fail(status_message(&resp.body, None));
        }
        resp.body
    };
    let suffix = match dry_run {
        "client" => " (dry run)",
        "server" => " (server dry run)",
        _ => "",
    };
    let name = object_name(info, str_at(&shown, "/metadata/name"));
    let mut printed = shown.clone();
    if let Some(m) = printed.get_mut("metadata").and_then(Value::as_object_mut) {
        m.remove("managedFields");
    }
    match args.flag("output").unwrap_or_default() {
        "" => env.out.print(format!("{name} created{suffix}")),
        "name" => env.out.print(name),
        "yaml" => env.out.out.push_str(&yaml::to_yaml(&printed)),
        "json" => env.out.out.push_str(&json_printer::to_json(&printed)),
        other => env.out.fail(format!(
            "error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: json,name,yaml"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(line: &str) -> Args {
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        Args::parse(&words).unwrap_or_default()
    }

    #[test]
    fn the_generated_pod_is_labelled_run_name() {
        let pod = build(&parsed("run nginx --image=nginx")).unwrap_or_default();
        assert_eq!(
            pod,
            json!({
                "apiVersion": "v1", "kind": "Pod",
                "metadata": {"labels": {"run": "nginx"}, "name": "nginx"},
                "spec": {"containers": [{"image": "nginx", "name": "nginx", "resources": {}}], "dnsPolicy": "ClusterFirst", "restartPolicy": "Always"},
                "status": {}
            })
        );
    }

    #[test]
    fn port_env_labels_restart_and_command() {
        let pod = build(&parsed(
            "run web --image=busybox --port=8080 --env=A=1 --labels=app=web,tier=fe --restart=Never --command -- sleep 3600",
        ))
        .unwrap_or_default();
        let c = &pod["spec"]["containers"][0];
        assert_eq!(c["command"], json!(["sleep", "3600"]));
        assert_eq!(c["ports"], json!([{"containerPort": 8080}]));
        assert_eq!(c["env"], json!([{"name": "A", "value": "1"}]));
        assert_eq!(
            pod["metadata"]["labels"],
            json!({"app": "web", "tier": "fe"})
        );
        assert_eq!(pod["spec"]["restartPolicy"], "Never");
        let pod = build(&parsed("run web --image=busybox -- echo hi")).unwrap_or_default();
        assert_eq!(pod["spec"]["containers"][0]["args"], json!(["echo", "hi"]));
    }

    #[test]
    fn kubectl_errors() {
        assert_eq!(
            build(&parsed("run web")),
            Err("error: required flag(s) \"image\" not set".into())
        );
        assert_eq!(
            build(&parsed("run --image=nginx")),
            Err("error: NAME is required for run".into())
        );
        assert_eq!(
            build(&parsed("run web --image=nginx --restart=Sometimes")),
            Err("error: invalid restart policy: Sometimes".into())
        );
        assert_eq!(
            build(&parsed("run web --image=Nginx")),
            Err("error: Invalid image name \"Nginx\": invalid reference format".into())
        );
        assert_eq!(
            build(&parsed("run web --image=nginx --env=1A=b")),
            Err("error: invalid env: 1A=b".into())
        );
        assert_eq!(
            build(&parsed("run web --image=nginx --port=http")),
            Err("error: strconv.ParseUint: parsing \"http\": invalid syntax".into())
        );
    }

    #[test]
    fn overrides_patch_the_generated_pod() {
        let words: Vec<String> = [
            "run",
            "web",
            "--image=nginx",
            r#"--overrides={"spec":{"serviceAccountName":"robot"}}"#,
        ]
        .iter()
        .map(|w| w.to_string())
        .collect();
        let pod = build(&Args::parse(&words).unwrap_or_default()).unwrap_or_default();
        assert_eq!(pod["spec"]["serviceAccountName"], "robot");
        assert_eq!(pod["spec"]["dnsPolicy"], "ClusterFirst");
        assert_eq!(
            build(&parsed("run web --image=nginx --overrides={")),
            Err("error: Invalid JSON Patch".into())
        );
    }

    #[test]
    fn image_references() {
        for ok in [
            "nginx",
            "nginx:1.27",
            "registry.k8s.io/pause:3.10",
            "localhost:5000/app",
            "busybox@sha256:abc",
        ] {
            assert!(is_image_reference(ok), "{ok}");
        }
        for bad in ["Nginx", "nginx:", "a//b", "nginx@abc", ""] {
            assert!(!is_image_reference(bad), "{bad}");
        }
    }
}
