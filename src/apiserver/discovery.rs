//! The API server's non-resource URLs that clients read before anything else: discovery (`/api`,
//! `/apis` — the aggregated documents `apidiscovery.k8s.io/v2` kubectl asks for — and the legacy
//! per-version lists `/api/v1`, `/apis/apps/v1`), `/version`, and the OpenAPI v3 index and
//! documents (`/openapi/v3`, `/openapi/v3/api/v1?hash=…`). kube-apiserver serves them from
//! `k8s.io/apiserver/pkg/endpoints/discovery` (aggregated.go, root.go, version.go) and
//! `k8s.io/kube-openapi/pkg/handler3`; RBAC lets every authenticated user read them
//! (ClusterRole `system:discovery`).

use serde_json::{json, Value};

use super::resources::{ResourceInfo, RESOURCES};
use super::{ApiServer, Response};
use crate::sim::{Actor, Millis, Trace, TraceEntry};

/// The version the server reports (`kubectl version`'s `Server Version`).
pub const SERVER_VERSION: &str = "v1.36.2";

/// The `Accept` header kubectl sends for discovery: aggregated v2, then v2beta1, then the legacy
/// documents (client-go discovery_client.go `AcceptV2`).
pub const AGGREGATED_ACCEPT: &str = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

/// The API groups in the order the server lists them (by the aggregator's group priority,
/// pkg/controlplane/apiserver/aggregator.go `apiVersionPriorities`).
const GROUP_ORDER: &[&str] = &[
    "apiregistration.k8s.io",
    "apps",
    "events.k8s.io",
    "authentication.k8s.io",
    "authorization.k8s.io",
    "autoscaling",
    "batch",
    "certificates.k8s.io",
    "networking.k8s.io",
    "policy",
    "rbac.authorization.k8s.io",
    "storage.k8s.io",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "scheduling.k8s.io",
    "coordination.k8s.io",
    "node.k8s.io",
    "discovery.k8s.io",
    "flowcontrol.apiserver.k8s.io",
    "resource.k8s.io",
];

/// Versions served besides the preferred one: `autoscaling/v1` (HorizontalPodAutoscaler).
const OLDER_VERSIONS: &[(&str, &str)] = &[("autoscaling", "v1")];

const STANDARD_VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

/// The verbs discovery lists for a resource (what its REST storage implements).
pub fn verbs_of(info: &ResourceInfo) -> Vec<&'static str> {
    match (info.group, info.plural) {
        ("", "bindings") => vec!["create"],
        ("", "componentstatuses") => vec!["get", "list"],
        ("", "namespaces") => vec![
            "create", "delete", "get", "list", "patch", "update", "watch",
        ],
        ("authentication.k8s.io", _) | ("authorization.k8s.io", _) => vec!["create"],
        _ => STANDARD_VERBS.to_vec(),
    }
}

/// The categories discovery lists for a resource (`all` is what `kubectl get all` expands).
pub fn categories_of(info: &ResourceInfo) -> Vec<&'static str> {
    match (info.group, info.plural) {
        ("", "pods" | "services" | "replicationcontrollers")
        | ("apps", "daemonsets" | "deployments" | "replicasets" | "statefulsets")
        | ("autoscaling", "horizontalpodautoscalers")
        | ("batch", "cronjobs" | "jobs") => vec!["all"],
        ("admissionregistration.k8s.io", _)
        | ("apiextensions.k8s.io", _)
        | ("apiregistration.k8s.io", _) => vec!["api-extensions"],
        _ => Vec::new(),
    }
}

/// The resources discovery lists (every served one but the Binding pseudo-resource's twin
/// entries, which it lists once).
fn listed() -> impl Iterator<Item = &'static ResourceInfo> {
    RESOURCES.iter()
}

/// Every served group/version (`v1`, `apps/v1`, `autoscaling/v1`, …), unsorted.
pub fn group_versions() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for info in listed() {
        let gv = info.api_version();
        if !out.contains(&gv) {
            out.push(gv);
        }
    }
    for (g, v) in OLDER_VERSIONS {
        if listed().any(|r| r.group == *g) {
            out.push(format!("{g}/{v}"));
        }
    }
    out
}

