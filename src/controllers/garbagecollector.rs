//! The garbage collector (pkg/controller/garbagecollector), for the owner chains podlab's
//! controllers build: Deployment → ReplicaSet → Pod, StatefulSet → Pod and ControllerRevision,
//! ReplicationController → Pod, and a StatefulSet's claims owned by the set or by a pod (its
//! persistentVolumeClaimRetentionPolicy). A dependent whose owners are all gone is
//! deleted (background propagation: its own dependents follow in turn); one that keeps some
//! owner loses the references to the missing ones. Absence is confirmed with a live GET, as
//! `attemptToDeleteItem` does, since the caches may lag.

use serde_json::{json, Value};

use super::workload::{is_being_deleted, name_of, namespace_of, str_at, uid_of};
use crate::apiserver::{PatchType, Request, ResourceInfo, Verb};
use crate::client::{Ctx, Informer};
use crate::sim::Actor;

/// The owner kinds whose absence the collector can judge, and where they are served.
fn owner_resource(api_version: &str, kind: &str) -> Option<&'static ResourceInfo> {
    crate::apiserver::resources::by_kind(api_version, kind).filter(|r| {
        matches!(
            r.kind,
            "Deployment"
                | "ReplicaSet"
                | "Job"
                | "CronJob"
                | "DaemonSet"
                | "StatefulSet"
                | "ReplicationController"
                | "Pod"
        )
    })
}

/// Whether the owner a reference names still exists (same uid), asked of the API server.
fn owner_exists(reference: &Value, namespace: &str, ctx: &mut Ctx) -> bool {
    let Some(info) = owner_resource(str_at(reference, "/apiVersion"), str_at(reference, "/kind"))
    else {
        return true;
    };
    let req = Request::new(Verb::Get, info, &ctx.user())
        .namespace(Some(namespace))
        .name(str_at(reference, "/name"));
    let resp = ctx.request(req);
    resp.is_success() && uid_of(&resp.body) == str_at(reference, "/uid")
}

fn owner_references(obj: &Value) -> Vec<Value> {
    obj.pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// Whether any of the references names a kind the collector watches, and that kind's informer
/// no longer holds it (the cheap check before asking the API server).
fn maybe_dangling(obj: &Value, owners: &[(&str, &Informer)]) -> bool {
    owner_references(obj).iter().any(|r| {
        owners.iter().any(|(kind, informer)| {
            *kind == str_at(r, "/kind")
                && informer
                    .get(&format!("{}/{}", namespace_of(obj), str_at(r, "/name")))
                    .is_none_or(|o| uid_of(o) != str_at(r, "/uid"))
        })
    })
}

/// Collect the dependents (`(resource, informer)`) whose owners are gone.
pub fn reconcile(
    owners: &[(&str, &Informer)],
    dependents: &[(&'static ResourceInfo, &Informer)],
    ctx: &mut Ctx,
) {
    for (info, informer) in dependents {
        let candidates: Vec<Value> = informer
            .list()
            .filter(|o| !is_being_deleted(o) && maybe_dangling(o, owners))
            .cloned()
            .collect();
        for obj in candidates {
            collect(info, &obj, ctx);
        }
    }
}

/// `attemptToDeleteItem` for one dependent.
fn collect(info: &'static ResourceInfo, obj: &Value, ctx: &mut Ctx) {
    let ns = namespace_of(obj).to_string();
    let refs = owner_references(obj);
    let (solid, dangling): (Vec<Value>, Vec<Value>) =
        refs.into_iter().partition(|r| owner_exists(r, &ns, ctx));
    if dangling.is_empty() {
        return;
    }
    let object = format!("{}/{ns}/{}", info.singular, name_of(obj));
    if solid.is_empty() {
        let gone: Vec<String> = dangling
            .iter()
            .map(|r| format!("{} {}", str_at(r, "/kind"), str_at(r, "/name")))
            .collect();
        ctx.note(
            Actor::ControllerManager,
            "garbage-collector: delete dependent",
            object,
            format!("owner {} is gone (background propagation)", gone.join(", ")),
        );
        ctx.delete(info, Some(&ns), name_of(obj), None);
        return;
    }
    let patch = json!({"metadata": {"ownerReferences": solid, "uid": uid_of(obj)}});
    let req = Request::new(Verb::Patch(PatchType::Merge), info, &ctx.user())
        .namespace(Some(&ns))
        .name(name_of(obj))
        .body(patch);
    ctx.request(req);
}
