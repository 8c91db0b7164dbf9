//! `kubectl get`, `kubectl describe` and `kubectl delete`.

use serde_json::{json, Value};

use super::args::Args;
use super::errors::status_message;
use super::printers::{custom_columns, human, json as json_printer, jsonpath, table, yaml};
use super::{kind_label, namespace_flag, object_name, resolve, str_at, Env};
use crate::apiserver::resources::ResourceInfo;
use crate::apiserver::selectors::{labels_of, FieldSelector, LabelSelector};
use crate::apiserver::Verb;
use crate::client::Ctx;
use crate::cluster::CommandOutput;

/// What the user asked for: resource types with optional names.
struct Target {
    info: &'static ResourceInfo,
    names: Vec<String>,
}

/// `pods`, `pods nginx web`, `pods,nodes`, `pod/nginx svc/web`.
fn targets(words: &[String]) -> Result<Vec<Target>, String> {
    let mut out: Vec<Target> = Vec::new();
    if words.iter().any(|w| w.contains('/')) {
        for w in words {
            let Some((kind, name)) = w.split_once('/') else {
                return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into());
            };
            out.push(Target {
                info: resolve(kind)?,
                names: vec![name.to_string()],
            });
        }
        return Ok(out);
    }
    let Some((kinds, names)) = words.split_first() else {
        return Ok(out);
    };
    for kind in kinds.split(',').filter(|k| !k.is_empty()) {
        out.push(Target {
            info: resolve(kind)?,
            names: names.to_vec(),
        });
    }
    Ok(out)
}

/// An object without its managedFields: what the JSON and YAML printers print unless
/// `--show-managed-fields` (cli-runtime printers/managedfields.go omitManagedFields, applied by
/// JSONYamlPrintFlags.ToPrinter); tables do not show them either.
pub(crate) fn for_output(mut obj: Value) -> Value {
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    obj
}

fn fetch(env: &mut Env, args: &Args, t: &Target) -> Option<(Vec<Value>, bool)> {
    let all_ns = args.bool_flag("all-namespaces", false);
    let ns = namespace_flag(args);
    let ns = (!all_ns).then_some(ns.as_str());
    if t.names.is_empty() {
        let mut req = env.request(Verb::List, t.info, ns);
        req.label_selector = args.flag("selector").map(str::to_string);
        req.field_selector = args.flag("field-selector").map(str::to_string);
        let resp = env.send(req);
        if !resp.is_success() {
            env.out.fail(status_message(&resp.body, None));
            return None;
        }
        let items = resp
            .body
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        return Some((items, true));
    }
    let mut found = Vec::new();
    for name in &t.names {
        let req = env
            .request(Verb::Get, t.info, ns.or(Some("default")))
            .name(name);
        let resp = env.send(req);
        if resp.is_success() {
            found.push(resp.body);
        } else if !(resp.code == 404 && super::get_flags::ignore_not_found(args)) {
            env.out.fail(status_message(&resp.body, None));
        }
    }
    Some((found, false))
}

