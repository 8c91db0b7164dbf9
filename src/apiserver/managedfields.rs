//! `metadata.managedFields` and server-side apply, as kube-apiserver's field manager keeps them
//! (k8s.io/apimachinery/pkg/util/managedfields/internal, on sigs.k8s.io/structured-merge-diff).
//!
//! A [`FieldSet`] is a tree of path elements in the `FieldsV1` encoding (`f:name` for a field,
//! `k:{"name":"nginx"}` for an item of an associative list, `v:"x"` for an item of a set); a
//! node is a member when the path itself is owned (`".": {}` beside children). Every write
//! records, per manager, operation and subresource, the fields it set ([`update`]); an apply
//! ([`apply`]) makes the applier own exactly the fields of its configuration, and fails with
//! conflicts when it would change a value another manager owns.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

/// The annotation client-side apply keeps (corev1.LastAppliedConfigAnnotation).
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// A set of field paths, as structured-merge-diff's fieldpath.Set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSet {
    /// Whether the path leading to this node is itself in the set.
    pub member: bool,
    /// Children by encoded path element (`f:spec`, `k:{"name":"nginx"}`, `v:"a"`).
    pub children: BTreeMap<String, FieldSet>,
}

impl FieldSet {
    pub fn is_empty(&self) -> bool {
        !self.member && self.children.values().all(FieldSet::is_empty)
    }

    /// Add `path` (a list of encoded path elements) to the set.
    pub fn insert(&mut self, path: &[String]) {
        match path.split_first() {
            None => self.member = true,
            Some((first, rest)) => self.children.entry(first.clone()).or_default().insert(rest),
        }
    }

    pub fn has(&self, path: &[String]) -> bool {
        match path.split_first() {
            None => self.member,
            Some((first, rest)) => self.children.get(first).is_some_and(|c| c.has(rest)),
        }
    }

    /// Whether the set holds `path` or anything under it.
    pub fn owns_under(&self, path: &[String]) -> bool {
        match path.split_first() {
            None => !self.is_empty(),
            Some((first, rest)) => self.children.get(first).is_some_and(|c| c.owns_under(rest)),
        }
    }

    pub fn union(&self, other: &FieldSet) -> FieldSet {
        let mut out = self.clone();
        out.member |= other.member;
        for (k, v) in &other.children {
            let merged = match out.children.get(k) {
                Some(mine) => mine.union(v),
                None => v.clone(),
            };
            out.children.insert(k.clone(), merged);
        }
        out
    }

    /// The paths of `self` that are not in `other` (fieldpath.Set.Difference: a member of
    /// `other` removes only that path, not what lies under it).
    pub fn difference(&self, other: &FieldSet) -> FieldSet {
        let mut out = FieldSet {
            member: self.member && !other.member,
            children: BTreeMap::new(),
        };
        for (k, v) in &self.children {
            let rest = match other.children.get(k) {
                Some(o) => v.difference(o),
                None => v.clone(),
            };
            if !rest.is_empty() {
                out.children.insert(k.clone(), rest);
            }
        }
        out
    }

    pub fn intersection(&self, other: &FieldSet) -> FieldSet {
        let mut out = FieldSet {
            member: self.member && other.member,
            children: BTreeMap::new(),
        };
        for (k, v) in &self.children {
            if let Some(o) = other.children.get(k) {
                let both = v.intersection(o);
                if !both.is_empty() {
                    out.children.insert(k.clone(), both);
                }
            }
        }
        out
    }

    /// The same set without nodes that hold no member.
    fn pruned(&self) -> FieldSet {
        FieldSet {
            member: self.member,
            children: self
                .children
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k.clone(), v.pruned()))
                .collect(),
        }
    }

    /// The set without the whole subtree at the top-level field `field`.
    fn without_field(&self, field: &str) -> FieldSet {
        let mut out = self.clone();
        out.children.remove(&format!("f:{field}"));
        out
    }

    /// Only the subtree at the top-level field `field`.
    fn only_field(&self, field: &str) -> FieldSet {
        let key = format!("f:{field}");
        let mut out = FieldSet::default();
        if let Some(sub) = self.children.get(&key) {
            out.children.insert(key, sub.clone());
        }
        out
    }

    /// Every member path, members of a node before its children's subtrees, as
    /// fieldpath.Set.Iterate walks them.
    pub fn paths(&self) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        self.collect_paths(&mut Vec::new(), &mut out);
        out
    }

    fn collect_paths(&self, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        for (k, v) in &self.children {
            if v.member {
                let mut p = prefix.clone();
                p.push(k.clone());
                out.push(p);
            }
        }
        for (k, v) in &self.children {
            prefix.push(k.clone());
            v.collect_paths(prefix, out);
            prefix.pop();
        }
    }

    /// The `fieldsV1` JSON form.
    pub fn to_fields_v1(&self) -> Value {
        let mut map = Map::new();
        if self.member && !self.children.is_empty() {
            map.insert(".".into(), json!({}));
        }
        for (k, v) in &self.children {
            if !v.is_empty() {
                map.insert(k.clone(), v.to_fields_v1());
            }
        }
        Value::Object(map)
    }

    /// Parse the `fieldsV1` JSON form (the root itself is never a member).
    pub fn from_fields_v1(v: &Value) -> FieldSet {
        let mut out = FieldSet::default();
        if let Some(map) = v.as_object() {
            for (k, child) in map {
                if k == "." {
                    continue;
                }
                let mut sub = FieldSet::from_fields_v1(child);
                let has_children = child.as_object().is_some_and(|m| !m.is_empty());
                let dotted = child.get(".").is_some();
                sub.member = !has_children || dotted;
                out.children.insert(k.clone(), sub);
            }
        }
        out
    }
}

