//! The serviceaccount controller (pkg/controller/serviceaccount/serviceaccounts_controller.go):
//! every active namespace has a ServiceAccount named `default`; the controller creates it when a
//! namespace appears, and again when someone deletes it.

use serde_json::{json, Value};

use crate::client::{core, Ctx, Informer};
use crate::sim::Actor;
use crate::unstructured::str_at;

/// The account the controller keeps in every namespace (serviceaccounts_controller.go,
/// DefaultServiceAccountsControllerOptions).
pub const DEFAULT_ACCOUNT: &str = "default";

/// Whether a namespace takes new content (not being terminated: the controller skips those,
/// `if ns.Status.Phase != v1.NamespaceActive`).
pub fn is_active(namespace: &Value) -> bool {
    namespace.pointer("/metadata/deletionTimestamp").is_none()
        && str_at(namespace, "/status/phase") != "Terminating"
}

/// The `default` ServiceAccount the controller creates in `ns`.
pub fn default_account(ns: &str) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": DEFAULT_ACCOUNT, "namespace": ns},
    })
}

/// The active namespaces whose `default` ServiceAccount is missing from the cache.
pub fn namespaces_missing_account(namespaces: &Informer, accounts: &Informer) -> Vec<String> {
    namespaces
        .list()
        .filter(|ns| is_active(ns))
        .map(|ns| str_at(ns, "/metadata/name").to_string())
        .filter(|ns| !ns.is_empty() && accounts.get(&format!("{ns}/{DEFAULT_ACCOUNT}")).is_none())
        .collect()
}

/// syncNamespace for every namespace: create the missing `default` accounts.
pub fn reconcile(namespaces: &Informer, accounts: &Informer, ctx: &mut Ctx) {
    for ns in namespaces_missing_account(namespaces, accounts) {
        ctx.note(
            Actor::ApiServer,
            "serviceaccount: create the default ServiceAccount",
            format!("namespace/{ns}"),
            "every namespace gets a ServiceAccount named default",
        );
        ctx.create(core("serviceaccounts"), Some(&ns), default_account(&ns));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminating_namespace_is_not_active() {
        let ns = json!({"metadata": {"name": "team", "deletionTimestamp": "t"}, "status": {"phase": "Terminating"}});
        assert!(!is_active(&ns));
        let ns = json!({"metadata": {"name": "team"}, "status": {"phase": "Active"}});
        assert!(is_active(&ns));
    }

    #[test]
    fn the_default_account_is_named_default() {
        let sa = default_account("team");
        assert_eq!(sa["metadata"]["name"], "default");
        assert_eq!(sa["metadata"]["namespace"], "team");
    }
}
