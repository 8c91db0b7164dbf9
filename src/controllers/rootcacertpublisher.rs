//! The root-ca-cert-publisher (pkg/controller/certificates/rootcacertpublisher/publisher.go):
//! every active namespace has a ConfigMap `kube-root-ca.crt` holding the cluster CA bundle (the
//! one the ServiceAccount token volume projects as `ca.crt`), created when a namespace appears and
//! recreated or repaired when someone deletes or edits it.

use serde_json::{json, Value};

use super::serviceaccount::is_active;
use crate::client::{core, Ctx, Informer};
use crate::sim::Actor;
use crate::unstructured::str_at;

/// The ConfigMap's name (publisher.go, RootCACertConfigMapName).
pub const ROOT_CA_CONFIG_MAP: &str = "kube-root-ca.crt";

/// The annotation the publisher sets (publisher.go, DescriptionAnnotation).
pub const DESCRIPTION: &str = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

/// A stand-in for the cluster CA certificate (the same text the start-up objects carry).
pub const CA_CERT: &str =
    "-----BEGIN CERTIFICATE-----\npodlab simulated cluster CA\n-----END CERTIFICATE-----\n";

/// The ConfigMap the publisher writes into `ns`.
pub fn root_ca_config_map(ns: &str) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": ROOT_CA_CONFIG_MAP,
            "namespace": ns,
            "annotations": {"kubernetes.io/description": DESCRIPTION},
        },
        "data": {"ca.crt": CA_CERT},
    })
}

/// Only the ConfigMaps named kube-root-ca.crt (the publisher's informer handlers filter on the
/// name).
pub fn is_root_ca(obj: &Value, _: &str) -> bool {
    str_at(obj, "/metadata/name") == ROOT_CA_CONFIG_MAP
}

/// The active namespaces without the ConfigMap in the cache.
fn namespaces_missing_config_map(namespaces: &Informer, maps: &Informer) -> Vec<String> {
    namespaces
        .list()
        .filter(|ns| is_active(ns))
        .map(|ns| str_at(ns, "/metadata/name").to_string())
        .filter(|ns| !ns.is_empty() && maps.get(&format!("{ns}/{ROOT_CA_CONFIG_MAP}")).is_none())
        .collect()
}

/// The cached ConfigMaps whose data no longer holds the CA bundle alone (syncNamespace updates
/// them back).
fn stale_config_maps(namespaces: &Informer, maps: &Informer) -> Vec<Value> {
    maps.list()
        .filter(|cm| {
            namespaces
                .get(str_at(cm, "/metadata/namespace"))
                .is_some_and(is_active)
        })
        .filter(|cm| cm.get("data") != Some(&json!({"ca.crt": CA_CERT})))
        .cloned()
        .collect()
}

/// syncNamespace for every namespace: create what is missing, repair what was edited.
pub fn reconcile(namespaces: &Informer, maps: &Informer, ctx: &mut Ctx) {
    for ns in namespaces_missing_config_map(namespaces, maps) {
        ctx.note(
            Actor::ApiServer,
            "root-ca-cert-publisher: create kube-root-ca.crt",
            format!("namespace/{ns}"),
            "every namespace gets the cluster CA bundle",
        );
        ctx.create(core("configmaps"), Some(&ns), root_ca_config_map(&ns));
    }
    for mut cm in stale_config_maps(namespaces, maps) {
        cm["data"] = json!({"ca.crt": CA_CERT});
        ctx.update(core("configmaps"), cm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_map_carries_the_ca_and_description() {
        let cm = root_ca_config_map("team");
        assert_eq!(cm["metadata"]["name"], "kube-root-ca.crt");
        assert_eq!(cm["data"]["ca.crt"], CA_CERT);
        assert!(is_root_ca(&cm, ""));
        assert!(!is_root_ca(&json!({"metadata": {"name": "app"}}), ""));
    }
}