/// One path element as fieldpath.PathElement.String prints it: `.image`, `[name="nginx"]`,
/// `[="a"]`, `[0]`.
pub fn element_string(pe: &str) -> String {
    if let Some(name) = pe.strip_prefix("f:") {
        return format!(".{name}");
    }
    if let Some(key) = pe.strip_prefix("k:") {
        let fields: Vec<String> = serde_json::from_str::<Map<String, Value>>(key)
            .map(|m| m.iter().map(|(k, v)| format!("{k}={v}")).collect())
            .unwrap_or_default();
        return format!("[{}]", fields.join(","));
    }
    if let Some(v) = pe.strip_prefix("v:") {
        return format!("[={v}]");
    }
    if let Some(i) = pe.strip_prefix("i:") {
        return format!("[{i}]");
    }
    pe.to_string()
}

/// A path as fieldpath.Path.String prints it: `.spec.containers[name="nginx"].image`.
pub fn path_string(path: &[String]) -> String {
    path.iter().map(|p| element_string(p)).collect()
}

// ---------------------------------------------------------------------------------------------
// The schema: which lists are associative (x-kubernetes-list-type map and its keys), which are
// sets, which maps are atomic (x-kubernetes-map-type atomic) and which are maps of their own keys
// rather than structs. Lists without a list-type are atomic, as the OpenAPI of the built-in types
// leaves them.

/// How a list merges and is owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListKind {
    /// Replaced and owned as one value.
    Atomic,
    /// Scalars owned one by one (`v:"a"`).
    Set,
    /// Items owned by their key fields (`k:{"name":"nginx"}`).
    Map(&'static [&'static str]),
}

/// How a JSON object is owned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapKind {
    /// A Go struct: its fields are owned one by one, the struct itself is not owned.
    Struct,
    /// A Go map: each key is owned.
    Granular,
    /// Owned as one value (`x-kubernetes-map-type: atomic`, e.g. a LabelSelector).
    Atomic,
}

/// `schema` is the field path with `[]` for list items (`spec.containers[].ports`).
pub fn list_kind(kind: &str, schema: &[String]) -> ListKind {
    let field = schema.last().map(String::as_str).unwrap_or_default();
    let parent = schema
        .len()
        .checked_sub(2)
        .and_then(|i| schema.get(i))
        .map(String::as_str)
        .unwrap_or_default();
    match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets"
        | "resourceClaims"
        | "schedulingGates" => ListKind::Map(&["name"]),
        "volumeMounts" => ListKind::Map(&["mountPath"]),
        "volumeDevices" => ListKind::Map(&["devicePath"]),
        "ports" if parent.ends_with("[]") => ListKind::Map(&["containerPort", "protocol"]),
        "ports" if kind == "Service" && parent == "spec" => ListKind::Map(&["port", "protocol"]),
        "conditions" => ListKind::Map(&["type"]),
        "ownerReferences" => ListKind::Map(&["uid"]),
        "hostAliases" | "podIPs" | "hostIPs" => ListKind::Map(&["ip"]),
        "topologySpreadConstraints" => ListKind::Map(&["topologyKey", "whenUnsatisfiable"]),
        "finalizers" => ListKind::Set,
        _ => ListKind::Atomic,
    }
}

/// Whether the object at `schema` is a struct, a map of its own keys, or atomic.
pub fn map_kind(kind: &str, schema: &[String]) -> MapKind {
    let field = schema.last().map(String::as_str).unwrap_or_default();
    match field {
        "labels" | "annotations" | "data" | "binaryData" | "stringData" | "nodeSelector"
        | "limits" | "requests" | "capacity" | "allocatable" | "matchLabels" => MapKind::Granular,
        "selector" if kind == "Service" => MapKind::Granular,
        "selector" | "labelSelector" | "namespaceSelector" => MapKind::Atomic,
        _ => MapKind::Struct,
    }
}

/// The encoded key of an associative list's item (`k:{"containerPort":80,"protocol":"TCP"}`);
/// a missing `protocol` takes its default, TCP.
fn item_key(keys: &[&str], item: &Value) -> String {
    let mut m = Map::new();
    for k in keys {
        match item.get(*k) {
            Some(v) if !v.is_null() => {
                m.insert((*k).to_string(), v.clone());
            }
            _ if *k == "protocol" => {
                m.insert((*k).to_string(), json!("TCP"));
            }
            _ => {}
        }
    }
    format!("k:{}", Value::Object(m))
}

/// The path element of a list item.
fn list_element(list: &ListKind, index: usize, item: &Value) -> String {
    match list {
        ListKind::Map(keys) => item_key(keys, item),
        ListKind::Set => format!("v:{item}"),
        ListKind::Atomic => format!("i:{index}"),
    }
}

fn is_empty_value(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::Object(m)) => m.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Compare and field sets of a value.

/// What changed between two objects (typed.Comparison): leaves added, removed and modified, and
/// maps, lists and list items that appeared or went away.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    pub added: FieldSet,
    pub modified: FieldSet,
    pub removed: FieldSet,
}

