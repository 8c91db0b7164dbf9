//! One pod's life as the page draws it: each container's state over virtual time (Waiting with
//! its reason, Running, Terminated with its reason and exit code, restarts marked), read from
//! the pod's versions in etcd up to the time-travel cursor, and the node-side steps that made it
//! (the kubelet's pod worker, containerd through the CRI, the CNI plugin, the CSI driver).
//!
//! The states are those the kubelet's status manager writes (pkg/kubelet/status/
//! status_manager.go): a container's `state` in `status.initContainerStatuses` and
//! `status.containerStatuses`, and `restartCount`, which the kubelet bumps each time it starts the
//! container again (kuberuntime_manager.go SyncPod).

use serde_json::Value;

use crate::etcd::{Etcd, EventType};
use crate::sim::{Actor, Millis, TraceEntry};
use crate::unstructured::str_at;

/// Where a container sits in the pod spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerKind {
    /// An init container, run to completion before the next one.
    Init,
    /// An init container with `restartPolicy: Always` (a native sidecar): it runs beside the app.
    Sidecar,
    /// One of `spec.containers`.
    App,
}

impl ContainerKind {
    pub fn label(self) -> &'static str {
        match self {
            ContainerKind::Init => "init",
            ContainerKind::Sidecar => "sidecar",
            ContainerKind::App => "container",
        }
    }
}

/// The three states of a container in the API (core/v1 ContainerState).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateKind {
    Waiting,
    Running,
    Terminated,
}

impl StateKind {
    pub fn class(self) -> &'static str {
        match self {
            StateKind::Waiting => "waiting",
            StateKind::Running => "running",
            StateKind::Terminated => "terminated",
        }
    }
}

/// A stretch of time a container spent in one state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub from: Millis,
    pub to: Millis,
    pub kind: StateKind,
    /// `Waiting: CrashLoopBackOff`, `Running`, `Terminated: Error (exit code 1)`.
    pub label: String,
}

/// One container's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerTimeline {
    pub name: String,
    pub kind: ContainerKind,
    pub segments: Vec<Segment>,
    /// When the kubelet started the container again (its restartCount went up).
    pub restarts: Vec<Millis>,
}

/// A node-side step of the pod's life: one trace entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodStep {
    /// The entry's index in the trace (what the page selects).
    pub index: usize,
    pub at: Millis,
    pub from: String,
    pub to: String,
    pub action: String,
    pub detail: String,
}

/// What the page draws for the selected pod.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PodTimeline {
    /// `namespace/name`.
    pub key: String,
    /// The span drawn: from the pod's creation to the cursor (or its deletion).
    pub from: Millis,
    pub to: Millis,
    pub containers: Vec<ContainerTimeline>,
    pub steps: Vec<PodStep>,
}

/// The containers of a pod spec, in the order the kubelet runs them.
fn spec_containers(pod: &Value) -> Vec<(String, ContainerKind)> {
    let list = |path: &str| {
        pod.pointer(path)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let inits = list("/spec/initContainers").into_iter().map(|c| {
        let kind = if str_at(&c, "/restartPolicy") == "Always" {
            ContainerKind::Sidecar
        } else {
            ContainerKind::Init
        };
        (str_at(&c, "/name").to_string(), kind)
    });
    let apps = list("/spec/containers")
        .into_iter()
        .map(|c| (str_at(&c, "/name").to_string(), ContainerKind::App));
    inits.chain(apps).collect()
}

/// A container's status in one version of the pod.
fn status_of<'a>(pod: &'a Value, name: &str, kind: ContainerKind) -> Option<&'a Value> {
    let list = match kind {
        ContainerKind::App => "/status/containerStatuses",
        _ => "/status/initContainerStatuses",
    };
    pod.pointer(list)?
        .as_array()?
        .iter()
        .find(|s| str_at(s, "/name") == name)
}

/// The state a status shows, as `kubectl describe` words it.
fn state_of(status: &Value) -> (StateKind, String) {
    if let Some(w) = status.pointer("/state/waiting") {
        return (
            StateKind::Waiting,
            format!("Waiting: {}", str_at(w, "/reason")),
        );
    }
    if let Some(t) = status.pointer("/state/terminated") {
        let code = t.get("exitCode").and_then(Value::as_i64).unwrap_or(0);
        return (
            StateKind::Terminated,
            format!("Terminated: {} (exit code {code})", str_at(t, "/reason")),
        );
    }
    if status.pointer("/state/running").is_some() {
        return (StateKind::Running, "Running".into());
    }
    (StateKind::Waiting, "Waiting".into())
}

