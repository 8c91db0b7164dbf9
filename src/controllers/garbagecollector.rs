//! The garbage collector (pkg/controller/garbagecollector), for the owner chains podlab's
//! controllers build: Deployment → ReplicaSet → Pod, StatefulSet → Pod and ControllerRevision,
//! ReplicationController → Pod, and a StatefulSet's claims owned by the set or by a pod (its
//! persistentVolumeClaimRetentionPolicy). A dependent whose owners are all gone is
//! deleted (background propagation: its own dependents follow in turn); one that keeps some
//! owner loses the references to the missing ones. Absence is confirmed with a live GET, as
//! `attemptToDeleteItem` does, since the caches may lag.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::queue::changed_keys;
use super::workload::{is_being_deleted, name_of, namespace_of, str_at, uid_of};
use crate::apiserver::{PatchType, Request, ResourceInfo, Verb};
use crate::client::{key_of, Change, Ctx, Informer};
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

/// One kind of dependent for a pass of [`GarbageCollector::sync`]: where it is served, its cache,
/// and its changes since the last pass.
pub struct Dependents<'a> {
    pub info: &'static ResourceInfo,
    pub informer: &'a Informer,
    pub changes: &'a [Change],
}

/// The collector's memory between passes, so that a pass looks only at what a change concerns
/// (as the real collector's graph builder turns informer events into `attemptToDelete` items
/// rather than rescanning every object).
#[derive(Debug, Default)]
pub struct GarbageCollector {
    /// The dependents (resource plural, key) whose owners the caches did not hold at the last
    /// pass: looked at again on every pass until they are resolved, as a full rescan would.
    unresolved: BTreeSet<(&'static str, String)>,
}

impl GarbageCollector {
    /// Collect the dependents whose owners are gone, looking at the dependents that changed,
    /// those still unresolved, and those referring to an owner uid in `deleted_owners` (every
    /// dependent when `full`). The same dependents are acted on, in the same order, as by a pass
    /// over every object ([`reconcile`]).
    pub fn sync(
        &mut self,
        owners: &[(&str, &Informer)],
        dependents: &[Dependents],
        deleted_owners: &BTreeSet<String>,
        full: bool,
        ctx: &mut Ctx,
    ) {
        let mut unresolved = BTreeSet::new();
        for d in dependents {
            let keys = if full {
                d.informer.list().map(key_of).collect()
            } else {
                self.keys_to_check(d, deleted_owners)
            };
            let candidates: Vec<Value> = keys
                .iter()
                .filter_map(|k| d.informer.get(k))
                .filter(|o| !is_being_deleted(o) && maybe_dangling(o, owners))
                .cloned()
                .collect();
            for obj in candidates {
                unresolved.insert((d.info.plural, key_of(&obj)));
                collect(d.info, &obj, ctx);
            }
        }
        self.unresolved = unresolved;
    }

    /// The changed dependents, the unresolved ones, and those naming a deleted owner.
    fn keys_to_check(&self, d: &Dependents, deleted_owners: &BTreeSet<String>) -> BTreeSet<String> {
        let mut keys = changed_keys(d.changes);
        keys.extend(
            self.unresolved
                .iter()
                .filter(|(plural, _)| *plural == d.info.plural)
                .map(|(_, key)| key.clone()),
        );
        if !deleted_owners.is_empty() {
            keys.extend(
                d.informer
                    .list()
                    .filter(|o| owner_uids(o).any(|uid| deleted_owners.contains(uid)))
                    .map(key_of),
            );
        }
        keys
    }
}

/// The uids an object's owner references name.
fn owner_uids(obj: &Value) -> impl Iterator<Item = &str> {
    obj.pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|r| str_at(r, "/uid"))
}

/// The uids of the objects the changes deleted.
pub fn deleted_uids(changes: &[&[Change]]) -> BTreeSet<String> {
    changes
        .iter()
        .flat_map(|list| list.iter())
        .filter(|c| c.kind == "DELETED")
        .map(|c| uid_of(&c.new).to_string())
        .collect()
}

/// Collect the dependents (`(resource, informer)`) whose owners are gone, looking at every
/// object.
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