/// Compare `lhs` (live) with `rhs` (new), as TypedValue.Compare walks them.
pub fn compare(kind: &str, lhs: &Value, rhs: &Value) -> Comparison {
    let mut out = Comparison::default();
    let mut walker = CompareWalk {
        kind,
        path: Vec::new(),
        schema: Vec::new(),
        out: &mut out,
    };
    walker.walk(Some(lhs), Some(rhs));
    out
}

struct CompareWalk<'a> {
    kind: &'a str,
    path: Vec<String>,
    schema: Vec<String>,
    out: &'a mut Comparison,
}

impl CompareWalk<'_> {
    fn leaf(&mut self, lhs: Option<&Value>, rhs: Option<&Value>) {
        match (lhs, rhs) {
            (None, Some(_)) => self.out.added.insert(&self.path),
            (Some(_), None) => self.out.removed.insert(&self.path),
            (Some(l), Some(r)) if l != r => self.out.modified.insert(&self.path),
            _ => {}
        }
    }

    fn walk(&mut self, lhs: Option<&Value>, rhs: Option<&Value>) {
        let shape = match (lhs, rhs) {
            (_, Some(r)) if !r.is_null() => r,
            (Some(l), _) => l,
            (None, Some(r)) => r,
            (None, None) => return,
        };
        let both_empty = is_empty_value(lhs) && is_empty_value(rhs);
        match shape {
            Value::Object(_) => {
                if both_empty || map_kind(self.kind, &self.schema) == MapKind::Atomic {
                    return self.leaf(lhs, rhs);
                }
                let empty = Map::new();
                let l = lhs.and_then(Value::as_object).unwrap_or(&empty);
                let r = rhs.and_then(Value::as_object).unwrap_or(&empty);
                let mut keys: Vec<&String> = l.keys().chain(r.keys()).collect();
                keys.sort();
                keys.dedup();
                for key in keys {
                    self.path.push(format!("f:{key}"));
                    self.schema.push(key.clone());
                    self.walk(l.get(key), r.get(key));
                    self.schema.pop();
                    self.path.pop();
                }
                self.container_hook(lhs, rhs);
            }
            Value::Array(_) => {
                let list = list_kind(self.kind, &self.schema);
                if both_empty || list == ListKind::Atomic {
                    return self.leaf(lhs, rhs);
                }
                let items = |v: Option<&Value>| -> Vec<(String, Value)> {
                    v.and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .enumerate()
                                .map(|(i, item)| (list_element(&list, i, item), item.clone()))
                                .collect()
                        })
                        .unwrap_or_default()
                };
                let (l, r) = (items(lhs), items(rhs));
                let mut keys: Vec<&String> = l.iter().chain(r.iter()).map(|(k, _)| k).collect();
                keys.sort();
                keys.dedup();
                let last = self.schema.last().cloned().unwrap_or_default();
                for key in keys {
                    let find = |v: &[(String, Value)]| v.iter().find(|(k, _)| k == key).cloned();
                    let (li, ri) = (find(&l), find(&r));
                    self.path.push(key.clone());
                    self.schema.push(format!("{last}[]"));
                    self.walk(li.as_ref().map(|x| &x.1), ri.as_ref().map(|x| &x.1));
                    self.schema.pop();
                    self.path.pop();
                }
                self.container_hook(lhs, rhs);
            }
            _ => self.leaf(lhs, rhs),
        }
    }

    /// The post-item hook: a map, list or item that only one side has.
    fn container_hook(&mut self, lhs: Option<&Value>, rhs: Option<&Value>) {
        if self.path.is_empty() {
            return;
        }
        match (lhs, rhs) {
            (None, Some(_)) => self.out.added.insert(&self.path),
            (Some(_), None) => self.out.removed.insert(&self.path),
            _ => {}
        }
    }
}

/// The fields an applied configuration sets (TypedValue.ToFieldSet): leaves, atomic values, list
/// items and map keys; a struct is not owned by itself.
pub fn to_field_set(kind: &str, value: &Value) -> FieldSet {
    let mut set = FieldSet::default();
    collect_fields(kind, value, &mut Vec::new(), &mut Vec::new(), &mut set);
    set
}

fn collect_fields(
    kind: &str,
    value: &Value,
    path: &mut Vec<String>,
    schema: &mut Vec<String>,
    set: &mut FieldSet,
) {
    match value {
        Value::Object(m) => {
            let map = map_kind(kind, schema);
            if map == MapKind::Atomic {
                return set.insert(path);
            }
            for (k, v) in m {
                path.push(format!("f:{k}"));
                schema.push(k.clone());
                collect_fields(kind, v, path, schema, set);
                if map == MapKind::Granular {
                    set.insert(path);
                }
                schema.pop();
                path.pop();
            }
        }
        Value::Array(a) => {
            let list = list_kind(kind, schema);
            if list == ListKind::Atomic {
                return set.insert(path);
            }
            let last = schema.last().cloned().unwrap_or_default();
            for (i, item) in a.iter().enumerate() {
                path.push(list_element(&list, i, item));
                schema.push(format!("{last}[]"));
                collect_fields(kind, item, path, schema, set);
                set.insert(path);
                schema.pop();
                path.pop();
            }
        }
        _ => set.insert(path),
    }
}

