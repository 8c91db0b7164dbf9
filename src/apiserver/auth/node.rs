//! The Node authorizer (plugin/pkg/auth/authorizer/node/node_authorizer.go): a kubelet, user
//! `system:node:NAME` in group `system:nodes`, may read only the secrets, config maps, volumes
//! and service-account tokens of the pods bound to its node (the real authorizer keeps a graph of
//! node ← pod ← secret/configmap/pvc ← pv edges; podlab walks the stored pods instead), its own
//! lease and Node, and pods through a `spec.nodeName` field selector; anything else is judged by
//! the static rules of `system:node` (bootstrappolicy.NodeRules). Other users get no opinion.

use serde_json::Value;

use super::rbac::rule_allows;
use super::{Attributes, Decision, UserInfo};
use crate::apiserver::bootstrap::node_rules;
use crate::apiserver::resources;
use crate::etcd::Etcd;

/// The user-name prefix of node credentials.
pub const NODE_USER_PREFIX: &str = "system:node:";
/// The group of node credentials (user.NodesGroup).
pub const NODES_GROUP: &str = "system:nodes";
const NODE_LEASE_NAMESPACE: &str = "kube-node-lease";

/// What the Node authorizer answered; `explanation` says why it allowed, for the trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeVerdict {
    pub decision: Decision,
    pub reason: String,
    pub explanation: String,
}

fn allow(explanation: impl Into<String>) -> NodeVerdict {
    NodeVerdict {
        decision: Decision::Allow,
        reason: String::new(),
        explanation: explanation.into(),
    }
}

fn no_opinion(reason: impl Into<String>) -> NodeVerdict {
    NodeVerdict {
        decision: Decision::NoOpinion,
        reason: reason.into(),
        explanation: String::new(),
    }
}

/// nodeidentifier.NodeIdentity: the node's name for `system:node:NAME` in `system:nodes`
/// (possibly empty), or `None` for anyone else.
pub fn node_identity(user: &UserInfo) -> Option<&str> {
    let name = user.name.strip_prefix(NODE_USER_PREFIX)?;
    user.in_group(NODES_GROUP).then_some(name)
}

/// NodeAuthorizer.Authorize.
pub fn authorize(etcd: &Etcd, attrs: &Attributes) -> NodeVerdict {
    let Some(node) = node_identity(&attrs.user) else {
        return no_opinion("");
    };
    if node.is_empty() {
        return no_opinion(format!("unknown node for user \"{}\"", attrs.user.name));
    }
    if attrs.is_resource_request() {
        let graph = Graph { etcd, node };
        let decided = match (attrs.api_group.as_str(), attrs.resource.as_str()) {
            ("", "secrets") => Some(graph.read_namespaced_object(Kind::Secret, attrs)),
            ("", "configmaps") => Some(graph.read_namespaced_object(Kind::ConfigMap, attrs)),
            ("", "persistentvolumeclaims") if attrs.subresource == "status" => {
                Some(graph.status_update(Kind::Claim, attrs))
            }
            ("", "persistentvolumeclaims") => Some(graph.get(Kind::Claim, attrs)),
            ("", "persistentvolumes") => Some(graph.get(Kind::Volume, attrs)),
            ("resource.k8s.io", "resourceclaims") => Some(graph.get(Kind::Unmodelled, attrs)),
            ("storage.k8s.io", "volumeattachments") => Some(graph.get(Kind::Unmodelled, attrs)),
            ("", "serviceaccounts") => Some(graph.create_token(attrs)),
            ("coordination.k8s.io", "leases") => Some(lease(node, attrs)),
            ("storage.k8s.io", "csinodes") => Some(csi_node(node, attrs)),
            ("", "nodes") => Some(node_object(node, attrs)),
            ("", "pods") => Some(graph.pod(attrs)),
            _ => None,
        };
        if let Some(verdict) = decided {
            return verdict;
        }
    }
    if node_rules().iter().any(|rule| rule_allows(attrs, rule)) {
        return allow("the static rules of ClusterRole \"system:node\" allow it");
    }
    no_opinion("")
}

