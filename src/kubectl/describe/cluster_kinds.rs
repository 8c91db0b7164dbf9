//! `kubectl describe ingress|ingressclass|priorityclass|role|clusterrole|rolebinding|
//! clusterrolebinding` (describe.go IngressDescriber.describeIngressV1, describeBackendV1,
//! IngressClassDescriber, describePriorityClass, describeRole, describeClusterRole,
//! describeRoleBinding, describeClusterRoleBinding; kubectl/pkg/util/rbac BreakdownRule,
//! CompactRules, SortableRuleSlice and CombineResourceGroup).

use jiff::Timestamp;
use serde_json::Value;

use super::events::{describe_events, events_for};
use super::service::format_endpoint_slices;
use super::writer::{PrefixWriter, LEVEL_0, LEVEL_1, LEVEL_2};
use super::{print_annotations_multiline, print_labels_multiline};
use crate::kubectl::printers::object::{
    as_int, format_labels, get, int_at, list_at, map_at, str_at,
};

fn line(w: &mut PrefixWriter, level: usize, text: String) {
    w.write(level, &text);
}

fn name_line(obj: &Value, w: &mut PrefixWriter) {
    line(
        w,
        LEVEL_0,
        format!("Name:\t{}\n", str_at(obj, &["metadata", "name"])),
    );
}

fn labels_and_annotations(obj: &Value, w: &mut PrefixWriter) {
    print_labels_multiline(w, "Labels", map_at(obj, &["metadata", "labels"]));
    print_annotations_multiline(w, "Annotations", map_at(obj, &["metadata", "annotations"]));
}

// ---------------------------------------------------------------------------------------------
// Ingress

/// ingressLoadBalancerStatusStringerV1 (wide): the sorted, unique IPs or hostnames.
fn ingress_address(ing: &Value) -> String {
    let mut items: Vec<&str> = list_at(ing, &["status", "loadBalancer", "ingress"])
        .iter()
        .filter_map(|i| {
            [str_at(i, &["ip"]), str_at(i, &["hostname"])]
                .into_iter()
                .find(|s| !s.is_empty())
        })
        .collect();
    items.sort_unstable();
    items.dedup();
    items.join(",")
}

/// serviceBackendStringer: `name:port` (the number, else the port name).
fn service_backend(service: &Value) -> String {
    let number = int_at(service, &["port", "number"]);
    let port = if number != 0 {
        number.to_string()
    } else {
        str_at(service, &["port", "name"]).to_string()
    };
    format!("{}:{port}", str_at(service, &["name"]))
}

/// describeBackendV1: a service backend with its ready endpoints for the port
/// (formatEndpointSlices), or the error of getting the Service; a resource backend by its
/// group, kind and name.
fn describe_backend(
    namespace: &str,
    backend: &Value,
    services: &[Value],
    slices: &[Value],
) -> String {
    if let Some(service) = get(backend, &["service"]).filter(|s| s.is_object()) {
        let text = service_backend(service);
        let service_name = str_at(service, &["name"]);
        let found = services.iter().find(|s| {
            str_at(s, &["metadata", "name"]) == service_name
                && str_at(s, &["metadata", "namespace"]) == namespace
        });
        let Some(found) = found else {
            return format!("{text} (<error: services \"{service_name}\" not found>)");
        };
        let number = int_at(service, &["port", "number"]);
        let port_name = str_at(service, &["port", "name"]);
        let mut sp_name = "";
        for sp in list_at(found, &["spec", "ports"]) {
            if (number != 0 && number == int_at(sp, &["port"]))
                || (!port_name.is_empty() && port_name == str_at(sp, &["name"]))
            {
                sp_name = str_at(sp, &["name"]);
            }
        }
        let of_service: Vec<&Value> = slices
            .iter()
            .filter(|s| {
                str_at(s, &["metadata", "namespace"]) == namespace
                    && str_at(s, &["metadata", "labels", "kubernetes.io/service-name"])
                        == service_name
            })
            .collect();
        return format!("{text} ({})", format_endpoint_slices(&of_service, sp_name));
    }
    if let Some(resource) = get(backend, &["resource"]).filter(|r| r.is_object()) {
        let group = get(resource, &["apiGroup"])
            .and_then(Value::as_str)
            .unwrap_or("<none>");
        return format!(
            "APIGroup: {group}, Kind: {}, Name: {}",
            str_at(resource, &["kind"]),
            str_at(resource, &["name"])
        );
    }
    String::new()
}