/// Drop what no manager owns: the fields the stripMetaManager removes (apiVersion, kind, and the
/// metadata the server sets), and the fields the strategy resets for this subresource
/// (GetResetFields: `.status` on the main resource, all but `.status` on `status`).
pub fn owned_only(set: &FieldSet, kind: &str, subresource: Option<&str>) -> FieldSet {
    let mut out = set.clone();
    out.children.remove("f:apiVersion");
    out.children.remove("f:kind");
    if let Some(meta) = out.children.get_mut("f:metadata") {
        meta.member = false;
        for f in [
            "name",
            "namespace",
            "creationTimestamp",
            "selfLink",
            "uid",
            "clusterName",
            "generation",
            "managedFields",
            "resourceVersion",
        ] {
            if let Some(node) = meta.children.get_mut(&format!("f:{f}")) {
                node.member = false;
            }
        }
        meta.children.remove("f:managedFields");
    }
    let out = match subresource {
        Some("status") => out.only_field("status"),
        _ if super::registry::has_status_subresource(kind) => out.without_field("status"),
        _ => out,
    };
    out.pruned()
}

/// The zero value of the kind's Go struct as JSON (what `scope.Creater.New` encodes): the live
/// object a create is compared with. Structs that are not pointers are present, so they are not
/// owned by themselves (`f:spec` has no `.`).
pub fn empty_object(kind: &str) -> Value {
    let template = json!({"metadata": {"creationTimestamp": null}, "spec": {"containers": null}});
    let mut obj = json!({"metadata": {"creationTimestamp": null}});
    match kind {
        "Pod" => {
            obj["spec"] = json!({"containers": null});
            obj["status"] = json!({});
        }
        "Deployment" => {
            obj["spec"] = json!({"selector": null, "template": template, "strategy": {}});
            obj["status"] = json!({});
        }
        "ReplicaSet" | "Job" => {
            obj["spec"] = json!({"selector": null, "template": template});
            obj["status"] = json!({});
        }
        "DaemonSet" | "StatefulSet" => {
            obj["spec"] = json!({"selector": null, "template": template, "updateStrategy": {}});
            obj["status"] = json!({});
        }
        "Service" => {
            obj["spec"] = json!({});
            obj["status"] = json!({"loadBalancer": {}});
        }
        "Namespace" | "Node" | "PersistentVolumeClaim" | "PersistentVolume" | "Lease" => {
            obj["spec"] = json!({});
            obj["status"] = json!({});
        }
        "Event" => {
            obj["involvedObject"] = json!({});
            obj["source"] = json!({});
        }
        "RoleBinding" | "ClusterRoleBinding" => obj["roleRef"] = json!({}),
        _ => {}
    }
    obj
}

// ---------------------------------------------------------------------------------------------
// Entries.

/// `Update` or `Apply`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Operation {
    Apply,
    Update,
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Apply => "Apply",
            Operation::Update => "Update",
        }
    }
}

/// One `metadata.managedFields` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub manager: String,
    pub operation: Operation,
    pub api_version: String,
    pub time: Option<String>,
    pub subresource: Option<String>,
    pub fields: FieldSet,
}

impl Entry {
    fn same_owner(&self, manager: &str, op: Operation, sub: Option<&str>) -> bool {
        self.manager == manager && self.operation == op && self.subresource.as_deref() == sub
    }

    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("apiVersion".into(), json!(self.api_version));
        m.insert("fieldsType".into(), json!("FieldsV1"));
        m.insert("fieldsV1".into(), self.fields.to_fields_v1());
        m.insert("manager".into(), json!(self.manager));
        m.insert("operation".into(), json!(self.operation.as_str()));
        if let Some(s) = &self.subresource {
            m.insert("subresource".into(), json!(s));
        }
        if let Some(t) = &self.time {
            m.insert("time".into(), json!(t));
        }
        Value::Object(m)
    }

    pub fn from_json(v: &Value) -> Option<Entry> {
        let s = |k: &str| v.get(k).and_then(Value::as_str);
        Some(Entry {
            manager: s("manager").unwrap_or_default().to_string(),
            operation: match s("operation")? {
                "Apply" => Operation::Apply,
                _ => Operation::Update,
            },
            api_version: s("apiVersion").unwrap_or_default().to_string(),
            time: s("time").map(str::to_string),
            subresource: s("subresource")
                .filter(|x| !x.is_empty())
                .map(str::to_string),
            fields: FieldSet::from_fields_v1(v.get("fieldsV1").unwrap_or(&Value::Null)),
        })
    }
}

/// The entries an object carries.
pub fn entries_of(obj: &Value) -> Vec<Entry> {
    obj.pointer("/metadata/managedFields")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Entry::from_json).collect())
        .unwrap_or_default()
}

/// sortEncodedManagedFields: Apply before Update, then oldest first, then by manager, version
/// and subresource.
pub fn sort_entries(entries: &mut [Entry]) {
    entries.sort_by(|p, q| {
        (
            p.operation,
            &p.time,
            &p.manager,
            &p.api_version,
            &p.subresource,
        )
            .cmp(&(
                q.operation,
                &q.time,
                &q.manager,
                &q.api_version,
                &q.subresource,
            ))
    });
}

/// Write `entries` into the object's metadata (none: no `managedFields` at all).
pub fn set_entries(obj: &mut Value, mut entries: Vec<Entry>) {
    entries.retain(|e| !e.fields.is_empty());
    sort_entries(&mut entries);
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        if entries.is_empty() {
            meta.remove("managedFields");
        } else {
            let list = entries.iter().map(Entry::to_json).collect();
            meta.insert("managedFields".into(), Value::Array(list));
        }
    }
}

