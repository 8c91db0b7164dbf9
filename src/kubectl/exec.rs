//! `kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t] [-q] -- COMMAND [args...]`
//! (staging/src/k8s.io/kubectl/pkg/cmd/exec/exec.go): find the pod (a bare name is a pod; a
//! workload's first pod by its selector, polymorphichelpers.AttachablePodForObjectFn), refuse a
//! completed pod, default the container (podcmd.FindOrDefaultContainerByName), then
//! `POST pods/NAME/exec` with the PodExecOptions. The command's stdout and stderr come back on
//! the streams; a non-zero exit is `command terminated with exit code N` on stderr and that exit
//! code (cmd/util/helpers.go checkErr's ExitError case).

use serde_json::{json, Value};

use super::args::Args;
use super::errors::status_message;
use super::{namespace_flag, resolve, str_at, Env};
use crate::apiserver::resources::by_plural;
use crate::apiserver::Verb;

/// What Complete prints when the command is not after `--`.
pub const DEPRECATED_FORM: &str = "kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.";

/// What SetupTTY prints for `-t` with `-i` when stdin is no terminal (podlab's prompt and
/// scenarios feed kubectl no terminal).
pub const NO_TTY: &str = "Unable to use a TTY - input is not a terminal or the right kind of file";

/// The defaulting annotation (podcmd.DefaultContainerAnnotationName).
const DEFAULT_CONTAINER_ANNOTATION: &str = "kubectl.kubernetes.io/default-container";

/// The resource and command of an exec line, as ExecOptions.Complete splits them; the
/// deprecation notice when the command came without `--`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub resource: String,
    pub command: Vec<String>,
    pub deprecated_form: bool,
}

/// ExecOptions.Complete and Validate: `Err` is kubectl's error line.
pub fn target(args: &Args, had_dashes: bool) -> Result<Target, String> {
    let positional: &[String] = args.positional.get(1..).unwrap_or_default();
    let (resource, command, deprecated_form) = if had_dashes {
        (
            positional.first().cloned().unwrap_or_default(),
            args.after_dashes.clone(),
            false,
        )
    } else if positional.len() > 1 {
        (positional[0].clone(), positional[1..].to_vec(), true)
    } else {
        (
            positional.first().cloned().unwrap_or_default(),
            Vec::new(),
            false,
        )
    };
    if resource.is_empty() {
        return Err("error: pod, type/name or --filename must be specified".into());
    }
    if command.is_empty() {
        return Err("error: you must specify at least one command for the container".into());
    }
    Ok(Target {
        resource,
        command,
        deprecated_form,
    })
}

/// The container kubectl picks when `-c` is not given, and the notice it prints on stderr.
pub fn default_container(pod: &Value, quiet: bool) -> Result<(String, Option<String>), String> {
    let names = |key: &str| -> Vec<String> {
        pod.pointer(&format!("/spec/{key}"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|c| str_at(c, "/name").to_string())
            .collect()
    };
    let (regular, init, ephemeral) = (
        names("containers"),
        names("initContainers"),
        names("ephemeralContainers"),
    );
    let Some(first) = regular.first().cloned() else {
        return Err(format!(
            "error: pod {}/{} does not have any containers",
            str_at(pod, "/metadata/namespace"),
            str_at(pod, "/metadata/name")
        ));
    };
    let annotated = pod
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(DEFAULT_CONTAINER_ANNOTATION))
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !annotated.is_empty()
        && [&regular, &init, &ephemeral]
            .iter()
            .any(|list| list.iter().any(|n| n == annotated))
    {
        return Ok((annotated.to_string(), None));
    }
    let several = regular.len() > 1 || !init.is_empty() || !ephemeral.is_empty();
    let notice = (several && !quiet).then(|| {
        let all: Vec<String> = regular
            .iter()
            .cloned()
            .chain(ephemeral.iter().map(|n| format!("{n} (ephem)")))
            .chain(init.iter().map(|n| format!("{n} (init)")))
            .collect();
        format!("Defaulted container \"{first}\" out of: {}", all.join(", "))
    });
    Ok((first, notice))
}

/// `kubectl exec`. `had_dashes` says whether the line had `--` (cobra's ArgsLenAtDash).
pub fn exec(args: &Args, had_dashes: bool, env: &mut Env) {
    let target = match target(args, had_dashes) {
        Ok(t) => t,
        Err(e) => return env.out.fail(e),
    };
    let quiet = args.bool_flag("quiet", false);
    if target.deprecated_form && !quiet {
        env.out.print(DEPRECATED_FORM);
    }
    let namespace = namespace_flag(args);
    let pod = match pod_for(env, &namespace, &target.resource) {
        Ok(p) => p,
        Err(e) => return env.out.fail(e),
    };
    let phase = str_at(&pod, "/status/phase");
    if matches!(phase, "Succeeded" | "Failed") {
        return env.out.fail(format!(
            "error: cannot exec into a container in a completed pod; current phase is {phase}"
        ));
    }
    let container = match args.flag("container") {
        Some(c) if !c.is_empty() => c.to_string(),
        _ => match default_container(&pod, quiet) {
            Ok((name, notice)) => {
                if let Some(n) = notice {
                    env.out.print(n);
                }
                name
            }
            Err(e) => return env.out.fail(e),
        },
    };
    let stdin = args.bool_flag("stdin", false);
    if stdin && args.bool_flag("tty", false) && !quiet {
        env.out.print(NO_TTY);
    }
    let options = json!({
        "kind": "PodExecOptions",
        "apiVersion": "v1",
        "container": container,
        "command": target.command,
        "stdin": stdin,
        "stdout": true,
        "stderr": true,
        "tty": false,
    });
    let Some(pods) = by_plural("", "pods") else {
        return env
            .out
            .fail("error: the server doesn't have a resource type \"pods\"");
    };
    let req = env
        .request(
            Verb::Create,
            pods,
            Some(str_at(&pod, "/metadata/namespace")),
        )
        .name(str_at(&pod, "/metadata/name"))
        .subresource("exec")
        .body(options);
    let resp = env.send(req);
    if !resp.is_success() {
        return env.out.fail(status_message(&resp.body, None));
    }
    print_streams(&resp.body, env);
}