/// The objects whose relationship to a node the graph tracks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pod,
    Secret,
    ConfigMap,
    Claim,
    Volume,
    ServiceAccount,
    /// Kinds podlab does not serve (resource claims, volume attachments): never related.
    Unmodelled,
}

/// The node's view of the stored pods: what the real authorizer's graph would hold.
struct Graph<'a> {
    etcd: &'a Etcd,
    node: &'a str,
}

fn text<'v>(v: &'v Value, pointer: &str) -> &'v str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn list<'v>(v: &'v Value, pointer: &str) -> impl Iterator<Item = &'v Value> {
    v.pointer(pointer)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// The names of objects of `kind` a pod spec refers to (graph_populator.go AddPod: image pull
/// secrets, volumes, projected sources, env and envFrom of every container, its service account).
fn references(pod: &Value, kind: Kind) -> Vec<String> {
    let mut names = Vec::new();
    let containers = ["initContainers", "containers", "ephemeralContainers"]
        .iter()
        .flat_map(|k| list(pod, &format!("/spec/{k}")).collect::<Vec<_>>())
        .collect::<Vec<_>>();
    let (volume_pointer, projected, env_ref, env_from) = match kind {
        Kind::Secret => {
            names.extend(list(pod, "/spec/imagePullSecrets").map(|s| text(s, "/name").to_string()));
            (
                "/secret/secretName",
                "/secret/name",
                "/valueFrom/secretKeyRef/name",
                "/secretRef/name",
            )
        }
        Kind::ConfigMap => (
            "/configMap/name",
            "/configMap/name",
            "/valueFrom/configMapKeyRef/name",
            "/configMapRef/name",
        ),
        Kind::Claim => {
            let pod_name = text(pod, "/metadata/name");
            for v in list(pod, "/spec/volumes") {
                if v.get("ephemeral").is_some() {
                    names.push(format!("{pod_name}-{}", text(v, "/name")));
                }
            }
            ("/persistentVolumeClaim/claimName", "", "", "")
        }
        Kind::ServiceAccount => {
            names.push(text(pod, "/spec/serviceAccountName").to_string());
            return names;
        }
        Kind::Pod | Kind::Volume | Kind::Unmodelled => return names,
    };
    for volume in list(pod, "/spec/volumes") {
        names.push(text(volume, volume_pointer).to_string());
        if !projected.is_empty() {
            names
                .extend(list(volume, "/projected/sources").map(|s| text(s, projected).to_string()));
        }
    }
    for container in containers {
        if !env_ref.is_empty() {
            names.extend(list(container, "/env").map(|e| text(e, env_ref).to_string()));
            names.extend(list(container, "/envFrom").map(|e| text(e, env_from).to_string()));
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

impl Graph<'_> {
    /// The pods bound to this node (in `namespace`, or anywhere).
    fn pods(&self, namespace: Option<&str>) -> Vec<&Value> {
        let Some(info) = resources::by_plural("", "pods") else {
            return Vec::new();
        };
        self.etcd
            .range(&info.etcd_range(namespace))
            .into_iter()
            .map(|kv| &kv.value)
            .filter(|p| text(p, "/spec/nodeName") == self.node)
            .collect()
    }

    /// hasPathFrom: whether the object is related to the node through its pods.
    fn has_path_from(&self, kind: Kind, namespace: &str, name: &str) -> bool {
        match kind {
            Kind::Pod => self
                .pods(Some(namespace))
                .iter()
                .any(|p| text(p, "/metadata/name") == name),
            Kind::Volume => self.volume_in_use(name),
            Kind::Unmodelled => false,
            _ => self
                .pods(Some(namespace))
                .iter()
                .any(|p| references(p, kind).iter().any(|n| n == name)),
        }
    }

    /// A persistent volume bound to a claim one of the node's pods uses.
    fn volume_in_use(&self, volume: &str) -> bool {
        let Some(claims) = resources::by_plural("", "persistentvolumeclaims") else {
            return false;
        };
        self.etcd
            .range(&claims.etcd_range(None))
            .into_iter()
            .any(|kv| {
                let claim = &kv.value;
                text(claim, "/spec/volumeName") == volume
                    && self.has_path_from(
                        Kind::Claim,
                        text(claim, "/metadata/namespace"),
                        text(claim, "/metadata/name"),
                    )
            })
    }

    /// NodeAuthorizer.authorize: a named object related to the node.
    fn related(&self, kind: Kind, attrs: &Attributes) -> NodeVerdict {
        if attrs.name.is_empty() {
            return no_opinion("No Object name found");
        }
        if self.has_path_from(kind, &attrs.namespace, &attrs.name) {
            allow(format!("a pod bound to node \"{}\" uses it", self.node))
        } else {
            no_opinion(format!(
                "no relationship found between node '{}' and this object",
                self.node
            ))
        }
    }

    /// authorizeReadNamespacedObject (secrets, config maps): get/list/watch of one related object.
    fn read_namespaced_object(&self, kind: Kind, attrs: &Attributes) -> NodeVerdict {
        if !matches!(attrs.verb.as_str(), "get" | "list" | "watch") {
            return no_opinion("can only read resources of this type");
        }
        if !attrs.subresource.is_empty() {
            return no_opinion("cannot read subresource");
        }
        if attrs.namespace.is_empty() {
            return no_opinion("can only read namespaced object of this type");
        }
        self.related(kind, attrs)
    }

    /// authorizeGet (claims, volumes, …): get of one related object.
    fn get(&self, kind: Kind, attrs: &Attributes) -> NodeVerdict {
        if attrs.verb != "get" {
            return no_opinion("can only get individual resources of this type");
        }
        if !attrs.subresource.is_empty() {
            return no_opinion("cannot get subresource");
        }
        self.related(kind, attrs)
    }

    /// authorizeStatusUpdate (a claim's status).
    fn status_update(&self, kind: Kind, attrs: &Attributes) -> NodeVerdict {
        if !matches!(attrs.verb.as_str(), "update" | "patch") {
            return no_opinion("can only get/update/patch this type");
        }
        self.related(kind, attrs)
    }

    /// authorizeCreateToken: a token for the service account of one of the node's pods.
    fn create_token(&self, attrs: &Attributes) -> NodeVerdict {
        if attrs.verb != "create" || attrs.name.is_empty() {
            return no_opinion("can only create tokens for individual service accounts");
        }
        if attrs.subresource != "token" {
            return no_opinion("can only create token subresource of serviceaccount");
        }
        self.related(Kind::ServiceAccount, attrs)
    }

    /// authorizePod: one related pod, pods through `spec.nodeName=NODE`, mirror pods, status,
    /// evictions.
    fn pod(&self, attrs: &Attributes) -> NodeVerdict {
        match (attrs.subresource.as_str(), attrs.verb.as_str()) {
            ("", "get") => self.get(Kind::Pod, attrs),
            ("", "list" | "watch") => {
                if selects_node(&attrs.field_selector, self.node) {
                    return allow(format!("the field selector spec.nodeName={} keeps to its own pods", self.node));
                }
                if !attrs.name.is_empty() {
                    return self.related(Kind::Pod, attrs);
                }
                no_opinion("can only list/watch pods with spec.nodeName field selector")
            }
            ("", "create" | "delete") => {
                allow("a kubelet creates and deletes (mirror) pods; NodeRestriction admission limits it to its own")
            }
            ("status", "update" | "patch") => {
                allow("a kubelet reports the status of pods; NodeRestriction admission limits it to its own")
            }
            ("eviction", "create") => allow("a kubelet evicts the pods it runs"),
            _ => no_opinion(""),
        }
    }
}

/// Whether a field selector has the requirement `spec.nodeName=NODE` (`=` or `==`).
fn selects_node(selector: &str, node: &str) -> bool {
    selector.split(',').any(|req| {
        let req = req.trim();
        let (field, value) = match req.split_once("==").or_else(|| req.split_once('=')) {
            Some(pair) => pair,
            None => return false,
        };
        !field.ends_with('!') && field.trim() == "spec.nodeName" && value.trim() == node
    })
}

/// authorizeLease: the node's own lease in `kube-node-lease`.
fn lease(node: &str, attrs: &Attributes) -> NodeVerdict {
    let verb = attrs.verb.as_str();
    if !matches!(verb, "get" | "create" | "update" | "patch" | "delete") {
        return no_opinion("can only get, create, update, patch, or delete a node lease");
    }
    if attrs.namespace != NODE_LEASE_NAMESPACE {
        return no_opinion(format!(
            "can only access leases in the \"{NODE_LEASE_NAMESPACE}\" system namespace"
        ));
    }
    if verb != "create" && attrs.name != node {
        return no_opinion("can only access node lease with the same name as the requesting node");
    }
    allow(format!("the lease of node \"{node}\""))
}

/// authorizeCSINode: the node's own CSINode.
fn csi_node(node: &str, attrs: &Attributes) -> NodeVerdict {
    let verb = attrs.verb.as_str();
    if !matches!(verb, "get" | "create" | "update" | "patch" | "delete") {
        return no_opinion("can only get, create, update, patch, or delete a CSINode");
    }
    if !attrs.subresource.is_empty() {
        return no_opinion("cannot authorize CSINode subresources");
    }
    if verb != "create" && attrs.name != node {
        return no_opinion("can only access CSINode with the same name as the requesting node");
    }
    allow(format!("the CSINode of node \"{node}\""))
}

/// authorizeNode: create/update/patch of a Node (NodeRestriction admission keeps it to its own),
/// reads of its own Node only, updates of Node status.
fn node_object(node: &str, attrs: &Attributes) -> NodeVerdict {
    match (attrs.subresource.as_str(), attrs.verb.as_str()) {
        ("", "create" | "update" | "patch") => {
            allow("a kubelet registers and updates its Node; NodeRestriction admission limits it to its own")
        }
        ("", "get" | "list" | "watch") => match attrs.name.as_str() {
            n if n == node => allow(format!("node \"{node}\" reads its own Node")),
            "" => no_opinion(format!("node '{node}' cannot read all nodes, only its own Node object")),
            other => no_opinion(format!("node '{node}' cannot read '{other}', only its own Node object")),
        },
        ("status", "update" | "patch") => {
            allow("a kubelet reports its Node's status; NodeRestriction admission limits it to its own")
        }
        _ => no_opinion(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kubelet(node: &str) -> UserInfo {
        UserInfo::new(
            &format!("system:node:{node}"),
            &["system:nodes", "system:authenticated"],
        )
    }

    fn store() -> Etcd {
        let mut etcd = Etcd::new();
        let pod = json!({
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "nodeName": "worker-1",
                "serviceAccountName": "default",
                "volumes": [
                    {"name": "conf", "configMap": {"name": "web-conf"}},
                    {"name": "token", "projected": {"sources": [{"configMap": {"name": "kube-root-ca.crt"}}]}}
                ],
                "containers": [{"name": "app", "envFrom": [{"secretRef": {"name": "web-secret"}}]}]
            }
        });
        etcd.create("/registry/pods/default/web", pod).unwrap();
        etcd
    }

    fn attrs(
        user: UserInfo,
        verb: &str,
        resource: &str,
        sub: &str,
        ns: &str,
        name: &str,
    ) -> Attributes {
        Attributes {
            user,
            verb: verb.into(),
            resource: resource.into(),
            subresource: sub.into(),
            namespace: ns.into(),
            name: name.into(),
            ..Attributes::default()
        }
    }

    #[test]
    fn only_nodes_are_judged() {
        let jane = UserInfo::new("jane", &["system:authenticated"]);
        let v = authorize(
            &store(),
            &attrs(jane, "get", "secrets", "", "default", "web-secret"),
        );
        assert_eq!((v.decision, v.reason.as_str()), (Decision::NoOpinion, ""));
        let no_group = UserInfo::new("system:node:worker-1", &["system:authenticated"]);
        assert_eq!(
            node_identity(&no_group),
            None,
            "the system:nodes group is required"
        );
    }

    #[test]
    fn secrets_and_config_maps_of_its_pods_only() {
        let etcd = store();
        let allowed = |node: &str, resource: &str, name: &str| {
            authorize(
                &etcd,
                &attrs(kubelet(node), "get", resource, "", "default", name),
            )
            .decision
        };
        assert_eq!(
            allowed("worker-1", "secrets", "web-secret"),
            Decision::Allow
        );
        assert_eq!(
            allowed("worker-1", "configmaps", "web-conf"),
            Decision::Allow
        );
        assert_eq!(
            allowed("worker-1", "configmaps", "kube-root-ca.crt"),
            Decision::Allow
        );
        assert_eq!(
            allowed("worker-2", "secrets", "web-secret"),
            Decision::NoOpinion
        );
        let v = authorize(
            &etcd,
            &attrs(
                kubelet("worker-2"),
                "get",
                "secrets",
                "",
                "default",
                "web-secret",
            ),
        );
        assert_eq!(
            v.reason,
            "no relationship found between node 'worker-2' and this object"
        );
        let v = authorize(
            &etcd,
            &attrs(
                kubelet("worker-1"),
                "delete",
                "secrets",
                "",
                "default",
                "web-secret",
            ),
        );
        assert_eq!(v.reason, "can only read resources of this type");
    }

    #[test]
    fn pods_by_field_selector_and_own_node_only() {
        let etcd = store();
        let mut list = attrs(kubelet("worker-1"), "list", "pods", "", "", "");
        assert_eq!(
            authorize(&etcd, &list).reason,
            "can only list/watch pods with spec.nodeName field selector"
        );
        list.field_selector = "spec.nodeName=worker-1".into();
        assert_eq!(authorize(&etcd, &list).decision, Decision::Allow);
        let status = attrs(
            kubelet("worker-2"),
            "update",
            "pods",
            "status",
            "default",
            "web",
        );
        assert_eq!(authorize(&etcd, &status).decision, Decision::Allow);
        let other = attrs(kubelet("worker-1"), "get", "nodes", "", "", "worker-2");
        assert_eq!(
            authorize(&etcd, &other).reason,
            "node 'worker-1' cannot read 'worker-2', only its own Node object"
        );
    }

    #[test]
    fn leases_and_static_rules() {
        let etcd = store();
        let own = attrs(
            kubelet("worker-1"),
            "update",
            "leases",
            "",
            "kube-node-lease",
            "worker-1",
        );
        let mut own = own;
        own.api_group = "coordination.k8s.io".into();
        assert_eq!(authorize(&etcd, &own).decision, Decision::Allow);
        own.name = "worker-2".into();
        assert_eq!(
            authorize(&etcd, &own).reason,
            "can only access node lease with the same name as the requesting node"
        );
        let events = attrs(kubelet("worker-1"), "create", "events", "", "default", "");
        assert_eq!(authorize(&etcd, &events).decision, Decision::Allow);
        let deploy = Attributes {
            api_group: "apps".into(),
            ..attrs(kubelet("worker-1"), "list", "deployments", "", "", "")
        };
        assert_eq!(authorize(&etcd, &deploy).decision, Decision::NoOpinion);
    }
}
