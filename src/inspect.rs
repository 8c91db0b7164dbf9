//! The object inspector: any object of the store as it was at one etcd revision, read the way
//! kubectl would have read it then.
//!
//! - [`inspectable_objects`]: every object at a revision, grouped as `kubectl get` groups them
//!   (by resource, then namespace, then name), for a picker;
//! - [`object_yaml_at`]: the object as `kubectl get KIND NAME -o yaml` printed it then;
//! - [`object_history`]: the revisions at which its key changed (create, each modify, delete);
//! - [`diff_between`]: a unified line diff of the YAML at two revisions;
//! - [`events_table_at`]: the Events table `kubectl describe` printed then;
//! - [`pod_logs_at`]: each container's log as `kubectl logs POD -c CONTAINER` printed then.
//!
//! Everything here only reads: the page calls it on the revision under its time-travel cursor.

use serde_json::{json, Value};
use similar::{Algorithm, ChangeTag, TextDiff};

use crate::apiserver::resources::{ResourceInfo, RESOURCES};
use crate::etcd::{Etcd, EventType, KeyValue, ReadError};
use crate::kubectl::describe::describe;
use crate::kubectl::describe::events::{describe_events, events_for};
use crate::kubectl::describe::writer::PrefixWriter;
use crate::kubectl::errors::status_message;
use crate::kubectl::printers::yaml::to_yaml;
use crate::kubelet::server::container_for_logs;
use crate::sim::{wall_clock, Actor, Millis, TraceEntry};
use crate::unstructured::str_at;

/// Where every API object lives in etcd (k8s.io/apiserver storage: `/registry/<resource>/...`).
const REGISTRY: &str = "/registry/";

/// Where core/v1 Events are kept (pkg/registry/core/event/storage).
const EVENTS_PREFIX: &str = "/registry/events/";

/// Unchanged lines kept on each side of a change, as `diff -u` keeps three.
pub const DIFF_CONTEXT: usize = 3;

/// One object of the store, as the picker lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRef {
    /// The etcd key (`/registry/pods/default/nginx`).
    pub key: String,
    /// The kind (`Pod`).
    pub kind: &'static str,
    /// The resource as kubectl names it (`pods`, `deployments.apps`).
    pub resource: String,
    /// The namespace of a namespaced object.
    pub namespace: Option<String>,
    pub name: String,
}

impl ObjectRef {
    /// `default/nginx`, or `kind-worker` for a cluster-scoped object (the picker's label
    /// under its resource).
    pub fn short_name(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{ns}/{}", self.name),
            None => self.name.clone(),
        }
    }

    /// `pod/nginx`, `deployment.apps/web`: how kubectl names the object (`-o name`).
    pub fn kubectl_name(&self) -> String {
        let info = resource_of_key(&self.key).map(|(info, _)| info);
        let singular = info.map_or(self.kind.to_ascii_lowercase(), |i| {
            if i.group.is_empty() {
                i.singular.to_string()
            } else {
                format!("{}.{}", i.singular, i.group)
            }
        });
        format!("{singular}/{}", self.name)
    }
}

/// Why a revision cannot be read, as the etcd panel says it.
pub fn read_error_message(revision: i64, error: &ReadError) -> String {
    match error {
        ReadError::Compacted { .. } => format!(
            "revision {revision} has been compacted: etcd no longer has the keys as they were then"
        ),
        ReadError::FutureRevision { current } => {
            format!("revision {revision} is in the future (the store is at revision {current})")
        }
    }
}

/// The resource an etcd key belongs to and the rest of the key (`default/nginx`, or `nginx`
/// for a cluster-scoped object). The longest matching prefix wins; among resources sharing a
/// prefix (core and events.k8s.io Events) the first listed, the core one.
fn resource_of_key(key: &str) -> Option<(&'static ResourceInfo, &str)> {
    // Reversed: of equally long prefixes, max_by_key keeps the last, the first listed.
    RESOURCES
        .iter()
        .rev()
        .filter_map(|info| {
            let rest = key.strip_prefix(info.etcd_prefix)?.strip_prefix('/')?;
            Some((info, rest))
        })
        .max_by_key(|(info, _)| info.etcd_prefix.len())
}

/// The picker's entry for a key, if the key is an API object's.
fn object_ref(key: &str) -> Option<ObjectRef> {
    let (info, rest) = resource_of_key(key)?;
    let (namespace, name) = match (info.namespaced, rest.split_once('/')) {
        (true, Some((ns, name))) => (Some(ns.to_string()), name),
        (false, None) => (None, rest),
        _ => return None,
    };
    if name.is_empty() || name.contains('/') {
        return None;
    }
    Some(ObjectRef {
        key: key.to_string(),
        kind: info.kind,
        resource: info.qualified_plural(),
        namespace,
        name: name.to_string(),
    })
}

/// Every API object in the store at `revision`, sorted by resource, then namespace, then name
/// (as `kubectl get all -A` groups its tables); or why the revision cannot be read.
pub fn inspectable_objects(etcd: &Etcd, revision: i64) -> Result<Vec<ObjectRef>, String> {
    let kvs = etcd
        .range_at_refs(REGISTRY, revision)
        .map_err(|e| read_error_message(revision, &e))?;
    let mut objects: Vec<ObjectRef> = kvs.iter().filter_map(|kv| object_ref(&kv.key)).collect();
    objects.sort_by(|a, b| {
        (&a.resource, &a.namespace, &a.name).cmp(&(&b.resource, &b.namespace, &b.name))
    });
    Ok(objects)
}

