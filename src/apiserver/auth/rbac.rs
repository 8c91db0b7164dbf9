//! The RBAC authorizer (plugin/pkg/auth/authorizer/rbac/rbac.go) over the rule resolver of
//! pkg/registry/rbac/validation/rule.go: every ClusterRoleBinding, then every RoleBinding of the
//! request's namespace, whose subjects include the user; the rules of the role each refers to;
//! the first rule that allows the request wins, and names its source
//! (`RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group
//! "system:masters"`). Nothing matching gives no reason at all; roles that cannot be found are
//! the only reasons (`RBAC: clusterrole.rbac.authorization.k8s.io "x" not found`).

use serde_json::Value;

use super::{Attributes, Decision, UserInfo};
use crate::apiserver::bootstrap::RBAC_GROUP;
use crate::apiserver::resources;
use crate::etcd::Etcd;

/// RBAC's answer: allowed (the reason names the binding) or no opinion (the reason lists the
/// errors met while resolving roles, if any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RbacVerdict {
    pub decision: Decision,
    pub reason: String,
}

fn strings<'a>(rule: &'a Value, key: &str) -> Vec<&'a str> {
    rule.get(key)
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// rbacv1helpers.VerbMatches: `*` or the verb itself.
pub fn verb_matches(rule: &Value, verb: &str) -> bool {
    strings(rule, "verbs")
        .iter()
        .any(|v| *v == "*" || *v == verb)
}

/// rbacv1helpers.APIGroupMatches: `*` or the group itself (`""` is the core group).
pub fn api_group_matches(rule: &Value, group: &str) -> bool {
    strings(rule, "apiGroups")
        .iter()
        .any(|g| *g == "*" || *g == group)
}

/// rbacv1helpers.ResourceMatches: `*`, the combined `resource/subresource`, or `*/subresource`.
pub fn resource_matches(rule: &Value, combined: &str, subresource: &str) -> bool {
    strings(rule, "resources").iter().any(|r| {
        *r == "*"
            || *r == combined
            || (!subresource.is_empty()
                && r.len() == subresource.len() + 2
                && r.starts_with("*/")
                && r.ends_with(subresource))
    })
}

/// rbacv1helpers.ResourceNameMatches: no names means every object; otherwise the request must
/// name one of them (a list or a create names none, so never matches).
pub fn resource_name_matches(rule: &Value, name: &str) -> bool {
    let names = strings(rule, "resourceNames");
    names.is_empty() || (!name.is_empty() && names.contains(&name))
}

/// rbacv1helpers.NonResourceURLMatches: `*`, the path, or a prefix ending in `*`.
pub fn non_resource_url_matches(rule: &Value, path: &str) -> bool {
    strings(rule, "nonResourceURLs").iter().any(|u| {
        *u == "*"
            || *u == path
            || u.strip_suffix('*')
                .is_some_and(|prefix| path.starts_with(prefix))
    })
}

/// rbac.RuleAllows.
pub fn rule_allows(attrs: &Attributes, rule: &Value) -> bool {
    if !verb_matches(rule, &attrs.verb) {
        return false;
    }
    match &attrs.path {
        Some(path) => non_resource_url_matches(rule, path),
        None => {
            api_group_matches(rule, &attrs.api_group)
                && resource_matches(rule, &attrs.combined_resource(), &attrs.subresource)
                && resource_name_matches(rule, &attrs.name)
        }
    }
}

/// appliesToUser: a `User` by name, a `Group` the user is in, a `ServiceAccount` by its user name
/// (its namespace defaults to the binding's).
pub fn applies_to_user(user: &UserInfo, subject: &Value, binding_namespace: &str) -> bool {
    let name = text(subject, "name");
    match text(subject, "kind") {
        "User" => user.name == name,
        "Group" => user.in_group(name),
        "ServiceAccount" => {
            let namespace = match text(subject, "namespace") {
                "" => binding_namespace,
                ns => ns,
            };
            !namespace.is_empty()
                && user.name == format!("system:serviceaccount:{namespace}:{name}")
        }
        _ => false,
    }
}

/// describeSubject: `Group "system:masters"`, `ServiceAccount "coredns/kube-system"`.
fn describe_subject(subject: &Value, binding_namespace: &str) -> String {
    let (kind, name) = (text(subject, "kind"), text(subject, "name"));
    if kind == "ServiceAccount" {
        let namespace = match text(subject, "namespace") {
            "" => binding_namespace,
            ns => ns,
        };
        return format!("{kind} \"{name}/{namespace}\"");
    }
    format!("{kind} \"{name}\"")
}