fn restart_count(status: &Value) -> i64 {
    status
        .get("restartCount")
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

/// Each container's timeline from the pod's versions (`(time written, pod)`, oldest first),
/// drawn up to `until`. A state lasts from the version that first shows it to the next version
/// that shows another; a container without a status yet has no segment.
pub fn container_timelines(versions: &[(Millis, Value)], until: Millis) -> Vec<ContainerTimeline> {
    let Some((_, latest)) = versions.last() else {
        return Vec::new();
    };
    spec_containers(latest)
        .into_iter()
        .map(|(name, kind)| timeline_of(versions, until, name, kind))
        .collect()
}

fn timeline_of(
    versions: &[(Millis, Value)],
    until: Millis,
    name: String,
    kind: ContainerKind,
) -> ContainerTimeline {
    let mut segments: Vec<Segment> = Vec::new();
    let mut restarts = Vec::new();
    let mut last_count: Option<i64> = None;
    for (at, pod) in versions {
        let at = (*at).min(until);
        let Some(status) = status_of(pod, &name, kind) else {
            continue;
        };
        let count = restart_count(status);
        if last_count.is_some_and(|c| count > c) {
            restarts.push(at);
        }
        last_count = Some(count);
        let (state, label) = state_of(status);
        match segments.last_mut() {
            Some(open) if open.kind == state && open.label == label => continue,
            Some(open) => open.to = at,
            None => {}
        }
        segments.push(Segment {
            from: at,
            to: until,
            kind: state,
            label,
        });
    }
    segments.retain(|s| s.to > s.from || s.to == until);
    ContainerTimeline {
        name,
        kind,
        segments,
        restarts,
    }
}

/// When each etcd revision was written: the first trace entry that knew it (entries carry the
/// revision once their step was done; 0 means the entry did not know). Built once per trace, so
/// that looking a revision up is a binary search rather than a scan of the trace.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RevisionTimes {
    /// (revision, time) of each entry whose revision is above every earlier one's.
    firsts: Vec<(i64, Millis)>,
}

impl RevisionTimes {
    pub fn of(trace: &[TraceEntry]) -> Self {
        let mut times = RevisionTimes::default();
        times.extend(trace);
        times
    }

    /// Add the entries that followed those already read.
    pub fn extend(&mut self, entries: &[TraceEntry]) {
        for e in entries {
            if e.revision > self.firsts.last().map_or(0, |(r, _)| *r) {
                self.firsts.push((e.revision, e.at));
            }
        }
    }

    /// The time of the first entry that knew `revision` or a later one.
    pub fn time_of(&self, revision: i64) -> Option<Millis> {
        let i = self.firsts.partition_point(|(r, _)| *r < revision);
        self.firsts.get(i).map(|(_, at)| *at)
    }
}

/// Every change etcd holds for one pod's key, oldest first: read once (a scan of etcd's whole
/// history), then cut at any revision as the cursor moves.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PodChanges {
    /// (mod revision, Put or Delete, the value written).
    changes: Vec<(i64, EventType, Value)>,
}

impl PodChanges {
    /// The changes to `etcd_key` (`/registry/pods/NAMESPACE/NAME`).
    pub fn of(etcd: &Etcd, etcd_key: &str) -> PodChanges {
        let mut changes = PodChanges::default();
        changes.extend(etcd, etcd_key, 0);
        changes
    }

    /// Add the changes to `etcd_key` made after revision `after`.
    fn extend(&mut self, etcd: &Etcd, etcd_key: &str, after: i64) {
        let new = etcd
            .changes_since(etcd_key, after)
            .unwrap_or_default()
            .into_iter()
            .filter(|change| change.kv.key == etcd_key)
            .map(|change| (change.kv.mod_revision, change.kind, change.kv.value.clone()));
        self.changes.extend(new);
    }

    /// How many changes were read.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// Whether none were.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The pod's versions up to `revision`, each with when it was written, and when it was
    /// deleted if it was; a pod created again under the same name starts a new life.
    pub fn versions_at(
        &self,
        times: &RevisionTimes,
        revision: i64,
    ) -> (Vec<(Millis, Value)>, Option<Millis>) {
        let mut versions = Vec::new();
        let mut deleted = None;
        for (mod_revision, kind, value) in self.changes.iter().take_while(|c| c.0 <= revision) {
            let at = times.time_of(*mod_revision).unwrap_or(0);
            match kind {
                EventType::Put => {
                    // A pod created again under the same name starts a new life.
                    if deleted.is_some() {
                        versions.clear();
                        deleted = None;
                    }
                    versions.push((at, value.clone()));
                }
                EventType::Delete => deleted = Some(at),
            }
        }
        (versions, deleted)
    }
}

