//! `kubectl auth`: `can-i` (staging/src/k8s.io/kubectl/pkg/cmd/auth/cani.go) asks the API server
//! whether the caller (or, with `--as`, the impersonated user) may do something, with a
//! SelfSubjectAccessReview, and prints `yes` (exit 0) or `no` (exit 1); `whoami` (whoami.go)
//! prints who the server thinks the caller is, from a SelfSubjectReview. The global `--as` and
//! `--as-group` flags ([`impersonation`]) make every command's requests act as another user.

use serde_json::{json, Value};

use super::args::Args;
use super::errors::status_message;
use super::printers::tabwriter::TabWriter;
use super::{namespace_flag, Env};
use crate::apiserver::resources::{self, ResourceInfo};
use crate::apiserver::{Impersonation, Verb};

/// The user entry of podlab's kubeconfig (kubeadm's admin.conf names it `kubernetes-admin`).
const KUBECONFIG_USER: &str = "kubernetes-admin";

/// The verbs `can-i` knows for resources and for non-resource URLs (cani.go).
const RESOURCE_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "use",
    "bind",
    "impersonate",
    "*",
    "approve",
    "sign",
    "escalate",
    "attest",
];
const NON_RESOURCE_VERBS: &[&str] = &[
    "get", "put", "post", "head", "options", "delete", "patch", "*",
];

/// Resources the server authorizes but does not list in discovery (impersonation targets).
const NON_STANDARD_RESOURCES: &[&str] = &["users", "groups"];

const CAN_I_USAGE: &str = "you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.";

/// The impersonation the global flags ask for: `--as=USER`, `--as-group=G` (repeatable). Groups
/// without a user are refused by client-go's kubeconfig validation, as kubectl reports it
/// (cmdutil.CheckErr: `Error in configuration: …`).
pub fn impersonation(args: &Args) -> Result<Option<Impersonation>, String> {
    let groups = args.all("as-group");
    let user = args.flag("as").unwrap_or_default().to_string();
    if user.is_empty() {
        if groups.is_empty() {
            return Ok(None);
        }
        return Err(format!(
            "Error in configuration: requesting uid, groups or user-extra for {KUBECONFIG_USER} \
             without impersonating a user"
        ));
    }
    Ok(Some(Impersonation { user, groups }))
}

/// `kubectl auth SUBCOMMAND`.
pub fn auth(args: &Args, env: &mut Env) {
    match args.positional.get(1).map(String::as_str) {
        Some("can-i") => can_i(args, env),
        Some("whoami") => whoami(args, env),
        Some(other) => env.out.fail(format!("error: unknown command \"{other}\" for \"kubectl auth\"")),
        None => env.out.print(
            "Inspect authorization.\n\nAvailable Commands:\n  can-i         Check whether an action is allowed\n  reconcile     Reconciles rules for RBAC role, role binding, cluster role, and cluster role binding objects\n  whoami        Experimental: Check self subject attributes\n\nUsage:\n  kubectl auth [flags] [options]\n\nUse \"kubectl auth <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).",
        ),
    }
}

/// What `can-i` asks about.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Question {
    Resource {
        verb: String,
        group: String,
        resource: String,
        name: String,
        namespaced: Option<bool>,
    },
    NonResource {
        verb: String,
        path: String,
    },
}

/// Print a warning as kubectl's WarningPrinter does: `Warning: ` + the message + a newline (the
/// messages of can-i already end with one, hence the blank line after them).
fn warn(env: &mut Env, message: &str) {
    env.out.out.push_str(&format!("Warning: {message}\n"));
}