/// The key's value as it was at `revision`: `Ok(None)` when it did not exist then.
pub fn key_at(etcd: &Etcd, key: &str, revision: i64) -> Result<Option<KeyValue>, String> {
    let kvs = etcd
        .range_at_refs(key, revision)
        .map_err(|e| read_error_message(revision, &e))?;
    Ok(kvs.into_iter().find(|kv| kv.key == key).cloned())
}

/// The object a GET answered at that revision: the stored object with `metadata.resourceVersion`
/// set to the revision that last wrote it (the API server's storage sets it from etcd's
/// mod_revision, k8s.io/apiserver storage/etcd3 `versioner.UpdateObject`).
fn as_served(kv: &KeyValue) -> Value {
    let mut obj = kv.value.clone();
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert("resourceVersion".into(), json!(kv.mod_revision.to_string()));
    }
    obj
}

/// What `kubectl get -o yaml` prints of a served object: itself, without its managedFields
/// (cli-runtime printers/managedfields.go omitManagedFields, unless --show-managed-fields), as
/// the kubectl YAML printer writes it.
fn kubectl_yaml(obj: Value) -> String {
    to_yaml(&crate::kubectl::get::for_output(obj))
}

/// The object at `key` as `kubectl get KIND NAME -o yaml` would have printed it at `revision`;
/// None if it did not exist then (or the revision cannot be read).
pub fn object_yaml_at(etcd: &Etcd, key: &str, revision: i64) -> Option<String> {
    let kv = key_at(etcd, key, revision).ok()??;
    Some(kubectl_yaml(as_served(&kv)))
}

/// How a change touched a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Created,
    Modified,
    Deleted,
}

impl ChangeKind {
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::Created => "created",
            ChangeKind::Modified => "modified",
            ChangeKind::Deleted => "deleted",
        }
    }
}

/// One write to a key: its revision, what it did and, when the trace says, who asked for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub revision: i64,
    pub kind: ChangeKind,
    /// The component whose request wrote it and that request (`kube-scheduler: POST …/binding`).
    pub by: Option<String>,
}

impl Change {
    /// `rev 12 (created)`, `rev 15 (modified by kube-scheduler)`.
    pub fn label(&self) -> String {
        let who = self
            .by
            .as_deref()
            .and_then(|b| b.split(": ").next())
            .map(|w| format!(" by {w}"))
            .unwrap_or_default();
        format!("rev {} ({}{who})", self.revision, self.kind.label())
    }
}

/// The request behind each etcd write the trace recorded, by revision: the API server's
/// `ApiServer → etcd` entry follows the caller's request (`caller → ApiServer`).
fn writers(trace: &[TraceEntry], revisions: &[i64]) -> Vec<(i64, String)> {
    let mut found = Vec::new();
    let mut request: Option<&TraceEntry> = None;
    for entry in trace {
        if entry.to == Actor::ApiServer && entry.from != Actor::ApiServer {
            request = Some(entry);
        }
        let writes = entry.from == Actor::ApiServer && entry.to == Actor::Etcd;
        if writes && revisions.contains(&entry.revision) {
            if let Some(req) = request {
                found.push((
                    entry.revision,
                    format!("{}: {}", req.from.label(), req.action),
                ));
            }
        }
    }
    found
}

/// The revisions at which `key` changed that can still be read (those after the compacted
/// revision), oldest first, each with the request that wrote it when `trace` shows it.
pub fn object_history(etcd: &Etcd, trace: &[TraceEntry], key: &str) -> Vec<Change> {
    let after = etcd.compact_revision().saturating_sub(1);
    let Ok(events) = etcd.changes_since(key, after) else {
        return Vec::new();
    };
    let mut changes: Vec<Change> = events
        .into_iter()
        .filter(|e| e.kv.key == key)
        .map(|e| Change {
            revision: e.kv.mod_revision,
            kind: match (e.kind, &e.prev) {
                (EventType::Delete, _) => ChangeKind::Deleted,
                (EventType::Put, None) => ChangeKind::Created,
                (EventType::Put, Some(_)) => ChangeKind::Modified,
            },
            by: None,
        })
        .collect();
    let revisions: Vec<i64> = changes.iter().map(|c| c.revision).collect();
    for (revision, by) in writers(trace, &revisions) {
        if let Some(change) = changes.iter_mut().find(|c| c.revision == revision) {
            change.by.get_or_insert(by);
        }
    }
    changes
}

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    /// In both texts.
    Same(String),
    /// Only in the newer text.
    Added(String),
    /// Only in the older text.
    Removed(String),
    /// A run of unchanged lines far from any change, not shown.
    Skipped(usize),
}

impl DiffLine {
    /// The line as a unified diff prints it (`-  phase: Pending`, `+  phase: Running`).
    pub fn text(&self) -> String {
        match self {
            DiffLine::Same(line) => format!(" {line}"),
            DiffLine::Added(line) => format!("+{line}"),
            DiffLine::Removed(line) => format!("-{line}"),
            DiffLine::Skipped(1) => "… 1 unchanged line".to_string(),
            DiffLine::Skipped(n) => format!("… {n} unchanged lines"),
        }
    }
}

/// A line diff of two texts (Myers, from the `similar` crate), with every run of unchanged
/// lines more than [`DIFF_CONTEXT`] lines from a change collapsed into one [`DiffLine::Skipped`].
pub fn diff_texts(old: &str, new: &str) -> Vec<DiffLine> {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_lines(old, new);
    let lines: Vec<DiffLine> = diff
        .iter_all_changes()
        .map(|change| {
            let text = change.value().trim_end_matches(['\n', '\r']).to_string();
            match change.tag() {
                ChangeTag::Equal => DiffLine::Same(text),
                ChangeTag::Insert => DiffLine::Added(text),
                ChangeTag::Delete => DiffLine::Removed(text),
            }
        })
        .collect();
    collapse_unchanged(lines, DIFF_CONTEXT)
}