/// describeIngressV1: address, class, default backend, TLS, the rules' paths and backends,
/// annotations, events. `services` and `slices` are the namespace's Services and
/// EndpointSlices the backends are looked up in.
pub fn describe_ingress(
    ing: &Value,
    services: &[Value],
    slices: &[Value],
    events: &[Value],
    now: Timestamp,
) -> String {
    let mut w = PrefixWriter::new();
    let namespace = str_at(ing, &["metadata", "namespace"]);
    name_line(ing, &mut w);
    print_labels_multiline(&mut w, "Labels", map_at(ing, &["metadata", "labels"]));
    line(&mut w, LEVEL_0, format!("Namespace:\t{namespace}\n"));
    line(
        &mut w,
        LEVEL_0,
        format!("Address:\t{}\n", ingress_address(ing)),
    );
    let class = get(ing, &["spec", "ingressClassName"])
        .and_then(Value::as_str)
        .unwrap_or("<none>");
    line(&mut w, LEVEL_0, format!("Ingress Class:\t{class}\n"));
    let default_backend = match get(ing, &["spec", "defaultBackend"]).filter(|b| b.is_object()) {
        Some(b) => describe_backend(namespace, b, services, slices),
        None => "<default>".to_string(),
    };
    line(
        &mut w,
        LEVEL_0,
        format!("Default backend:\t{default_backend}\n"),
    );
    let tls = list_at(ing, &["spec", "tls"]);
    if !tls.is_empty() {
        w.write(LEVEL_0, "TLS:\n");
        for t in tls {
            let hosts: Vec<&str> = list_at(t, &["hosts"])
                .iter()
                .filter_map(Value::as_str)
                .collect();
            let secret = str_at(t, &["secretName"]);
            if secret.is_empty() {
                line(&mut w, LEVEL_1, format!("SNI routes {}\n", hosts.join(",")));
            } else {
                line(
                    &mut w,
                    LEVEL_1,
                    format!("{secret} terminates {}\n", hosts.join(",")),
                );
            }
        }
    }
    w.write(LEVEL_0, "Rules:\n  Host\tPath\tBackends\n");
    w.write(LEVEL_1, "----\t----\t--------\n");
    let mut count = 0;
    for rule in list_at(ing, &["spec", "rules"]) {
        let Some(http) = get(rule, &["http"]).filter(|h| h.is_object()) else {
            continue;
        };
        count += 1;
        let host = match str_at(rule, &["host"]) {
            "" => "*",
            h => h,
        };
        line(&mut w, LEVEL_1, format!("{host}\t\n"));
        for path in list_at(http, &["paths"]) {
            let backend = get(path, &["backend"]).unwrap_or(&Value::Null);
            line(
                &mut w,
                LEVEL_2,
                format!(
                    "\t{} \t{}\n",
                    str_at(path, &["path"]),
                    describe_backend(namespace, backend, services, slices)
                ),
            );
        }
    }
    if count == 0 {
        line(&mut w, LEVEL_1, format!("*\t*\t{default_backend}\n"));
    }
    print_annotations_multiline(
        &mut w,
        "Annotations",
        map_at(ing, &["metadata", "annotations"]),
    );
    describe_events(&events_for(ing, events, true), now, &mut w);
    w.finish()
}

/// describeIngressClassV1: controller and the parameters reference.
pub fn describe_ingress_class(class: &Value, events: &[Value], now: Timestamp) -> String {
    let mut w = PrefixWriter::new();
    name_line(class, &mut w);
    labels_and_annotations(class, &mut w);
    line(
        &mut w,
        LEVEL_0,
        format!("Controller:\t{}\n", str_at(class, &["spec", "controller"])),
    );
    if let Some(p) = get(class, &["spec", "parameters"]).filter(|p| p.is_object()) {
        w.write(LEVEL_0, "Parameters:\n");
        if let Some(group) = get(p, &["apiGroup"]).and_then(Value::as_str) {
            line(&mut w, LEVEL_1, format!("APIGroup:\t{group}\n"));
        }
        line(
            &mut w,
            LEVEL_1,
            format!("Kind:\t{}\n", str_at(p, &["kind"])),
        );
        line(
            &mut w,
            LEVEL_1,
            format!("Name:\t{}\n", str_at(p, &["name"])),
        );
    }
    describe_events(&events_for(class, events, true), now, &mut w);
    w.finish()
}

