//! What client-go gives a component: requests to the API server under the component's own
//! identity, and informers (watch → cache) so that a component reconciles from its cache and learns
//! of changes only through watch events. Every request and delivered watch event is traced.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::apiserver::{
    resources, ApiServer, PatchType, Request, ResourceInfo, Response, Verb, WatchEvent,
};
use crate::sim::{Actor, Millis, Rng, Trace, TraceEntry};

/// A component's view of the world while it runs: the clock, its API client, randomness, and a way
/// to ask to be woken again.
pub struct Ctx<'a> {
    pub now: Millis,
    pub actor: Actor,
    pub rng: &'a mut Rng,
    api: &'a mut ApiServer,
    trace: &'a mut Trace,
    wake: Option<Millis>,
    /// The pod network of the cluster the component runs in (set by `Cluster::run_component`).
    network: Option<crate::network::SharedNetwork>,
}

/// The resource served at core-group `plural` (a programming error if podlab does not serve it).
pub fn core(plural: &str) -> &'static ResourceInfo {
    resources::by_plural("", plural).unwrap_or_else(|| panic!("podlab serves {plural}"))
}

/// The resource served at `group`/`plural`.
pub fn grouped(group: &str, plural: &str) -> &'static ResourceInfo {
    resources::by_plural(group, plural).unwrap_or_else(|| panic!("podlab serves {group}/{plural}"))
}

/// `ns/name`, the cache key client-go uses.
pub fn key_of(obj: &Value) -> String {
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match obj.pointer("/metadata/namespace").and_then(Value::as_str) {
        Some(ns) if !ns.is_empty() => format!("{ns}/{name}"),
        _ => name.to_string(),
    }
}

impl<'a> Ctx<'a> {
    pub fn new(
        now: Millis,
        actor: Actor,
        api: &'a mut ApiServer,
        trace: &'a mut Trace,
        rng: &'a mut Rng,
    ) -> Self {
        Ctx {
            now,
            actor,
            rng,
            api,
            trace,
            wake: None,
            network: None,
        }
    }

    /// Give the component its cluster's pod network.
    pub fn set_network(&mut self, network: crate::network::SharedNetwork) {
        self.network = Some(network);
    }

    /// The cluster's pod network, if the component was given one.
    pub fn network(&self) -> Option<&crate::network::SharedNetwork> {
        self.network.as_ref()
    }

    /// Run `f` on the cluster's pod network (None without one, or while it is in use).
    pub fn with_network<T>(&self, f: impl FnOnce(&mut crate::network::Network) -> T) -> Option<T> {
        crate::network::with(self.network.as_ref()?, f)
    }

    /// The user the component authenticates as.
    pub fn user(&self) -> String {
        match &self.actor {
            Actor::Kubectl => "kubernetes-admin".into(),
            Actor::Scheduler => "system:kube-scheduler".into(),
            Actor::ControllerManager => "system:kube-controller-manager".into(),
            Actor::Kubelet(n) | Actor::Cri(n) | Actor::Cni(n) | Actor::Csi(n) => {
                format!("system:node:{n}")
            }
            Actor::KubeProxy(_) => "system:kube-proxy".into(),
            Actor::CoreDns => "system:serviceaccount:kube-system:coredns".into(),
            Actor::IngressController => crate::ingress::SERVICE_ACCOUNT_USER.into(),
            Actor::Istiod => crate::mesh::SERVICE_ACCOUNT_USER.into(),
            // The pod network makes no API requests; its watches are the pods' and nodes'.
            Actor::Network => "system:serviceaccount:kube-system:kube-proxy".into(),
            Actor::ApiServer | Actor::Etcd => "system:apiserver".into(),
        }
    }

    pub fn request(&mut self, req: Request) -> Response {
        self.api.handle(&req, self.now, self.trace, &self.actor)
    }

    fn req(&self, verb: Verb, info: &'static ResourceInfo, ns: Option<&str>) -> Request {
        Request::new(verb, info, &self.user()).namespace(ns)
    }

