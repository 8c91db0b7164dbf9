//! `kubectl apply` (client-side: create with the last-applied-configuration annotation, or a
//! three-way strategic merge patch) and `kubectl create -f`.

use serde_json::{json, Map, Value};

use super::args::Args;
use super::errors::status_message;
use super::{manifest, namespace_flag, object_name, str_at, Env};
use crate::apiserver::managedfields::{self, Operation};
use crate::apiserver::patch::three_way;
use crate::apiserver::resources::{by_kind, ResourceInfo};
use crate::apiserver::{FieldValidation, PatchType, Request, Response, Verb};

pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The manifests named by `-f`, with the name kubectl gives their source in messages.
pub fn read_manifests(args: &Args, env: &mut Env) -> Option<Vec<(String, Value)>> {
    let files = args.all("filename");
    if files.is_empty() {
        env.out.fail("error: must specify one of -f and -k");
        return None;
    }
    let mut docs = Vec::new();
    for file in files {
        let (source, text) = if file == "-" {
            (
                "STDIN".to_string(),
                env.stdin.unwrap_or_default().to_string(),
            )
        } else {
            match (env.read_file)(&file) {
                Some(t) => (file.clone(), t),
                None => {
                    env.out
                        .fail(format!("error: the path \"{file}\" does not exist"));
                    return None;
                }
            }
        };
        match manifest::parse(&text, &source) {
            Ok(parsed) => docs.extend(parsed.into_iter().map(|d| (source.clone(), d))),
            Err(e) => {
                env.out.fail(format!("error: {e}"));
                return None;
            }
        }
    }
    if docs.is_empty() {
        env.out.fail("error: no objects passed to apply");
        return None;
    }
    Some(docs)
}

/// kubectl's `--validate`: strict by default.
pub fn field_validation(args: &Args) -> FieldValidation {
    // GetValidationDirective: lower-cased, a strconv.ParseBool boolean or a directive's name.
    match args
        .flag("validate")
        .unwrap_or("strict")
        .to_lowercase()
        .as_str()
    {
        "false" | "f" | "0" | "ignore" => FieldValidation::Ignore,
        "warn" => FieldValidation::Warn,
        _ => FieldValidation::Strict,
    }
}

/// Go's `%v` of a decoded JSON value (`map[name:x]`, `[a b]`), as accessor errors print it.
fn go_value(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let inner: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_value(v)))
                .collect();
            format!("map[{}]", inner.join(" "))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(go_value).collect::<Vec<_>>().join(" ")),
        Value::String(s) => s.clone(),
        Value::Null => "<nil>".into(),
        other => other.to_string(),
    }
}

fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "map[string]interface {}",
        Value::Array(_) => "[]interface {}",
        Value::String(_) => "string",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::Bool(_) => "bool",
        Value::Null => "<nil>",
    }
}

/// The unstructured accessors kubectl reads metadata with refuse a `metadata` (or its labels or
/// annotations) that is not a map (unstructured.NestedFieldNoCopy's accessor error).
fn check_metadata_shape(doc: &Value, source: &str) -> Result<(), String> {
    for path in [
        &["metadata"][..],
        &["metadata", "labels"],
        &["metadata", "annotations"],
    ] {
        let mut v = doc;
        for (i, field) in path.iter().enumerate() {
            match v.get(field) {
                Some(next) if next.is_object() || next.is_null() => v = next,
                Some(bad) => {
                    return Err(format!(
                        "error: unable to decode \"{source}\": .{} accessor error: {} is of the type {}, expected map[string]interface{{}}",
                        path[..=i].join("."),
                        go_value(bad),
                        go_type(bad)
                    ))
                }
                None => break,
            }
        }
    }
    Ok(())
}