/// CanIOptions.resourceFor: the resource a typed name maps to; an unknown one is kept as typed,
/// with a warning (except `users` and `groups`).
fn resource_for(env: &mut Env, typed: &str) -> (String, String, Option<bool>) {
    if typed == "*" {
        return (String::new(), "*".into(), Some(true));
    }
    let lower = typed.to_ascii_lowercase();
    if let Some(info) = resources::for_kubectl(&lower) {
        return (
            info.group.to_string(),
            info.plural.to_string(),
            Some(info.namespaced),
        );
    }
    let (resource, group) = match lower.split_once('.') {
        Some((r, g)) => (r.to_string(), g.to_string()),
        None => (lower.clone(), String::new()),
    };
    let group_resource = if group.is_empty() {
        resource.clone()
    } else {
        format!("{resource}.{group}")
    };
    if !NON_STANDARD_RESOURCES.contains(&group_resource.as_str()) {
        let message = if group.is_empty() {
            format!("the server doesn't have a resource type '{resource}'\n")
        } else {
            format!("the server doesn't have a resource type '{resource}' in group '{group}'\n")
        };
        warn(env, &message);
    }
    (String::new(), typed.to_string(), None)
}

/// The two arguments: `VERB TYPE[/NAME]` or `VERB /URL`.
fn question(env: &mut Env, words: &[String]) -> Option<Question> {
    let [verb, what] = words else {
        return None;
    };
    if what.starts_with('/') {
        return Some(Question::NonResource {
            verb: verb.clone(),
            path: what.clone(),
        });
    }
    let (typed, name) = match what.split_once('/') {
        Some((t, n)) => (t, n.to_string()),
        None => (what.as_str(), String::new()),
    };
    let (group, resource, namespaced) = resource_for(env, typed);
    Some(Question::Resource {
        verb: verb.clone(),
        group,
        resource,
        name,
        namespaced,
    })
}

/// CanIOptions.Validate: the errors and warnings before anything is sent.
fn validate(env: &mut Env, q: &Question, args: &Args) -> Result<(), String> {
    let all_namespaces = args.bool_flag("all-namespaces", false);
    match q {
        Question::NonResource { verb, .. } => {
            if args.has("subresource") {
                return Err("--subresource can not be used with NonResourceURL".into());
            }
            if !NON_RESOURCE_VERBS.contains(&verb.as_str()) {
                warn(env, &format!("verb '{verb}' is not a known verb\n"));
            }
        }
        Question::Resource {
            verb,
            group,
            resource,
            namespaced,
            ..
        } if !all_namespaces => {
            if *namespaced == Some(false) {
                let message = if group.is_empty() {
                    format!("resource '{resource}' is not namespace scoped\n")
                } else {
                    format!("resource '{resource}' is not namespace scoped in group '{group}'\n")
                };
                warn(env, &message);
            }
            if !RESOURCE_VERBS.contains(&verb.as_str()) {
                warn(env, &format!("verb '{verb}' is not a known verb\n"));
            }
        }
        Question::Resource { .. } => {}
    }
    if args.bool_flag("no-headers", false) {
        return Err("--no-headers cannot be set without --list specified".into());
    }
    Ok(())
}

/// The review's spec for the question.
fn review_spec(q: &Question, namespace: &str, subresource: &str) -> Value {
    match q {
        Question::Resource {
            verb,
            group,
            resource,
            name,
            ..
        } => json!({"resourceAttributes": {
            "namespace": namespace, "verb": verb, "group": group, "resource": resource,
            "subresource": subresource, "name": name,
        }}),
        Question::NonResource { verb, path } => {
            json!({"nonResourceAttributes": {"path": path, "verb": verb}})
        }
    }
}

fn served(group: &str, plural: &str) -> Option<&'static ResourceInfo> {
    resources::by_plural(group, plural)
}