/// Keep `context` unchanged lines next to each change; replace the rest of each unchanged run
/// by a count (a run of one hidden line is shown rather than counted).
fn collapse_unchanged(lines: Vec<DiffLine>, context: usize) -> Vec<DiffLine> {
    let mut out = Vec::with_capacity(lines.len());
    let mut run: Vec<DiffLine> = Vec::new();
    let mut seen_change = false;
    for line in lines {
        if matches!(line, DiffLine::Same(_)) {
            run.push(line);
            continue;
        }
        flush_run(
            &mut out,
            std::mem::take(&mut run),
            seen_change,
            true,
            context,
        );
        seen_change = true;
        out.push(line);
    }
    flush_run(&mut out, run, seen_change, false, context);
    out
}

/// Append one run of unchanged lines: `context` lines after a change before it, `context`
/// lines before a change after it, the middle counted.
fn flush_run(
    out: &mut Vec<DiffLine>,
    run: Vec<DiffLine>,
    change_before: bool,
    change_after: bool,
    context: usize,
) {
    let head = if change_before { context } else { 0 };
    let tail = if change_after { context } else { 0 };
    if run.len() <= head + tail + 1 {
        out.extend(run);
        return;
    }
    let hidden = run.len() - head - tail;
    let mut run = run.into_iter();
    out.extend(run.by_ref().take(head));
    out.push(DiffLine::Skipped(hidden));
    out.extend(run.skip(hidden));
}

/// The YAML of `key` at `rev_a` against that at `rev_b`, as a unified line diff; an object
/// absent on one side (not yet created, deleted, or at a compacted revision) is the empty text.
pub fn diff_between(etcd: &Etcd, key: &str, rev_a: i64, rev_b: i64) -> Vec<DiffLine> {
    let old = object_yaml_at(etcd, key, rev_a).unwrap_or_default();
    let new = object_yaml_at(etcd, key, rev_b).unwrap_or_default();
    diff_texts(&old, &new)
}

/// The Events section `kubectl describe` printed for the object at `key` at `revision`, with
/// ages counted to `clock` (describe.go DescribeEvents): `Events:  <none>` or the Type,
/// Reason, Age, From, Message table. The object is described by podlab's describer for its
/// kind and the section cut from its end, so each kind matches its events as its describer
/// does (the pod describer without their kind, the node's also by its name as uid); a kind
/// whose describer prints no events gets the section searchEvents would give it.
pub fn events_table_at(
    etcd: &Etcd,
    key: &str,
    revision: i64,
    clock: Millis,
) -> Result<String, String> {
    let Some(kv) = key_at(etcd, key, revision)? else {
        return Err(format!("not in etcd at revision {revision}"));
    };
    let obj = as_served(&kv);
    let events: Vec<Value> = etcd
        .range_at_refs(EVENTS_PREFIX, revision)
        .map_err(|e| read_error_message(revision, &e))?
        .into_iter()
        .map(as_served)
        .collect();
    let now = wall_clock(clock);
    let described = resource_of_key(key)
        .and_then(|(info, _)| describe(info.plural, &obj, &events, now))
        .and_then(|text| events_section(&text).map(str::to_string));
    if let Some(section) = described {
        return Ok(section);
    }
    let is_pod = str_at(&obj, "/kind") == "Pod";
    let about = events_for(&obj, &events, !is_pod);
    let mut w = PrefixWriter::new();
    describe_events(&about, now, &mut w);
    Ok(w.finish())
}

/// The Events section at the end of a describe output, from its `Events:` line.
fn events_section(described: &str) -> Option<&str> {
    if described.starts_with("Events:") {
        return Some(described);
    }
    let start = described.rfind("\nEvents:")? + 1;
    described.get(start..)
}

/// What a node's container runtime still holds for a container: every line it logged, each
/// with the virtual time it was logged at, or why none can be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeLog {
    /// The lines the container logged so far, oldest first, with when each was logged.
    Lines(Vec<(Millis, String)>),
    /// The runtime no longer has the container (the container garbage collector removed it).
    Removed,
    /// The node's runtime cannot be read from here; why.
    Unreadable(String),
}

/// Reads containers' logs from the nodes' runtimes without changing them (CRI ReadLogs).
pub trait ContainerRuntimes {
    /// The log of container `container_id` (without `containerd://`) on `node`.
    fn container_log(&self, node: &str, container_id: &str) -> RuntimeLog;
}

/// What `kubectl logs POD -c CONTAINER` printed for one container at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogOutcome {
    /// The lines logged at or before the cursor, as printed.
    Lines(Vec<String>),
    /// kubectl printed nothing: the container had logged nothing yet.
    NoLines,
    /// The pod was on no node yet: the API server answers an empty log.
    NotScheduled,
    /// The request failed: kubectl's error line (`Error from server (BadRequest): …`).
    Error(String),
    /// The runtime no longer has the container instance: what the kubelet answers, and the id.
    Removed { id: String, printed: String },
    /// The runtime could not be read from the page.
    Unreadable(String),
}

/// One container's log at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerLog {
    pub container: String,
    /// `init`, `regular` or `ephemeral`.
    pub role: &'static str,
    pub outcome: LogOutcome,
}