pub fn get(args: &Args, env: &mut Env) {
    let words = &args.positional[1..];
    if words.is_empty() {
        env.out.fail("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples");
        return;
    }
    let targets = match targets(words) {
        Ok(t) => t,
        Err(e) => {
            env.out.fail(e);
            return;
        }
    };
    if wants_watch(args) {
        // Run here, the watch ends as soon as it has started: what it printed is the list.
        Watch::begin(args, env, &targets);
        return;
    }
    let output = args.flag("output").unwrap_or_default().to_string();
    let mut all: Vec<(&Target, Vec<Value>, bool)> = Vec::new();
    for t in &targets {
        if let Some((objs, listed)) = fetch(env, args, t) {
            all.push((t, objs, listed));
        }
    }
    if let Err(e) = super::get_flags::sort_all(args, &mut all) {
        return env.out.fail(e);
    }
    let single = single_item_implied(&targets);
    let objects: Vec<Value> = all.iter().flat_map(|(_, o, _)| o.clone()).collect();
    match output.as_str() {
        "yaml" | "json" => {
            // Only these printers omit managedFields; jsonpath and custom-columns see them.
            let objects = if args.bool_flag("show-managed-fields", false) {
                objects
            } else {
                objects.into_iter().map(for_output).collect()
            };
            let doc = generic_document(single, objects);
            if doc.is_null() {
                return;
            }
            env.out.out.push_str(&if output == "yaml" { yaml::to_yaml(&doc) } else { json_printer::to_json(&doc) });
        }
        "name" => {
            for (t, objs, _) in &all {
                for o in objs {
                    env.out.print(object_name(t.info, str_at(o, "/metadata/name")));
                }
            }
        }
        o if o.starts_with("jsonpath=") || o.starts_with("jsonpath-as-json=") => {
            let template = o.split_once('=').map(|(_, t)| t).unwrap_or_default();
            let doc = generic_document(single, objects);
            if doc.is_null() {
                return;
            }
            match jsonpath::render(template, &doc) {
                Ok(text) => env.out.out.push_str(&text),
                Err(e) => env.out.fail(e),
            }
        }
        o if o.starts_with("custom-columns=") => {
            let spec = o.split_once('=').map(|(_, s)| s).unwrap_or_default();
            match custom_columns::render(spec, &objects, args.bool_flag("no-headers", false)) {
                Ok(text) => env.out.out.push_str(&text),
                Err(e) => env.out.fail(e.trim_end()),
            }
        }
        "" | "wide" => print_tables(args, env, &all),
        other => env.out.fail(format!(
            "error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml"
        )),
    }
}

/// resource.Builder's singleItemImplied: one type and one name (`pod web`, `pod/web`).
fn single_item_implied(targets: &[Target]) -> bool {
    matches!(targets, [t] if t.names.len() == 1)
}

/// What get.go's printGeneric prints for `-o yaml|json|jsonpath`: the object itself when a
/// single item was implied (nothing when it was not found: the NotFound error is all), else a
/// `kind: List` of what was found.
fn generic_document(single: bool, objects: Vec<Value>) -> Value {
    if single {
        return objects.into_iter().next().unwrap_or(Value::Null);
    }
    json!({"apiVersion": "v1", "items": objects, "kind": "List", "metadata": {"resourceVersion": ""}})
}

fn print_tables(args: &Args, env: &mut Env, all: &[(&Target, Vec<Value>, bool)]) {
    let opts = human::TableOptions {
        wide: args.flag("output") == Some("wide"),
        show_labels: args.bool_flag("show-labels", false),
        with_namespace: args.bool_flag("all-namespaces", false),
    };
    let mut printed_any = false;
    let several = all.len() > 1;
    for (t, objs, _) in all {
        if objs.is_empty() {
            continue;
        }
        let Some((headers, mut rows)) =
            super::get_flags::table_for(t.info.plural, objs, env.now(), &opts)
        else {
            env.out
                .fail(format!("error: no table printer for {}", t.info.plural));
            continue;
        };
        if several {
            let col = usize::from(opts.with_namespace);
            for (row, o) in rows.iter_mut().zip(objs) {
                if let Some(cell) = row.get_mut(col) {
                    *cell = object_name(t.info, str_at(o, "/metadata/name"));
                }
            }
        }
        if printed_any && !super::get_flags::no_headers(args) {
            env.out.out.push('\n');
        }
        env.out
            .out
            .push_str(&super::get_flags::table(args, &headers, &rows));
        printed_any = true;
    }
    let asked_for_names = all
        .iter()
        .any(|(t, _, listed)| !listed && !t.names.is_empty());
    // Nothing to say when every request failed: the errors were printed already.
    if !printed_any
        && !asked_for_names
        && !all.is_empty()
        && !super::get_flags::ignore_not_found(args)
    {
        let ns = namespace_flag(args);
        let scoped = all.iter().all(|(t, _, _)| t.info.namespaced) && !opts.with_namespace;
        env.out
            .out
            .push_str(&table::no_resources_found(scoped.then_some(ns.as_str())));
    }
}