/// The groups other than core, in the server's order.
fn groups() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = GROUP_ORDER
        .iter()
        .copied()
        .filter(|g| listed().any(|r| r.group == *g))
        .collect();
    for info in listed() {
        if !info.group.is_empty() && !out.contains(&info.group) {
            out.push(info.group);
        }
    }
    out
}

/// The versions of a group, preferred first.
fn versions_of(group: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for info in listed().filter(|r| r.group == group) {
        if !out.contains(&info.version) {
            out.push(info.version);
        }
    }
    for (g, v) in OLDER_VERSIONS {
        if *g == group && !out.contains(v) {
            out.push(v);
        }
    }
    out
}

/// The resources of a group/version (an older version serves the preferred version's resources
/// of the same kinds).
fn resources_of(group: &str, version: &str) -> Vec<&'static ResourceInfo> {
    let served_older = OLDER_VERSIONS.contains(&(group, version));
    let mut out: Vec<&'static ResourceInfo> = listed()
        .filter(|r| r.group == group && (r.version == version || served_older))
        .collect();
    out.sort_by_key(|r| r.plural);
    out
}

/// One resource of an aggregated discovery document (apidiscovery/v2 APIResourceDiscovery).
fn aggregated_resource(info: &ResourceInfo) -> Value {
    let mut r = json!({
        "resource": info.plural,
        "responseKind": {"group": "", "version": "", "kind": info.kind},
        "scope": if info.namespaced { "Namespaced" } else { "Cluster" },
        "singularResource": info.singular,
        "verbs": verbs_of(info),
    });
    if !info.short_names.is_empty() {
        r["shortNames"] = json!(info.short_names);
    }
    let categories = categories_of(info);
    if !categories.is_empty() {
        r["categories"] = json!(categories);
    }
    r
}

/// A group's entry in an aggregated document.
fn aggregated_group(group: &str) -> Value {
    let versions: Vec<Value> = versions_of(group)
        .into_iter()
        .map(|v| {
            let resources: Vec<Value> = resources_of(group, v)
                .into_iter()
                .map(aggregated_resource)
                .collect();
            json!({"version": v, "resources": resources, "freshness": "Current"})
        })
        .collect();
    let mut meta = json!({"creationTimestamp": null});
    if !group.is_empty() {
        meta["name"] = json!(group);
    }
    json!({"metadata": meta, "versions": versions})
}

/// `GET /api` (aggregated): the core group.
fn aggregated_core() -> Value {
    json!({
        "kind": "APIGroupDiscoveryList",
        "apiVersion": "apidiscovery.k8s.io/v2",
        "metadata": {},
        "items": [aggregated_group("")],
    })
}

/// `GET /apis` (aggregated): every named group.
fn aggregated_groups() -> Value {
    let items: Vec<Value> = groups().into_iter().map(aggregated_group).collect();
    json!({
        "kind": "APIGroupDiscoveryList",
        "apiVersion": "apidiscovery.k8s.io/v2",
        "metadata": {},
        "items": items,
    })
}

/// `GET /api/v1`, `GET /apis/apps/v1`: the legacy APIResourceList of one group/version.
fn resource_list(group: &str, version: &str) -> Option<Value> {
    let resources = resources_of(group, version);
    if resources.is_empty() {
        return None;
    }
    let items: Vec<Value> = resources
        .into_iter()
        .map(|info| {
            let mut r = json!({
                "name": info.plural,
                "singularName": info.singular,
                "namespaced": info.namespaced,
                "kind": info.kind,
                "verbs": verbs_of(info),
            });
            if !info.short_names.is_empty() {
                r["shortNames"] = json!(info.short_names);
            }
            r
        })
        .collect();
    let gv = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    Some(json!({
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": gv,
        "resources": items,
    }))
}