impl ContainerLog {
    /// The log as text, or a plain sentence saying why there is none.
    pub fn text(&self) -> String {
        match &self.outcome {
            LogOutcome::Lines(lines) => lines.iter().map(|l| format!("{l}\n")).collect(),
            LogOutcome::NoLines => "(no output: the container had logged nothing yet)".into(),
            LogOutcome::NotScheduled => {
                "(no output: the pod was not on a node yet, so it had no log)".into()
            }
            LogOutcome::Error(e) => e.clone(),
            LogOutcome::Removed { id, printed } => format!(
                "{printed}\n(container {id} no longer exists in the node's runtime: the container garbage collector removed it)"
            ),
            LogOutcome::Unreadable(why) => why.clone(),
        }
    }
}

/// The names of a pod's containers in `--all-containers` order (logs.go: init containers,
/// then regular, then ephemeral), each with its role.
fn containers_of(pod: &Value) -> Vec<(String, &'static str)> {
    [
        ("initContainers", "init"),
        ("containers", "regular"),
        ("ephemeralContainers", "ephemeral"),
    ]
    .iter()
    .flat_map(|(field, role)| {
        pod.pointer(&format!("/spec/{field}"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(move |c| (str_at(c, "/name").to_string(), *role))
    })
    .collect()
}

/// kubectl's line for the kubelet's 400 answer (cmdutil.StandardErrorMessage of a BadRequest).
fn bad_request(message: &str) -> String {
    status_message(
        &json!({"kind": "Status", "status": "Failure", "reason": "BadRequest", "message": message, "code": 400}),
        None,
    )
}

/// What `kubectl logs POD -c CONTAINER` printed for each container of `pod` (the pod as it was
/// at the cursor) at `clock`: the kubelet picks the container instance from the pod's status
/// (validateContainerLogStatus, [`container_for_logs`]) and reads its log through the CRI; only
/// lines logged at or before `clock` are shown.
pub fn pod_logs_at(
    pod: &Value,
    clock: Millis,
    runtimes: &dyn ContainerRuntimes,
) -> Vec<ContainerLog> {
    let node = str_at(pod, "/spec/nodeName");
    containers_of(pod)
        .into_iter()
        .map(|(container, role)| {
            let outcome = container_log_at(pod, node, &container, clock, runtimes);
            ContainerLog {
                container,
                role,
                outcome,
            }
        })
        .collect()
}

fn container_log_at(
    pod: &Value,
    node: &str,
    container: &str,
    clock: Millis,
    runtimes: &dyn ContainerRuntimes,
) -> LogOutcome {
    if node.is_empty() {
        return LogOutcome::NotScheduled;
    }
    let id = match container_for_logs(pod, container, false) {
        Ok(id) => id,
        Err(message) => return LogOutcome::Error(bad_request(&message)),
    };
    match runtimes.container_log(node, &id) {
        RuntimeLog::Lines(lines) => {
            let shown: Vec<String> = lines
                .into_iter()
                .filter(|(at, _)| *at <= clock)
                .map(|(_, text)| text)
                .collect();
            if shown.is_empty() {
                LogOutcome::NoLines
            } else {
                LogOutcome::Lines(shown)
            }
        }
        RuntimeLog::Removed => LogOutcome::Removed {
            printed: format!("unable to retrieve container logs for containerd://{id}"),
            id,
        },
        RuntimeLog::Unreadable(why) => LogOutcome::Unreadable(why),
    }
}

/// A stand-in for the nodes' runtimes where they cannot be read (the page reads the store
/// only): every container's log says so.
pub struct RuntimesNotReadable;

impl ContainerRuntimes for RuntimesNotReadable {
    fn container_log(&self, node: &str, _container_id: &str) -> RuntimeLog {
        RuntimeLog::Unreadable(format!(
            "(the page cannot read the container runtime of node {node}: run kubectl logs in the console)"
        ))
    }
}

/// The cluster's own runtimes, read through each node's kubelet server.
impl ContainerRuntimes for crate::cluster::Cluster {
    fn container_log(&self, node: &str, container_id: &str) -> RuntimeLog {
        let Some(server) = self.kubelet_server(node) else {
            return RuntimeLog::Unreadable(format!("(node {node} runs no kubelet)"));
        };
        match server.container_log_lines(container_id, self.now()) {
            Some(lines) => RuntimeLog::Lines(lines),
            None => RuntimeLog::Removed,
        }
    }
}

/// The inspector's sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Section {
    #[default]
    Yaml,
    Diff,
    Events,
    Logs,
}

impl Section {
    pub const ALL: [Section; 4] = [Section::Yaml, Section::Diff, Section::Events, Section::Logs];

    pub fn label(self) -> &'static str {
        match self {
            Section::Yaml => "YAML",
            Section::Diff => "Diff",
            Section::Events => "Events",
            Section::Logs => "Logs",
        }
    }

    /// Logs are a pod's only.
    pub fn applies_to(self, kind: &str) -> bool {
        self != Section::Logs || kind == "Pod"
    }
}

/// What the inspector shows of the selected object in its open section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionBody {
    /// `kubectl get -o yaml` at the revision; None when the object did not exist then.
    Yaml(Option<String>),
    /// The YAML at the older revision against that at the newer one.
    Diff {
        older: i64,
        newer: i64,
        lines: Vec<DiffLine>,
    },
    /// Nothing to compare against: the object has no other readable revision.
    NoDiff,
    /// The Events table, or why there is none.
    Events(Result<String, String>),
    /// Each container's log, or why there is none.
    Logs(Result<Vec<ContainerLog>, String>),
}