/// The rules of the role a binding refers to (GetRoleReferenceRules), or the lister's error.
fn role_rules(
    etcd: &Etcd,
    role_ref: &Value,
    binding_namespace: &str,
) -> Result<Vec<Value>, String> {
    let (kind, name) = (text(role_ref, "kind"), text(role_ref, "name"));
    let (plural, namespace, singular) = match kind {
        "Role" => ("roles", Some(binding_namespace), "role"),
        "ClusterRole" => ("clusterroles", None, "clusterrole"),
        other => return Err(format!("unsupported role reference kind: \"{other}\"")),
    };
    let not_found = || format!("{singular}.{RBAC_GROUP} \"{name}\" not found");
    let info = resources::by_plural(RBAC_GROUP, plural).ok_or_else(not_found)?;
    if kind == "Role" && binding_namespace.is_empty() {
        return Err(not_found());
    }
    let kv = etcd
        .get(&info.etcd_key(namespace, name))
        .ok_or_else(not_found)?;
    Ok(kv
        .value
        .get("rules")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default())
}

/// One binding's verdict: the source that allows, or the resolution error.
enum BindingOutcome {
    Allows(String),
    NoMatch,
    Error(String),
}

fn check_binding(
    etcd: &Etcd,
    attrs: &Attributes,
    binding: &Value,
    namespace: &str,
) -> BindingOutcome {
    let subjects = binding.get("subjects").and_then(Value::as_array);
    let Some(subject) = subjects
        .into_iter()
        .flatten()
        .find(|s| applies_to_user(&attrs.user, s, namespace))
    else {
        return BindingOutcome::NoMatch;
    };
    let role_ref = binding.get("roleRef").cloned().unwrap_or(Value::Null);
    let rules = match role_rules(etcd, &role_ref, namespace) {
        Ok(rules) => rules,
        Err(e) => return BindingOutcome::Error(e),
    };
    if !rules.iter().any(|r| rule_allows(attrs, r)) {
        return BindingOutcome::NoMatch;
    }
    let name = binding
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let what = if namespace.is_empty() {
        format!("ClusterRoleBinding \"{name}\"")
    } else {
        format!("RoleBinding \"{name}/{namespace}\"")
    };
    BindingOutcome::Allows(format!(
        "{what} of {} \"{}\" to {}",
        text(&role_ref, "kind"),
        text(&role_ref, "name"),
        describe_subject(subject, namespace)
    ))
}

/// The bindings RBAC reads: every ClusterRoleBinding, then the RoleBindings of `namespace`.
fn bindings<'a>(etcd: &'a Etcd, namespace: &str) -> Vec<(&'a Value, String)> {
    let mut out = Vec::new();
    if let Some(info) = resources::by_plural(RBAC_GROUP, "clusterrolebindings") {
        out.extend(
            etcd.range(&info.etcd_range(None))
                .into_iter()
                .map(|kv| (&kv.value, String::new())),
        );
    }
    if !namespace.is_empty() {
        if let Some(info) = resources::by_plural(RBAC_GROUP, "rolebindings") {
            let range = etcd.range(&info.etcd_range(Some(namespace)));
            out.extend(
                range
                    .into_iter()
                    .map(|kv| (&kv.value, namespace.to_string())),
            );
        }
    }
    out
}

/// utilerrors.NewAggregate(errs).Error(): one message alone, several in brackets, each once.
fn aggregate(errors: &[String]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for e in errors {
        if !seen.contains(&e.as_str()) {
            seen.push(e);
        }
    }
    match seen.as_slice() {
        [one] => one.to_string(),
        many => format!("[{}]", many.join(", ")),
    }
}

/// RBACAuthorizer.Authorize.
pub fn authorize(etcd: &Etcd, attrs: &Attributes) -> RbacVerdict {
    let mut errors = Vec::new();
    for (binding, namespace) in bindings(etcd, &attrs.namespace) {
        match check_binding(etcd, attrs, binding, &namespace) {
            BindingOutcome::Allows(source) => {
                return RbacVerdict {
                    decision: Decision::Allow,
                    reason: format!("RBAC: allowed by {source}"),
                }
            }
            BindingOutcome::Error(e) => errors.push(e),
            BindingOutcome::NoMatch => {}
        }
    }
    let reason = if errors.is_empty() {
        String::new()
    } else {
        format!("RBAC: {}", aggregate(&errors))
    };
    RbacVerdict {
        decision: Decision::NoOpinion,
        reason,
    }
}

/// RBACAuthorizer.RulesFor (the rules `kubectl auth can-i --list` shows): every rule of every
/// role bound to the user, cluster-wide bindings first, then the namespace's; and the errors met
/// resolving roles.
pub fn rules_for(etcd: &Etcd, user: &UserInfo, namespace: &str) -> (Vec<Value>, Vec<String>) {
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for (binding, binding_namespace) in bindings(etcd, namespace) {
        let subjects = binding.get("subjects").and_then(Value::as_array);
        if !subjects
            .into_iter()
            .flatten()
            .any(|s| applies_to_user(user, s, &binding_namespace))
        {
            continue;
        }
        let role_ref = binding.get("roleRef").cloned().unwrap_or(Value::Null);
        match role_rules(etcd, &role_ref, &binding_namespace) {
            Ok(found) => rules.extend(found),
            Err(e) => errors.push(e),
        }
    }
    (rules, errors)
}