    pub fn create(
        &mut self,
        info: &'static ResourceInfo,
        ns: Option<&str>,
        body: Value,
    ) -> Response {
        let req = self.req(Verb::Create, info, ns).body(body);
        self.request(req)
    }

    /// PUT the object (its resourceVersion is the precondition).
    pub fn update(&mut self, info: &'static ResourceInfo, obj: Value) -> Response {
        let (ns, name) = ns_name(&obj);
        let req = self
            .req(Verb::Update, info, ns.as_deref())
            .name(&name)
            .body(obj);
        self.request(req)
    }

    /// PUT the object's status subresource.
    pub fn update_status(&mut self, info: &'static ResourceInfo, obj: Value) -> Response {
        let (ns, name) = ns_name(&obj);
        let req = self
            .req(Verb::Update, info, ns.as_deref())
            .name(&name)
            .subresource("status")
            .body(obj);
        self.request(req)
    }

    /// PATCH the status subresource with a strategic merge patch.
    pub fn patch_status(
        &mut self,
        info: &'static ResourceInfo,
        ns: Option<&str>,
        name: &str,
        patch: Value,
    ) -> Response {
        let req = self
            .req(Verb::Patch(PatchType::Strategic), info, ns)
            .name(name)
            .subresource("status")
            .body(patch);
        self.request(req)
    }

    pub fn delete(
        &mut self,
        info: &'static ResourceInfo,
        ns: Option<&str>,
        name: &str,
        grace: Option<i64>,
    ) -> Response {
        let mut req = self.req(Verb::Delete, info, ns).name(name);
        req.grace_period_seconds = grace;
        self.request(req)
    }

    /// POST a subresource (a pod's binding).
    pub fn create_subresource(
        &mut self,
        info: &'static ResourceInfo,
        ns: Option<&str>,
        name: &str,
        sub: &str,
        body: Value,
    ) -> Response {
        let req = self
            .req(Verb::Create, info, ns)
            .name(name)
            .subresource(sub)
            .body(body);
        self.request(req)
    }

    /// A trace entry for something the component did on its own (a filter verdict, a CRI call).
    pub fn note(
        &mut self,
        to: Actor,
        action: impl Into<String>,
        object: impl Into<String>,
        detail: impl Into<String>,
    ) {
        let from = self.actor.clone();
        self.note_from(from, to, action, object, detail);
    }

    /// A trace entry carrying a structured record (a scheduling cycle's table) beside its text.
    pub fn note_with(
        &mut self,
        to: Actor,
        action: impl Into<String>,
        object: impl Into<String>,
        detail: impl Into<String>,
        attachment: std::sync::Arc<dyn crate::sim::Attachment>,
    ) {
        let entry = self.entry(self.actor.clone(), to, action, object, detail);
        self.trace.push_with(entry, attachment);
    }

    /// A trace entry on behalf of a node-local part (containerd, CNI) talking to another.
    pub fn note_from(
        &mut self,
        from: Actor,
        to: Actor,
        action: impl Into<String>,
        object: impl Into<String>,
        detail: impl Into<String>,
    ) {
        let entry = self.entry(from, to, action, object, detail);
        self.trace.push(entry);
    }

    /// A trace entry stamped with the virtual time and the store's revision now.
    fn entry(
        &self,
        from: Actor,
        to: Actor,
        action: impl Into<String>,
        object: impl Into<String>,
        detail: impl Into<String>,
    ) -> TraceEntry {
        TraceEntry {
            at: self.now,
            from,
            to,
            action: action.into(),
            object: object.into(),
            detail: detail.into(),
            revision: self.api.etcd().revision(),
        }
    }

    /// Ask to run again at `at` (the earliest request wins).
    pub fn wake_at(&mut self, at: Millis) {
        let at = at.max(self.now);
        self.wake = Some(self.wake.map_or(at, |w| w.min(at)));
    }