/// The selected object at the revision on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspected {
    pub key: String,
    /// The object's kind at the revision, or from its key when absent then.
    pub kind: &'static str,
    /// Whether the object existed at the revision.
    pub exists: bool,
    /// Its readable changes, oldest first.
    pub history: Vec<Change>,
    /// The revision the Diff compares against (the chosen one, or by default the change
    /// before the one on screen).
    pub compare: Option<i64>,
    /// The section shown (YAML when the one asked for does not apply to the kind).
    pub section: Section,
    pub body: SectionBody,
}

/// Everything the inspector panel draws at one revision.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PanelData {
    pub revision: i64,
    pub objects: Vec<ObjectRef>,
    /// Why the revision cannot be read (compacted).
    pub error: Option<String>,
    pub selected: Option<Inspected>,
}

/// The cursor's view of what to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor<'a> {
    pub revision: i64,
    pub clock: Millis,
    pub selected: Option<&'a str>,
    pub compare: Option<i64>,
    pub section: Section,
}

/// The panel at `cursor`, read from `etcd` (and `trace` for who wrote each change; `runtimes`
/// for pods' logs). Only the open section is computed.
pub fn panel_at(
    etcd: &Etcd,
    trace: &[TraceEntry],
    runtimes: &dyn ContainerRuntimes,
    cursor: Cursor,
) -> PanelData {
    let (objects, error) = match inspectable_objects(etcd, cursor.revision) {
        Ok(objects) => (objects, None),
        Err(e) => (Vec::new(), Some(e)),
    };
    let selected = cursor
        .selected
        .map(|key| inspect(etcd, trace, runtimes, key, cursor));
    PanelData {
        revision: cursor.revision,
        objects,
        error,
        selected,
    }
}

/// The change before the one visible at `revision`: by default, the Diff shows what the
/// object's last write before the cursor changed.
pub fn default_compare(history: &[Change], revision: i64) -> Option<i64> {
    let visible = history.iter().rposition(|c| c.revision <= revision);
    match visible {
        Some(0) => None,
        Some(i) => history.get(i - 1).map(|c| c.revision),
        None => history.first().map(|c| c.revision),
    }
}

fn inspect(
    etcd: &Etcd,
    trace: &[TraceEntry],
    runtimes: &dyn ContainerRuntimes,
    key: &str,
    cursor: Cursor,
) -> Inspected {
    let revision = cursor.revision;
    let current = key_at(etcd, key, revision).ok().flatten();
    let kind = resource_of_key(key).map_or("", |(info, _)| info.kind);
    let history = object_history(etcd, trace, key);
    let compare = cursor
        .compare
        .or_else(|| default_compare(&history, revision));
    let section = if cursor.section.applies_to(kind) {
        cursor.section
    } else {
        Section::Yaml
    };
    let body = match section {
        Section::Yaml => SectionBody::Yaml(object_yaml_at(etcd, key, revision)),
        Section::Diff => match compare {
            Some(other) => {
                let (older, newer) = (other.min(revision), other.max(revision));
                SectionBody::Diff {
                    older,
                    newer,
                    lines: diff_between(etcd, key, older, newer),
                }
            }
            None => SectionBody::NoDiff,
        },
        Section::Events => SectionBody::Events(events_table_at(etcd, key, revision, cursor.clock)),
        Section::Logs => SectionBody::Logs(match &current {
            Some(kv) => Ok(pod_logs_at(&kv.value, cursor.clock, runtimes)),
            None => Err(format!("the pod is not in etcd at revision {revision}")),
        }),
    };
    Inspected {
        key: key.to_string(),
        kind,
        exists: current.is_some(),
        history,
        compare,
        section,
        body,
    }
}

/// The objects whose key or kubectl name contains `filter` (case-insensitive).
pub fn filter_objects<'a>(objects: &'a [ObjectRef], filter: &str) -> Vec<&'a ObjectRef> {
    let filter = filter.trim().to_lowercase();
    objects
        .iter()
        .filter(|o| {
            filter.is_empty()
                || o.key.to_lowercase().contains(&filter)
                || o.kubectl_name().to_lowercase().contains(&filter)
        })
        .collect()
}

impl DiffLine {
    /// The page's class for the line.
    pub fn class(&self) -> &'static str {
        match self {
            DiffLine::Same(_) => "diff-same",
            DiffLine::Added(_) => "diff-add",
            DiffLine::Removed(_) => "diff-del",
            DiffLine::Skipped(_) => "diff-skip",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cluster, Preset};
    use std::collections::BTreeMap;

    const HELLO: &str = "apiVersion: v1
kind: Pod
metadata:
  name: hello
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"echo hello; sleep 3600\"]
";

    const HELLO_KEY: &str = "/registry/pods/default/hello";

    /// A cluster that ran the hello pod for `ms`; and the revision once it was created.
    fn hello_cluster(ms: Millis) -> (Cluster, i64) {
        let mut c = Cluster::new(Preset::Default, 7);
        let out = c.kubectl("kubectl apply -f -", Some(HELLO));
        assert_eq!(out.text, "pod/hello created\n");
        let created = c
            .api()
            .etcd()
            .get(HELLO_KEY)
            .map(|kv| kv.create_revision)
            .unwrap_or_default();
        c.advance(ms);
        (c, created)
    }