pub fn describe(args: &Args, env: &mut Env) {
    let words = &args.positional[1..];
    if words.is_empty() {
        env.out.fail("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.");
        return;
    }
    let targets = match targets(words) {
        Ok(t) => t,
        Err(e) => {
            env.out.fail(e);
            return;
        }
    };
    let mut first = true;
    for t in &targets {
        let Some((objs, _)) = fetch(env, args, t) else {
            continue;
        };
        for obj in objs {
            let events = events_for(env, &obj);
            let lists = related_for(env, t.info, &obj);
            let related = lists.with_events(&events);
            match super::describe::describe_with(t.info.plural, &obj, &related, env.now()) {
                Some(text) => {
                    if !first {
                        env.out.out.push_str("\n\n");
                    }
                    env.out.out.push_str(&text);
                    first = false;
                }
                None => env.out.fail(format!(
                    "error: describe is not supported for {}",
                    t.info.plural
                )),
            }
        }
    }
}

/// What describe reads besides the object: a Service's EndpointSlices; a Node's pods and Lease;
/// a ReplicaSet's or ReplicationController's pods (by its selector); a Deployment's ReplicaSets (by its selector); a
/// ServiceAccount's namespace's Secrets.
fn related_for(env: &mut Env, info: &ResourceInfo, obj: &Value) -> super::describe::RelatedLists {
    use super::describe::RelatedLists;
    use crate::apiserver::resources::by_plural;
    let mut list = |group: &str,
                    plural: &str,
                    ns: Option<&str>,
                    selector: Option<String>,
                    fields: Option<String>|
     -> Vec<Value> {
        let Some(info) = by_plural(group, plural) else {
            return Vec::new();
        };
        let mut req = env.request(Verb::List, info, ns);
        req.label_selector = selector;
        req.field_selector = fields;
        let resp = env.ctx.request(req);
        resp.body
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let name = str_at(obj, "/metadata/name").to_string();
    match info.kind {
        "Service" => {
            let ns = str_at(obj, "/metadata/namespace").to_string();
            let slices = list(
                "discovery.k8s.io",
                "endpointslices",
                Some(&ns),
                Some(format!("kubernetes.io/service-name={name}")),
                None,
            );
            RelatedLists {
                endpoint_slices: slices,
                ..RelatedLists::default()
            }
        }
        "Node" => {
            let pods = list(
                "",
                "pods",
                None,
                None,
                Some(format!("spec.nodeName={name}")),
            );
            let leases = list(
                "coordination.k8s.io",
                "leases",
                Some("kube-node-lease"),
                None,
                Some(format!("metadata.name={name}")),
            );
            RelatedLists {
                pods,
                leases,
                ..RelatedLists::default()
            }
        }
        "DaemonSet" | "StatefulSet" => {
            let ns = str_at(obj, "/metadata/namespace").to_string();
            let selector = crate::kubectl::printers::object::label_selector_string(
                obj.pointer("/spec/selector"),
            )
            .filter(|s| !s.is_empty());
            RelatedLists {
                pods: list("", "pods", Some(&ns), selector, None),
                ..RelatedLists::default()
            }
        }
        "PersistentVolumeClaim" => {
            let ns = str_at(obj, "/metadata/namespace").to_string();
            RelatedLists {
                pods: list("", "pods", Some(&ns), None, None),
                ..RelatedLists::default()
            }
        }
        "Ingress" => {
            let ns = str_at(obj, "/metadata/namespace").to_string();
            RelatedLists {
                services: list("", "services", Some(&ns), None, None),
                endpoint_slices: list("discovery.k8s.io", "endpointslices", Some(&ns), None, None),
                ..RelatedLists::default()
            }
        }
        "ReplicaSet" | "Deployment" => {
            let ns = str_at(obj, "/metadata/namespace").to_string();
            let selector = crate::kubectl::printers::object::label_selector_string(
                obj.pointer("/spec/selector"),
            )
            .filter(|s| !s.is_empty());
            if info.kind == "ReplicaSet" {
                RelatedLists {
                    pods: list("", "pods", Some(&ns), selector, None),
                    ..RelatedLists::default()
                }
            } else {
                RelatedLists {
                    replica_sets: list("apps", "replicasets", Some(&ns), selector, None),
                    ..RelatedLists::default()
                }
            }
        }
        "ReplicationController" => {
            // ReplicationControllerDescriber lists the pods by labels.SelectorFromSet(spec.selector).
            let ns = str_at(obj, "/metadata/namespace").to_string();
            let selector = obj
                .pointer("/spec/selector")
                .and_then(Value::as_object)
                .filter(|m| !m.is_empty())
                .map(|m| crate::kubectl::printers::object::format_labels(Some(m)));
            RelatedLists {
                pods: list("", "pods", Some(&ns), selector, None),
                ..RelatedLists::default()
            }
        }
        "Namespace" => RelatedLists {
            resource_quotas: list("", "resourcequotas", Some(&name), None, None),
            limit_ranges: list("", "limitranges", Some(&name), None, None),
            ..RelatedLists::default()
        },
        "ServiceAccount" => {
            let ns = str_at(obj, "/metadata/namespace").to_string();
            RelatedLists {
                secrets: list("", "secrets", Some(&ns), None, None),
                ..RelatedLists::default()
            }
        }
        _ => RelatedLists::default(),
    }
}

/// The events about an object, as describe lists them (by involvedObject field selectors).
fn events_for(env: &mut Env, obj: &Value) -> Vec<Value> {
    let Some(info) = crate::apiserver::resources::by_plural("", "events") else {
        return Vec::new();
    };
    let ns = str_at(obj, "/metadata/namespace");
    let ns = if ns.is_empty() { "default" } else { ns };
    let mut req = env.request(Verb::List, info, Some(ns));
    req.field_selector = Some(format!(
        "involvedObject.name={},involvedObject.namespace={ns},involvedObject.uid={}",
        str_at(obj, "/metadata/name"),
        str_at(obj, "/metadata/uid")
    ));
    let resp = env.send(req);
    resp.body
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

pub fn delete(args: &Args, env: &mut Env) {
    let words = &args.positional[1..];
    let targets = if args.has("filename") {
        let Some(docs) = super::apply::read_manifests(args, env) else {
            return;
        };
        docs.iter()
            .filter_map(|(_, d)| {
                let info = crate::apiserver::resources::by_kind(
                    str_at(d, "/apiVersion"),
                    str_at(d, "/kind"),
                )?;
                Some(Target {
                    info,
                    names: vec![str_at(d, "/metadata/name").to_string()],
                })
            })
            .collect()
    } else {
        match targets(words) {
            Ok(t) => t,
            Err(e) => {
                env.out.fail(e);
                return;
            }
        }
    };
    if targets.is_empty() {
        env.out.fail("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
        return;
    }
    let force = args.bool_flag("force", false);
    let grace = args
        .flag("grace-period")
        .and_then(|g| g.parse::<i64>().ok())
        .filter(|g| *g >= 0);
    let grace = if force && grace.is_none() {
        Some(0)
    } else {
        grace
    };
    if force && grace == Some(0) {
        env.out.print("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.");
    }
    let wait = args.bool_flag("wait", true);
    for t in &targets {
        let names: Vec<String> = if t.names.is_empty() {
            if !args.has("selector") && !args.bool_flag("all", false) {
                env.out
                    .fail("error: resource(s) were provided, but no name was specified");
                return;
            }
            let Some((objs, _)) = fetch(env, args, t) else {
                continue;
            };
            objs.iter()
                .map(|o| str_at(o, "/metadata/name").to_string())
                .collect()
        } else {
            t.names.clone()
        };
        let ns = namespace_flag(args);
        let ns = t.info.namespaced.then_some(ns);
        for name in names {
            let mut req = env.request(Verb::Delete, t.info, ns.as_deref()).name(&name);
            req.grace_period_seconds = grace;
            let resp = env.send(req);
            if !resp.is_success() {
                env.out.fail(status_message(&resp.body, None));
                continue;
            }
            let forced = if force && grace == Some(0) {
                "force "
            } else {
                ""
            };
            match &ns {
                Some(n) => env.out.print(format!(
                    "{} \"{name}\" {forced}deleted from {n} namespace",
                    kind_label(t.info)
                )),
                None => env
                    .out
                    .print(format!("{} \"{name}\" {forced}deleted", kind_label(t.info))),
            }
            if wait {
                env.out.wait_for_deletion.push((t.info, ns.clone(), name));
            }
        }
    }
}

/// Whether the command line asks for a watch (`-w`, `--watch`, `--watch-only`).
fn wants_watch(args: &Args) -> bool {
    args.bool_flag("watch", false) || args.bool_flag("watch-only", false)
}

/// A running `kubectl get -w` (kubectl/pkg/cmd/get/get.go watch): it lists the objects and
/// prints them (unless `--watch-only`), then watches from the list's resourceVersion and
/// prints a row for each change, through one printer whose column widths only grow.
pub struct Watch {
    pub info: &'static ResourceInfo,
    /// None: all namespaces.
    namespace: Option<String>,
    labels: LabelSelector,
    fields: FieldSelector,
    /// The resourceVersion the watch has reached.
    pub resource_version: i64,
    /// The objects the watch's filter currently matches (`namespace/name`), so that one that
    /// stops matching is delivered as DELETED.
    matching: std::collections::BTreeSet<String>,
    table: table::WatchTable,
    opts: human::TableOptions,
}

impl Watch {
    /// Start `kubectl get … -w` from a command line: the list is printed; an error ends the
    /// command (its output and exit code).
    pub fn start(line: &str, ctx: &mut Ctx) -> Result<(Watch, String), CommandOutput> {
        let failed = |text: String| CommandOutput { text, exit_code: 1 };
        let words = super::args::words(line).map_err(|e| failed(format!("error: {e}\n")))?;
        let words: Vec<String> = match words.split_first() {
            Some((first, rest)) if first == "kubectl" => rest.to_vec(),
            _ => words,
        };
        let args = Args::parse(&words).map_err(|e| failed(format!("error: {e}\n")))?;
        let no_file = |_: &str| None;
        // The global --as/--as-group impersonate the watch's requests as every other command's.
        let impersonate =
            super::auth::impersonation(&args).map_err(|e| failed(format!("{e}\n")))?;
        let mut env = Env {
            ctx,
            stdin: None,
            read_file: &no_file,
            out: super::Outcome {
                impersonate,
                ..super::Outcome::default()
            },
        };
        let targets = match targets(args.positional.get(1..).unwrap_or_default()) {
            Ok(t) => t,
            Err(e) => return Err(failed(format!("{e}\n"))),
        };
        let watch = Watch::begin(&args, &mut env, &targets);
        let out = std::mem::take(&mut env.out);
        match watch {
            Some(w) if out.exit_code == 0 => Ok((w, out.out)),
            _ => Err(CommandOutput {
                text: out.out,
                exit_code: out.exit_code.max(1),
            }),
        }
    }

    /// Whether a command line is a `kubectl get` with a watch.
    pub fn requested(line: &str) -> bool {
        let Ok(words) = super::args::words(line) else {
            return false;
        };
        let words: Vec<String> = words.into_iter().skip_while(|w| w == "kubectl").collect();
        Args::parse(&words)
            .is_ok_and(|a| a.positional.first().is_some_and(|c| c == "get") && wants_watch(&a))
    }

    fn begin(args: &Args, env: &mut Env, targets: &[Target]) -> Option<Watch> {
        let [t] = targets else {
            env.out.fail(format!(
                "error: watch is only supported on individual resources and resource collections, but {} resources were found",
                targets.len()
            ));
            return None;
        };
        if t.names.len() > 1 {
            env.out.fail(format!(
                "error: watch is only supported on individual resources and resource collections, but {} resources were found",
                t.names.len()
            ));
            return None;
        }
        let all_ns = args.bool_flag("all-namespaces", false);
        let namespace = (t.info.namespaced && !all_ns).then(|| namespace_flag(args));
        let mut field_selector = args.flag("field-selector").unwrap_or_default().to_string();
        if let Some(name) = t.names.first() {
            let by_name = format!("metadata.name={name}");
            field_selector = if field_selector.is_empty() {
                by_name
            } else {
                format!("{field_selector},{by_name}")
            };
        }
        let label_selector = args.flag("selector").unwrap_or_default().to_string();
        let (labels, fields) = match (
            LabelSelector::parse(&label_selector),
            FieldSelector::parse(&field_selector),
        ) {
            (Ok(l), Ok(f)) => (l, f),
            (Err(e), _) | (_, Err(e)) => {
                env.out.fail(format!("Error from server (BadRequest): {e}"));
                return None;
            }
        };
        let opts = human::TableOptions {
            wide: args.flag("output") == Some("wide"),
            show_labels: args.bool_flag("show-labels", false),
            with_namespace: all_ns,
        };
        let mut req = env.request(Verb::List, t.info, namespace.as_deref());
        req.label_selector = (!label_selector.is_empty()).then_some(label_selector);
        req.field_selector = (!field_selector.is_empty()).then_some(field_selector);
        let resp = env.send(req);
        if !resp.is_success() {
            env.out.fail(status_message(&resp.body, None));
            return None;
        }
        let resource_version = str_at(&resp.body, "/metadata/resourceVersion")
            .parse()
            .unwrap_or(0);
        let items: Vec<Value> = resp
            .body
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut watch = Watch {
            info: t.info,
            namespace,
            labels,
            fields,
            resource_version,
            matching: items.iter().map(crate::client::key_of).collect(),
            table: table::WatchTable::new(),
            opts,
        };
        if !args.bool_flag("watch-only", false) && !items.is_empty() {
            // Every listed object goes to the printer, then one flush: the rows share widths.
            let items: Vec<Value> = items.into_iter().map(for_output).collect();
            let now = env.now();
            let text = watch.rows(&items, now);
            env.out.out.push_str(&text);
        }
        Some(watch)
    }

    /// The filter the watch was opened with (namespace, label and field selectors).
    pub fn matches(&self, obj: &Value) -> bool {
        let ns_ok = self
            .namespace
            .as_deref()
            .is_none_or(|ns| str_at(obj, "/metadata/namespace") == ns);
        ns_ok && self.labels.matches(&labels_of(obj)) && self.fields.matches(obj)
    }

    /// One watch event as the API server delivers it: the row kubectl prints for it (empty
    /// when the event is not for this watch).
    pub fn on_event(
        &mut self,
        kind: &str,
        obj: &Value,
        revision: i64,
        now: jiff::Timestamp,
    ) -> String {
        self.resource_version = self.resource_version.max(revision);
        let key = crate::client::key_of(obj);
        let was = self.matching.contains(&key);
        let is = kind != "DELETED" && self.matches(obj);
        if is {
            self.matching.insert(key);
        } else {
            self.matching.remove(&key);
        }
        if !was && !is {
            return String::new();
        }
        self.row(&for_output(obj.clone()), now)
    }

    fn row(&mut self, obj: &Value, now: jiff::Timestamp) -> String {
        self.rows(std::slice::from_ref(obj), now)
    }

    fn rows(&mut self, objects: &[Value], now: jiff::Timestamp) -> String {
        match human::table_for(self.info.plural, objects, now, &self.opts) {
            Some((headers, rows)) => self.table.print(&headers, &rows),
            None => String::new(),
        }
    }
}
