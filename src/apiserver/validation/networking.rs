//! networking.k8s.io/v1 Ingress and IngressClass validation: `ValidateIngressCreate`,
//! `ValidateIngressUpdate`, `ValidateIngressClass` and `ValidateIngressClassUpdate` of
//! `pkg/apis/networking/validation/validation.go` (v1.36: RelaxedServiceNameValidation is on, so
//! backend service names are DNS labels).
//!
//! The functions take the stored JSON: `pathType` has no default and a missing one is refused
//! (`pathType must be specified`), and a nil `rules` prints `null`.

use serde_json::Value;

use super::field::{go_json, BadValue, ErrorList, FieldError, Path};
use super::meta::{validate_object_meta, validate_object_meta_update, FIELD_IMMUTABLE_ERROR_MSG};
use super::names::{
    is_dns1123_subdomain, is_valid_port_name, is_valid_port_num, matches_dns1123_subdomain,
    max_len_error, name_is_dns_label, name_is_dns_subdomain, parse_ip_sloppy, regex_error,
    DNS1123_SUBDOMAIN_FMT,
};

/// `wildcardDNS1123SubdomainErrMsg`.
const WILDCARD_ERR_MSG: &str = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";
/// `supportedPathTypes`, sorted.
const PATH_TYPES: &[&str] = &["Exact", "ImplementationSpecific", "Prefix"];
const INVALID_PATH_SEQUENCES: &[&str] = &["//", "/./", "/../", "%2f", "%2F"];
const INVALID_PATH_SUFFIXES: &[&str] = &["/..", "/."];
/// `annotationIngressClass`.
const INGRESS_CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";
/// `httpPathFmt`.
const HTTP_PATH_FMT: &str = r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+";

fn metadata_of(obj: &Value) -> k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
    obj.get("metadata")
        .and_then(|m| serde_json::from_value(m.clone()).ok())
        .unwrap_or_default()
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn present<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get(key).filter(|x| !x.is_null())
}

/// `IsWildcardDNS1123Subdomain`.
pub fn is_wildcard_dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push(max_len_error(253));
    }
    let ok = value
        .strip_prefix("*.")
        .is_some_and(matches_dns1123_subdomain);
    if !ok {
        errs.push(regex_error(
            WILDCARD_ERR_MSG,
            &format!("\\*\\.{DNS1123_SUBDOMAIN_FMT}"),
            &["*.example.com"],
        ));
    }
    errs
}

/// A host of a rule or TLS entry: a wildcard or a plain DNS subdomain.
fn validate_host(host: &str, path: &Path) -> ErrorList {
    let msgs = if host.contains('*') {
        is_wildcard_dns1123_subdomain(host)
    } else {
        is_dns1123_subdomain(host)
    };
    msgs.into_iter()
        .map(|m| FieldError::invalid(path, host, m))
        .collect()
}

/// `IsPathSegmentName`.
fn is_path_segment_name(name: &str) -> Vec<String> {
    if name == "." || name == ".." {
        return vec![format!("may not be '{name}'")];
    }
    ["/", "%"]
        .iter()
        .filter(|c| name.contains(*c))
        .map(|c| format!("may not contain '{c}'"))
        .collect()
}

/// `validateIngressTypedLocalObjectReference` (a resource backend).
fn validate_resource_reference(r: &Value, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if let Some(group) = present(r, "apiGroup").and_then(Value::as_str) {
        for m in is_dns1123_subdomain(group) {
            errs.push(FieldError::invalid(&path.child("apiGroup"), group, m));
        }
    }
    for field in ["kind", "name"] {
        let value = text(r, field);
        if value.is_empty() {
            errs.push(FieldError::required(&path.child(field), ""));
        } else {
            for m in is_path_segment_name(value) {
                errs.push(FieldError::invalid(&path.child(field), value, m));
            }
        }
    }
    errs
}