    #[test]
    fn objects_are_grouped_by_resource_namespace_and_name() {
        let (c, _) = hello_cluster(6_000);
        let etcd = c.api().etcd();
        let objects = inspectable_objects(etcd, etcd.revision()).unwrap();
        let hello = objects.iter().find(|o| o.key == HELLO_KEY).unwrap();
        assert_eq!(hello.kind, "Pod");
        assert_eq!(hello.resource, "pods");
        assert_eq!(hello.namespace.as_deref(), Some("default"));
        assert_eq!(hello.kubectl_name(), "pod/hello");
        let node = objects
            .iter()
            .find(|o| o.key == "/registry/minions/kind-worker")
            .or_else(|| objects.iter().find(|o| o.kind == "Node"))
            .unwrap();
        assert_eq!((node.resource.as_str(), &node.namespace), ("nodes", &None));
        let order: Vec<_> = objects
            .iter()
            .map(|o| (&o.resource, &o.namespace, &o.name))
            .collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
        assert!(objects
            .iter()
            .any(|o| o.resource == "leases.coordination.k8s.io"));
    }

    #[test]
    fn yaml_at_an_early_revision_differs_from_a_later_one() {
        let (c, created) = hello_cluster(6_000);
        let etcd = c.api().etcd();
        let early = object_yaml_at(etcd, HELLO_KEY, created).unwrap();
        let late = object_yaml_at(etcd, HELLO_KEY, etcd.revision()).unwrap();
        assert!(
            early.starts_with("apiVersion: v1\nkind: Pod\nmetadata:\n"),
            "{early}"
        );
        assert!(early.contains("\n  phase: Pending\n"), "{early}");
        assert!(late.contains("\n  phase: Running\n"), "{late}");
        assert!(early.contains(&format!("  resourceVersion: \"{created}\"\n")));
        assert!(!early.contains("managedFields"));
        assert_eq!(object_yaml_at(etcd, HELLO_KEY, created - 1), None);
        assert_eq!(
            object_yaml_at(etcd, "/registry/pods/default/nope", created),
            None
        );
        assert_eq!(object_yaml_at(etcd, HELLO_KEY, i64::MAX), None);
        // A key that is a prefix of another is not confused with it.
        assert_eq!(
            object_yaml_at(etcd, "/registry/pods/default/hell", created),
            None
        );
    }

    #[test]
    fn the_diff_shows_the_phase_change() {
        let (c, created) = hello_cluster(6_000);
        let etcd = c.api().etcd();
        let diff = diff_between(etcd, HELLO_KEY, created, etcd.revision());
        let texts: Vec<String> = diff.iter().map(DiffLine::text).collect();
        assert!(
            texts.contains(&"-  phase: Pending".to_string()),
            "{texts:#?}"
        );
        assert!(
            texts.contains(&"+  phase: Running".to_string()),
            "{texts:#?}"
        );
        assert!(diff.iter().any(|l| matches!(l, DiffLine::Skipped(_))));
        // Against a revision before it existed, every line is added.
        let from_nothing = diff_between(etcd, HELLO_KEY, created - 1, created);
        assert!(from_nothing.iter().all(|l| matches!(l, DiffLine::Added(_))));
        assert_eq!(
            from_nothing.first().map(DiffLine::text).as_deref(),
            Some("+apiVersion: v1")
        );
    }

    #[test]
    fn history_lists_the_create_and_each_write() {
        let (mut c, created) = hello_cluster(6_000);
        c.kubectl("kubectl delete pod hello --wait=false", None);
        c.advance(40_000);
        let etcd = c.api().etcd();
        let history = object_history(etcd, c.trace(), HELLO_KEY);
        let first = history.first().unwrap();
        assert_eq!((first.revision, first.kind), (created, ChangeKind::Created));
        assert_eq!(
            first.by.as_deref().map(|b| b.split(": ").next()),
            Some(Some("kubectl"))
        );
        assert_eq!(first.label(), format!("rev {created} (created by kubectl)"));
        assert!(history.iter().any(|ch| ch.kind == ChangeKind::Modified
            && ch
                .by
                .as_deref()
                .is_some_and(|b| b.starts_with("kube-scheduler"))));
        assert!(history.iter().any(|ch| ch
            .label()
            .starts_with(&format!("rev {} (modified by kubelet@", ch.revision))));
        assert_eq!(history.last().map(|ch| ch.kind), Some(ChangeKind::Deleted));
        let revisions: Vec<i64> = history.iter().map(|ch| ch.revision).collect();
        assert!(revisions.windows(2).all(|w| w[0] < w[1]));
        assert!(object_history(etcd, c.trace(), "/registry/pods/default/nope").is_empty());
    }

    /// The Events table is what `kubectl describe pod` prints at the same moment.
    #[test]
    fn events_match_kubectl_describe() {
        let (mut c, created) = hello_cluster(6_000);
        let etcd = c.api().etcd();
        let table = events_table_at(etcd, HELLO_KEY, etcd.revision(), c.now()).unwrap();
        for reason in ["Scheduled", "Pulling", "Pulled", "Created", "Started"] {
            assert!(table.contains(reason), "{reason} missing from {table}");
        }
        assert!(table.starts_with("Events:\n  Type    Reason"), "{table}");
        let section = |c: &mut Cluster, line: &str| {
            let text = c.kubectl(line, None).text;
            events_section(&text).map(str::to_string)
        };
        // With no events, describe aligns `Events:` with the lines above it.
        let none = events_table_at(etcd, HELLO_KEY, created, c.now()).unwrap();
        assert!(
            none.starts_with("Events:   ") && none.ends_with(" <none>\n"),
            "{none:?}"
        );
        assert!(events_table_at(etcd, "/registry/pods/default/nope", created, 0).is_err());
        assert_eq!(section(&mut c, "kubectl describe pod hello"), Some(table));
        // A node's events are those its kubelet reported under the node's name.
        let etcd = c.api().etcd();
        let node = inspectable_objects(etcd, etcd.revision())
            .unwrap()
            .into_iter()
            .find(|o| o.kind == "Node")
            .unwrap();
        let node_table = events_table_at(etcd, &node.key, etcd.revision(), c.now()).unwrap();
        let line = format!("kubectl describe {}", node.kubectl_name());
        assert_eq!(section(&mut c, &line), Some(node_table));
        assert_eq!(
            events_section("Name: x\nEvents:  <none>\n"),
            Some("Events:  <none>\n")
        );
        assert_eq!(events_section("Name: x\n"), None);
    }

