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
        can_i_list(args, env);
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

/// A PolicyRule as kubectl handles it for `--list` (rbacv1.PolicyRule).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Rule {
    verbs: Vec<String>,
    api_groups: Vec<String>,
    resources: Vec<String>,
    resource_names: Vec<String>,
    non_resource_urls: Vec<String>,
}

/// Go's `%v` of a `[]string`: `[get list]`.
fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

impl Rule {
    /// The generated `PolicyRule.String()`, which the rules are sorted by.
    fn go_string(&self) -> String {
        format!(
            "&PolicyRule{{Verbs:{},APIGroups:{},Resources:{},ResourceNames:{},NonResourceURLs:{},}}",
            go_list(&self.verbs),
            go_list(&self.api_groups),
            go_list(&self.resources),
            go_list(&self.resource_names),
            go_list(&self.non_resource_urls)
        )
    }

    /// rbacutil.BreakdownRule: one rule per group, resource, verb (and name); one per URL and verb.
    fn breakdown(&self) -> Vec<Rule> {
        let one = |s: &String| vec![s.clone()];
        let mut out = Vec::new();
        for group in &self.api_groups {
            for resource in &self.resources {
                for verb in &self.verbs {
                    let base = Rule {
                        verbs: one(verb),
                        api_groups: one(group),
                        resources: one(resource),
                        ..Rule::default()
                    };
                    if self.resource_names.is_empty() {
                        out.push(base);
                    } else {
                        let named = |n: &String| Rule {
                            resource_names: one(n),
                            ..base.clone()
                        };
                        out.extend(self.resource_names.iter().map(named));
                    }
                }
            }
        }
        for url in &self.non_resource_urls {
            let per_verb = |verb: &String| Rule {
                verbs: one(verb),
                non_resource_urls: one(url),
                ..Rule::default()
            };
            out.extend(self.verbs.iter().map(per_verb));
        }
        out
    }

    /// isSimpleResourceRule: one group, one resource, at most one name, nothing else.
    fn is_simple(&self) -> bool {
        self.non_resource_urls.is_empty()
            && self.api_groups.len() == 1
            && self.resources.len() == 1
            && self.resource_names.len() <= 1
    }
}

/// rbacutil.CompactRules: rules on one group and resource (and name) merged, verbs appended.
fn compact(rules: Vec<Rule>) -> Vec<Rule> {
    let mut merged: Vec<Rule> = Vec::new();
    let mut others = Vec::new();
    for rule in rules {
        if !rule.is_simple() {
            others.push(rule);
            continue;
        }
        let existing = merged.iter_mut().find(|r| {
            r.api_groups == rule.api_groups
                && r.resources == rule.resources
                && r.resource_names == rule.resource_names
        });
        match existing {
            Some(existing) => existing.verbs.extend(rule.verbs),
            None => merged.push(rule),
        }
    }
    others.extend(merged);
    others
}

/// describe.CombineResourceGroup: `deployments.apps/scale`, `pods`, `*.*`.
fn combine_resource_group(resources: &[String], groups: &[String]) -> String {
    let Some(first) = resources.first() else {
        return String::new();
    };
    let (resource, sub) = match first.split_once('/') {
        Some((r, s)) => (r, Some(s)),
        None => (first.as_str(), None),
    };
    let mut text = resource.to_string();
    if let Some(group) = groups.first().filter(|g| !g.is_empty()) {
        text = format!("{text}.{group}");
    }
    if let Some(sub) = sub {
        text = format!("{text}/{sub}");
    }
    text
}