fn without_managed_fields(obj: &Value) -> Value {
    let mut obj = obj.clone();
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    obj
}

/// The manager of a request without `fieldManager`: the User-Agent's executable name
/// (managerOrUserAgent, prefixFromUserAgent). podlab knows the component by its user.
pub fn manager_from_user(user: &str) -> String {
    match user {
        "system:kube-controller-manager" => "kube-controller-manager".into(),
        "system:kube-scheduler" => "kube-scheduler".into(),
        "system:kube-proxy" => "kube-proxy".into(),
        "system:apiserver" => "kube-apiserver".into(),
        u if u.starts_with("system:node:") => "kubelet".into(),
        u if u.starts_with("system:serviceaccount:kube-system:coredns") => "coredns".into(),
        _ => "kubectl".into(),
    }
}

/// What a write is: who, in which version, on which subresource, when.
#[derive(Debug, Clone)]
pub struct Writer<'a> {
    pub kind: &'a str,
    pub api_version: &'a str,
    pub manager: &'a str,
    pub subresource: Option<&'a str>,
    pub now: &'a str,
}

/// The entries after an Update (create, PUT or non-apply PATCH) from `live` to `new`
/// (FieldManager.Update, managedFieldsUpdater.Update, merge.Updater.Update): the writer owns
/// what it added or changed, everyone else loses it and loses what was removed. The entries
/// the new object carries are taken when it has some (a client may reset them), else the
/// live object's.
pub fn update(live: &Value, new: &Value, w: &Writer) -> Vec<Entry> {
    let mut entries = match entries_of(new) {
        e if !e.is_empty() && w.subresource.is_none() => e,
        _ => entries_of(live),
    };
    let cmp = compare(
        w.kind,
        &without_managed_fields(live),
        &without_managed_fields(new),
    );
    let changed = owned_only(&cmp.added.union(&cmp.modified), w.kind, w.subresource);
    let removed = owned_only(&cmp.removed, w.kind, w.subresource);
    for e in entries.iter_mut() {
        e.fields = e.fields.difference(&changed).difference(&removed);
    }
    if !changed.is_empty() {
        let op = Operation::Update;
        match entries
            .iter_mut()
            .find(|e| e.same_owner(w.manager, op, w.subresource))
        {
            Some(e) => {
                e.fields = e.fields.union(&changed);
                e.api_version = w.api_version.to_string();
                e.time = Some(w.now.to_string());
            }
            None => entries.push(Entry {
                manager: w.manager.to_string(),
                operation: op,
                api_version: w.api_version.to_string(),
                time: Some(w.now.to_string()),
                subresource: w.subresource.map(str::to_string),
                fields: changed,
            }),
        }
    }
    entries.retain(|e| !e.fields.is_empty());
    sort_entries(&mut entries);
    entries
}

// ---------------------------------------------------------------------------------------------
// Apply.

/// A field another manager owns that an apply would change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub manager: String,
    pub operation: Operation,
    pub api_version: String,
    pub subresource: Option<String>,
    pub path: Vec<String>,
}

impl Conflict {
    /// printManager: `"kubectl-client-side-apply" using v1` for an Update manager, the quoted
    /// name alone for an Apply one.
    fn manager_text(&self) -> String {
        let mut text = format!("{:?}", self.manager);
        if let Some(sub) = &self.subresource {
            text = format!("{text} with subresource {sub:?}");
        }
        match self.operation {
            Operation::Update => format!("{text} using {}", self.api_version),
            Operation::Apply => text,
        }
    }
}

/// The 409 message (internal.NewConflictError, getConflictMessage).
pub fn conflict_message(conflicts: &[Conflict]) -> String {
    if let [one] = conflicts {
        return format!(
            "Apply failed with 1 conflict: conflict with {}: {}",
            one.manager_text(),
            path_string(&one.path)
        );
    }
    let mut managers: Vec<String> = conflicts.iter().map(Conflict::manager_text).collect();
    managers.sort();
    managers.dedup();
    let mut lines = Vec::new();
    for m in &managers {
        lines.push(format!("conflicts with {m}:"));
        for c in conflicts.iter().filter(|c| &c.manager_text() == m) {
            lines.push(format!("- {}", path_string(&c.path)));
        }
    }
    format!(
        "Apply failed with {} conflicts: {}",
        conflicts.len(),
        lines.join("\n")
    )
}

/// The outcome of an apply: the merged object (with its entries set) and whether it differs
/// from the live one.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub object: Value,
    pub changed: bool,
}

/// Merge an applied configuration into the live object (TypedValue.Merge): maps by key,
/// associative lists by item key, sets by value, everything else replaced.
pub fn merge(kind: &str, live: &Value, config: &Value) -> Value {
    merge_at(kind, live, config, &mut Vec::new())
}