    #[test]
    fn compacted_revisions_are_said_so() {
        let (mut c, created) = hello_cluster(6_000);
        let now = c.revision();
        c.etcdctl(&format!("etcdctl compaction {now}"));
        let etcd = c.api().etcd();
        assert_eq!(
            inspectable_objects(etcd, created),
            Err(format!(
                "revision {created} has been compacted: etcd no longer has the keys as they were then"
            ))
        );
        assert_eq!(object_yaml_at(etcd, HELLO_KEY, created), None);
        assert!(events_table_at(etcd, HELLO_KEY, created, 0).is_err());
        assert!(object_yaml_at(etcd, HELLO_KEY, now).is_some());
    }

    #[test]
    fn unchanged_runs_far_from_changes_are_collapsed() {
        let old: String = (1..=20).map(|i| format!("line {i}\n")).collect();
        let new = old.replace("line 10\n", "line ten\n");
        let diff = diff_texts(&old, &new);
        let texts: Vec<String> = diff.iter().map(DiffLine::text).collect();
        assert_eq!(
            texts,
            [
                "… 6 unchanged lines",
                " line 7",
                " line 8",
                " line 9",
                "-line 10",
                "+line ten",
                " line 11",
                " line 12",
                " line 13",
                "… 7 unchanged lines",
            ]
        );
        assert_eq!(diff_texts(&old, &old), vec![DiffLine::Skipped(20)]);
        assert_eq!(diff_texts("", ""), Vec::<DiffLine>::new());
        assert_eq!(DiffLine::Skipped(1).text(), "… 1 unchanged line");
    }

    /// A runtime that answers from a table of container ids.
    struct Table(BTreeMap<String, RuntimeLog>);

    impl ContainerRuntimes for Table {
        fn container_log(&self, _node: &str, id: &str) -> RuntimeLog {
            self.0.get(id).cloned().unwrap_or(RuntimeLog::Removed)
        }
    }

    #[test]
    fn logs_up_to_the_cursor() {
        let (c, created) = hello_cluster(6_000);
        let etcd = c.api().etcd();
        let pod = key_at(etcd, HELLO_KEY, etcd.revision())
            .unwrap()
            .unwrap()
            .value;
        let id = container_for_logs(&pod, "app", false).unwrap();
        let runtime = Table(BTreeMap::from([(
            id.clone(),
            RuntimeLog::Lines(vec![(4_000, "hello".into()), (9_000, "later".into())]),
        )]));
        let logs = pod_logs_at(&pod, 5_000, &runtime);
        assert_eq!(logs.len(), 1);
        assert_eq!(
            (logs[0].container.as_str(), logs[0].role),
            ("app", "regular")
        );
        assert_eq!(logs[0].outcome, LogOutcome::Lines(vec!["hello".into()]));
        assert_eq!(logs[0].text(), "hello\n");
        assert_eq!(
            pod_logs_at(&pod, 3_000, &runtime)[0].outcome,
            LogOutcome::NoLines
        );
        let gone = pod_logs_at(&pod, 5_000, &Table(BTreeMap::new()));
        assert_eq!(
            gone[0].outcome,
            LogOutcome::Removed {
                id: id.clone(),
                printed: format!("unable to retrieve container logs for containerd://{id}")
            }
        );
        // Before the kubelet reported the container running, kubectl is told why.
        let fresh = key_at(etcd, HELLO_KEY, created).unwrap().unwrap().value;
        assert_eq!(
            pod_logs_at(&fresh, 0, &runtime)[0].outcome,
            LogOutcome::NotScheduled
        );
        let versions: Vec<Value> = object_history(etcd, c.trace(), HELLO_KEY)
            .into_iter()
            .filter_map(|ch| key_at(etcd, HELLO_KEY, ch.revision).ok().flatten())
            .map(|kv| kv.value)
            .collect();
        let bound = versions
            .iter()
            .find(|p| !str_at(p, "/spec/nodeName").is_empty())
            .unwrap();
        assert_eq!(
            pod_logs_at(bound, 0, &runtime)[0].outcome,
            LogOutcome::Error(
                "Error from server (BadRequest): container \"app\" in pod \"hello\" is not available".into()
            )
        );
        let creating = versions
            .iter()
            .find(|p| {
                p.pointer("/status/containerStatuses/0/state/waiting")
                    .is_some()
            })
            .unwrap();
        assert_eq!(
            pod_logs_at(creating, 0, &runtime)[0].text(),
            "Error from server (BadRequest): container \"app\" in pod \"hello\" is waiting to start: ContainerCreating"
        );
    }
    #[test]
    fn the_panel_reads_only_its_open_section() {
        let (c, created) = hello_cluster(6_000);
        let etcd = c.api().etcd();
        let now = etcd.revision();
        let cursor = |section, compare| Cursor {
            revision: now,
            clock: c.now(),
            selected: Some(HELLO_KEY),
            compare,
            section,
        };
        let panel = panel_at(
            etcd,
            c.trace(),
            &RuntimesNotReadable,
            cursor(Section::Diff, Some(created)),
        );
        assert_eq!(panel.error, None);
        assert!(panel.objects.iter().any(|o| o.key == HELLO_KEY));
        let inspected = panel.selected.unwrap();
        assert_eq!((inspected.kind, inspected.exists), ("Pod", true));
        match &inspected.body {
            SectionBody::Diff {
                older,
                newer,
                lines,
            } => {
                assert_eq!((*older, *newer), (created, now));
                assert!(lines.iter().any(|l| l.text() == "+  phase: Running"));
                assert!(lines.iter().any(|l| l.class() == "diff-del"));
            }
            other => panic!("{other:?}"),
        }
        // By default the Diff compares with the change before the one on screen.
        let by_default = panel_at(
            etcd,
            c.trace(),
            &RuntimesNotReadable,
            cursor(Section::Diff, None),
        );
        let history = &by_default.selected.as_ref().unwrap().history;
        let before_last = history.iter().rev().nth(1).map(|ch| ch.revision);
        assert_eq!(by_default.selected.unwrap().compare, before_last);
        let logs = panel_at(
            etcd,
            c.trace(),
            &RuntimesNotReadable,
            cursor(Section::Logs, None),
        );
        match logs.selected.unwrap().body {
            SectionBody::Logs(Ok(logs)) => {
                assert!(matches!(logs[0].outcome, LogOutcome::Unreadable(_)))
            }
            other => panic!("{other:?}"),
        }
        // Logs are for pods: a node shows its YAML.
        let node_key = panel
            .objects
            .iter()
            .find(|o| o.kind == "Node")
            .unwrap()
            .key
            .clone();
        let node = panel_at(
            etcd,
            c.trace(),
            &RuntimesNotReadable,
            Cursor {
                selected: Some(&node_key),
                ..cursor(Section::Logs, None)
            },
        );
        assert_eq!(node.selected.unwrap().section, Section::Yaml);
        // A key that never existed, and a revision in the future, do not panic.
        let missing = panel_at(
            etcd,
            c.trace(),
            &RuntimesNotReadable,
            Cursor {
                selected: Some("no/such/key"),
                revision: now + 10,
                ..cursor(Section::Events, None)
            },
        );
        assert!(missing.error.is_some());
        let inspected = missing.selected.unwrap();
        assert!(!inspected.exists && inspected.history.is_empty());
        assert!(matches!(inspected.body, SectionBody::Events(Err(_))));
    }

