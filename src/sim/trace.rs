//! The trace: every message between components, in order. The UI draws it and time travel
//! replays it; each entry records the etcd revision the cluster had reached, so the state of the
//! cluster at any entry can be read back from the store's history.

use std::any::Any;
use std::sync::Arc;

use serde::Serialize;

use super::Millis;

/// Who acts in a trace entry. Node-local agents carry their node's name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Actor {
    Kubectl,
    ApiServer,
    Etcd,
    Scheduler,
    ControllerManager,
    Kubelet(String),
    Cri(String),
    Cni(String),
    Csi(String),
    KubeProxy(String),
    CoreDns,
    /// The ingress-nginx controller (its pod on the control-plane node, as kind deploys it).
    IngressController,
    /// The service mesh's control plane (Istio's istiod), which pushes the opted-in pods'
    /// sidecars their endpoint view (see `crate::mesh`).
    Istiod,
    /// The pod network: requests between pods, as a `podlab traffic` run or a `kubectl exec`'d
    /// client sends them.
    Network,
}

impl Actor {
    /// The name Kubernetes documentation uses for the component.
    pub fn label(&self) -> String {
        match self {
            Actor::Kubectl => "kubectl".into(),
            Actor::ApiServer => "kube-apiserver".into(),
            Actor::Etcd => "etcd".into(),
            Actor::Scheduler => "kube-scheduler".into(),
            Actor::ControllerManager => "kube-controller-manager".into(),
            Actor::Kubelet(n) => format!("kubelet@{n}"),
            Actor::Cri(n) => format!("containerd@{n}"),
            Actor::Cni(n) => format!("cni@{n}"),
            Actor::Csi(n) => format!("csi@{n}"),
            Actor::KubeProxy(n) => format!("kube-proxy@{n}"),
            Actor::CoreDns => "coredns".into(),
            Actor::IngressController => "ingress-nginx-controller".into(),
            Actor::Istiod => "istiod".into(),
            Actor::Network => "pod network".into(),
        }
    }

    /// The component without its node: what a diagram box is named after.
    pub fn kind(&self) -> &'static str {
        match self {
            Actor::Kubectl => "kubectl",
            Actor::ApiServer => "kube-apiserver",
            Actor::Etcd => "etcd",
            Actor::Scheduler => "kube-scheduler",
            Actor::ControllerManager => "kube-controller-manager",
            Actor::Kubelet(_) => "kubelet",
            Actor::Cri(_) => "containerd",
            Actor::Cni(_) => "cni",
            Actor::Csi(_) => "csi",
            Actor::KubeProxy(_) => "kube-proxy",
            Actor::CoreDns => "coredns",
            Actor::IngressController => "ingress-nginx",
            Actor::Istiod => "istiod",
            Actor::Network => "network",
        }
    }

    /// The node a node-local agent runs on.
    pub fn node(&self) -> Option<&str> {
        match self {
            Actor::Kubelet(n)
            | Actor::Cri(n)
            | Actor::Cni(n)
            | Actor::Csi(n)
            | Actor::KubeProxy(n) => Some(n),
            _ => None,
        }
    }
}

/// One step: `from` did something (`action`) to `object`, telling `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraceEntry {
    pub at: Millis,
    pub from: Actor,
    pub to: Actor,
    /// What happened, in Kubernetes' own words (`POST /api/v1/namespaces/default/pods`,
    /// `Filter worker-1: fits`, `RunPodSandbox`).
    pub action: String,
    /// The object concerned (`pod/default/nginx`), if any.
    pub object: String,
    /// Extra detail shown when the entry is opened.
    pub detail: String,
    /// The etcd revision once this step was done.
    pub revision: i64,
}

/// The etcd revision once entry `cursor` of `trace` was done (`revision_now`, the store's
/// latest, when no entry is on screen). etcd's revisions start at 1, so an entry that says 0 did
/// not know it (kubectl's `exit` step copies the revision of the entry before it, and has none
/// when it is the first): the cluster had not changed since the last entry that knew, or since
/// the trace started.
pub fn revision_after(trace: &[TraceEntry], cursor: Option<usize>, revision_now: i64) -> i64 {
    let Some(cursor) = cursor else {
        return revision_now;
    };
    let upto = cursor.saturating_add(1).min(trace.len());
    trace[..upto]
        .iter()
        .rev()
        .map(|e| e.revision)
        .find(|&r| r > 0)
        .unwrap_or(revision_now)
}