/// The resource of a manifest, or kubectl's "no matches for kind" error (resource/mapper.go
/// infoForData: the namespace named is the manifest's own, empty when it has none).
fn mapping(doc: &Value, source: &str) -> Result<&'static ResourceInfo, String> {
    check_metadata_shape(doc, source)?;
    let ns = str_at(doc, "/metadata/namespace");
    let (api_version, kind) = (str_at(doc, "/apiVersion"), str_at(doc, "/kind"));
    if kind.is_empty() {
        return Err(format!("error: error validating \"{source}\": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false"));
    }
    if api_version.is_empty() {
        return Err(format!("error: error validating \"{source}\": error validating data: apiVersion not set; if you choose to ignore these errors, turn validation off with --validate=false"));
    }
    by_kind(api_version, kind).ok_or_else(|| {
        format!(
            "error: resource mapping not found for name: \"{}\" namespace: \"{ns}\" from \"{source}\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first",
            str_at(doc, "/metadata/name")
        )
    })
}

/// The namespace an object goes to: its own, else `-n`, else default.
fn target_namespace(
    info: &ResourceInfo,
    doc: &mut Value,
    args: &Args,
) -> Result<Option<String>, String> {
    if !info.namespaced {
        return Ok(None);
    }
    let flag = namespace_flag(args);
    let own = str_at(doc, "/metadata/namespace").to_string();
    if !own.is_empty() && args.has("namespace") && own != flag {
        return Err(format!(
            "error: the namespace from the provided object \"{own}\" does not match the namespace \"{flag}\". You must pass '--namespace={own}' to perform this operation."
        ));
    }
    let ns = if own.is_empty() { flag } else { own };
    if let Some(meta) = doc.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert("namespace".into(), json!(ns));
    }
    Ok(Some(ns))
}

/// The object with the last-applied-configuration annotation kubectl sets: the manifest itself,
/// as compact JSON with sorted keys, its annotations map without that key.
fn with_last_applied(doc: &Value) -> Value {
    let mut config = doc.clone();
    if let Some(meta) = config.get_mut("metadata").and_then(Value::as_object_mut) {
        let ann = meta
            .entry("annotations")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(a) = ann.as_object_mut() {
            a.remove(LAST_APPLIED);
        }
    }
    let text = serde_json::to_string(&config).unwrap_or_default();
    let mut out = config;
    out["metadata"]["annotations"][LAST_APPLIED] = json!(format!("{text}\n"));
    out
}

fn dry_run_suffix(args: &Args) -> &'static str {
    match args.flag("dry-run") {
        Some("client") | Some("true") => " (dry run)",
        Some("server") => " (server dry run)",
        _ => "",
    }
}

/// One object's failure, kept until every object has been tried (ApplyOptions.Run and
/// RunCreate collect them; cmdutil.CheckErr prints them at the end).
#[derive(Debug, Clone, PartialEq)]
enum ObjectError {
    /// A server Status, with the context cmdutil.AddSourceToErr put before its message
    /// (`error when creating "STDIN": `).
    Status { body: Value, context: String },
    /// Any other error, as its Go text (without the `error: ` checkErr adds to it alone).
    Plain(String),
}

impl ObjectError {
    /// An error kubectl itself raised, written as checkErr prints it alone (`error: ...`).
    fn plain(text: String) -> Self {
        let text = text
            .strip_prefix("error: ")
            .map(str::to_string)
            .unwrap_or(text);
        ObjectError::Plain(text)
    }

    fn status(resp: &Response, context: String) -> Self {
        ObjectError::Status {
            body: resp.body.clone(),
            context,
        }
    }

    /// checkErr of a single error: an Invalid Status as `The Kind "name" is invalid: ...`,
    /// another Status through StandardErrorMessage, anything else with `error: `.
    fn alone(&self) -> String {
        match self {
            ObjectError::Status { body, context } => status_message(body, Some(context)),
            ObjectError::Plain(text) => format!("error: {text}"),
        }
    }

    /// MultipleErrors' line for one error of several (messageForError): every Status through
    /// StandardErrorMessage (`Error from server (Invalid): error when creating ...`), anything
    /// else as its bare text.
    fn in_aggregate(&self) -> String {
        match self {
            ObjectError::Status { body, context } => {
                let reason = str_at(body, "/reason");
                let message = str_at(body, "/message");
                match reason {
                    "" => format!("Error from server: {context}{message}"),
                    _ => format!("Error from server ({reason}): {context}{message}"),
                }
            }
            ObjectError::Plain(text) => text.clone(),
        }
    }
}