/// `validateIngressBackend`: exactly one of a service (a DNS label name, and a port name or
/// number) or a resource.
fn validate_backend(backend: &Value, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    match (present(backend, "resource"), present(backend, "service")) {
        (Some(_), Some(_)) => errs.push(FieldError::invalid(
            path,
            "",
            "cannot set both resource and service backends",
        )),
        (Some(r), None) => errs.extend(validate_resource_reference(r, &path.child("resource"))),
        (None, Some(svc)) => {
            let service = path.child("service");
            let name = text(svc, "name");
            if name.is_empty() {
                errs.push(FieldError::required(&service.child("name"), ""));
            } else {
                for m in name_is_dns_label(name, false) {
                    errs.push(FieldError::invalid(&service.child("name"), name, m));
                }
            }
            let port = svc.get("port").cloned().unwrap_or(Value::Null);
            let port_name = text(&port, "name");
            let number = port.get("number").and_then(Value::as_i64).unwrap_or(0);
            let port_path = service.child("port");
            match (port_name.is_empty(), number == 0) {
                (false, false) => errs.push(FieldError::invalid(
                    path,
                    "",
                    "cannot set both port name & port number",
                )),
                (false, true) => {
                    for m in is_valid_port_name(port_name) {
                        errs.push(FieldError::invalid(&port_path.child("name"), port_name, m));
                    }
                }
                (true, false) => {
                    for m in is_valid_port_num(number) {
                        errs.push(FieldError::invalid(&port_path.child("number"), number, m));
                    }
                }
                (true, true) => errs.push(FieldError::required(
                    path,
                    "port name or number is required",
                )),
            }
        }
        (None, None) => errs.push(FieldError::invalid(
            path,
            "",
            "resource or service backend is required",
        )),
    }
    errs
}

/// `validateHTTPIngressPath`: a path type (required, no default), an absolute path without
/// `//`, `/./`, ... for Exact and Prefix, then the backend.
fn validate_http_path(p: &Value, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let Some(path_type) = present(p, "pathType").and_then(Value::as_str) else {
        return vec![FieldError::required(
            &path.child("pathType"),
            "pathType must be specified",
        )];
    };
    let value = text(p, "path");
    let path_field = path.child("path");
    match path_type {
        "Exact" | "Prefix" => {
            if !value.starts_with('/') {
                errs.push(FieldError::invalid(
                    &path_field,
                    value,
                    "must be an absolute path",
                ));
            }
            if !value.is_empty() {
                for seq in INVALID_PATH_SEQUENCES.iter().filter(|s| value.contains(*s)) {
                    errs.push(FieldError::invalid(
                        &path_field,
                        value,
                        format!("must not contain '{seq}'"),
                    ));
                }
                for suffix in INVALID_PATH_SUFFIXES.iter().filter(|s| value.ends_with(*s)) {
                    errs.push(FieldError::invalid(
                        &path_field,
                        value,
                        format!("cannot end with '{suffix}'"),
                    ));
                }
            }
        }
        "ImplementationSpecific" => {
            if !value.is_empty() && !value.starts_with('/') {
                errs.push(FieldError::invalid(
                    &path_field,
                    value,
                    "must be an absolute path",
                ));
            }
        }
        other => errs.push(FieldError::not_supported(
            &path.child("pathType"),
            BadValue::named(other),
            PATH_TYPES,
        )),
    }
    let backend = p.get("backend").cloned().unwrap_or(Value::Null);
    errs.extend(validate_backend(&backend, &path.child("backend")));
    errs
}

/// `validateIngressRules`: hosts are DNS names (not IPs, wildcards allowed), and each HTTP rule
/// has paths.
fn validate_rules(rules: &[Value], path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let rule_path = path.index(i);
        let host = text(rule, "host");
        if !host.is_empty() {
            if parse_ip_sloppy(host).is_some() {
                errs.push(FieldError::invalid(
                    &rule_path.child("host"),
                    host,
                    "must be a DNS name, not an IP address",
                ));
            }
            errs.extend(validate_host(host, &rule_path.child("host")));
        }
        if let Some(http) = present(rule, "http") {
            let http_path = rule_path.child("http");
            let paths = http
                .get("paths")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if paths.is_empty() {
                errs.push(FieldError::required(&http_path.child("paths"), ""));
            }
            for (j, p) in paths.iter().enumerate() {
                errs.extend(validate_http_path(p, &http_path.child("paths").index(j)));
            }
        }
    }
    errs
}

/// `validateIngressTLS`: hosts, and secret names that are DNS subdomains.
fn validate_tls(tls: &[Value], path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    for (i, entry) in tls.iter().enumerate() {
        let entry_path = path.index(i);
        for (j, host) in entry
            .get("hosts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let host = host.as_str().unwrap_or("");
            errs.extend(validate_host(host, &entry_path.child("hosts").index(j)));
        }
        let secret = text(entry, "secretName");
        if !secret.is_empty() {
            for m in name_is_dns_subdomain(secret, false) {
                errs.push(FieldError::invalid(
                    &entry_path.child("secretName"),
                    secret,
                    m,
                ));
            }
        }
    }
    errs
}