/// What the pod panel reads from the trace and the store, kept up to date as they grow: the
/// trace only ever grows (and etcd's history with it), so each catch-up reads only what was
/// added since the last, and a step at the live end costs no scan of 100,000 entries.
#[derive(Debug, Clone, Default)]
pub struct PodIndex {
    /// Trace entries read so far.
    seen: usize,
    /// The store's revision when last read.
    revision: i64,
    times: RevisionTimes,
    /// The pod followed (`namespace/name`), its node-side steps and its changes in etcd.
    key: Option<String>,
    steps: Vec<PodStep>,
    changes: PodChanges,
}

impl PodIndex {
    /// Read what `trace` and `etcd` gained since the last call, for pod `key`. A different pod
    /// is read from the start.
    pub fn catch_up(&mut self, trace: &[TraceEntry], etcd: &Etcd, key: Option<&str>) {
        if trace.len() < self.seen || etcd.revision() < self.revision {
            // Another cluster: start again.
            *self = PodIndex::default();
        }
        if self.key.as_deref() != key {
            self.key = key.map(str::to_string);
            self.steps.clear();
            self.changes = PodChanges::default();
            self.revision = 0;
            if let Some(key) = key {
                self.steps = kubelet_steps(trace, key, self.seen);
            }
        }
        let new = trace.get(self.seen..).unwrap_or_default();
        self.times.extend(new);
        if let Some(key) = &self.key {
            let object = format!("pod/{key}");
            self.steps.extend(
                new.iter()
                    .enumerate()
                    .filter(|(_, e)| e.object == object && is_node_step(e))
                    .map(|(i, e)| PodStep::of(self.seen + i, e)),
            );
            self.changes
                .extend(etcd, &format!("/registry/pods/{key}"), self.revision);
        }
        self.seen = trace.len();
        self.revision = etcd.revision();
    }

    /// The pod's timeline once trace entry `cursor` was done (every entry when None).
    pub fn timeline(&self, trace: &[TraceEntry], cursor: Option<usize>) -> PodTimeline {
        let Some(key) = &self.key else {
            return PodTimeline::default();
        };
        pod_timeline_from(
            &self.changes,
            self.revision,
            trace,
            key,
            cursor,
            &self.steps,
            &self.times,
        )
    }
}

/// Whether a trace entry is a node-side step: the kubelet acting, or the runtime, CNI or CSI
/// answering; the kubelet's writes to the API server are left to the rest of the trace.
fn is_node_step(entry: &TraceEntry) -> bool {
    let node_side = |a: &Actor| {
        matches!(
            a,
            Actor::Kubelet(_) | Actor::Cri(_) | Actor::Cni(_) | Actor::Csi(_)
        )
    };
    node_side(&entry.from) && (node_side(&entry.to) || entry.from == entry.to)
}

/// The node-side steps of pod `namespace/name` among the first `upto` trace entries.
pub fn kubelet_steps(trace: &[TraceEntry], key: &str, upto: usize) -> Vec<PodStep> {
    let object = format!("pod/{key}");
    trace
        .iter()
        .take(upto)
        .enumerate()
        .filter(|(_, e)| e.object == object && is_node_step(e))
        .map(|(index, e)| PodStep::of(index, e))
        .collect()
}

impl PodStep {
    /// Trace entry `index`, `entry`, as a step of its pod.
    fn of(index: usize, entry: &TraceEntry) -> PodStep {
        PodStep {
            index,
            at: entry.at,
            from: entry.from.label(),
            to: entry.to.label(),
            action: entry.action.clone(),
            detail: entry.detail.clone(),
        }
    }
}

/// The timeline of pod `namespace/name` as the cluster was once trace entry `cursor` was done
/// (every entry when None).
pub fn pod_timeline(
    etcd: &Etcd,
    trace: &[TraceEntry],
    key: &str,
    cursor: Option<usize>,
) -> PodTimeline {
    let upto = cursor.map_or(trace.len(), |c| c.saturating_add(1).min(trace.len()));
    let times = RevisionTimes::of(trace);
    pod_timeline_with_steps(
        etcd,
        trace,
        key,
        cursor,
        &kubelet_steps(trace, key, upto),
        &times,
    )
}

