//! `kubectl logs` (kubectl/pkg/cmd/logs/logs.go and polymorphichelpers/logsforobject.go): find
//! the pod (a pod by name, or the first pod of a workload or Service by its selector), choose its
//! container, then `GET /api/v1/namespaces/NS/pods/NAME/log`; the API server asks the kubelet of
//! the pod's node, and what comes back is printed as it is.

use std::cmp::Ordering;

use serde_json::{json, Value};

use super::args::Args;
use super::errors::status_message;
use super::{namespace_flag, resolve, str_at, Env};
use crate::apiserver::resources::by_plural;
use crate::apiserver::{Response, Verb};

const USAGE_ERROR: &str = "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples";

/// The annotation naming the container kubectl picks by default.
const DEFAULT_CONTAINER_ANNOTATION: &str = "kubectl.kubernetes.io/default-container";

/// What the user asked to read.
struct Options {
    namespace: String,
    container: Option<String>,
    previous: bool,
    tail: Option<i64>,
    all_containers: bool,
    /// `--timestamps`: PodLogOptions.timestamps, the kubelet starts each line with its time.
    timestamps: bool,
    /// `--prefix` (or `--all-pods`): each line starts with `[pod/NAME/CONTAINER] `.
    prefix: bool,
    /// `--ignore-errors`: a failed request prints `error: ...` and the next one is read.
    ignore_errors: bool,
}

/// The bool flags of `kubectl logs` (logs.go NewCmdLogs), as pflag reads them.
struct LogsFlags {
    all_pods: bool,
    all_containers: bool,
    timestamps: bool,
    prefix: bool,
    ignore_errors: bool,
}

impl LogsFlags {
    fn read(args: &Args) -> Result<LogsFlags, String> {
        Ok(LogsFlags {
            all_pods: bool_flag_of_logs(args, "all-pods")?,
            all_containers: bool_flag_of_logs(args, "all-containers")?,
            timestamps: bool_flag_of_logs(args, "timestamps")?,
            prefix: bool_flag_of_logs(args, "prefix")?,
            ignore_errors: bool_flag_of_logs(args, "ignore-errors")?,
        })
    }
}

pub fn logs(args: &Args, env: &mut Env) {
    let words: Vec<String> = args.positional.get(1..).unwrap_or_default().to_vec();
    let flags = match LogsFlags::read(args) {
        Ok(flags) => flags,
        Err(e) => return env.out.fail(e),
    };
    let words = words.as_slice();
    let selector = args.flag("selector").map(str::to_string);
    let mut opts = Options {
        namespace: namespace_flag(args),
        container: args.flag("container").map(str::to_string),
        previous: args.bool_flag("previous", false),
        tail: args
            .flag("tail")
            .and_then(|t| t.parse().ok())
            .filter(|t: &i64| *t >= 0),
        all_containers: flags.all_containers,
        timestamps: flags.timestamps,
        // Complete: `if o.AllPods { o.Prefix = true }`.
        prefix: flags.prefix || flags.all_pods,
        ignore_errors: flags.ignore_errors,
    };
    match (words, &selector) {
        ([], None) => return env.out.fail(USAGE_ERROR),
        ([_], Some(_)) => {
            return env.out.fail("error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples")
        }
        ([_, container], None) if opts.container.is_none() => opts.container = Some(container.clone()),
        ([_] | [_, _], None) | ([], Some(_)) => {}
        _ => return env.out.fail(USAGE_ERROR),
    }
    let pods = match (&selector, words.first()) {
        (Some(sel), _) => {
            // With a selector, kubectl shows the last 10 lines of each pod unless told otherwise.
            opts.tail = opts.tail.or(Some(10));
            match list_pods(env, &opts.namespace, sel) {
                Ok(pods) if pods.is_empty() => {
                    env.out.print(format!(
                        "No resources found in {} namespace.",
                        opts.namespace
                    ));
                    return;
                }
                Ok(pods) => pods,
                Err(e) => return env.out.fail(e),
            }
        }
        (None, Some(target)) => match pod_for(env, &opts.namespace, target) {
            Ok(pod) => vec![pod],
            Err(e) => return env.out.fail(e),
        },
        (None, None) => return env.out.fail(USAGE_ERROR),
    };
    let quiet = pods.len() > 1;
    for pod in &pods {
        let containers = match containers_to_read(pod, &opts, quiet) {
            Ok((names, note)) => {
                if let Some(note) = note {
                    env.out.print(note);
                }
                names
            }
            Err(e) => return env.out.fail(e),
        };
        for container in containers {
            if !read_log(env, pod, &container, &opts) {
                return;
            }
        }
    }
}