/// The streams of an exec and kubectl's ending for the error stream's status.
fn print_streams(body: &Value, env: &mut Env) {
    if body.get("upgraded").and_then(Value::as_bool) != Some(true) {
        return env.out.fail(format!(
            "error: unable to upgrade connection: {}",
            str_at(body, "/text")
        ));
    }
    env.out.out.push_str(str_at(body, "/stdout"));
    env.out.out.push_str(str_at(body, "/stderr"));
    let status = body.get("status").cloned().unwrap_or(Value::Null);
    match (str_at(&status, "/status"), str_at(&status, "/reason")) {
        ("Success", _) => {}
        ("Failure", "NonZeroExitCode") => {
            let code = status
                .pointer("/details/causes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|c| str_at(c, "/reason") == "ExitCode")
                .and_then(|c| str_at(c, "/message").parse::<i32>().ok())
                .unwrap_or(1);
            end_line(env);
            env.out
                .print(format!("command terminated with exit code {code}"));
            env.out.exit_code = code;
        }
        _ => {
            end_line(env);
            env.out
                .fail(format!("error: {}", str_at(&status, "/message")));
        }
    }
}

/// kubectl's own messages start on a line of their own (a command's last line may lack `\n`;
/// a terminal shows it so).
fn end_line(env: &mut Env) {
    if !env.out.out.is_empty() && !env.out.out.ends_with('\n') {
        env.out.out.push('\n');
    }
}

/// The pod a `POD` or `TYPE/NAME` argument means: the pod itself, or a workload's first pod
/// (GetFirstPod: the pods its selector matches).
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
            "error: cannot attach to {}: selector for {} not implemented",
            info.kind, info.kind
        )
    })?;
    let pods = by_plural("", "pods").ok_or("error: no pods")?;
    let mut req = env.request(Verb::List, pods, Some(namespace));
    req.label_selector = Some(selector);
    let resp = env.send(req);
    if !resp.is_success() {
        return Err(status_message(&resp.body, None));
    }
    let mut items: Vec<Value> = resp
        .body
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    // podutils.ByLogging puts running pods first.
    items.sort_by_key(|p| str_at(p, "/status/phase") != "Running");
    items
        .into_iter()
        .next()
        .ok_or_else(|| "error: timed out waiting for the condition".to_string())
}

/// A workload's `spec.selector.matchLabels` (or a Service's selector) as a label selector.
fn selector_of(obj: &Value) -> Option<String> {
    let selector = obj.pointer("/spec/selector")?;
    let labels = selector
        .get("matchLabels")
        .unwrap_or(selector)
        .as_object()?;
    let terms: Vec<String> = labels
        .iter()
        .filter_map(|(k, v)| v.as_str().map(|v| format!("{k}={v}")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> (Args, bool) {
        let words = super::super::args::words(line).unwrap();
        let dashes = words.iter().any(|w| w == "--");
        (Args::parse(&words).unwrap(), dashes)
    }

    #[test]
    fn complete_and_validate_as_exec_go() {
        let (a, d) = parse("exec web -c app -- ls -la /tmp");
        assert_eq!(
            target(&a, d).unwrap(),
            Target {
                resource: "web".into(),
                command: vec!["ls".into(), "-la".into(), "/tmp".into()],
                deprecated_form: false
            }
        );
        let (a, d) = parse("exec web date");
        assert!(target(&a, d).unwrap().deprecated_form);
        let (a, d) = parse("exec web");
        assert_eq!(
            target(&a, d).unwrap_err(),
            "error: you must specify at least one command for the container"
        );
        let (a, d) = parse("exec -- date");
        assert_eq!(
            target(&a, d).unwrap_err(),
            "error: pod, type/name or --filename must be specified"
        );
    }

    #[test]
    fn the_default_container_and_its_notice() {
        let pod = json!({"metadata": {"name": "p", "namespace": "default"},
            "spec": {"containers": [{"name": "a"}, {"name": "b"}], "initContainers": [{"name": "i"}]}});
        assert_eq!(
            default_container(&pod, false).unwrap(),
            (
                "a".into(),
                Some("Defaulted container \"a\" out of: a, b, i (init)".into())
            )
        );
        assert_eq!(default_container(&pod, true).unwrap(), ("a".into(), None));
        let mut annotated = pod.clone();
        annotated["metadata"]["annotations"] = json!({DEFAULT_CONTAINER_ANNOTATION: "b"});
        assert_eq!(
            default_container(&annotated, false).unwrap(),
            ("b".into(), None)
        );
        let single = json!({"spec": {"containers": [{"name": "only"}]}});
        assert_eq!(
            default_container(&single, false).unwrap(),
            ("only".into(), None)
        );
    }
}