/// `ValidateIngressSpec`.
fn validate_ingress_spec(obj: &Value) -> ErrorList {
    let path = Path::new("spec");
    let spec = obj.get("spec").cloned().unwrap_or(Value::Null);
    let rules = spec.get("rules").and_then(Value::as_array).cloned();
    let default_backend = present(&spec, "defaultBackend");
    let mut errs = Vec::new();
    if rules.as_ref().is_none_or(Vec::is_empty) && default_backend.is_none() {
        let shown = spec.get("rules").cloned().unwrap_or(Value::Null);
        errs.push(FieldError::invalid(
            &path,
            BadValue::Json(go_json(&shown)),
            "either `defaultBackend` or `rules` must be specified",
        ));
    }
    if let Some(b) = default_backend {
        errs.extend(validate_backend(b, &path.child("defaultBackend")));
    }
    if let Some(rules) = rules.filter(|r| !r.is_empty()) {
        errs.extend(validate_rules(&rules, &path.child("rules")));
    }
    if let Some(tls) = spec.get("tls").and_then(Value::as_array) {
        errs.extend(validate_tls(tls, &path.child("tls")));
    }
    if let Some(class) = spec.get("ingressClassName").and_then(Value::as_str) {
        for m in name_is_dns_subdomain(class, false) {
            errs.push(FieldError::invalid(
                &path.child("ingressClassName"),
                class,
                m,
            ));
        }
    }
    errs
}

/// `validateIngress`: namespaced metadata with a DNS subdomain name, then the spec.
fn validate_ingress(obj: &Value) -> ErrorList {
    let mut errs = validate_object_meta(
        &metadata_of(obj),
        true,
        name_is_dns_subdomain,
        &Path::new("metadata"),
    );
    errs.extend(validate_ingress_spec(obj));
    errs
}

/// `ValidateIngressCreate`: the Ingress, and the `kubernetes.io/ingress.class` annotation must
/// agree with `ingressClassName` when both are set.
pub fn validate_ingress_create(obj: &Value) -> ErrorList {
    let mut errs = validate_ingress(obj);
    let annotation = obj
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(INGRESS_CLASS_ANNOTATION))
        .and_then(Value::as_str);
    let class = obj
        .pointer("/spec/ingressClassName")
        .and_then(Value::as_str);
    if let (Some(a), Some(c)) = (annotation, class) {
        if a != c {
            errs.push(FieldError::invalid(
                &Path::new("annotations").child(INGRESS_CLASS_ANNOTATION),
                a,
                "must match `ingressClassName` when both are specified",
            ));
        }
    }
    errs
}

/// `ValidateIngressUpdate`: metadata, then the Ingress as on create (podlab does not model the
/// allowances for objects stored invalid by older servers).
pub fn validate_ingress_update(new: &Value, old: &Value) -> ErrorList {
    let mut errs =
        validate_object_meta_update(&metadata_of(new), &metadata_of(old), &Path::new("metadata"));
    errs.extend(validate_ingress(new));
    errs
}

// ---- IngressClass -----------------------------------------------------------------------------

/// `IsDomainPrefixedPath`.
fn validate_domain_prefixed_path(value: &str, path: &Path) -> ErrorList {
    if value.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    let Some((host, rest)) = value
        .split_once('/')
        .filter(|(h, r)| !h.is_empty() && !r.is_empty())
    else {
        return vec![FieldError::invalid(
            path,
            value,
            "must be a domain-prefixed path (such as \"acme.io/foo\")",
        )];
    };
    let mut errs: ErrorList = is_dns1123_subdomain(host)
        .into_iter()
        .map(|m| FieldError::invalid(path, host, m))
        .collect();
    let path_ok = rest
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/-._~%!$&'()*+,;=:".contains(&b));
    if !path_ok {
        errs.push(FieldError::invalid(
            path,
            rest,
            regex_error("Invalid path", HTTP_PATH_FMT, &[]),
        ));
    }
    errs
}

/// `validateIngressClassParametersReference`.
fn validate_parameters(params: &Value, path: &Path) -> ErrorList {
    let mut errs = validate_resource_reference(params, path);
    let scope_path = path.child("scope");
    let Some(scope) = present(params, "scope").and_then(Value::as_str) else {
        errs.push(FieldError::required(&scope_path, ""));
        return errs;
    };
    let namespace = present(params, "namespace").and_then(Value::as_str);
    match scope {
        "Namespace" => match namespace {
            None => errs.push(FieldError::required(
                &path.child("namespace"),
                "`parameters.scope` is set to 'Namespace'",
            )),
            Some(ns) => {
                for m in name_is_dns_label(ns, false) {
                    errs.push(FieldError::invalid(&path.child("namespace"), ns, m));
                }
            }
        },
        "Cluster" => {
            if namespace.is_some() {
                errs.push(FieldError::forbidden(
                    &path.child("namespace"),
                    "`parameters.scope` is set to 'Cluster'",
                ));
            }
        }
        other => errs.push(FieldError::not_supported(
            &scope_path,
            other,
            &["Cluster", "Namespace"],
        )),
    }
    errs
}