/// A structured record carried by one trace entry beside its text (a scheduling cycle's node ×
/// plugin table), for the views that draw more than a line.
///
/// Records can be large (one row per node in a cycle over thousands of nodes), so the trace keeps
/// their total [`weight`](Attachment::weight) under [`ATTACHMENT_BUDGET`]: past it, the oldest
/// records are replaced by their [`shrunk`](Attachment::shrunk) form, which keeps the outcome.
pub trait Attachment: Any + Send + Sync {
    /// What the record costs to keep, in rows.
    fn weight(&self) -> usize;
    /// The record with its rows dropped (weight 0).
    fn shrunk(&self) -> Arc<dyn Attachment>;
    fn as_any(&self) -> &dyn Any;
}

/// The rows the trace keeps in attachments (about 100 bytes each: a few tens of MB at most).
pub const ATTACHMENT_BUDGET: usize = 250_000;

#[derive(Clone, Default)]
pub struct Trace {
    entries: Vec<TraceEntry>,
    /// Attachments by entry index, oldest first.
    attachments: Vec<(usize, Arc<dyn Attachment>)>,
    /// The sum of the attachments' weights.
    attached_weight: usize,
    /// How many of the oldest attachments were shrunk.
    shrunk: usize,
}

impl std::fmt::Debug for Trace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trace")
            .field("entries", &self.entries)
            .field("attachments", &self.attachments.len())
            .finish()
    }
}

impl Trace {
    pub fn push(&mut self, entry: TraceEntry) {
        self.entries.push(entry);
    }

    /// Push `entry` with a structured record, shrinking the oldest records past the budget.
    pub fn push_with(&mut self, entry: TraceEntry, attachment: Arc<dyn Attachment>) {
        self.attachments
            .push((self.entries.len(), attachment.clone()));
        self.entries.push(entry);
        self.attached_weight += attachment.weight();
        while self.attached_weight > ATTACHMENT_BUDGET && self.shrunk < self.attachments.len() {
            if let Some((_, record)) = self.attachments.get_mut(self.shrunk) {
                self.attached_weight = self.attached_weight.saturating_sub(record.weight());
                *record = record.shrunk();
            }
            self.shrunk += 1;
        }
    }

    /// The records of type `T` attached to the first `upto` entries, oldest first, with the
    /// index of their entry.
    pub fn attachments<T: 'static>(
        &self,
        upto: usize,
    ) -> impl DoubleEndedIterator<Item = (usize, &T)> {
        let end = self.attachments.partition_point(|(i, _)| *i < upto);
        self.attachments
            .get(..end)
            .unwrap_or_default()
            .iter()
            .filter_map(|(i, a)| a.as_any().downcast_ref::<T>().map(|t| (*i, t)))
    }

    pub fn entries(&self) -> &[TraceEntry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_revision(revision: i64) -> TraceEntry {
        TraceEntry {
            at: 0,
            from: Actor::Kubectl,
            to: Actor::ApiServer,
            action: String::new(),
            object: String::new(),
            detail: String::new(),
            revision,
        }
    }

    #[test]
    fn the_revision_after_an_entry_is_the_last_known_one_up_to_it() {
        let trace: Vec<TraceEntry> = [0, 5, 7, 0, 9].into_iter().map(at_revision).collect();
        assert_eq!(
            revision_after(&trace, None, 12),
            12,
            "no entry on screen: the latest"
        );
        assert_eq!(revision_after(&trace, Some(2), 12), 7);
        // kubectl's exit step says 0: the cluster had not changed since the entry before.
        assert_eq!(revision_after(&trace, Some(3), 12), 7);
        assert_eq!(revision_after(&trace, Some(0), 12), 12, "nothing known yet");
        assert_eq!(
            revision_after(&trace, Some(99), 12),
            9,
            "a cursor past the end"
        );
    }
}