/// strconv.ParseBool, as pflag reads `--flag=value` of a boolean flag.
fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// A boolean flag of `kubectl logs` (pflag bool flags: bare is true, `=value` is
/// strconv.ParseBool'd, anything else is pflag's invalid-argument error).
fn bool_flag_of_logs(args: &Args, name: &str) -> Result<bool, String> {
    match args.flag(name) {
        None => Ok(false),
        Some("") => Ok(true),
        Some(value) => parse_go_bool(value).ok_or_else(|| {
            format!(
                "error: invalid argument \"{value}\" for \"--{name}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax\nSee 'kubectl logs --help' for usage."
            )
        }),
    }
}

/// The pod a `POD` or `TYPE/NAME` argument means.
fn pod_for(env: &mut Env, namespace: &str, target: &str) -> Result<Value, String> {
    let (info, name) = match target.split_once('/') {
        Some((kind, name)) => (resolve(kind)?, name),
        None => (
            by_plural("", "pods")
                .ok_or("error: the server doesn't have a resource type \"pods\"")?,
            target,
        ),
    };
    let req = env.request(Verb::Get, info, Some(namespace)).name(name);
    let resp = env.send(req);
    if !resp.is_success() {
        return Err(status_message(&resp.body, None));
    }
    if info.kind == "Pod" {
        return Ok(resp.body);
    }
    let selector = selector_of(&resp.body).ok_or_else(|| {
        format!(
            "error: cannot get the logs from {}: selector for {} not implemented",
            info.kind, info.kind
        )
    })?;
    let pods = list_pods(env, namespace, &selector)?;
    let count = pods.len();
    let first = pods
        .into_iter()
        .next()
        .ok_or("error: timed out waiting for the condition")?;
    if count > 1 {
        env.out.print(format!(
            "Found {count} pods, using pod/{}",
            str_at(&first, "/metadata/name")
        ));
    }
    Ok(first)
}

/// SelectorsForObject: a workload's `spec.selector` or a Service's selector, as a label selector.
fn selector_of(obj: &Value) -> Option<String> {
    let selector = obj.pointer("/spec/selector")?;
    let labels = selector.get("matchLabels").unwrap_or(selector);
    let mut terms: Vec<String> = labels
        .as_object()?
        .iter()
        .filter_map(|(k, v)| v.as_str().map(|v| format!("{k}={v}")))
        .collect();
    for e in selector
        .get("matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let key = str_at(e, "/key");
        let values: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        terms.push(match str_at(e, "/operator") {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.to_string(),
            _ => format!("!{key}"),
        });
    }
    (!terms.is_empty()).then(|| terms.join(","))
}

/// The pods matching `selector`, in podutils.ByLogging order: on a node first, then Running
/// before Unknown before Pending, ready first, most restarts first, oldest first.
fn list_pods(env: &mut Env, namespace: &str, selector: &str) -> Result<Vec<Value>, String> {
    let info =
        by_plural("", "pods").ok_or("error: the server doesn't have a resource type \"pods\"")?;
    let mut req = env.request(Verb::List, info, Some(namespace));
    req.label_selector = Some(selector.to_string());
    let resp = env.send(req);
    if !resp.is_success() {
        return Err(status_message(&resp.body, None));
    }
    let mut pods = resp
        .body
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    pods.sort_by(by_logging);
    Ok(pods)
}