// ---------------------------------------------------------------------------------------------
// PriorityClass

/// describePriorityClass: value, global default, preemption policy, description, and the
/// annotations as a k=v list.
pub fn describe_priority_class(pc: &Value, events: &[Value], now: Timestamp) -> String {
    let mut w = PrefixWriter::new();
    name_line(pc, &mut w);
    line(
        &mut w,
        LEVEL_0,
        format!(
            "Value:\t{}\n",
            as_int(get(pc, &["value"]).unwrap_or(&Value::Null))
        ),
    );
    let global = get(pc, &["globalDefault"])
        .and_then(Value::as_bool)
        .unwrap_or(false);
    line(&mut w, LEVEL_0, format!("GlobalDefault:\t{global}\n"));
    line(
        &mut w,
        LEVEL_0,
        format!("PreemptionPolicy:\t{}\n", str_at(pc, &["preemptionPolicy"])),
    );
    line(
        &mut w,
        LEVEL_0,
        format!("Description:\t{}\n", str_at(pc, &["description"])),
    );
    line(
        &mut w,
        LEVEL_0,
        format!(
            "Annotations:\t{}\n",
            format_labels(map_at(pc, &["metadata", "annotations"]))
        ),
    );
    describe_events(&events_for(pc, events, true), now, &mut w);
    w.finish()
}

// ---------------------------------------------------------------------------------------------
// RBAC

/// What isSimpleResourceRule keys simple rules by: group, resource and the one resource name.
type SimpleKey = (String, String, Option<String>);

/// One broken-down policy rule.
#[derive(Clone, Debug, Default, PartialEq)]
struct Rule {
    verbs: Vec<String>,
    api_groups: Vec<String>,
    resources: Vec<String>,
    resource_names: Vec<String>,
    non_resource_urls: Vec<String>,
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    list_at(v, &[key])
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// Go's `%v` of a string slice: `[a b]`.
fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

impl Rule {
    /// The PolicyRule's generated String(), by which SortableRuleSlice orders rules.
    fn sort_key(&self) -> String {
        format!(
            "&PolicyRule{{Verbs:{},APIGroups:{},Resources:{},ResourceNames:{},NonResourceURLs:{},}}",
            go_list(&self.verbs),
            go_list(&self.api_groups),
            go_list(&self.resources),
            go_list(&self.resource_names),
            go_list(&self.non_resource_urls)
        )
    }