/// `ValidateIngressClass`: cluster-scoped metadata, a domain-prefixed controller of at most 250
/// characters, and well-formed parameters.
pub fn validate_ingress_class(obj: &Value) -> ErrorList {
    let mut errs = validate_object_meta(
        &metadata_of(obj),
        false,
        name_is_dns_subdomain,
        &Path::new("metadata"),
    );
    let path = Path::new("spec");
    let controller = obj
        .pointer("/spec/controller")
        .and_then(Value::as_str)
        .unwrap_or("");
    if controller.len() > 250 {
        errs.push(FieldError::too_long(&path.child("controller"), 250));
    }
    errs.extend(validate_domain_prefixed_path(
        controller,
        &path.child("controller"),
    ));
    if let Some(params) = obj.pointer("/spec/parameters").filter(|p| !p.is_null()) {
        errs.extend(validate_parameters(params, &path.child("parameters")));
    }
    errs
}

/// `ValidateIngressClassUpdate`: the controller is immutable.
pub fn validate_ingress_class_update(new: &Value, old: &Value) -> ErrorList {
    let mut errs =
        validate_object_meta_update(&metadata_of(new), &metadata_of(old), &Path::new("metadata"));
    let controller = |o: &Value| {
        o.pointer("/spec/controller")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    if controller(new) != controller(old) {
        errs.push(FieldError::invalid(
            &Path::new("spec").child("controller"),
            controller(new).as_str(),
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    errs.extend(validate_ingress_class(new));
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn messages(errs: &ErrorList) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    fn ingress(rules: Value) -> Value {
        json!({"metadata": {"name": "minimal-ingress", "namespace": "default"}, "spec": {"ingressClassName": "nginx-example", "rules": rules}})
    }

    #[test]
    fn the_minimal_ingress_is_valid() {
        let ing = ingress(
            json!([{"http": {"paths": [{"path": "/testpath", "pathType": "Prefix", "backend": {"service": {"name": "test", "port": {"number": 80}}}}]}}]),
        );
        assert!(validate_ingress_create(&ing).is_empty());
    }

    #[test]
    fn path_type_is_required_and_paths_absolute() {
        let ing = ingress(json!([{"host": "*.foo.com", "http": {"paths": [
            {"path": "/a", "backend": {"service": {"name": "test", "port": {"number": 80}}}},
            {"path": "relative", "pathType": "Exact", "backend": {"service": {"name": "test"}}},
        ]}}]));
        assert_eq!(
            messages(&validate_ingress_create(&ing)),
            vec![
                "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified",
                "spec.rules[0].http.paths[1].path: Invalid value: \"relative\": must be an absolute path",
                "spec.rules[0].http.paths[1].backend: Required value: port name or number is required",
            ]
        );
    }

    #[test]
    fn hosts_backends_and_empty_specs() {
        let ing = ingress(json!([{"host": "foo.*.com", "http": {"paths": [
            {"path": "/", "pathType": "Prefix", "backend": {}},
        ]}}]));
        assert_eq!(
            messages(&validate_ingress_create(&ing)),
            vec![
                "spec.rules[0].host: Invalid value: \"foo.*.com\": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                "spec.rules[0].http.paths[0].backend: Invalid value: \"\": resource or service backend is required",
            ]
        );
        let empty = json!({"metadata": {"name": "x", "namespace": "default"}, "spec": {}});
        assert_eq!(
            messages(&validate_ingress_create(&empty)),
            vec!["spec: Invalid value: null: either `defaultBackend` or `rules` must be specified"]
        );
    }

    #[test]
    fn ingress_class_controllers_are_domain_prefixed_and_immutable() {
        let class = json!({"metadata": {"name": "example-class", "resourceVersion": "1"}, "spec": {"controller": "k8s.io/example-class"}});
        assert!(validate_ingress_class(&class).is_empty());
        let mut bad = class.clone();
        bad["spec"]["controller"] = json!("example");
        assert_eq!(
            messages(&validate_ingress_class_update(&bad, &class)),
            vec![
                "spec.controller: Invalid value: \"example\": field is immutable",
                "spec.controller: Invalid value: \"example\": must be a domain-prefixed path (such as \"acme.io/foo\")",
            ]
        );
    }
}
