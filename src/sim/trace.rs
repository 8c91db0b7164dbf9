//! The trace: every message between components, in order. The UI draws it and time travel
//! replays it; each entry records the etcd revision the cluster had reached, so the state of the
//! cluster at any entry can be read back from the store's history.

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

#[derive(Debug, Clone, Default)]
pub struct Trace {
    entries: Vec<TraceEntry>,
}

impl Trace {
    pub fn push(&mut self, entry: TraceEntry) {
        self.entries.push(entry);
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