    /// isSimpleResourceRule's key: one group, one resource, at most one name, no URLs.
    fn simple_key(&self) -> Option<SimpleKey> {
        if self.resource_names.len() > 1
            || !self.non_resource_urls.is_empty()
            || self.api_groups.len() != 1
            || self.resources.len() != 1
        {
            return None;
        }
        Some((
            self.api_groups[0].clone(),
            self.resources[0].clone(),
            self.resource_names.first().cloned(),
        ))
    }
}

/// BreakdownRule (kubectl/pkg/util/rbac): one rule per group × resource × verb (× name), and
/// one per non-resource URL × verb; only the resource rules are merged back by CompactRules.
fn breakdown(rule: &Value) -> Vec<Rule> {
    let verbs = strings(rule, "verbs");
    let names = strings(rule, "resourceNames");
    let mut out = Vec::new();
    for group in strings(rule, "apiGroups") {
        for resource in strings(rule, "resources") {
            for verb in &verbs {
                let base = Rule {
                    verbs: vec![verb.clone()],
                    api_groups: vec![group.clone()],
                    resources: vec![resource.clone()],
                    ..Rule::default()
                };
                if names.is_empty() {
                    out.push(base);
                    continue;
                }
                for name in &names {
                    out.push(Rule {
                        resource_names: vec![name.clone()],
                        ..base.clone()
                    });
                }
            }
        }
    }
    for url in strings(rule, "nonResourceURLs") {
        for verb in &verbs {
            out.push(Rule {
                verbs: vec![verb.clone()],
                non_resource_urls: vec![url.clone()],
                ..Rule::default()
            });
        }
    }
    out
}

/// CompactRules: simple rules on the same group, resource and name merge their verbs; then
/// sort.Stable by the rules' String().
fn compact(rules: Vec<Rule>) -> Vec<Rule> {
    let mut compacted: Vec<Rule> = Vec::new();
    let mut simple: Vec<(SimpleKey, Rule)> = Vec::new();
    for rule in rules {
        match rule.simple_key() {
            Some(key) => match simple.iter_mut().find(|(k, _)| *k == key) {
                Some((_, existing)) => {
                    for verb in rule.verbs {
                        if !existing.verbs.contains(&verb) {
                            existing.verbs.push(verb);
                        }
                    }
                }
                None => simple.push((key, rule)),
            },
            None => compacted.push(rule),
        }
    }
    compacted.extend(simple.into_iter().map(|(_, r)| r));
    compacted.sort_by_cached_key(Rule::sort_key);
    compacted
}

/// CombineResourceGroup: `resource.group/subresource` of the first resource and group.
fn combine_resource_group(resources: &[String], groups: &[String]) -> String {
    let Some(first) = resources.first() else {
        return String::new();
    };
    let (resource, sub) = match first.split_once('/') {
        Some((r, s)) => (r, Some(s)),
        None => (first.as_str(), None),
    };
    let mut combined = resource.to_string();
    if let Some(group) = groups.first().filter(|g| !g.is_empty()) {
        combined = format!("{combined}.{group}");
    }
    if let Some(sub) = sub {
        combined = format!("{combined}/{sub}");
    }
    combined
}

/// describeRole / describeClusterRole: the compacted rules as a table.
pub fn describe_role(role: &Value) -> String {
    let mut w = PrefixWriter::new();
    name_line(role, &mut w);
    labels_and_annotations(role, &mut w);
    let rules = compact(
        list_at(role, &["rules"])
            .iter()
            .flat_map(breakdown)
            .collect(),
    );
    w.write(LEVEL_0, "PolicyRule:\n");
    w.write(
        LEVEL_1,
        "Resources\tNon-Resource URLs\tResource Names\tVerbs\n",
    );
    w.write(
        LEVEL_1,
        "---------\t-----------------\t--------------\t-----\n",
    );
    for r in rules {
        line(
            &mut w,
            LEVEL_1,
            format!(
                "{}\t{}\t{}\t{}\n",
                combine_resource_group(&r.resources, &r.api_groups),
                go_list(&r.non_resource_urls),
                go_list(&r.resource_names),
                go_list(&r.verbs)
            ),
        );
    }
    w.finish()
}

/// describeRoleBinding / describeClusterRoleBinding: the role reference and the subjects.
pub fn describe_role_binding(binding: &Value) -> String {
    let mut w = PrefixWriter::new();
    name_line(binding, &mut w);
    labels_and_annotations(binding, &mut w);
    w.write(LEVEL_0, "Role:\n");
    line(
        &mut w,
        LEVEL_1,
        format!("Kind:\t{}\n", str_at(binding, &["roleRef", "kind"])),
    );
    line(
        &mut w,
        LEVEL_1,
        format!("Name:\t{}\n", str_at(binding, &["roleRef", "name"])),
    );
    w.write(LEVEL_0, "Subjects:\n");
    w.write(LEVEL_1, "Kind\tName\tNamespace\n");
    w.write(LEVEL_1, "----\t----\t---------\n");
    for s in list_at(binding, &["subjects"]) {
        line(
            &mut w,
            LEVEL_1,
            format!(
                "{}\t{}\t{}\n",
                str_at(s, &["kind"]),
                str_at(s, &["name"]),
                str_at(s, &["namespace"])
            ),
        );
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> Timestamp {
        "2026-11-21T14:03:16Z".parse().unwrap()
    }

    #[test]
    fn role_rules_are_broken_down_and_compacted() {
        let role = json!({"metadata": {"name": "pod-reader", "namespace": "default"},
            "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "watch", "list"]},
                      {"apiGroups": ["apps"], "resources": ["deployments", "deployments/scale"],
                       "resourceNames": ["web"], "verbs": ["get"]}]});
        assert_eq!(
            describe_role(&role),
            "Name:         pod-reader
Labels:       <none>
Annotations:  <none>
PolicyRule:
  Resources               Non-Resource URLs  Resource Names  Verbs
  ---------               -----------------  --------------  -----
  pods                    []                 []              [get watch list]
  deployments.apps/scale  []                 [web]           [get]
  deployments.apps        []                 [web]           [get]
"
        );
    }

    /// BreakdownRule splits a non-resource URL rule per verb, and CompactRules leaves those
    /// apart (they are not simple resource rules): one line per URL and verb, sorted by String().
    #[test]
    fn non_resource_urls_get_one_line_per_verb() {
        let role = json!({"metadata": {"name": "health"},
            "rules": [{"nonResourceURLs": ["/healthz", "/livez"], "verbs": ["get", "post"]},
                      {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "get", "list"]}]});
        assert_eq!(
            describe_role(&role),
            "Name:         health
Labels:       <none>
Annotations:  <none>
PolicyRule:
  Resources  Non-Resource URLs  Resource Names  Verbs
  ---------  -----------------  --------------  -----
  pods       []                 []              [get list]
             [/healthz]         []              [get]
             [/livez]           []              [get]
             [/healthz]         []              [post]
             [/livez]           []              [post]
"
        );
    }