/// [`pod_timeline`] from the pod's node-side steps found beforehand over (at least) the entries
/// up to `cursor` ([`kubelet_steps`]) and the trace's [`RevisionTimes`]: stepping through the
/// trace then costs no scan of it.
pub fn pod_timeline_with_steps(
    etcd: &Etcd,
    trace: &[TraceEntry],
    key: &str,
    cursor: Option<usize>,
    all_steps: &[PodStep],
    times: &RevisionTimes,
) -> PodTimeline {
    let changes = PodChanges::of(etcd, &format!("/registry/pods/{key}"));
    let revision_now = etcd.revision();
    pod_timeline_from(&changes, revision_now, trace, key, cursor, all_steps, times)
}

/// [`pod_timeline_with_steps`] from the pod's changes read beforehand ([`PodChanges::of`]) in
/// a store whose revision was then `revision_now`.
pub fn pod_timeline_from(
    changes: &PodChanges,
    revision_now: i64,
    trace: &[TraceEntry],
    key: &str,
    cursor: Option<usize>,
    all_steps: &[PodStep],
    times: &RevisionTimes,
) -> PodTimeline {
    let upto = cursor.map_or(trace.len(), |c| c.saturating_add(1).min(trace.len()));
    let shown = trace.get(..upto).unwrap_or_default();
    let revision = crate::sim::trace::revision_after(trace, cursor, revision_now);
    let now = shown.last().map_or(0, |e| e.at);
    let (versions, deleted) = changes.versions_at(times, revision);
    let until = deleted.unwrap_or(now);
    PodTimeline {
        key: key.to_string(),
        from: versions.first().map_or(until, |(at, _)| *at),
        to: until,
        containers: container_timelines(&versions, until),
        steps: all_steps
            .iter()
            .take_while(|s| s.index < upto)
            .cloned()
            .collect(),
    }
}