/// `kubectl auth can-i VERB TYPE[/NAME] [--subresource=S] [-n NS | -A] [-q]`.
fn can_i(args: &Args, env: &mut Env) {
    if args.bool_flag("list", false) {
        env.out.fail(
            "error: podlab does not model `kubectl auth can-i --list` (SelfSubjectRulesReview)",
        );
        return;
    }
    let words = args.positional.get(2..).unwrap_or_default();
    let Some(q) = question(env, words) else {
        env.out.fail(format!("error: {CAN_I_USAGE}"));
        return;
    };
    if let Err(e) = validate(env, &q, args) {
        env.out.fail(format!("error: {e}"));
        return;
    }
    let namespace = if args.bool_flag("all-namespaces", false) {
        String::new()
    } else {
        namespace_flag(args)
    };
    let subresource = args.flag("subresource").unwrap_or_default();
    let Some(info) = served("authorization.k8s.io", "selfsubjectaccessreviews") else {
        return;
    };
    let body = json!({
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SelfSubjectAccessReview",
        "metadata": {"creationTimestamp": null},
        "spec": review_spec(&q, &namespace, subresource),
        "status": {"allowed": false},
    });
    let resp = env.send(env.request(Verb::Create, info, None).body(body));
    if !resp.is_success() {
        env.out.fail(status_message(&resp.body, None));
        return;
    }
    let allowed = resp
        .body
        .pointer("/status/allowed")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let quiet = args.bool_flag("quiet", false);
    if allowed {
        if !quiet {
            env.out.print("yes");
        }
        return;
    }
    if !quiet {
        let mut line = "no".to_string();
        for key in ["reason", "evaluationError"] {
            if let Some(text) = resp
                .body
                .pointer(&format!("/status/{key}"))
                .and_then(Value::as_str)
            {
                if !text.is_empty() {
                    line.push_str(&format!(" - {text}"));
                }
            }
        }
        env.out.print(line);
    }
    env.out.exit_code = 1;
}

/// `kubectl auth whoami`: the table of the SelfSubjectReview's user info.
fn whoami(args: &Args, env: &mut Env) {
    let Some(info) = served("authentication.k8s.io", "selfsubjectreviews") else {
        return;
    };
    let body = json!({"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview", "metadata": {"creationTimestamp": null}, "status": {}});
    let resp = env.send(env.request(Verb::Create, info, None).body(body));
    if !resp.is_success() {
        env.out.fail(status_message(&resp.body, None));
        return;
    }
    match args.flag("output").unwrap_or_default() {
        "json" => env.out.print(super::printers::json::to_json(&resp.body)),
        "yaml" => env.out.print(super::printers::yaml::to_yaml(&resp.body)),
        _ => {
            let user = resp
                .body
                .pointer("/status/userInfo")
                .cloned()
                .unwrap_or(Value::Null);
            let mut table = TabWriter::for_get();
            table.write("ATTRIBUTE\tVALUE\n");
            if let Some(name) = user
                .get("username")
                .and_then(Value::as_str)
                .filter(|n| !n.is_empty())
            {
                table.write(&format!("Username\t{name}\n"));
            }
            let groups: Vec<&str> = user
                .get("groups")
                .and_then(Value::as_array)
                .map(|g| g.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if !groups.is_empty() {
                table.write(&format!("Groups\t[{}]\n", groups.join(" ")));
            }
            env.out.print(table.flush());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Args {
        Args::parse(&super::super::args::words(line).unwrap()).unwrap()
    }

    #[test]
    fn as_flags_become_impersonation() {
        assert_eq!(impersonation(&parse("get pods")), Ok(None));
        assert_eq!(
            impersonation(&parse("get pods --as=jane --as-group=devs --as-group ops")),
            Ok(Some(Impersonation {
                user: "jane".into(),
                groups: vec!["devs".into(), "ops".into()]
            }))
        );
        assert_eq!(
            impersonation(&parse("get pods --as-group=devs")),
            Err("Error in configuration: requesting uid, groups or user-extra for kubernetes-admin without impersonating a user".into())
        );
    }

    #[test]
    fn review_specs_carry_every_attribute() {
        let q = Question::Resource {
            verb: "get".into(),
            group: "apps".into(),
            resource: "deployments".into(),
            name: "web".into(),
            namespaced: Some(true),
        };
        assert_eq!(
            review_spec(&q, "default", "scale"),
            json!({"resourceAttributes": {"namespace": "default", "verb": "get", "group": "apps", "resource": "deployments", "subresource": "scale", "name": "web"}})
        );
    }
}