/// `GET /version` (version.Info of a v1.36.2 build).
pub fn version_info() -> Value {
    json!({
        "major": "1",
        "minor": "36",
        "emulationMajor": "1",
        "emulationMinor": "36",
        "minCompatibilityMajor": "1",
        "minCompatibilityMinor": "35",
        "gitVersion": SERVER_VERSION,
        "gitTreeState": "clean",
        "goVersion": "go1.26.2",
        "compiler": "gc",
        "platform": "linux/amd64",
    })
}

/// The OpenAPI v3 path of a group/version (`api/v1`, `apis/apps/v1`).
pub fn openapi_path(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("api/{version}")
    } else {
        format!("apis/{group}/{version}")
    }
}

/// A stable content hash for an OpenAPI v3 document (the server's is a SHA-512 of the
/// document; kubectl only compares it, so any stable value models it).
fn openapi_hash(path: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.bytes().chain(SERVER_VERSION.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016X}{:016X}", h.rotate_left(17) ^ 0x9e37_79b9_7f4a_7c15)
}

/// The server-relative URL of a group/version's OpenAPI v3 document, with its hash.
pub fn openapi_url(group: &str, version: &str) -> String {
    let path = openapi_path(group, version);
    format!("/openapi/v3/{path}?hash={}", openapi_hash(&path))
}

/// The ETag of the OpenAPI v3 index (kubectl's HTTP cache sends it back in `If-None-Match`).
pub fn openapi_index_etag() -> String {
    openapi_hash("openapi/v3")
}

/// `GET /openapi/v3`: the index of OpenAPI v3 documents.
fn openapi_index() -> Value {
    let mut paths = serde_json::Map::new();
    paths.insert(
        "api".into(),
        json!({"serverRelativeURL": format!("/openapi/v3/api?hash={}", openapi_hash("api"))}),
    );
    paths.insert(
        "apis".into(),
        json!({"serverRelativeURL": format!("/openapi/v3/apis?hash={}", openapi_hash("apis"))}),
    );
    for gv in group_versions() {
        let (group, version) = match gv.split_once('/') {
            Some((g, v)) => (g.to_string(), v.to_string()),
            None => (String::new(), gv.clone()),
        };
        paths.insert(
            openapi_path(&group, &version),
            json!({"serverRelativeURL": openapi_url(&group, &version)}),
        );
    }
    json!({"paths": paths})
}

/// `GET /openapi/v3/api/v1`: the document's outline (the schemas themselves are what
/// `kubectl explain` prints; podlab keeps them on the kubectl side).
fn openapi_document(path: &str) -> Option<Value> {
    let known = openapi_index()["paths"].get(path).is_some();
    known.then(|| {
        json!({
            "openapi": "3.0.0",
            "info": {"title": "Kubernetes", "version": SERVER_VERSION},
            "paths": {},
            "components": {"schemas": {}},
        })
    })
}

/// The body served at a non-resource path, if any.
fn body_for(path: &str) -> Option<Value> {
    let (path, _query) = path.split_once('?').unwrap_or((path, ""));
    match path.trim_end_matches('/') {
        "/api" => Some(aggregated_core()),
        "/apis" => Some(aggregated_groups()),
        "/version" => Some(version_info()),
        "/openapi/v3" => Some(openapi_index()),
        p => {
            if let Some(doc) = p.strip_prefix("/openapi/v3/") {
                return openapi_document(doc);
            }
            if let Some(version) = p.strip_prefix("/api/") {
                return resource_list("", version);
            }
            let (group, version) = p.strip_prefix("/apis/")?.split_once('/')?;
            resource_list(group, version)
        }
    }
}

/// A short description of a discovery body for the trace.
fn summary(body: &Value) -> String {
    match body.get("kind").and_then(Value::as_str) {
        Some("APIGroupDiscoveryList") => {
            let items = body["items"].as_array().map(Vec::len).unwrap_or(0);
            let resources: usize = body["items"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|g| g["versions"].as_array().into_iter().flatten())
                .map(|v| v["resources"].as_array().map(Vec::len).unwrap_or(0))
                .sum();
            format!("APIGroupDiscoveryList (apidiscovery.k8s.io/v2): {items} group(s), {resources} resources")
        }
        Some("APIResourceList") => format!(
            "APIResourceList {}: {} resources",
            body["groupVersion"].as_str().unwrap_or_default(),
            body["resources"].as_array().map(Vec::len).unwrap_or(0)
        ),
        _ if body.get("gitVersion").is_some() => {
            format!("version.Info gitVersion {SERVER_VERSION}")
        }
        _ if body.get("openapi").is_some() => "OpenAPI v3 document".into(),
        _ if body.get("paths").is_some() => format!(
            "OpenAPI v3 index: {} documents",
            body["paths"].as_object().map(|m| m.len()).unwrap_or(0)
        ),
        _ => String::new(),
    }
}