/// cmdutil.CheckErr of what Run returned: one error alone, several one per line (an aggregate
/// goes through MultipleErrors); exit code 1 either way.
fn report_errors(errors: &[ObjectError], env: &mut Env) {
    match errors {
        [] => {}
        [one] => env.out.fail(one.alone()),
        many => {
            for e in many {
                env.out.print(e.in_aggregate());
            }
            env.out.exit_code = 1;
        }
    }
}

/// apply.go's warningNoLastAppliedConfigAnnotation, for a live object without the annotation
/// (info.ObjectName(): the resource's plural and the name; cmdBaseName `kubectl`).
fn missing_last_applied_warning(info: &ResourceInfo, name: &str) -> String {
    format!(
        "Warning: resource {}/{name} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.",
        info.plural
    )
}

/// `kubectl apply -f` (ApplyOptions.Run): the builder's errors (unknown kinds, bad metadata, a
/// namespace mismatch) do not stop the others; each object is applied in turn and its line
/// printed as it goes; the errors are printed after all of them.
pub fn apply(args: &Args, env: &mut Env) {
    let Some(docs) = read_manifests(args, env) else {
        return;
    };
    let mut builder_errors = Vec::new();
    let mut objects = Vec::new();
    for (source, mut doc) in docs {
        let built = mapping(&doc, &source)
            .and_then(|info| Ok((info, target_namespace(info, &mut doc, args)?)));
        match built {
            Ok((info, ns)) => objects.push((source, doc, info, ns)),
            Err(e) => builder_errors.push(e.strip_prefix("error: ").unwrap_or(&e).to_string()),
        }
    }
    let mut errors = Vec::new();
    for (source, doc, info, ns) in objects {
        if let Err(e) = apply_one(info, ns.as_deref(), doc, &source, args, env) {
            errors.push(e);
        }
    }
    let errors = with_builder_errors(builder_errors, errors);
    report_errors(&errors, env);
}

/// Run's `errs`: the error r.Infos() returned first (the visitor's errors: one, or an aggregate
/// printed as `[a, b]` inside another), then each object's. With no object errors, Run returns
/// the visitor's error itself, whose aggregate checkErr prints one per line.
fn with_builder_errors(builder: Vec<String>, objects: Vec<ObjectError>) -> Vec<ObjectError> {
    if objects.is_empty() {
        return builder.into_iter().map(ObjectError::Plain).collect();
    }
    let first = match builder.as_slice() {
        [] => None,
        [one] => Some(ObjectError::Plain(one.clone())),
        many => Some(ObjectError::Plain(format!("[{}]", many.join(", ")))),
    };
    first.into_iter().chain(objects).collect()
}

/// applyOneObject: server-side apply, or a create with the last-applied annotation when the
/// object does not exist, or the three-way patch.
fn apply_one(
    info: &'static ResourceInfo,
    ns: Option<&str>,
    doc: Value,
    source: &str,
    args: &Args,
    env: &mut Env,
) -> Result<(), ObjectError> {
    let name = str_at(&doc, "/metadata/name").to_string();
    let generate = str_at(&doc, "/metadata/generateName").to_string();
    if name.is_empty() && !generate.is_empty() {
        return Err(ObjectError::Plain(format!(
            "from {generate}: cannot use generate name with apply"
        )));
    }
    if args.bool_flag("server-side", false) {
        return server_side_apply(info, ns, &doc, args, env);
    }
    let modified = with_last_applied(&doc);
    let get = env.request(Verb::Get, info, ns).name(&name);
    let current = env.send(get);
    if current.code == 404 || name.is_empty() {
        return create_one(info, ns, modified, source, args, env);
    }
    if !current.is_success() {
        let during = retrieving_context(info, &name, ns, source);
        return Err(ObjectError::status(&current, during));
    }
    let live = current.body;
    let annotation = live
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(LAST_APPLIED));
    if annotation.is_none() {
        env.out.print(missing_last_applied_warning(info, &name));
    }
    let original: Value = annotation
        .and_then(Value::as_str)
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or(json!({}));
    let patch = three_way(&original, &modified, &live);
    let label = object_name(info, &name);
    if patch == json!({}) {
        env.out
            .print(format!("{label} unchanged{}", dry_run_suffix(args)));
        return Ok(());
    }
    let mut req = env
        .request(Verb::Patch(PatchType::Strategic), info, ns)
        .name(&name)
        .body(patch);
    req.field_manager = Some(client_side_field_manager(args));
    req.field_validation = field_validation(args);
    req.dry_run = args.flag("dry-run") == Some("server");
    if args.flag("dry-run") == Some("client") {
        env.out.print(format!("{label} configured (dry run)"));
        return Ok(());
    }
    let resp = env.send(req);
    if !resp.is_success() {
        return Err(ObjectError::status(
            &resp,
            format!("error when patching \"{source}\": "),
        ));
    }
    env.out
        .print(format!("{label} configured{}", dry_run_suffix(args)));
    Ok(())
}