    #[test]
    fn default_comparison_and_filter() {
        let change = |revision| Change {
            revision,
            kind: ChangeKind::Modified,
            by: None,
        };
        let history = [change(5), change(9), change(12)];
        assert_eq!(default_compare(&history, 10), Some(5));
        assert_eq!(default_compare(&history, 12), Some(9));
        assert_eq!(default_compare(&history, 6), None);
        assert_eq!(default_compare(&history, 2), Some(5));
        assert_eq!(default_compare(&[], 2), None);
        let objects = vec![
            object_ref("/registry/pods/default/hello").unwrap(),
            object_ref("/registry/events/default/hello.18a0").unwrap(),
            object_ref("/registry/minions/kind-worker").unwrap(),
        ];
        assert_eq!(objects[1].resource, "events");
        assert_eq!(objects[2].kubectl_name(), "node/kind-worker");
        assert_eq!(objects[2].short_name(), "kind-worker");
        assert_eq!(objects[0].short_name(), "default/hello");
        let names = |f: &str| -> Vec<String> {
            filter_objects(&objects, f)
                .iter()
                .map(|o| o.kubectl_name())
                .collect()
        };
        assert_eq!(names("POD/"), ["pod/hello"]);
        assert_eq!(names("minions"), ["node/kind-worker"]);
        assert_eq!(names(" ").len(), 3);
        assert_eq!(object_ref("/registry/pods/default"), None);
        assert_eq!(object_ref("/registry/ranges/serviceips"), None);
    }

    /// At the newest revision the YAML is exactly what `kubectl get -o yaml` prints.
    #[test]
    fn yaml_is_kubectl_get_o_yaml() {
        let (mut c, _) = hello_cluster(6_000);
        let now = c.revision();
        let pod = object_yaml_at(c.api().etcd(), HELLO_KEY, now).unwrap();
        let node = inspectable_objects(c.api().etcd(), now)
            .unwrap()
            .into_iter()
            .find(|o| o.kind == "Node")
            .unwrap();
        let node_yaml = object_yaml_at(c.api().etcd(), &node.key, now).unwrap();
        assert_eq!(pod, c.kubectl("kubectl get pod hello -o yaml", None).text);
        let line = format!("kubectl get {} -o yaml", node.kubectl_name());
        assert_eq!(node_yaml, c.kubectl(&line, None).text);
    }

    #[test]
    fn a_pods_logs_read_from_its_nodes_runtime_as_kubectl_logs_prints_them() {
        let (mut c, _) = hello_cluster(6_000);
        let etcd = c.api().etcd();
        let pod = key_at(etcd, HELLO_KEY, etcd.revision())
            .unwrap()
            .unwrap()
            .value;
        let now = c.now();
        let logs = pod_logs_at(&pod, now, &c);
        assert_eq!(logs[0].text(), c.kubectl("kubectl logs hello", None).text);
        assert_eq!(logs[0].outcome, LogOutcome::Lines(vec!["hello".into()]));
        // At a time before the container started, it had printed nothing.
        assert_eq!(pod_logs_at(&pod, 0, &c)[0].outcome, LogOutcome::NoLines);
    }
}