impl ApiServer {
    /// Serve a GET of a non-resource URL (discovery, `/version`, OpenAPI v3) from `caller`,
    /// tracing the request line, the authentication and authorization stages, and the answer.
    /// `header` is what the request says about its content (`Accept: …`).
    pub fn serve_non_resource(
        &self,
        path: &str,
        header: &str,
        user: &str,
        now: Millis,
        trace: &mut Trace,
        caller: &Actor,
    ) -> Response {
        let rev = self.etcd().revision();
        let mut push = |from: Actor, to: Actor, action: String, detail: String| {
            trace.push(TraceEntry {
                at: now,
                from,
                to,
                action,
                object: path.split('?').next().unwrap_or(path).to_string(),
                detail,
                revision: rev,
            });
        };
        push(
            caller.clone(),
            Actor::ApiServer,
            format!("GET {path}"),
            header.to_string(),
        );
        let mut stages: Vec<(String, String)> = Vec::new();
        let allowed = super::auth::authorize_non_resource(
            self.etcd(),
            user,
            "get",
            path,
            &mut |stage, detail| {
                stages.push((stage.to_string(), detail));
            },
        );
        for (stage, detail) in stages {
            push(Actor::ApiServer, Actor::ApiServer, stage, detail);
        }
        if let Err(e) = allowed {
            let response = Response::error(&e);
            push(
                Actor::ApiServer,
                caller.clone(),
                "403 Forbidden".into(),
                e.message,
            );
            return response;
        }
        let unchanged = path == "/openapi/v3"
            && header.contains(&format!("If-None-Match: \"{}\"", openapi_index_etag()));
        let response = match body_for(path) {
            Some(_) if unchanged => Response::ok(304, Value::Null),
            Some(body) => Response::ok(200, body),
            None => Response::error(&super::ApiError {
                code: 404,
                reason: "NotFound".into(),
                message: "the server could not find the requested resource".into(),
                details: None,
            }),
        };
        let status = match response.code {
            200 => "200 OK",
            304 => "304 Not Modified",
            _ => "404 Not Found",
        };
        push(
            Actor::ApiServer,
            caller.clone(),
            status.to_string(),
            summary(&response.body),
        );
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_discovery_lists_the_core_resources() {
        let body = body_for("/api").unwrap();
        assert_eq!(body["kind"], "APIGroupDiscoveryList");
        let resources = &body["items"][0]["versions"][0]["resources"];
        let pods = resources
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["resource"] == "pods")
            .unwrap();
        assert_eq!(pods["shortNames"], json!(["po"]));
        assert_eq!(pods["scope"], "Namespaced");
        assert_eq!(pods["categories"], json!(["all"]));
    }

    #[test]
    fn legacy_lists_and_unknown_paths() {
        let apps = body_for("/apis/apps/v1").unwrap();
        assert_eq!(apps["groupVersion"], "apps/v1");
        assert!(body_for("/apis/nope/v1").is_none());
        assert!(body_for("/api/v2").is_none());
        assert_eq!(body_for("/version").unwrap()["gitVersion"], "v1.36.2");
    }

    #[test]
    fn openapi_index_points_at_hashed_documents() {
        let index = body_for("/openapi/v3").unwrap();
        let url = index["paths"]["api/v1"]["serverRelativeURL"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(url.starts_with("/openapi/v3/api/v1?hash="));
        assert_eq!(url, openapi_url("", "v1"));
        assert!(body_for(&url).is_some());
    }
}