fn by_logging(a: &Value, b: &Value) -> Ordering {
    let assigned = |p: &Value| !str_at(p, "/spec/nodeName").is_empty();
    let phase = |p: &Value| match str_at(p, "/status/phase") {
        "Running" => 0,
        "Unknown" => 1,
        "Pending" => 2,
        _ => 3,
    };
    let ready = |p: &Value| {
        p.pointer("/status/conditions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|c| str_at(c, "/type") == "Ready" && str_at(c, "/status") == "True")
    };
    let restarts = |p: &Value| {
        p.pointer("/status/containerStatuses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| s.get("restartCount").and_then(Value::as_i64))
            .max()
            .unwrap_or(0)
    };
    assigned(b)
        .cmp(&assigned(a))
        .then(phase(a).cmp(&phase(b)))
        .then(ready(b).cmp(&ready(a)))
        .then(restarts(b).cmp(&restarts(a)))
        .then(
            str_at(a, "/metadata/creationTimestamp").cmp(str_at(b, "/metadata/creationTimestamp")),
        )
}

fn names_at(pod: &Value, key: &str) -> Vec<String> {
    pod.pointer(&format!("/spec/{key}"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| str_at(c, "/name").to_string())
        .collect()
}

/// podcmd.AllContainerNames: `app, sidecar, debug (ephem), setup (init)`.
fn all_container_names(pod: &Value) -> String {
    let mut names = names_at(pod, "containers");
    names.extend(
        names_at(pod, "ephemeralContainers")
            .into_iter()
            .map(|n| format!("{n} (ephem)")),
    );
    names.extend(
        names_at(pod, "initContainers")
            .into_iter()
            .map(|n| format!("{n} (init)")),
    );
    names.join(", ")
}

/// The containers to read, and the note kubectl prints when it chose one itself.
fn containers_to_read(
    pod: &Value,
    opts: &Options,
    quiet: bool,
) -> Result<(Vec<String>, Option<String>), String> {
    let pod_name = str_at(pod, "/metadata/name");
    let regular = names_at(pod, "containers");
    let every: Vec<String> = [
        names_at(pod, "initContainers"),
        regular.clone(),
        names_at(pod, "ephemeralContainers"),
    ]
    .concat();
    if opts.all_containers {
        return Ok((every, None));
    }
    if let Some(c) = &opts.container {
        if !every.contains(c) {
            return Err(format!(
                "error: container {c} is not valid for pod {pod_name} out of: {}",
                all_container_names(pod)
            ));
        }
        return Ok((vec![c.clone()], None));
    }
    let mut note = None;
    let annotated = str_at(
        pod,
        &format!(
            "/metadata/annotations/{}",
            DEFAULT_CONTAINER_ANNOTATION.replace('/', "~1")
        ),
    );
    if !annotated.is_empty() {
        if every.iter().any(|c| c == annotated) {
            return Ok((vec![annotated.to_string()], None));
        }
        note = Some(format!(
            "Default container name \"{annotated}\" not found in pod {pod_name}"
        ));
    }
    let first = regular
        .first()
        .cloned()
        .ok_or_else(|| format!("error: pod {pod_name} has no containers"))?;
    let others = regular.len() > 1 || every.len() > regular.len();
    if others && !quiet {
        let line = format!(
            "Defaulted container \"{first}\" out of: {}",
            all_container_names(pod)
        );
        note = Some(note.map_or(line.clone(), |n| format!("{n}\n{line}")));
    }
    Ok((vec![first], note))
}

/// `GET pods/NAME/log` for one container; prints the log or the error. False on an error.
fn read_log(env: &mut Env, pod: &Value, container: &str, opts: &Options) -> bool {
    let Some(info) = by_plural("", "pods") else {
        return false;
    };
    let mut options = json!({"kind": "PodLogOptions", "apiVersion": "v1", "container": container});
    if opts.previous {
        options["previous"] = json!(true);
    }
    if let Some(n) = opts.tail {
        options["tailLines"] = json!(n);
    }
    if opts.timestamps {
        options["timestamps"] = json!(true);
    }
    let namespace = match str_at(pod, "/metadata/namespace") {
        "" => opts.namespace.clone(),
        ns => ns.to_string(),
    };
    let req = env
        .request(Verb::Get, info, Some(&namespace))
        .name(str_at(pod, "/metadata/name"))
        .subresource("log")
        .body(options);
    let resp = env.send(req);
    let prefix = opts
        .prefix
        .then(|| format!("[pod/{}/{container}] ", str_at(pod, "/metadata/name")));
    if !resp.is_success() && opts.ignore_errors {
        // consumeWithRetry: with --ignore-errors the error goes to the output and the next
        // request is read.
        let message = resp
            .body
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default();
        env.out.out.push_str(&format!("error: {message}\n"));
        return true;
    }
    print_response(env, &resp, prefix.as_deref())
}

/// The log as kubectl writes it: with `--prefix`, each line (prefixingWriter over the
/// line-buffered DefaultConsumeRequest) after `prefix`.
fn prefixed_log(body: &str, prefix: Option<&str>) -> String {
    let Some(prefix) = prefix else {
        return body.to_string();
    };
    body.split_inclusive('\n')
        .map(|line| format!("{prefix}{line}"))
        .collect()
}

fn print_response(env: &mut Env, resp: &Response, prefix: Option<&str>) -> bool {
    if resp.is_success() {
        let body = resp.body.as_str().unwrap_or_default();
        env.out.out.push_str(&prefixed_log(body, prefix));
        return true;
    }
    let reason = resp
        .body
        .get("reason")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let message = resp
        .body
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if reason.is_empty() {
        // StatusReasonUnknown: cmdutil.StandardErrorMessage prints no reason.
        env.out.fail(format!("Error from server: {message}"));
    } else {
        env.out.fail(status_message(&resp.body, None));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(container: Option<&str>) -> Options {
        Options {
            namespace: "default".into(),
            container: container.map(str::to_string),
            previous: false,
            tail: None,
            all_containers: false,
            timestamps: false,
            prefix: false,
            ignore_errors: false,
        }
    }

    #[test]
    fn container_defaulting_as_logsforobject_does() {
        let single =
            json!({"metadata": {"name": "hello"}, "spec": {"containers": [{"name": "hello"}]}});
        assert_eq!(
            containers_to_read(&single, &opts(None), false),
            Ok((vec!["hello".to_string()], None))
        );
        let two = json!({"metadata": {"name": "web"}, "spec": {"containers": [{"name": "app"}, {"name": "proxy"}], "initContainers": [{"name": "setup"}]}});
        assert_eq!(
            containers_to_read(&two, &opts(None), false),
            Ok((
                vec!["app".to_string()],
                Some("Defaulted container \"app\" out of: app, proxy, setup (init)".to_string())
            ))
        );
        assert_eq!(
            containers_to_read(&two, &opts(Some("nope")), false),
            Err(
                "error: container nope is not valid for pod web out of: app, proxy, setup (init)"
                    .to_string()
            )
        );
    }

    fn parsed(line: &str) -> Args {
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        Args::parse(&words).unwrap()
    }

    /// logs.go's bool flags never take the pod's name, wherever they stand; `=value` is
    /// strconv.ParseBool'd; `--all-pods` turns `--prefix` on (Complete).
    #[test]
    fn logs_bool_flags() {
        let args = parsed("logs --all-containers web");
        assert_eq!(args.positional, vec!["logs", "web"]);
        assert_eq!(bool_flag_of_logs(&args, "all-containers"), Ok(true));
        let args = parsed("logs web --all-containers");
        assert_eq!(args.positional, vec!["logs", "web"]);
        assert_eq!(bool_flag_of_logs(&args, "all-containers"), Ok(true));
        let args = parsed("logs web --all-containers=true --timestamps=false");
        assert_eq!(bool_flag_of_logs(&args, "all-containers"), Ok(true));
        assert_eq!(bool_flag_of_logs(&args, "timestamps"), Ok(false));
        let args = parsed("logs web --all-containers=False");
        assert_eq!(bool_flag_of_logs(&args, "all-containers"), Ok(false));
        assert_eq!(
            bool_flag_of_logs(&parsed("logs web"), "timestamps"),
            Ok(false)
        );
        assert_eq!(
            bool_flag_of_logs(&parsed("logs web --prefix=maybe"), "prefix"),
            Err("error: invalid argument \"maybe\" for \"--prefix\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\nSee 'kubectl logs --help' for usage.".to_string())
        );
        let flags = LogsFlags::read(&parsed("logs web --all-pods --ignore-errors -f")).unwrap();
        assert!(flags.all_pods && flags.ignore_errors && !flags.prefix && !flags.timestamps);
    }

    /// addPrefixIfNeeded: `[pod/NAME/CONTAINER] ` before every line.
    #[test]
    fn prefixed_lines() {
        assert_eq!(
            prefixed_log("one\ntwo\n", Some("[pod/web/app] ")),
            "[pod/web/app] one\n[pod/web/app] two\n"
        );
        assert_eq!(prefixed_log("one\n", None), "one\n");
        assert_eq!(prefixed_log("", Some("[pod/web/app] ")), "");
    }

    #[test]
    fn selectors_of_workloads_and_services() {
        let deploy = json!({"spec": {"selector": {"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]}]}}});
        assert_eq!(
            selector_of(&deploy).as_deref(),
            Some("app=web,tier in (a,b)")
        );
        let svc = json!({"spec": {"selector": {"app": "web"}}});
        assert_eq!(selector_of(&svc).as_deref(), Some("app=web"));
        assert_eq!(selector_of(&json!({"spec": {}})), None);
    }

    #[test]
    fn running_ready_pods_come_first() {
        let pending = json!({"metadata": {"name": "a"}, "status": {"phase": "Pending"}});
        let running = json!({"metadata": {"name": "b"}, "spec": {"nodeName": "n"}, "status": {"phase": "Running"}});
        let mut pods = [pending, running];
        pods.sort_by(by_logging);
        assert_eq!(str_at(&pods[0], "/metadata/name"), "b");
    }
}