/// `GroupVersionResource.String()`: `/v1, Resource=pods`, `apps/v1, Resource=deployments`.
fn gvr_string(info: &ResourceInfo) -> String {
    format!("{}/{}, Resource={}", info.group, info.version, info.plural)
}

/// `GroupVersionKind.String()`: `/v1, Kind=Pod`.
fn gvk_string(info: &ResourceInfo) -> String {
    format!("{}/{}, Kind={}", info.group, info.version, info.kind)
}

/// The context kubectl apply gives a failed GET of the live object (cmdutil.AddSourceToErr with
/// `retrieving current configuration of:\n` + resource.Info.String() + `\nfrom server for:`).
fn retrieving_context(info: &ResourceInfo, name: &str, ns: Option<&str>, source: &str) -> String {
    format!(
        "error when retrieving current configuration of:\nResource: \"{}\", GroupVersionKind: \"{}\"\nName: \"{name}\", Namespace: \"{}\"\nfrom server for: \"{source}\": ",
        gvr_string(info),
        gvk_string(info),
        ns.unwrap_or_default()
    )
}

/// GetApplyFieldManagerFlag: `--field-manager`, else `kubectl-client-side-apply`.
fn client_side_field_manager(args: &Args) -> String {
    args.flag("field-manager")
        .unwrap_or(FIELD_MANAGER_CLIENT_SIDE_APPLY)
        .to_string()
}

/// apply.go FieldManagerClientSideApply.
pub const FIELD_MANAGER_CLIENT_SIDE_APPLY: &str = "kubectl-client-side-apply";
/// apply.go fieldManagerServerSideApply: `kubectl`, for compatibility with older kubectls.
pub const FIELD_MANAGER_SERVER_SIDE_APPLY: &str = "kubectl";
/// apply.go fieldManagerLastAppliedAnnotation.
const FIELD_MANAGER_LAST_APPLIED: &str = "kubectl-last-applied";

/// What kubectl adds to an apply conflict (apply.go applyOneObject).
pub const CONFLICT_ADVICE: &str =
    "Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the `--force-conflicts` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts";

/// The error line of a failed server-side apply: a conflict with kubectl's advice, anything
/// else as the server said it.
fn server_side_error(resp: &Response) -> ObjectError {
    if resp.code == 409 && str_at(&resp.body, "/reason") == "Conflict" {
        return ObjectError::Plain(format!(
            "{}\n{CONFLICT_ADVICE}",
            str_at(&resp.body, "/message")
        ));
    }
    ObjectError::status(resp, String::new())
}

