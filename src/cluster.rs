//! A whole cluster: the API server and every component, on one virtual clock.

use serde::Serialize;

use crate::sim::{Millis, TraceEntry};

/// Which cluster to start with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// A kind-like cluster: a tainted control-plane node and two workers with kubelets.
    Default,
    /// Only what a fresh control plane holds: no nodes.
    Empty,
}

/// What one kubectl command printed (stdout and stderr interleaved) and its exit code.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommandOutput {
    pub text: String,
    pub exit_code: i32,
}

/// The page's picture of the cluster at one etcd revision.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ClusterView {
    pub nodes: Vec<NodeView>,
    pub pods: Vec<PodView>,
    pub services: Vec<ServiceView>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct NodeView {
    pub name: String,
    pub ready: bool,
    pub control_plane: bool,
    pub pod_cidr: String,
    pub internal_ip: String,
    /// `key=value:Effect` or `key:Effect`.
    pub taints: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct PodView {
    pub namespace: String,
    pub name: String,
    pub phase: String,
    /// The STATUS column of `kubectl get pods`.
    pub status: String,
    /// The READY column, `1/1`.
    pub ready: String,
    pub node: Option<String>,
    pub ip: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ServiceView {
    pub namespace: String,
    pub name: String,
    pub cluster_ip: String,
    /// `80/TCP`.
    pub ports: Vec<String>,
    /// `10.244.1.2:80`, from the Service's EndpointSlices (ready endpoints only).
    pub endpoints: Vec<String>,
}

pub struct Cluster {
    now: Millis,
    trace: Vec<TraceEntry>,
}

impl Cluster {
    /// Start a cluster; `seed` makes every random choice repeatable.
    pub fn new(_preset: Preset, _seed: u64) -> Cluster {
        Cluster {
            now: 0,
            trace: Vec::new(),
        }
    }

    /// Virtual time since the cluster started.
    pub fn now(&self) -> Millis {
        self.now
    }

    /// Run one kubectl command line (starting with `kubectl`); `stdin` feeds `-f -`.
    pub fn kubectl(&mut self, _line: &str, _stdin: Option<&str>) -> CommandOutput {
        CommandOutput::default()
    }

    /// Process the next scheduled event, moving the clock to it. False when nothing is scheduled.
    pub fn step(&mut self) -> bool {
        false
    }

    /// Let `ms` of virtual time pass, processing every event that falls due.
    pub fn advance(&mut self, ms: Millis) {
        self.now += ms;
    }

    /// When the next event is due, if any.
    pub fn next_event_at(&self) -> Option<Millis> {
        None
    }

    /// Every step so far.
    pub fn trace(&self) -> &[TraceEntry] {
        &self.trace
    }

    /// The etcd revision now.
    pub fn revision(&self) -> i64 {
        1
    }

    /// The cluster as etcd held it at `revision` (any revision not compacted away).
    pub fn view_at(&self, _revision: i64) -> ClusterView {
        ClusterView::default()
    }
}