fn merge_at(kind: &str, live: &Value, config: &Value, schema: &mut Vec<String>) -> Value {
    match (live, config) {
        (Value::Object(l), Value::Object(c)) if map_kind(kind, schema) != MapKind::Atomic => {
            let mut out = l.clone();
            for (k, v) in c {
                schema.push(k.clone());
                let merged = match l.get(k) {
                    Some(lv) => merge_at(kind, lv, v, schema),
                    None => v.clone(),
                };
                schema.pop();
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (Value::Array(l), Value::Array(c)) => {
            let list = list_kind(kind, schema);
            if list == ListKind::Atomic {
                return config.clone();
            }
            let last = schema.last().cloned().unwrap_or_default();
            let mut out = l.clone();
            for (i, item) in c.iter().enumerate() {
                let key = list_element(&list, i, item);
                let pos = out
                    .iter()
                    .enumerate()
                    .position(|(j, o)| list_element(&list, j, o) == key);
                schema.push(format!("{last}[]"));
                match pos.and_then(|p| out.get(p).cloned().map(|o| (p, o))) {
                    Some((p, o)) => out[p] = merge_at(kind, &o, item, schema),
                    None => out.push(item.clone()),
                }
                schema.pop();
            }
            Value::Array(out)
        }
        _ => config.clone(),
    }
}

/// Remove `path` from `obj`: a field, a list item or a set value.
pub fn remove_path(obj: &mut Value, path: &[String]) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if let Some(name) = first.strip_prefix("f:") {
        let Some(map) = obj.as_object_mut() else {
            return;
        };
        if rest.is_empty() {
            map.remove(name);
        } else if let Some(child) = map.get_mut(name) {
            remove_path(child, rest);
        }
        return;
    }
    let Some(items) = obj.as_array_mut() else {
        return;
    };
    let matches = |i: usize, item: &Value| -> bool {
        if let Some(key) = first.strip_prefix("k:") {
            let wanted: Map<String, Value> = serde_json::from_str(key).unwrap_or_default();
            let keys: Vec<&str> = wanted.keys().map(String::as_str).collect();
            item_key(&keys, item) == *first
        } else if let Some(v) = first.strip_prefix("v:") {
            serde_json::from_str::<Value>(v).ok().as_ref() == Some(item)
        } else {
            first.strip_prefix("i:") == Some(&i.to_string())
        }
    };
    let Some(pos) = items.iter().enumerate().position(|(i, x)| matches(i, x)) else {
        return;
    };
    if rest.is_empty() {
        items.remove(pos);
    } else if let Some(item) = items.get_mut(pos) {
        remove_path(item, rest);
    }
}

/// What one apply request asks.
#[derive(Debug, Clone)]
pub struct ApplyRequest<'a> {
    pub writer: Writer<'a>,
    pub config: &'a Value,
    pub force: bool,
}

/// Server-side apply (FieldManager.Apply with the lastAppliedManager and lastAppliedUpdater
/// around merge.Updater.Apply): merge the configuration into `live` (None: the object does not
/// exist yet), make the applier own exactly the configuration's fields, remove what it owned
/// before and no longer applies when no one else owns it, and refuse to change fields other
/// managers own unless forced.
pub fn apply(live: Option<&Value>, req: &ApplyRequest) -> Result<Applied, Vec<Conflict>> {
    let w = &req.writer;
    let live_obj = live
        .map(without_managed_fields)
        .unwrap_or_else(|| json!({}));
    let mut entries = live.map(entries_of).unwrap_or_default();
    let config = without_managed_fields(req.config);
    let mut merged = merge(w.kind, &live_obj, &config);
    let config_set = owned_only(&to_field_set(w.kind, &config), w.kind, w.subresource);
    let sub = w.subresource;
    let last_set = entries
        .iter()
        .find(|e| e.same_owner(w.manager, Operation::Apply, sub))
        .map(|e| e.fields.clone())
        .unwrap_or_default();
    let is_new_entry = !entries
        .iter()
        .any(|e| e.same_owner(w.manager, Operation::Apply, sub));
    entries.retain(|e| !e.same_owner(w.manager, Operation::Apply, sub));
    // Prune what the applier stopped applying, unless someone else owns it.
    let others = entries
        .iter()
        .fold(FieldSet::default(), |acc, e| acc.union(&e.fields));
    // Someone else owning something under a path keeps it (addBackOwnedItems).
    let dropped = last_set.difference(&config_set).difference(&others);
    for path in dropped.paths() {
        if !others.owns_under(&path) && !config_set.owns_under(&path) {
            remove_path(&mut merged, &path);
        }
    }
    let cmp = compare(w.kind, &live_obj, &merged);
    let changed = owned_only(&cmp.added.union(&cmp.modified), w.kind, sub);
    let removed = owned_only(&cmp.removed, w.kind, sub);
    let mut conflicts = conflicts_with(&entries, &changed, w.api_version);
    if !req.force && !conflicts.is_empty() && w.manager == "kubectl" {
        if let Some(live) = live {
            let allowed = allowed_by_last_applied(w.kind, live);
            conflicts.retain(|c| !allowed.has(&c.path));
        }
    }
    if !req.force && !conflicts.is_empty() {
        return Err(conflicts);
    }
    for e in entries.iter_mut() {
        e.fields = e.fields.difference(&changed).difference(&removed);
    }
    let object_changed = merged != live_obj;
    let previous_time = live
        .map(entries_of)
        .unwrap_or_default()
        .into_iter()
        .find(|e| e.same_owner(w.manager, Operation::Apply, sub))
        .and_then(|e| e.time);
    entries.push(Entry {
        manager: w.manager.to_string(),
        operation: Operation::Apply,
        api_version: w.api_version.to_string(),
        time: if object_changed || is_new_entry {
            Some(w.now.to_string())
        } else {
            previous_time
        },
        subresource: sub.map(str::to_string),
        fields: config_set,
    });
    if w.manager == "kubectl" {
        sync_last_applied(&mut merged, &config);
    }
    set_entries(&mut merged, entries);
    Ok(Applied {
        changed: object_changed,
        object: merged,
    })
}

