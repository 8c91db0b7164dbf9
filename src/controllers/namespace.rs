//! The namespace controller (pkg/controller/namespace/deletion/namespaced_resources_deleter.go):
//! a namespace being deleted (deletionTimestamp set, `kubernetes` still in spec.finalizers) is
//! emptied — every namespaced resource is listed and each object deleted — and once nothing is
//! left the controller removes its finalizer through the `/finalize` subresource, which lets the
//! API server delete the namespace.

use serde_json::{json, Value};

use crate::apiserver::{resources, Request, ResourceInfo, Verb};
use crate::client::{core, Ctx, Informer};
use crate::sim::{Actor, Millis};
use crate::unstructured::str_at;

/// The finalizer the namespace controller owns (v1.FinalizerKubernetes).
pub const FINALIZER: &str = "kubernetes";

/// How long the controller waits before looking again at a namespace whose content is still
/// going (pods on a node take their grace period).
pub const RECHECK: Millis = 1000;

/// Resources that are not stored objects (a Binding, a review) and cannot be listed.
const NOT_LISTABLE: &[&str] = &["bindings", "localsubjectaccessreviews"];

/// Whether `ns` is terminating and still waits for this controller.
pub fn awaits_content_deletion(ns: &Value) -> bool {
    ns.pointer("/metadata/deletionTimestamp").is_some()
        && ns
            .pointer("/spec/finalizers")
            .and_then(Value::as_array)
            .is_some_and(|f| f.iter().any(|x| x.as_str() == Some(FINALIZER)))
}

/// The namespaced resources the deleter walks (discovery's namespaced, listable resources). The
/// events.k8s.io Events are the core ones under another name, so they are walked once.
fn deletable_resources() -> impl Iterator<Item = &'static ResourceInfo> {
    resources::RESOURCES.iter().filter(|r| {
        r.namespaced
            && !NOT_LISTABLE.contains(&r.plural)
            && !(r.group == "events.k8s.io" && r.plural == "events")
    })
}

/// The namespace with the controller's finalizer taken out of spec.finalizers (finalizeNamespace).
pub fn without_finalizer(ns: &Value) -> Value {
    let mut finalized = ns.clone();
    let kept: Vec<Value> = ns
        .pointer("/spec/finalizers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|f| f.as_str() != Some(FINALIZER))
        .cloned()
        .collect();
    finalized["spec"]["finalizers"] = json!(kept);
    finalized
}

/// estimateGracefulTerminationForPods: the longest grace period among the namespace's pods still
/// running their termination (at least one second, so that a pass is not repeated at once).
fn grace_estimate(pod: &Value) -> Millis {
    let seconds = pod
        .pointer("/metadata/deletionGracePeriodSeconds")
        .or_else(|| pod.pointer("/spec/terminationGracePeriodSeconds"))
        .and_then(Value::as_u64)
        .unwrap_or(0);
    (seconds * 1000).max(RECHECK)
}

/// deleteAllContent: delete what is left of every resource in `ns`; returns how many objects
/// still exist (being deleted or refused) and how long the pods among them may still take.
fn delete_all_content(ns: &str, ctx: &mut Ctx) -> (usize, Millis) {
    let mut remaining = 0;
    let mut estimate = RECHECK;
    for info in deletable_resources() {
        let list = ctx.request(Request::new(Verb::List, info, &ctx.user()).namespace(Some(ns)));
        let items = list
            .body
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for item in items {
            remaining += 1;
            if info.kind == "Pod" {
                estimate = estimate.max(grace_estimate(&item));
            }
            if item.pointer("/metadata/deletionTimestamp").is_none() {
                ctx.delete(info, Some(ns), str_at(&item, "/metadata/name"), None);
            }
        }
    }
    (remaining, estimate)
}

/// Whether `ns`'s object is gone or no longer waits (another pass already finalized it).
fn finalize(ns: &Value, ctx: &mut Ctx) {
    let name = str_at(ns, "/metadata/name").to_string();
    let req = Request::new(Verb::Update, core("namespaces"), &ctx.user())
        .name(&name)
        .subresource("finalize")
        .body(without_finalizer(ns));
    ctx.request(req);
}

/// One pass of the controller over the namespaces being deleted; returns when to look again
/// (the namespace is requeued after the estimate, as NamespaceController.syncNamespaceFromKey
/// does), or `None` when every terminating namespace was finalized.
pub fn reconcile(namespaces: &Informer, ctx: &mut Ctx) -> Option<Millis> {
    let mut again: Option<Millis> = None;
    let terminating: Vec<Value> = namespaces
        .list()
        .filter(|ns| awaits_content_deletion(ns))
        .cloned()
        .collect();
    for ns in terminating {
        let name = str_at(&ns, "/metadata/name").to_string();
        ctx.note(
            Actor::ApiServer,
            "namespace: delete all content",
            format!("namespace/{name}"),
            "the namespace is Terminating: every object in it is deleted",
        );
        let (remaining, estimate) = delete_all_content(&name, ctx);
        if remaining == 0 {
            ctx.note(
                Actor::ApiServer,
                "namespace: remove the kubernetes finalizer",
                format!("namespace/{name}"),
                format!("PUT /api/v1/namespaces/{name}/finalize"),
            );
            finalize(&ns, ctx);
        } else {
            let at = ctx.now + estimate;
            again = Some(again.map_or(at, |a| a.min(at)));
        }
    }
    again
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminating_namespace_with_the_finalizer_awaits_deletion() {
        let ns = json!({"metadata": {"name": "team", "deletionTimestamp": "t"}, "spec": {"finalizers": ["kubernetes"]}});
        assert!(awaits_content_deletion(&ns));
        assert_eq!(without_finalizer(&ns)["spec"]["finalizers"], json!([]));
        let active = json!({"metadata": {"name": "team"}, "spec": {"finalizers": ["kubernetes"]}});
        assert!(!awaits_content_deletion(&active));
    }

    #[test]
    fn a_terminating_pod_is_waited_for_its_grace_period() {
        let pod = json!({"metadata": {"deletionGracePeriodSeconds": 30}, "spec": {"terminationGracePeriodSeconds": 10}});
        assert_eq!(grace_estimate(&pod), 30_000);
        assert_eq!(
            grace_estimate(&json!({"spec": {"terminationGracePeriodSeconds": 0}})),
            RECHECK
        );
    }

    #[test]
    fn bindings_and_reviews_are_not_walked() {
        assert!(deletable_resources().all(|r| r.plural != "bindings"));
        assert!(deletable_resources().any(|r| r.plural == "pods"));
        assert_eq!(
            deletable_resources()
                .filter(|r| r.plural == "events")
                .count(),
            1
        );
    }
}