fn strings_at(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The review's rules as PolicyRules (convertToPolicyRule).
fn review_rules(status: &Value) -> Vec<Rule> {
    let list = |key: &str| {
        status
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let mut rules: Vec<Rule> = list("resourceRules")
        .iter()
        .map(|r| Rule {
            verbs: strings_at(r, "verbs"),
            api_groups: strings_at(r, "apiGroups"),
            resources: strings_at(r, "resources"),
            resource_names: strings_at(r, "resourceNames"),
            non_resource_urls: Vec::new(),
        })
        .collect();
    rules.extend(list("nonResourceRules").iter().map(|r| Rule {
        verbs: strings_at(r, "verbs"),
        non_resource_urls: strings_at(r, "nonResourceURLs"),
        ..Rule::default()
    }));
    rules
}

/// The table of `--list`: rules broken down, compacted and sorted (printStatus).
fn access_table(status: &Value, headers: bool) -> String {
    let broken: Vec<Rule> = review_rules(status)
        .iter()
        .flat_map(Rule::breakdown)
        .collect();
    let mut rules = compact(broken);
    rules.sort_by_cached_key(Rule::go_string);
    let mut table = TabWriter::for_get();
    if headers {
        table.write("Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
    }
    for r in &rules {
        table.write(&format!(
            "{}\t{}\t{}\t{}\n",
            combine_resource_group(&r.resources, &r.api_groups),
            go_list(&r.non_resource_urls),
            go_list(&r.resource_names),
            go_list(&r.verbs)
        ));
    }
    table.flush()
}

/// `kubectl auth can-i --list`: a SelfSubjectRulesReview of the namespace, as a table
/// (RunAccessList).
fn can_i_list(args: &Args, env: &mut Env) {
    if args.positional.len() > 2 {
        env.out
            .fail("error: list option must be specified with no arguments");
        return;
    }
    let conflicting = args.bool_flag("quiet", false)
        || args.bool_flag("all-namespaces", false)
        || args.has("subresource");
    if conflicting {
        env.out.fail(
            "error: list option can't be specified with neither quiet, all-namespaces nor \
             subresource options",
        );
        return;
    }
    let Some(info) = served("authorization.k8s.io", "selfsubjectrulesreviews") else {
        return;
    };
    let body = json!({
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SelfSubjectRulesReview",
        "metadata": {"creationTimestamp": null},
        "spec": {"namespace": namespace_flag(args)},
        "status": {"resourceRules": null, "nonResourceRules": null, "incomplete": false},
    });
    let resp = env.send(env.request(Verb::Create, info, None).body(body));
    if !resp.is_success() {
        env.out.fail(status_message(&resp.body, None));
        return;
    }
    let status = resp.body.get("status").cloned().unwrap_or(Value::Null);
    if status
        .get("incomplete")
        .and_then(Value::as_bool)
        .unwrap_or(false)
    {
        let error = status
            .get("evaluationError")
            .and_then(Value::as_str)
            .unwrap_or_default();
        warn(env, &format!("the list may be incomplete: {error}"));
    }
    let table = access_table(&status, !args.bool_flag("no-headers", false));
    env.out.print(table);
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
    fn rules_break_down_compact_and_sort_as_kubectl_does() {
        let status = json!({
            "resourceRules": [
                {"verbs": ["get", "list", "watch"], "apiGroups": [""], "resources": ["pods"]},
                {"verbs": ["create"], "apiGroups": ["authorization.k8s.io"],
                 "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]},
                {"verbs": ["get"], "apiGroups": ["apps"], "resources": ["deployments/scale"],
                 "resourceNames": ["web"]}
            ],
            "nonResourceRules": [
                {"verbs": ["get"], "nonResourceURLs": ["/healthz", "/api", "/api/*"]},
                {"verbs": ["get"], "nonResourceURLs": ["/healthz"]}
            ]
        });
        assert_eq!(
            access_table(&status, true),
            "Resources                                       Non-Resource URLs   Resource Names   Verbs
selfsubjectaccessreviews.authorization.k8s.io   []                  []               [create]
selfsubjectrulesreviews.authorization.k8s.io    []                  []               [create]
pods                                            []                  []               [get list watch]
                                                [/api/*]            []               [get]
                                                [/api]              []               [get]
                                                [/healthz]          []               [get]
                                                [/healthz]          []               [get]
deployments.apps/scale                          []                  [web]            [get]
"
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