/// The errors as utilerrors.NewAggregate prints them (empty when none).
pub fn aggregate_errors(errors: &[String]) -> String {
    if errors.is_empty() {
        String::new()
    } else {
        aggregate(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn attrs(verb: &str, group: &str, resource: &str, sub: &str, name: &str) -> Attributes {
        Attributes {
            user: UserInfo::new("jane", &["system:authenticated"]),
            verb: verb.into(),
            api_group: group.into(),
            resource: resource.into(),
            subresource: sub.into(),
            name: name.into(),
            namespace: "default".into(),
            ..Attributes::default()
        }
    }

    #[test]
    fn verbs_groups_and_wildcards() {
        let rule = json!({"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]});
        assert!(rule_allows(&attrs("get", "", "pods", "", "web"), &rule));
        assert!(!rule_allows(&attrs("delete", "", "pods", "", "web"), &rule));
        assert!(!rule_allows(
            &attrs("get", "apps", "pods", "", "web"),
            &rule
        ));
        let all = json!({"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]});
        assert!(rule_allows(
            &attrs("escalate", "rbac.authorization.k8s.io", "roles", "", ""),
            &all
        ));
    }

    #[test]
    fn subresources_match_combined_or_star() {
        let status = json!({"apiGroups": [""], "resources": ["pods/status"], "verbs": ["update"]});
        assert!(rule_allows(
            &attrs("update", "", "pods", "status", "web"),
            &status
        ));
        assert!(!rule_allows(
            &attrs("update", "", "pods", "", "web"),
            &status
        ));
        let pods = json!({"apiGroups": [""], "resources": ["pods"], "verbs": ["update"]});
        assert!(
            !rule_allows(&attrs("update", "", "pods", "status", "web"), &pods),
            "pods does not cover pods/status"
        );
        let any_scale = json!({"apiGroups": ["*"], "resources": ["*/scale"], "verbs": ["get"]});
        assert!(rule_allows(
            &attrs("get", "apps", "deployments", "scale", "web"),
            &any_scale
        ));
        assert!(!rule_allows(
            &attrs("get", "apps", "deployments", "status", "web"),
            &any_scale
        ));
    }

    #[test]
    fn resource_names_need_a_named_request() {
        let rule = json!({"apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["app"], "verbs": ["get", "list", "create"]});
        assert!(rule_allows(
            &attrs("get", "", "configmaps", "", "app"),
            &rule
        ));
        assert!(!rule_allows(
            &attrs("get", "", "configmaps", "", "other"),
            &rule
        ));
        assert!(
            !rule_allows(&attrs("list", "", "configmaps", "", ""), &rule),
            "a list names no object"
        );
        assert!(
            !rule_allows(&attrs("create", "", "configmaps", "", ""), &rule),
            "a create names no object"
        );
    }

    #[test]
    fn non_resource_urls_match_exactly_or_by_prefix() {
        let rule = json!({"nonResourceURLs": ["/healthz", "/api/*"], "verbs": ["get"]});
        let mut a = attrs("get", "", "", "", "");
        a.path = Some("/api/v1".into());
        assert!(rule_allows(&a, &rule));
        a.path = Some("/healthz".into());
        assert!(rule_allows(&a, &rule));
        a.path = Some("/metrics".into());
        assert!(!rule_allows(&a, &rule));
        assert!(
            !rule_allows(&attrs("get", "", "pods", "", ""), &rule),
            "a URL rule is not a resource rule"
        );
    }

    #[test]
    fn subjects_users_groups_and_service_accounts() {
        let jane = UserInfo::new("jane", &["devs", "system:authenticated"]);
        assert!(applies_to_user(
            &jane,
            &json!({"kind": "User", "name": "jane"}),
            ""
        ));
        assert!(applies_to_user(
            &jane,
            &json!({"kind": "Group", "name": "devs"}),
            ""
        ));
        assert!(!applies_to_user(
            &jane,
            &json!({"kind": "Group", "name": "ops"}),
            ""
        ));
        let sa = UserInfo::new("system:serviceaccount:default:builder", &[]);
        let subject = json!({"kind": "ServiceAccount", "name": "builder"});
        assert!(
            applies_to_user(&sa, &subject, "default"),
            "the binding's namespace by default"
        );
        assert!(
            !applies_to_user(&sa, &subject, ""),
            "a cluster binding needs the namespace"
        );
        assert!(!applies_to_user(&sa, &subject, "other"));
        let explicit = json!({"kind": "ServiceAccount", "name": "builder", "namespace": "default"});
        assert!(applies_to_user(&sa, &explicit, ""));
    }

    #[test]
    fn errors_aggregate_as_go_prints_them() {
        assert_eq!(aggregate(&["a".into()]), "a");
        assert_eq!(aggregate(&["a".into(), "b".into(), "a".into()]), "[a, b]");
    }
}