/// `kubectl apply --server-side`: one apply patch of the whole manifest (apply.go
/// applyOneObject), then, for the default manager, the migration of client-side apply's
/// ownership (saveLastApplyAnnotationIfNecessary, migrateToSSAIfNecessary, and the same patch
/// again).
fn server_side_apply(
    info: &'static ResourceInfo,
    ns: Option<&str>,
    doc: &Value,
    args: &Args,
    env: &mut Env,
) -> Result<(), ObjectError> {
    let name = str_at(doc, "/metadata/name").to_string();
    let label = object_name(info, &name);
    if args.flag("dry-run") == Some("client") {
        env.out
            .print(format!("{label} serverside-applied (dry run)"));
        return Ok(());
    }
    let manager = args
        .flag("field-manager")
        .unwrap_or(FIELD_MANAGER_SERVER_SIDE_APPLY)
        .to_string();
    let ssa = SsaTarget {
        info,
        ns,
        name: &name,
        manager: &manager,
        args,
    };
    let resp = ssa.send_apply(doc, Some(args.bool_flag("force-conflicts", false)), env);
    if !resp.is_success() {
        return Err(server_side_error(&resp));
    }
    if !ssa.dry_run() {
        ssa.migrate(&resp.body, doc, env);
    }
    env.out.print(format!(
        "{label} serverside-applied{}",
        dry_run_suffix(args)
    ));
    Ok(())
}

/// The object a server-side apply writes, and how kubectl's requests for it are made.
struct SsaTarget<'a> {
    info: &'static ResourceInfo,
    ns: Option<&'a str>,
    name: &'a str,
    manager: &'a str,
    args: &'a Args,
}

impl SsaTarget<'_> {
    fn dry_run(&self) -> bool {
        self.args.flag("dry-run") == Some("server")
    }

    fn patch(&self, kind: PatchType, body: Value, manager: &str, env: &mut Env) -> Request {
        let mut req = env
            .request(Verb::Patch(kind), self.info, self.ns)
            .name(self.name)
            .body(body);
        req.field_manager = Some(manager.to_string());
        req.field_validation = field_validation(self.args);
        req.dry_run = self.dry_run();
        req
    }

    fn send_apply(&self, doc: &Value, force: Option<bool>, env: &mut Env) -> Response {
        let mut req = self.patch(PatchType::Apply, doc.clone(), self.manager, env);
        req.force = force;
        env.send(req)
    }

    /// The migration from client-side apply after a successful apply; failures are warnings,
    /// as kubectl prints them.
    fn migrate(&self, applied: &Value, doc: &Value, env: &mut Env) {
        let mut live = applied.clone();
        if let Some(saved) = self.save_last_applied(&live, env) {
            live = saved;
        }
        let entries = managedfields::entries_of(&live);
        let Some(upgraded) = managedfields::upgrade_client_side_apply(&entries, self.manager)
        else {
            return;
        };
        let patch = json!([
            {"op": "replace", "path": "/metadata/managedFields",
             "value": upgraded.iter().map(managedfields::Entry::to_json).collect::<Vec<_>>()},
            {"op": "replace", "path": "/metadata/resourceVersion",
             "value": str_at(&live, "/metadata/resourceVersion")},
        ]);
        let req = self.patch(PatchType::Json, patch, self.manager, env);
        if !env.send(req).is_success() {
            return;
        }
        let force = Some(self.args.bool_flag("force-conflicts", false));
        let _ = self.send_apply(doc, force, env);
    }

    /// saveLastApplyAnnotationIfNecessary: the default manager keeps an existing last-applied
    /// annotation owned by `kubectl-last-applied`, so that applying without it does not drop it.
    fn save_last_applied(&self, live: &Value, env: &mut Env) -> Option<Value> {
        if self.manager != FIELD_MANAGER_SERVER_SIDE_APPLY {
            return None;
        }
        let annotation = live
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(LAST_APPLIED))
            .and_then(Value::as_str)?
            .to_string();
        let path = managedfields::last_applied_path();
        let owned_by_apply = managedfields::entries_of(live)
            .iter()
            .any(|e| e.operation == Operation::Apply && e.fields.has(&path));
        if owned_by_apply {
            return None;
        }
        let mut metadata = json!({"name": self.name, "annotations": {LAST_APPLIED: annotation}});
        if let Some(ns) = self.ns {
            metadata["namespace"] = json!(ns);
        }
        let body = json!({
            "apiVersion": self.info.api_version(),
            "kind": self.info.kind,
            "metadata": metadata,
        });
        let req = self.patch(PatchType::Apply, body, FIELD_MANAGER_LAST_APPLIED, env);
        let resp = env.send(req);
        resp.is_success().then_some(resp.body)
    }
}