    #[test]
    fn role_bindings() {
        let rb = json!({"metadata": {"name": "read-pods", "namespace": "default"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "pod-reader"},
            "subjects": [{"kind": "User", "name": "jane", "apiGroup": "rbac.authorization.k8s.io"},
                         {"kind": "ServiceAccount", "name": "robot", "namespace": "default"}]});
        assert_eq!(
            describe_role_binding(&rb),
            "Name:         read-pods
Labels:       <none>
Annotations:  <none>
Role:
  Kind:  Role
  Name:  pod-reader
Subjects:
  Kind            Name   Namespace
  ----            ----   ---------
  User            jane   
  ServiceAccount  robot  default
"
        );
    }

    #[test]
    fn priority_class() {
        let pc = json!({"kind": "PriorityClass", "metadata": {"name": "high-priority"},
            "value": 1000000, "globalDefault": false, "preemptionPolicy": "PreemptLowerPriority",
            "description": "This priority class should be used for XYZ service pods only."});
        assert_eq!(
            describe_priority_class(&pc, &[], now()),
            "Name:              high-priority
Value:             1000000
GlobalDefault:     false
PreemptionPolicy:  PreemptLowerPriority
Description:       This priority class should be used for XYZ service pods only.
Annotations:       <none>
Events:            <none>
"
        );
    }

    #[test]
    fn ingress_with_a_missing_service_and_a_served_one() {
        let ing = json!({"kind": "Ingress",
            "metadata": {"name": "minimal-ingress", "namespace": "default"},
            "spec": {"ingressClassName": "nginx-example", "rules": [{"http": {"paths": [
                {"path": "/testpath", "pathType": "Prefix",
                 "backend": {"service": {"name": "test", "port": {"number": 80}}}},
                {"path": "/web", "pathType": "Prefix",
                 "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]},
            "status": {"loadBalancer": {}}});
        let svc = json!({"metadata": {"name": "web", "namespace": "default"},
            "spec": {"ports": [{"name": "http", "port": 80}]}});
        let slice = json!({"metadata": {"name": "web-abc", "namespace": "default",
                "labels": {"kubernetes.io/service-name": "web"}},
            "endpoints": [{"addresses": ["10.244.1.5"], "conditions": {"ready": true}}],
            "ports": [{"name": "http", "port": 8080}]});
        assert_eq!(
            describe_ingress(&ing, &[svc], &[slice], &[], now()),
            "Name:             minimal-ingress
Labels:           <none>
Namespace:        default
Address:          
Ingress Class:    nginx-example
Default backend:  <default>
Rules:
  Host        Path  Backends
  ----        ----  --------
  *           
              /testpath   test:80 (<error: services \"test\" not found>)
              /web        web:80 (10.244.1.5:8080)
Annotations:  <none>
Events:       <none>
"
        );
    }
}