fn conflicts_with(entries: &[Entry], changed: &FieldSet, _version: &str) -> Vec<Conflict> {
    let mut out = Vec::new();
    for e in entries {
        for path in e.fields.intersection(changed).paths() {
            out.push(Conflict {
                manager: e.manager.clone(),
                operation: e.operation,
                api_version: e.api_version.clone(),
                subresource: e.subresource.clone(),
                path,
            });
        }
    }
    out
}

/// The fields of the last-applied configuration that still hold their applied value in the live
/// object (lastAppliedManager.allowedConflictsFromLastApplied): kubectl's server-side apply may
/// take them over from client-side apply without a conflict.
pub fn allowed_by_last_applied(kind: &str, live: &Value) -> FieldSet {
    let Some(text) = live
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(LAST_APPLIED))
        .and_then(Value::as_str)
    else {
        return FieldSet::default();
    };
    let Ok(last) = serde_json::from_str::<Value>(text) else {
        return FieldSet::default();
    };
    let set = to_field_set(kind, &last);
    let cmp = compare(kind, &last, &without_managed_fields(live));
    set.difference(&cmp.modified)
        .difference(&cmp.added)
        .difference(&cmp.removed)
}

/// The lastAppliedUpdater: kubectl's server-side apply keeps an existing last-applied annotation
/// equal to the configuration it applied (buildLastApplied: the configuration without that
/// annotation, as JSON).
fn sync_last_applied(obj: &mut Value, config: &Value) {
    let has = obj
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(LAST_APPLIED))
        .is_some();
    if !has {
        return;
    }
    let mut applied = config.clone();
    if let Some(a) = applied
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
    {
        a.remove(LAST_APPLIED);
    }
    let text = format!("{}\n", serde_json::to_string(&applied).unwrap_or_default());
    if let Some(a) = obj
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
    {
        a.insert(LAST_APPLIED.into(), Value::String(text));
    }
}

/// The path of the last-applied annotation in a field set.
pub fn last_applied_path() -> Vec<String> {
    vec![
        "f:metadata".into(),
        "f:annotations".into(),
        format!("f:{LAST_APPLIED}"),
    ]
}