fn create_one(
    info: &'static ResourceInfo,
    ns: Option<&str>,
    body: Value,
    source: &str,
    args: &Args,
    env: &mut Env,
) -> Result<(), ObjectError> {
    let name = str_at(&body, "/metadata/name").to_string();
    if args.flag("dry-run") == Some("client") {
        env.out
            .print(format!("{} created (dry run)", object_name(info, &name)));
        return Ok(());
    }
    let mut req: Request = env.request(Verb::Create, info, ns).body(body);
    req.field_manager = Some(
        if args.positional.first().map(String::as_str) == Some("apply") {
            client_side_field_manager(args)
        } else {
            args.flag("field-manager")
                .unwrap_or("kubectl-create")
                .to_string()
        },
    );
    req.field_validation = field_validation(args);
    req.dry_run = args.flag("dry-run") == Some("server");
    let resp = env.send(req);
    if !resp.is_success() {
        return Err(ObjectError::status(
            &resp,
            format!("error when creating \"{source}\": "),
        ));
    }
    let created = str_at(&resp.body, "/metadata/name").to_string();
    env.out.print(format!(
        "{} created{}",
        object_name(info, &created),
        dry_run_suffix(args)
    ));
    Ok(())
}

pub fn create(args: &Args, env: &mut Env) {
    if args.positional.len() > 1 {
        env.out.fail(format!(
            "error: unknown command \"{}\" for \"kubectl create\"",
            args.positional[1]
        ));
        return;
    }
    let Some(docs) = read_manifests(args, env) else {
        return;
    };
    // RunCreate visits with ContinueOnError: every object is tried, and the visitor's errors,
    // in order, are printed at the end.
    let mut errors = Vec::new();
    for (source, mut doc) in docs {
        let built = mapping(&doc, &source)
            .and_then(|info| Ok((info, target_namespace(info, &mut doc, args)?)));
        let done = match built {
            Ok((info, ns)) => create_one(info, ns.as_deref(), doc, &source, args, env),
            Err(e) => Err(ObjectError::plain(e)),
        };
        if let Err(e) = done {
            errors.push(e);
        }
    }
    report_errors(&errors, env);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retrieving_context_names_the_resource_as_info_string_does() {
        let pods = crate::apiserver::resources::by_plural("", "pods").unwrap();
        assert_eq!(
            retrieving_context(pods, "nginx", Some("default"), "pod.yaml"),
            "error when retrieving current configuration of:\nResource: \"/v1, Resource=pods\", GroupVersionKind: \"/v1, Kind=Pod\"\nName: \"nginx\", Namespace: \"default\"\nfrom server for: \"pod.yaml\": "
        );
    }

    #[test]
    fn builder_errors_come_first_nested_when_objects_failed_too() {
        let plain = |t: &str| ObjectError::Plain(t.into());
        let builder = vec!["a".to_string(), "b".to_string()];
        assert_eq!(
            with_builder_errors(builder.clone(), Vec::new()),
            vec![plain("a"), plain("b")]
        );
        assert_eq!(
            with_builder_errors(builder, vec![plain("c")]),
            vec![plain("[a, b]"), plain("c")]
        );
        assert_eq!(plain("x").alone(), "error: x");
        assert_eq!(plain("x").in_aggregate(), "x");
    }

    #[test]
    fn last_applied_is_the_manifest_as_compact_sorted_json() {
        let doc = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "nginx", "namespace": "default"}, "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]}});
        let applied = with_last_applied(&doc);
        assert_eq!(
            applied["metadata"]["annotations"][LAST_APPLIED],
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"annotations\":{},\"name\":\"nginx\",\"namespace\":\"default\"},\"spec\":{\"containers\":[{\"image\":\"nginx:1.27\",\"name\":\"nginx\",\"ports\":[{\"containerPort\":80}]}]}}\n"
        );
    }
}