    pub fn wake_after(&mut self, ms: Millis) {
        self.wake_at(self.now + ms);
    }

    pub fn take_wake(&mut self) -> Option<Millis> {
        self.wake.take()
    }

    fn watch(&mut self, info: &'static ResourceInfo, after: i64) -> Vec<WatchEvent> {
        self.api.watch(info, after)
    }

    /// The node object's current state, read through the API (a GET).
    pub fn revision(&self) -> i64 {
        self.api.etcd().revision()
    }
}

fn ns_name(obj: &Value) -> (Option<String>, String) {
    let ns = obj
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .map(str::to_string);
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    (ns, name)
}

/// An informer: a list-watch of one resource feeding a local cache, as client-go's
/// SharedInformer. `filter` plays the role of a field selector (a kubelet watches only the pods
/// bound to its node); an object that stops matching is delivered as DELETED.
pub struct Informer {
    info: &'static ResourceInfo,
    seen_revision: i64,
    cache: BTreeMap<String, Value>,
    filter: Option<fn(&Value, &str) -> bool>,
    filter_arg: String,
    /// How the watch is described in the trace (`?fieldSelector=spec.nodeName=worker-1`).
    selector: String,
}

/// The change an informer handler receives.
#[derive(Debug, Clone)]
pub struct Change {
    pub kind: &'static str,
    pub old: Option<Value>,
    pub new: Value,
}

impl Informer {
    pub fn new(info: &'static ResourceInfo) -> Self {
        Informer {
            info,
            seen_revision: 0,
            cache: BTreeMap::new(),
            filter: None,
            filter_arg: String::new(),
            selector: String::new(),
        }
    }

    /// Only objects for which `filter(obj, arg)` holds, described as `selector` in the trace.
    pub fn filtered(
        info: &'static ResourceInfo,
        filter: fn(&Value, &str) -> bool,
        arg: &str,
        selector: &str,
    ) -> Self {
        Informer {
            filter: Some(filter),
            filter_arg: arg.to_string(),
            selector: selector.to_string(),
            ..Self::new(info)
        }
    }

    fn wanted(&self, obj: &Value) -> bool {
        self.filter.is_none_or(|f| f(obj, &self.filter_arg))
    }

    /// Read the watch stream up to now, update the cache, and return the changes in order.
    pub fn sync(&mut self, ctx: &mut Ctx) -> Vec<Change> {
        let events = ctx.watch(self.info, self.seen_revision);
        let mut changes = Vec::new();
        for ev in events {
            self.seen_revision = ev.revision;
            let key = key_of(&ev.object);
            let old = self.cache.get(&key).cloned();
            let kind = match (ev.kind, old.is_some(), self.wanted(&ev.object)) {
                ("DELETED", true, _) | (_, true, false) => "DELETED",
                ("DELETED", false, _) | (_, false, false) => continue,
                (_, false, true) => "ADDED",
                (_, true, true) => "MODIFIED",
            };
            if kind == "DELETED" {
                self.cache.remove(&key);
            } else {
                self.cache.insert(key.clone(), ev.object.clone());
            }
            let obj_ref = format!("{}/{key}", self.info.singular);
            let path = self.info.collection_path(None);
            ctx.note_from(
                Actor::ApiServer,
                ctx.actor.clone(),
                format!("WATCH {kind}"),
                obj_ref,
                format!("GET {path}?watch=true{}", self.selector),
            );
            changes.push(Change {
                kind,
                old,
                new: ev.object,
            });
        }
        // Every change up to the store's revision has been read: resume after it next time, as
        // a watch bookmark lets a client do, so that an informer on a quiet kind does not scan
        // the same stretch of history again at every sync.
        self.seen_revision = self.seen_revision.max(ctx.revision());
        changes
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.cache.get(key)
    }

    pub fn list(&self) -> impl Iterator<Item = &Value> {
        self.cache.values()
    }

    pub fn len(&self) -> usize {
        self.cache.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cache.is_empty()
    }
}