/// kubectl's csaupgrade.UpgradeManagedFields: the entries with the fields of the client-side
/// apply managers (Update entries owning the last-applied annotation) merged into the `ssa`
/// manager's Apply entry, and those entries gone; None when there is nothing to migrate.
pub fn upgrade_client_side_apply(entries: &[Entry], ssa: &str) -> Option<Vec<Entry>> {
    let path = last_applied_path();
    let csa: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.operation == Operation::Update && e.fields.has(&path))
        .collect();
    if csa.is_empty() {
        return None;
    }
    let mut out: Vec<Entry> = entries.to_vec();
    let union = csa
        .iter()
        .fold(FieldSet::default(), |acc, e| acc.union(&e.fields));
    let target = out.iter().position(|e| {
        e.manager == ssa && e.operation == Operation::Apply && e.subresource.is_none()
    });
    match target {
        Some(i) => {
            if let Some(e) = out.get_mut(i) {
                e.fields = e.fields.union(&union);
            }
        }
        None => {
            let first = csa.first()?;
            out.push(Entry {
                manager: ssa.to_string(),
                operation: Operation::Apply,
                ..(*first).clone()
            });
        }
    }
    out.retain(|e| !(e.operation == Operation::Update && e.fields.has(&path)));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writer<'a>(kind: &'a str, manager: &'a str) -> Writer<'a> {
        Writer {
            kind,
            api_version: "v1",
            manager,
            subresource: None,
            now: "2026-11-21T14:00:00Z",
        }
    }

    fn nginx_pod(image: &str) -> Value {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "nginx", "namespace": "default", "labels": {"app": "web"}},
               "spec": {"containers": [{"name": "nginx", "image": image, "ports": [{"containerPort": 80, "protocol": "TCP"}], "resources": {}}],
                        "restartPolicy": "Always", "securityContext": {}}})
    }

    #[test]
    fn create_owns_what_it_set_with_dots_where_maps_and_items_appear() {
        let pod = nginx_pod("nginx:1.27");
        let entries = update(&empty_object("Pod"), &pod, &writer("Pod", "kubectl-create"));
        assert_eq!(entries.len(), 1);
        assert_eq!(
            entries[0].fields.to_fields_v1(),
            json!({
                "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                "f:spec": {
                    "f:containers": {"k:{\"name\":\"nginx\"}": {
                        ".": {}, "f:image": {}, "f:name": {},
                        "f:ports": {".": {}, "k:{\"containerPort\":80,\"protocol\":\"TCP\"}": {".": {}, "f:containerPort": {}, "f:protocol": {}}},
                        "f:resources": {}
                    }},
                    "f:restartPolicy": {},
                    "f:securityContext": {}
                }
            })
        );
        let json = entries[0].to_json();
        assert_eq!(json["manager"], "kubectl-create");
        assert_eq!(json["operation"], "Update");
        assert_eq!(json["fieldsType"], "FieldsV1");
    }

    #[test]
    fn fields_v1_round_trips() {
        let v = json!({"f:metadata": {"f:labels": {".": {}, "f:app": {}}}, "f:spec": {"f:x": {}}});
        assert_eq!(FieldSet::from_fields_v1(&v).to_fields_v1(), v);
    }

    #[test]
    fn an_update_moves_ownership_of_changed_fields() {
        let live_pod = nginx_pod("nginx:1.27");
        let created = update(
            &empty_object("Pod"),
            &live_pod,
            &writer("Pod", "kubectl-create"),
        );
        let mut live = live_pod.clone();
        set_entries(&mut live, created);
        let mut new = live.clone();
        new["spec"]["containers"][0]["image"] = json!("nginx:1.28");
        let entries = update(&live, &new, &writer("Pod", "kubectl-set"));
        let set = entries.iter().find(|e| e.manager == "kubectl-set").unwrap();
        let image = vec![
            "f:spec".to_string(),
            "f:containers".into(),
            "k:{\"name\":\"nginx\"}".into(),
            "f:image".into(),
        ];
        assert!(set.fields.has(&image));
        let create = entries
            .iter()
            .find(|e| e.manager == "kubectl-create")
            .unwrap();
        assert!(!create.fields.has(&image));
    }

    #[test]
    fn status_writes_are_owned_under_the_status_subresource_only() {
        let mut live = nginx_pod("nginx:1.27");
        live["status"] = json!({"phase": "Pending"});
        let mut new = live.clone();
        new["status"] = json!({"phase": "Running"});
        let mut w = writer("Pod", "kubelet");
        w.subresource = Some("status");
        let entries = update(&live, &new, &w);
        assert_eq!(entries[0].subresource.as_deref(), Some("status"));
        assert_eq!(
            entries[0].fields.to_fields_v1(),
            json!({"f:status": {"f:phase": {}}})
        );
    }

    #[test]
    fn apply_conflicts_with_another_managers_field() {
        let pod = nginx_pod("nginx:1.27");
        let mut live = pod.clone();
        let created = update(
            &empty_object("Pod"),
            &pod,
            &writer("Pod", "kubectl-client-side-apply"),
        );
        set_entries(&mut live, created);
        let config = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "nginx"},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.28"}]}});
        let req = ApplyRequest {
            writer: writer("Pod", "other"),
            config: &config,
            force: false,
        };
        let conflicts = apply(Some(&live), &req).unwrap_err();
        assert_eq!(
            conflict_message(&conflicts),
            "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using v1: .spec.containers[name=\"nginx\"].image"
        );
        let forced = apply(Some(&live), &ApplyRequest { force: true, ..req }).unwrap();
        assert_eq!(
            forced.object["spec"]["containers"][0]["image"],
            "nginx:1.28"
        );
        let entries = entries_of(&forced.object);
        assert_eq!(entries[0].manager, "other");
        assert_eq!(entries[0].operation, Operation::Apply);
    }

    #[test]
    fn apply_owns_only_its_configuration_and_prunes_what_it_dropped() {
        let config = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app", "labels": {"a": "1", "b": "2"}}, "data": {"x": "1"}});
        let req = ApplyRequest {
            writer: writer("ConfigMap", "kubectl"),
            config: &config,
            force: false,
        };
        let first = apply(None, &req).unwrap();
        assert_eq!(
            entries_of(&first.object)[0].fields.to_fields_v1(),
            json!({"f:data": {"f:x": {}}, "f:metadata": {"f:labels": {"f:a": {}, "f:b": {}}}})
        );
        let second_config = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app", "labels": {"a": "1"}}, "data": {"x": "1"}});
        let second = apply(
            Some(&first.object),
            &ApplyRequest {
                config: &second_config,
                ..req
            },
        )
        .unwrap();
        assert_eq!(second.object["metadata"]["labels"], json!({"a": "1"}));
    }

    #[test]
    fn kubectl_takes_over_fields_client_side_apply_set_as_last_applied() {
        let mut live = nginx_pod("nginx:1.27");
        live["metadata"]["annotations"] =
            json!({LAST_APPLIED: serde_json::to_string(&nginx_pod("nginx:1.27")).unwrap()});
        let created = update(
            &empty_object("Pod"),
            &live,
            &writer("Pod", "kubectl-client-side-apply"),
        );
        set_entries(&mut live, created);
        let config = nginx_pod("nginx:1.28");
        let req = ApplyRequest {
            writer: writer("Pod", "kubectl"),
            config: &config,
            force: false,
        };
        let applied = apply(Some(&live), &req).unwrap();
        assert_eq!(
            applied.object["spec"]["containers"][0]["image"],
            "nginx:1.28"
        );
        let migrated = upgrade_client_side_apply(&entries_of(&applied.object), "kubectl").unwrap();
        assert_eq!(migrated.len(), 1);
        assert_eq!(migrated[0].manager, "kubectl");
    }

    #[test]
    fn several_conflicts_are_listed_by_manager() {
        let c = |m: &str, f: &str| Conflict {
            manager: m.into(),
            operation: Operation::Update,
            api_version: "apps/v1".into(),
            subresource: None,
            path: vec!["f:spec".into(), format!("f:{f}")],
        };
        assert_eq!(
            conflict_message(&[c("kubectl", "replicas"), c("kubectl", "paused")]),
            "Apply failed with 2 conflicts: conflicts with \"kubectl\" using apps/v1:\n- .spec.replicas\n- .spec.paused"
        );
    }

    #[test]
    fn manager_names_from_the_component() {
        assert_eq!(manager_from_user("system:node:w1"), "kubelet");
        assert_eq!(
            manager_from_user("system:kube-controller-manager"),
            "kube-controller-manager"
        );
        assert_eq!(manager_from_user("kubernetes-admin"), "kubectl");
    }
}