/// `5.402s` → where on a bar from `from` to `to` a time falls, in percent.
pub fn percent(at: Millis, from: Millis, to: Millis) -> f64 {
    if to <= from {
        return 0.0;
    }
    let span = (to - from) as f64;
    ((at.saturating_sub(from)) as f64 / span * 100.0).clamp(0.0, 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_revision_is_dated_by_the_first_entry_that_knew_it() {
        let entry = |at: Millis, revision: i64| TraceEntry {
            at,
            from: Actor::ApiServer,
            to: Actor::ApiServer,
            action: String::new(),
            object: String::new(),
            detail: String::new(),
            revision,
        };
        // Entries that did not know the revision say 0; the store moved 5 → 7 → 9.
        let trace = [
            entry(10, 5),
            entry(20, 0),
            entry(30, 7),
            entry(35, 0),
            entry(40, 7),
            entry(50, 9),
        ];
        let times = RevisionTimes::of(&trace);
        assert_eq!(times.time_of(5), Some(10));
        assert_eq!(times.time_of(6), Some(30));
        assert_eq!(times.time_of(7), Some(30));
        assert_eq!(times.time_of(9), Some(50));
        assert_eq!(times.time_of(10), None);
    }

    fn pod_with(statuses: Value) -> Value {
        json!({
            "spec": {
                "initContainers": [{"name": "setup"}, {"name": "proxy", "restartPolicy": "Always"}],
                "containers": [{"name": "app"}]
            },
            "status": statuses
        })
    }

    #[test]
    fn states_become_segments_and_restarts_are_marked() {
        let waiting = |r: &str, n: i64| json!({"name": "app", "restartCount": n, "state": {"waiting": {"reason": r}}});
        let running = |n: i64| json!({"name": "app", "restartCount": n, "state": {"running": {}}});
        let exited = |n: i64| json!({"name": "app", "restartCount": n, "state": {"terminated": {"reason": "Error", "exitCode": 1}}});
        let versions: Vec<(Millis, Value)> = [
            (1_000, waiting("ContainerCreating", 0)),
            (2_000, running(0)),
            (2_500, exited(0)),
            (2_600, running(1)),
            (3_000, exited(1)),
            (13_000, waiting("CrashLoopBackOff", 1)),
            (13_100, running(2)),
        ]
        .into_iter()
        .map(|(at, s)| (at, pod_with(json!({"containerStatuses": [s]}))))
        .collect();
        let timelines = container_timelines(&versions, 20_000);
        let kinds: Vec<_> = timelines
            .iter()
            .map(|t| (t.name.as_str(), t.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("setup", ContainerKind::Init),
                ("proxy", ContainerKind::Sidecar),
                ("app", ContainerKind::App)
            ]
        );
        let app = &timelines[2];
        let labels: Vec<_> = app
            .segments
            .iter()
            .map(|s| (s.from, s.to, s.label.as_str()))
            .collect();
        assert_eq!(
            labels,
            [
                (1_000, 2_000, "Waiting: ContainerCreating"),
                (2_000, 2_500, "Running"),
                (2_500, 2_600, "Terminated: Error (exit code 1)"),
                (2_600, 3_000, "Running"),
                (3_000, 13_000, "Terminated: Error (exit code 1)"),
                (13_000, 13_100, "Waiting: CrashLoopBackOff"),
                (13_100, 20_000, "Running"),
            ]
        );
        assert_eq!(app.restarts, [2_600, 13_100]);
        assert!(timelines[0].segments.is_empty(), "no status, no segment");
    }

    #[test]
    fn a_timeline_stops_at_the_cursor() {
        let versions = vec![
            (
                1_000,
                pod_with(json!({"containerStatuses": [{"name": "app", "state": {"running": {}}}]})),
            ),
            (
                9_000,
                pod_with(
                    json!({"containerStatuses": [{"name": "app", "state": {"terminated": {"reason": "Completed", "exitCode": 0}}}]}),
                ),
            ),
        ];
        let app = &container_timelines(&versions, 5_000)[2];
        assert_eq!(app.segments.len(), 2);
        assert_eq!((app.segments[0].from, app.segments[0].to), (1_000, 5_000));
        assert_eq!(percent(3_000, 1_000, 5_000), 50.0);
        assert_eq!(percent(3_000, 5_000, 5_000), 0.0);
    }

    #[test]
    fn a_crash_looping_pod_from_the_cluster() {
        let mut c = crate::Cluster::new(crate::Preset::Default, 1);
        c.advance(1_000);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: crash\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"echo boom; exit 1\"]\n";
        c.kubectl("kubectl apply -f -", Some(pod));
        c.advance(20_000);
        let timeline = pod_timeline(c.api().etcd(), c.trace(), "default/crash", None);
        let app = &timeline.containers[0];
        assert_eq!(app.restarts.len(), 2, "{app:?}");
        assert_eq!(
            app.segments.first().map(|s| s.label.as_str()),
            Some("Waiting: ContainerCreating")
        );
        assert!(app
            .segments
            .iter()
            .any(|s| s.label == "Terminated: Error (exit code 1)"));
        let actions: Vec<&str> = timeline.steps.iter().map(|s| s.action.as_str()).collect();
        for wanted in [
            "RunPodSandbox",
            "CNI ADD",
            "PullImage",
            "CreateContainer",
            "StartContainer",
        ] {
            assert!(actions.contains(&wanted), "{wanted} in {actions:?}");
        }
        // Earlier in time: only what had happened then.
        let first_start = timeline
            .steps
            .iter()
            .find(|s| s.action == "StartContainer")
            .map(|s| s.index);
        let early = pod_timeline(c.api().etcd(), c.trace(), "default/crash", first_start);
        assert!(early.containers[0].restarts.is_empty());
        assert!(early.to < timeline.to);
    }

    #[test]
    fn an_index_caught_up_step_by_step_gives_the_timelines_read_afresh() {
        let mut c = crate::Cluster::new(crate::Preset::Default, 1);
        let mut index = PodIndex::default();
        index.catch_up(c.trace(), c.api().etcd(), Some("default/crash"));
        c.advance(1_000);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: crash\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"echo boom; exit 1\"]\n";
        c.kubectl("kubectl apply -f -", Some(pod));
        // Caught up after every event, as the page does at the live end.
        for _ in 0..400 {
            c.step();
            index.catch_up(c.trace(), c.api().etcd(), Some("default/crash"));
        }
        let trace = c.trace();
        for cursor in [None, Some(trace.len() / 2), Some(trace.len() - 1)] {
            assert_eq!(
                index.timeline(trace, cursor),
                pod_timeline(c.api().etcd(), trace, "default/crash", cursor),
                "{cursor:?}"
            );
        }
        assert!(!index.timeline(trace, None).steps.is_empty());
        // Following another pod reads it from the start.
        index.catch_up(trace, c.api().etcd(), Some("kube-system/none"));
        assert_eq!(index.timeline(trace, None).steps, []);
    }
}
