//! kube-apiserver: the only component that talks to etcd. Every request runs the pipeline of the
//! real server (authentication, authorization, decoding with defaults, mutating admission,
//! validation, storage), and every stage is written to the trace for requests a user sends.

pub mod admission;
pub mod auth;
pub mod bootstrap;
pub mod decode;
pub mod defaults;
pub mod discovery;
pub mod errors;
pub mod managedfields;
pub mod patch;
pub mod registry;
pub mod request;
pub mod resources;
pub mod selectors;
pub mod validation;
pub mod webhook;
pub mod wire;

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::scheduling::v1::PriorityClass;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

use crate::etcd::{Etcd, EventType, TxnError};
use crate::kubelet::server::{KubeletConnections, KubeletServer, LogQuery, KUBELET_PORT};
use crate::sim::{wall_clock, Actor, Millis, Rng, Trace, TraceEntry};
pub use errors::ApiError;
pub use request::{FieldValidation, Impersonation, PatchType, Request, Response, Verb};
pub use resources::ResourceInfo;
use selectors::{labels_of, FieldSelector, LabelSelector};
use validation::field::{BadValue, FieldError, Path};

/// A change a watch delivers: `ADDED`, `MODIFIED` or `DELETED`, with the object.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchEvent {
    pub kind: &'static str,
    pub object: Value,
    pub revision: i64,
}

/// The API server, with the etcd it owns.
#[derive(Debug, Clone)]
pub struct ApiServer {
    etcd: Etcd,
    rng: Rng,
    /// The kubelets the API server can reach, by `IP:port` (for `pods/log`).
    kubelets: KubeletConnections,
    /// Admission plugins turned off (`--disable-admission-plugins`).
    disabled_admission: Vec<&'static str>,
}

/// RFC 3339 to the second, as metav1.Time marshals.
pub fn timestamp(at: Millis) -> String {
    wall_clock(at).strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// RFC 3339 to the microsecond, as metav1.MicroTime marshals.
pub fn micro_timestamp(at: Millis) -> String {
    wall_clock(at)
        .strftime("%Y-%m-%dT%H:%M:%S.%6fZ")
        .to_string()
}

/// Tracing context for one request.
struct Ctx<'a> {
    now: Millis,
    trace: &'a mut Trace,
    caller: Actor,
    /// Whether to trace each pipeline stage (for the user's own requests).
    verbose: bool,
    object: String,
}

impl Ctx<'_> {
    fn stage(&mut self, revision: i64, action: &str, detail: String) {
        if self.verbose {
            self.trace.push(TraceEntry {
                at: self.now,
                from: Actor::ApiServer,
                to: Actor::ApiServer,
                action: action.to_string(),
                object: self.object.clone(),
                detail,
                revision,
            });
        }
    }

    fn etcd(&mut self, revision: i64, action: String) {
        self.trace.push(TraceEntry {
            at: self.now,
            from: Actor::ApiServer,
            to: Actor::Etcd,
            action,
            object: self.object.clone(),
            detail: format!("revision {revision}"),
            revision,
        });
    }
}

fn name_of(obj: &Value) -> String {
    obj.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

use crate::unstructured::str_at;

/// Set `metadata.resourceVersion` from the etcd revision that wrote the object.
fn with_resource_version(mut obj: Value, revision: i64) -> Value {
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert(
            "resourceVersion".into(),
            Value::String(revision.to_string()),
        );
    }
    obj
}

impl ApiServer {
    pub fn new(seed: u64) -> Self {
        ApiServer {
            etcd: Etcd::new(),
            rng: Rng::seeded(seed ^ 0x6170_6973),
            kubelets: KubeletConnections::default(),
            disabled_admission: Vec::new(),
        }
    }

    /// `--disable-admission-plugins`: of ServiceAccount, Priority and TaintNodesByCondition (as
    /// kube-scheduler's scheduler_perf starts its API server, with no controllers to undo them).
    pub fn disable_admission_plugins(&mut self, names: &[&'static str]) {
        self.disabled_admission.extend_from_slice(names);
    }

    pub fn etcd(&self) -> &Etcd {
        &self.etcd
    }

    pub fn etcd_mut(&mut self) -> &mut Etcd {
        &mut self.etcd
    }

    /// A kubelet's server becomes reachable at `address` (`IP:10250`).
    pub fn connect_kubelet(&mut self, address: &str, server: KubeletServer) {
        self.kubelets.listen(address, server);
    }

    /// The kubelet at `address` cannot be reached for `why` (stopped, its node cut off), or can
    /// again with None.
    pub fn set_kubelet_unreachable(
        &mut self,
        address: &str,
        why: Option<crate::kubelet::server::DialError>,
    ) {
        self.kubelets.set_unreachable(address, why);
    }

    /// `GET pods/NAME/log` (pkg/registry/core/pod/rest/log.go and strategy.go LogLocation): the
    /// container is checked against the pod; a pod not yet on a node has no log (an empty
    /// answer); otherwise the request goes to the kubelet of the pod's node, at the node's
    /// InternalIP and kubelet port, and its answer is passed back. The query parameters arrive
    /// as the request body, decoded into a `PodLogOptions`.
    fn pod_log(&self, req: &Request, ctx: &mut Ctx) -> Result<Response, ApiError> {
        let name = req.name.as_deref().unwrap_or_default();
        let pod = self
            .read(req.resource, req.namespace.as_deref(), name)
            .ok_or_else(|| ApiError::not_found(&req.resource.qualified_plural(), name))?;
        let options = req.body.clone().unwrap_or(Value::Null);
        let names: Vec<&str> = ["initContainers", "containers", "ephemeralContainers"]
            .iter()
            .flat_map(|k| {
                pod.pointer(&format!("/spec/{k}"))
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
            })
            .filter_map(|c| c.get("name").and_then(Value::as_str))
            .collect();
        let regular = pod
            .pointer("/spec/containers")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let container = match str_at(&options, "/container") {
            "" if regular.len() == 1 => str_at(&regular[0], "/name").to_string(),
            "" if regular.is_empty() => {
                return Err(ApiError::bad_request(format!(
                    "a container name must be specified for pod {name}"
                )))
            }
            "" => {
                return Err(ApiError::bad_request(format!(
                    "a container name must be specified for pod {name}, choose one of: [{}]",
                    names.join(" ")
                )))
            }
            c if !names.contains(&c) => {
                return Err(ApiError::bad_request(format!(
                    "container {c} is not valid for pod {name}"
                )))
            }
            c => c.to_string(),
        };
        let node = str_at(&pod, "/spec/nodeName");
        if node.is_empty() {
            return Ok(Response::ok(200, Value::String(String::new())));
        }
        let node_obj = self
            .read(crate::client::core("nodes"), None, node)
            .ok_or_else(|| ApiError::not_found("nodes", node))?;
        let ip = node_obj
            .pointer("/status/addresses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|a| str_at(a, "/type") == "InternalIP")
            .map(|a| str_at(a, "/address").to_string())
            .unwrap_or_else(|| node.to_string());
        let port = node_obj
            .pointer("/status/daemonEndpoints/kubeletEndpoint/Port")
            .and_then(Value::as_i64)
            .unwrap_or(KUBELET_PORT);
        let query = LogQuery {
            namespace: str_at(&pod, "/metadata/namespace").to_string(),
            pod: name.to_string(),
            container,
            previous: options
                .get("previous")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            tail_lines: options.get("tailLines").and_then(Value::as_i64),
        };
        // PodLogOptions.timestamps goes on to the kubelet's containerLogs query.
        let timestamps = options
            .get("timestamps")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let url = format!(
            "https://{ip}:{port}{}",
            query.path_with_timestamps(timestamps)
        );
        let kubelet = Actor::Kubelet(node.to_string());
        ctx.trace.push(TraceEntry {
            at: ctx.now,
            from: Actor::ApiServer,
            to: kubelet.clone(),
            action: format!("GET {url}"),
            object: ctx.object.clone(),
            detail: "proxy the pod's log from its node's kubelet".into(),
            revision: self.etcd.revision(),
        });
        let address = format!("{ip}:{port}");
        let server = match self.kubelets.dial(&address) {
            Ok(server) => server,
            // A plain error (Go's url.Error): the server answers 500 with reason Unknown.
            Err(why) => {
                return Err(ApiError {
                    code: 500,
                    reason: String::new(),
                    message: format!("Get \"{url}\": {}", why.message(&address)),
                    details: None,
                })
            }
        };
        let reply = server.container_logs_with_timestamps(&query, timestamps, ctx.now);
        for (action, detail) in &reply.cri_calls {
            ctx.trace.push(TraceEntry {
                at: ctx.now,
                from: kubelet.clone(),
                to: Actor::Cri(node.to_string()),
                action: action.clone(),
                object: ctx.object.clone(),
                detail: detail.clone(),
                revision: self.etcd.revision(),
            });
        }
        ctx.trace.push(TraceEntry {
            at: ctx.now,
            from: kubelet,
            to: Actor::ApiServer,
            action: format!(
                "{} ({} bytes)",
                Response::ok(reply.code, Value::Null).status_line(),
                reply.body.len()
            ),
            object: ctx.object.clone(),
            detail: String::new(),
            revision: self.etcd.revision(),
        });
        match reply.code {
            200..=299 => Ok(Response::ok(200, Value::String(reply.body))),
            404 => Err(ApiError {
                code: 404,
                reason: "NotFound".into(),
                message: reply.body,
                details: None,
            }),
            code => Err(ApiError {
                code,
                reason: "BadRequest".into(),
                message: reply.body,
                details: None,
            }),
        }
    }

    /// `POST pods/NAME/exec` (pkg/registry/core/pod/rest/subresources.go ExecREST.Connect and
    /// strategy.go ExecLocation): the pod must exist (404 otherwise); its node, if any, tells
    /// where its kubelet listens; the PodExecOptions (sent as query parameters, here the body)
    /// go to [`crate::kubelet::server::proxy_exec`], which proxies the streams to the kubelet.
    fn pod_exec(&mut self, req: &Request, ctx: &mut Ctx) -> Result<Response, ApiError> {
        let name = req.name.as_deref().unwrap_or_default();
        let pod = self
            .read(req.resource, req.namespace.as_deref(), name)
            .ok_or_else(|| ApiError::not_found(&req.resource.qualified_plural(), name))?;
        let node_name = str_at(&pod, "/spec/nodeName");
        let node = if node_name.is_empty() {
            None
        } else {
            self.read(crate::client::core("nodes"), None, node_name)
        };
        let options = req.body.clone().unwrap_or(Value::Null);
        let exec_id = self.rng.hex(32);
        let body = crate::kubelet::server::proxy_exec(
            &pod,
            node.as_ref(),
            &options,
            &self.kubelets,
            ctx.now,
            self.etcd.revision(),
            &ctx.object,
            &exec_id,
            ctx.trace,
        )?;
        Ok(Response::ok(200, body))
    }

    /// Priority admission of a new pod with the stored PriorityClasses
    /// (plugin/pkg/admission/priority/admission.go admitPod, via [`admission::admit_priority`]):
    /// spec.priority, spec.priorityClassName and spec.preemptionPolicy are set from the class;
    /// an unknown class or a conflicting priority is Forbidden. ServiceAccount admission runs
    /// first, so a pod whose service account is missing is left to its refusal. Returns the
    /// trace line, or None for other kinds.
    fn admit_pod_priority(
        &self,
        kind: &str,
        obj: &mut Value,
        account_exists: &dyn Fn(&str, &str) -> bool,
    ) -> Result<Option<String>, ApiError> {
        if kind != "Pod" {
            return Ok(None);
        }
        let Ok(mut pod) = serde_json::from_value::<Pod>(obj.clone()) else {
            return Ok(None);
        };
        let ns = pod.metadata.namespace.clone().unwrap_or_default();
        if admission::missing_service_account(&pod, &ns, account_exists).is_some() {
            return Ok(None);
        }
        let classes = self.stored_priority_classes();
        let done = admission::admit_priority(&mut pod, &classes).map_err(ApiError::forbidden)?;
        let spec = pod.spec.unwrap_or_default();
        let fields = [
            (
                "priorityClassName",
                spec.priority_class_name.map(Value::from),
            ),
            ("priority", spec.priority.map(Value::from)),
            ("preemptionPolicy", spec.preemption_policy.map(Value::from)),
        ];
        if let Some(target) = obj.get_mut("spec").and_then(Value::as_object_mut) {
            for (field, value) in fields {
                if let Some(v) = value {
                    target.insert(field.to_string(), v);
                }
            }
        }
        Ok(Some(done))
    }

    /// MutatingAdmissionWebhook on a create (see [`webhook`]): each call is traced as the request
    /// to the webhook's server and its answer; a patched object is defaulted again and goes
    /// through the in-tree plugins once more. Returns the lines for the admission stage.
    fn call_mutating_webhooks(
        &mut self,
        req: &Request,
        obj: &mut Value,
        ctx: &mut Ctx,
    ) -> Result<Vec<String>, ApiError> {
        let info = req.resource;
        let configurations = resources::by_plural(
            "admissionregistration.k8s.io",
            "mutatingwebhookconfigurations",
        )
        .map(|c| self.read_all(c, None))
        .unwrap_or_default();
        if configurations.is_empty() {
            return Ok(Vec::new());
        }
        let namespace_labels = req
            .namespace
            .as_deref()
            .and_then(|ns| self.read(crate::client::core("namespaces"), None, ns))
            .map(|ns| labels_of(&ns))
            .unwrap_or_default();
        let etcd = &self.etcd;
        let service_exists = |ns: &str, name: &str| {
            resources::by_plural("", "services")
                .is_some_and(|svc| etcd.get(&svc.etcd_key(Some(ns), name)).is_some())
        };
        let result = webhook::admit_create(
            &configurations,
            info,
            &namespace_labels,
            &service_exists,
            obj,
        );
        let calls = result.inspect_err(|e| {
            ctx.stage(
                self.etcd.revision(),
                "mutating admission",
                e.message.clone(),
            )
        })?;
        let mut done = Vec::new();
        for call in &calls {
            self.trace_webhook_call(call, ctx);
            done.push(format!(
                "MutatingAdmissionWebhook: {} ({}) {}",
                call.webhook,
                call.service,
                if call.patched {
                    "patched the object"
                } else {
                    "allowed it unchanged"
                }
            ));
        }
        if calls.iter().any(|c| c.patched) {
            if let Ok(defaulted) = registry::decode_and_default(info.kind, info.version, obj) {
                *obj = defaulted.object;
            }
            let account_exists = |_: &str, _: &str| true;
            registry::admit_create(
                info.kind,
                obj,
                &mut self.rng,
                &account_exists,
                &self.disabled_admission,
                &[],
            )?;
            done.push(
                "reinvoked the in-tree plugins after the webhook's change (ServiceAccount mounted the token into the added containers)".into(),
            );
        }
        Ok(done)
    }

    /// The AdmissionReview posted to the webhook's server, and its answer, in the trace.
    fn trace_webhook_call(&self, call: &webhook::Call, ctx: &mut Ctx) {
        let server = Actor::Istiod;
        let revision = self.etcd.revision();
        ctx.trace.push(TraceEntry {
            at: ctx.now,
            from: Actor::ApiServer,
            to: server.clone(),
            action: format!("POST {} (AdmissionReview)", call.service),
            object: ctx.object.clone(),
            detail: format!("webhook {}: operation CREATE", call.webhook),
            revision,
        });
        ctx.trace.push(TraceEntry {
            at: ctx.now,
            from: server,
            to: Actor::ApiServer,
            action: if call.patched {
                "AdmissionResponse: allowed, patchType JSONPatch".into()
            } else {
                "AdmissionResponse: allowed".into()
            },
            object: ctx.object.clone(),
            detail: if call.patched {
                "istiod injected the sidecar: init containers istio-init and istio-proxy (a native sidecar, restartPolicy Always), their volumes, labels and the sidecar.istio.io/status annotation".into()
            } else {
                "istiod left the pod unchanged (injection not required)".into()
            },
            revision,
        });
    }

    /// Every stored scheduling.k8s.io/v1 PriorityClass (etcd prefix /registry/priorityclasses/).
    fn stored_priority_classes(&self) -> Vec<PriorityClass> {
        resources::by_plural("scheduling.k8s.io", "priorityclasses")
            .map(|info| self.read_all(info, None))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|c| serde_json::from_value(c).ok())
            .collect()
    }

    /// Every stored storage.k8s.io/v1 StorageClass (etcd prefix /registry/storageclasses/), for
    /// DefaultStorageClass admission.
    fn stored_storage_classes(&self) -> Vec<Value> {
        resources::by_plural("storage.k8s.io", "storageclasses")
            .map(|info| self.read_all(info, None))
            .unwrap_or_default()
    }

    /// The object stored at `info`/`namespace`/`name`, with its resourceVersion.
    pub fn read(&self, info: &ResourceInfo, namespace: Option<&str>, name: &str) -> Option<Value> {
        let kv = self.etcd.get(&info.etcd_key(namespace, name))?;
        Some(with_resource_version(kv.value.clone(), kv.mod_revision))
    }

    /// Every object of a resource (in a namespace, or all), in key order.
    pub fn read_all(&self, info: &ResourceInfo, namespace: Option<&str>) -> Vec<Value> {
        self.etcd
            .range(&info.etcd_range(namespace))
            .into_iter()
            .map(|kv| with_resource_version(kv.value.clone(), kv.mod_revision))
            .collect()
    }

    /// Changes to a resource after `after` (a watch from resourceVersion `after`).
    pub fn watch(&self, info: &ResourceInfo, after: i64) -> Vec<WatchEvent> {
        let Ok(changes) = self.etcd.changes_since(&info.etcd_range(None), after) else {
            return Vec::new();
        };
        changes
            .into_iter()
            .map(|e| {
                let kind = match (e.kind, &e.prev) {
                    (EventType::Delete, _) => "DELETED",
                    (EventType::Put, None) => "ADDED",
                    (EventType::Put, Some(_)) => "MODIFIED",
                };
                let object = match e.kind {
                    EventType::Delete => e
                        .prev
                        .as_ref()
                        .map(|p| p.value.clone())
                        .unwrap_or(Value::Null),
                    EventType::Put => e.kv.value.clone(),
                };
                WatchEvent {
                    kind,
                    object: with_resource_version(object, e.kv.mod_revision),
                    revision: e.kv.mod_revision,
                }
            })
            .collect()
    }

    /// Serve one request from `caller` at virtual time `now`.
    pub fn handle(
        &mut self,
        req: &Request,
        now: Millis,
        trace: &mut Trace,
        caller: &Actor,
    ) -> Response {
        let verbose = *caller == Actor::Kubectl;
        let mut ctx = Ctx {
            now,
            trace,
            caller: caller.clone(),
            verbose,
            object: req.object_ref(),
        };
        ctx.trace.push(TraceEntry {
            at: now,
            from: caller.clone(),
            to: Actor::ApiServer,
            action: format!("{} {}", req.verb.method(), req.path()),
            object: ctx.object.clone(),
            detail: req.body.as_ref().map(|b| b.to_string()).unwrap_or_default(),
            revision: self.etcd.revision(),
        });
        let result = self
            .authenticate_and_authorize(req, &mut ctx)
            .and_then(|_| match req.verb {
                _ if req.resource.kind == "SelfSubjectAccessReview" => {
                    self.access_review(req, &mut ctx)
                }
                _ if req.resource.kind == "SelfSubjectReview" => {
                    auth::self_subject_review(&self.etcd, req)
                }
                _ if req.resource.kind == "SelfSubjectRulesReview" => {
                    auth::self_subject_rules_review(&self.etcd, req)
                }
                Verb::Get if req.subresource.as_deref() == Some("log") => {
                    self.pod_log(req, &mut ctx)
                }
                Verb::Create
                    if req.resource.kind == "Pod" && req.subresource.as_deref() == Some("exec") =>
                {
                    self.pod_exec(req, &mut ctx)
                }
                Verb::Get => self.get(req),
                Verb::List => self.list(req),
                Verb::Create => self.create(req, &mut ctx),
                Verb::Update => self.update(req, &mut ctx),
                Verb::Patch(t) => self.patch(req, t, &mut ctx),
                Verb::Delete => self.delete(req, &mut ctx),
            });
        let mut response = match result {
            Ok(r) => r,
            Err(e) => Response::error(&e),
        };
        if req.resource.kind == "Endpoints" && response.is_success() {
            response.warnings.insert(
                0,
                "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"
                    .into(),
            );
        }
        if verbose || !response.is_success() {
            ctx.trace.push(TraceEntry {
                at: now,
                from: Actor::ApiServer,
                to: ctx.caller.clone(),
                action: response.status_line(),
                object: ctx.object.clone(),
                detail: match &response.body["message"] {
                    Value::String(m) if !response.is_success() => m.clone(),
                    _ => String::new(),
                },
                revision: self.etcd.revision(),
            });
        }
        response
    }

    /// The authentication, impersonation and authorization filters (see [`auth`]).
    fn authenticate_and_authorize(&self, req: &Request, ctx: &mut Ctx) -> Result<(), ApiError> {
        let rev = self.etcd.revision();
        auth::authenticate_and_authorize(&self.etcd, req, &mut |stage, detail| {
            ctx.stage(rev, stage, detail)
        })
        .map(|_| ())
    }

    /// `kubectl auth can-i`'s question, answered by the same authorizer.
    fn access_review(&self, req: &Request, ctx: &mut Ctx) -> Result<Response, ApiError> {
        let rev = self.etcd.revision();
        auth::self_subject_access_review(&self.etcd, req, &mut |stage, detail| {
            ctx.stage(rev, stage, detail)
        })
    }

    fn get(&self, req: &Request) -> Result<Response, ApiError> {
        let name = req.name.as_deref().unwrap_or_default();
        let scale = self.check_scale_subresource(req)?;
        self.read(req.resource, req.namespace.as_deref(), name)
            .map(|obj| Response::ok(200, if scale { registry::scale_of(&obj) } else { obj }))
            .ok_or_else(|| ApiError::not_found(&req.resource.qualified_plural(), name))
    }

    /// Whether the request is for the `scale` subresource; an error when the kind has none (the
    /// route does not exist: 404 `the server could not find the requested resource`).
    fn check_scale_subresource(&self, req: &Request) -> Result<bool, ApiError> {
        match req.subresource.as_deref() {
            Some("scale") if registry::has_scale_subresource(req.resource.kind) => Ok(true),
            // No such route: the generic 404 (errors.NewGenericServerResponse).
            Some("scale") => Err(ApiError {
                code: 404,
                reason: "NotFound".into(),
                message: "the server could not find the requested resource".into(),
                details: None,
            }),
            _ => Ok(false),
        }
    }

    /// PUT or PATCH of `NAME/scale`: the Scale (sent, or the live one patched) is validated and
    /// its replicas written to the workload, which is stored as an update; the answer is the
    /// new Scale.
    fn update_scale(
        &mut self,
        req: &Request,
        scale: Value,
        expected: Option<i64>,
        ctx: &mut Ctx,
    ) -> Result<Response, ApiError> {
        let info = req.resource;
        let name = req.name.clone().unwrap_or_default();
        let live = self
            .read(info, req.namespace.as_deref(), &name)
            .ok_or_else(|| ApiError::not_found(&info.qualified_plural(), &name))?;
        let mut scale = registry::decode_scale(&scale)?;
        for field in ["name", "namespace"] {
            if str_at(&scale, &format!("/metadata/{field}")).is_empty() {
                scale["metadata"][field] = live["metadata"][field].clone();
            }
        }
        let errs = validation::apps::validate_scale(&scale);
        if !errs.is_empty() {
            let err = ApiError::invalid("Scale", &name, &errs);
            ctx.stage(self.etcd.revision(), "validation", err.message.clone());
            return Err(err);
        }
        let workload = registry::with_scale(&live, &scale);
        let resp = self.store_update(req, workload, expected, Vec::new(), ctx)?;
        Ok(Response {
            code: resp.code,
            body: registry::scale_of(&resp.body),
            warnings: resp.warnings,
        })
    }

    fn list(&self, req: &Request) -> Result<Response, ApiError> {
        let labels = LabelSelector::parse(req.label_selector.as_deref().unwrap_or_default())
            .map_err(ApiError::bad_request)?;
        let fields = FieldSelector::parse(req.field_selector.as_deref().unwrap_or_default())
            .map_err(ApiError::bad_request)?;
        let items: Vec<Value> = self
            .read_all(req.resource, req.namespace.as_deref())
            .into_iter()
            .filter(|o| labels.matches(&labels_of(o)) && fields.matches(o))
            .collect();
        Ok(Response::ok(
            200,
            json!({
                "apiVersion": req.resource.api_version(),
                "kind": format!("{}List", req.resource.kind),
                "metadata": {"resourceVersion": self.etcd.revision().to_string()},
                "items": items,
            }),
        ))
    }

    /// POST: decode (with defaults), admit, prepare, validate, store.
    fn create(&mut self, req: &Request, ctx: &mut Ctx) -> Result<Response, ApiError> {
        if let Some(sub) = req.subresource.as_deref() {
            return match (req.resource.kind, sub) {
                ("Pod", "binding") => self.bind(req, ctx),
                _ => Err(ApiError::method_not_allowed(format!(
                    "the server does not allow this method on the requested resource ({sub})"
                ))),
            };
        }
        let body = req
            .body
            .clone()
            .ok_or_else(|| ApiError::bad_request("the request body is empty".into()))?;
        self.create_object(req, &body, None, ctx)
    }

    /// The create pipeline for `body`; `applied` holds the managedFields entries of a
    /// server-side apply that creates the object, else the create is recorded as an Update by
    /// the request's manager (the field manager runs before admission, as createHandler does).
    fn create_object(
        &mut self,
        req: &Request,
        body: &Value,
        applied: Option<Vec<managedfields::Entry>>,
        ctx: &mut Ctx,
    ) -> Result<Response, ApiError> {
        let info = req.resource;
        let (mut obj, warnings) = self.decode(info, body, req.field_validation, ctx)?;
        self.check_namespace(req, &mut obj)?;
        self.generate_name(&mut obj);
        let entries = match applied {
            Some(entries) => entries,
            None => {
                let (manager, api_version, now) = writer_parts(req, ctx.now);
                let writer = managedfields::Writer {
                    kind: info.kind,
                    api_version: &api_version,
                    manager: &manager,
                    subresource: None,
                    now: &now,
                };
                managedfields::update(&managedfields::empty_object(info.kind), &obj, &writer)
            }
        };
        managedfields::set_entries(&mut obj, entries);
        let name = name_of(&obj);
        ctx.object = format!(
            "{}/{}{name}",
            info.singular,
            req.namespace
                .as_deref()
                .map(|n| format!("{n}/"))
                .unwrap_or_default()
        );
        let etcd = &self.etcd;
        let account_exists = |ns: &str, name: &str| {
            resources::by_plural("", "serviceaccounts")
                .is_some_and(|sa| etcd.get(&sa.etcd_key(Some(ns), name)).is_some())
        };
        let disabled = &self.disabled_admission;
        let priority = if disabled.contains(&"Priority") {
            None
        } else {
            self.admit_pod_priority(info.kind, &mut obj, &account_exists)
                .inspect_err(|e| {
                    ctx.stage(etcd.revision(), "mutating admission", e.message.clone())
                })?
        };
        let storage_classes = if info.kind == "PersistentVolumeClaim" {
            self.stored_storage_classes()
        } else {
            Vec::new()
        };
        let mut done = registry::admit_create(
            info.kind,
            &mut obj,
            &mut self.rng,
            &account_exists,
            &self.disabled_admission,
            &storage_classes,
        )
        .inspect_err(|e| ctx.stage(etcd.revision(), "mutating admission", e.message.clone()))?;
        if let Some(priority) = priority {
            // The registry's own Priority step knows only the system classes; this one saw the
            // stored ones.
            match done.iter_mut().find(|d| d.starts_with("Priority:")) {
                Some(entry) => *entry = priority,
                None => done.push(priority),
            }
        }
        if !self
            .disabled_admission
            .contains(&"MutatingAdmissionWebhook")
        {
            done.extend(self.call_mutating_webhooks(req, &mut obj, ctx)?);
        }
        ctx.stage(self.etcd.revision(), "mutating admission", done.join("\n"));
        self.allocate(info.kind, &mut obj)?;
        // The store fills uid and creationTimestamp before the strategy's PrepareForCreate and
        // Validate (rest.FillObjectMetaSystemFields, then rest.BeforeCreate): a Job's generated
        // selector is made from its uid.
        self.set_create_metadata(info.kind, &mut obj, ctx.now);
        // WarningsOnCreate looks at what the user sent (the pod's deprecated AppArmor annotation
        // is copied into its field by PrepareForCreate).
        let strategy_warnings = registry::warnings_on_create(info.kind, &obj);
        registry::prepare_for_create(info.kind, &mut obj);
        registry::stamp_condition_transitions(&mut obj, &timestamp(ctx.now));
        let errs = registry::validate_create(info.kind, &obj);
        if !errs.is_empty() {
            let err = ApiError::invalid(info.kind, &name, &errs);
            ctx.stage(self.etcd.revision(), "validation", err.message.clone());
            return Err(err);
        }
        ctx.stage(self.etcd.revision(), "validation", "valid".into());
        let mut warnings = warnings;
        warnings.extend(strategy_warnings);
        let key = info.etcd_key(req.namespace.as_deref(), &name);
        if req.dry_run {
            if self.etcd.get(&key).is_some() {
                return Err(ApiError::already_exists(&info.qualified_plural(), &name));
            }
            return Ok(Response {
                code: 201,
                body: obj,
                warnings,
            });
        }
        match self.etcd.create(&key, obj.clone()) {
            Ok(kv) => {
                ctx.etcd(kv.mod_revision, format!("txn: create {key}"));
                Ok(Response {
                    code: 201,
                    body: with_resource_version(obj, kv.mod_revision),
                    warnings,
                })
            }
            Err(_) => Err(ApiError::already_exists(&info.qualified_plural(), &name)),
        }
    }

    /// Decode strictly (or with warnings), as the `fieldValidation` parameter asks.
    fn decode(
        &mut self,
        info: &ResourceInfo,
        body: &Value,
        validation: FieldValidation,
        ctx: &mut Ctx,
    ) -> Result<(Value, Vec<String>), ApiError> {
        let validation = validation.effective();
        let decoded = registry::decode_and_default(info.kind, info.version, body);
        let decoded = match decoded {
            Ok(d) => d,
            Err(e) => {
                ctx.stage(self.etcd.revision(), "decode", e.message.clone());
                return Err(e);
            }
        };
        let unknown: Vec<String> = decoded
            .unknown_fields
            .iter()
            .map(|f| format!("unknown field \"{f}\""))
            .collect();
        if !unknown.is_empty() && validation == FieldValidation::Strict {
            let err = ApiError::bad_request(format!(
                "{kind} in version \"{v}\" cannot be handled as a {kind}: strict decoding error: {}",
                unknown.join(", "),
                kind = info.kind,
                v = info.version
            ));
            ctx.stage(self.etcd.revision(), "decode", err.message.clone());
            return Err(err);
        }
        ctx.stage(
            self.etcd.revision(),
            "decode",
            format!(
                "{} {} decoded strictly; defaults applied",
                info.api_version(),
                info.kind
            ),
        );
        let warnings = if validation == FieldValidation::Warn {
            unknown
        } else {
            Vec::new()
        };
        Ok((decoded.object, warnings))
    }

    /// The object's namespace must match the request's, and exist (NamespaceLifecycle admission).
    fn check_namespace(&self, req: &Request, obj: &mut Value) -> Result<(), ApiError> {
        let Some(ns) = req.namespace.as_deref() else {
            return Ok(());
        };
        let meta = obj.get_mut("metadata").and_then(Value::as_object_mut);
        let Some(meta) = meta else { return Ok(()) };
        match meta.get("namespace").and_then(Value::as_str) {
            Some(given) if !given.is_empty() && given != ns => {
                return Err(ApiError::bad_request(
                    "the namespace of the provided object does not match the namespace sent on the request".into(),
                ))
            }
            _ => {
                meta.insert("namespace".into(), Value::String(ns.into()));
            }
        }
        let namespaces = resources::by_plural("", "namespaces").expect("namespaces are served");
        let Some(namespace) = self.etcd.get(&namespaces.etcd_key(None, ns)) else {
            return Err(ApiError::not_found("namespaces", ns));
        };
        if namespace
            .value
            .pointer("/metadata/deletionTimestamp")
            .is_some()
        {
            return Err(terminating_namespace_error(req, obj, ns));
        }
        Ok(())
    }

    /// `metadata.generateName` + five random characters (names.SimpleNameGenerator).
    fn generate_name(&mut self, obj: &mut Value) {
        let has_name = !str_at(obj, "/metadata/name").is_empty();
        let prefix = str_at(obj, "/metadata/generateName").to_string();
        if !has_name && !prefix.is_empty() {
            let name = format!("{prefix}{}", self.rng.name_suffix(5));
            obj["metadata"]["name"] = Value::String(name);
        }
    }

    /// A new Service's allocations (pkg/registry/core/service/storage/alloc.go allocateCreate,
    /// run by BeginCreate before the strategy validates): the IP family fields
    /// ([`init_ip_family_fields`]), a cluster IP unless headless, then node ports for NodePort
    /// and LoadBalancer services and a health check node port for a LoadBalancer with
    /// `externalTrafficPolicy: Local`.
    fn allocate(&mut self, kind: &str, obj: &mut Value) -> Result<(), ApiError> {
        if kind != "Service" || str_at(obj, "/spec/type") == "ExternalName" {
            return Ok(());
        }
        let name = name_of(obj);
        let errs = init_ip_family_fields(&mut obj["spec"]);
        if !errs.is_empty() {
            return Err(ApiError::invalid("Service", &name, &errs));
        }
        let spec = &mut obj["spec"];
        if str_at(spec, "/clusterIP").is_empty() {
            let ip = self.free_cluster_ip();
            spec["clusterIP"] = Value::String(ip.clone());
            spec["clusterIPs"] = json!([ip]);
        }
        let mut taken = self.allocated_node_ports();
        let mut allocator = NodePortAllocator {
            taken: &mut taken,
            rng: &mut self.rng,
        };
        allocator
            .init_node_ports(spec)
            .map_err(|errs| ApiError::invalid("Service", &name, &errs))?;
        allocator.health_check_node_port(spec)
    }

    /// The node ports every stored Service holds (the allocator's bitmap, rebuilt by its repair
    /// loop from the services): each port's nodePort and the healthCheckNodePort.
    fn allocated_node_ports(&self) -> BTreeSet<i64> {
        let Some(services) = resources::by_plural("", "services") else {
            return BTreeSet::new();
        };
        self.read_all(services, None)
            .iter()
            .flat_map(|svc| {
                let ports = svc
                    .pointer("/spec/ports")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|p| p.get("nodePort").and_then(Value::as_i64));
                let health = svc
                    .pointer("/spec/healthCheckNodePort")
                    .and_then(Value::as_i64);
                ports.chain(health).collect::<Vec<_>>()
            })
            .collect()
    }

    /// A free address of the service range, drawn at random from above the statically reserved
    /// lower band, as the allocator in pkg/registry/core/service/ipallocator does.
    fn free_cluster_ip(&mut self) -> String {
        let services = resources::by_plural("", "services").expect("services are served");
        let taken: Vec<String> = self
            .read_all(services, None)
            .iter()
            .map(|s| str_at(s, "/spec/clusterIP").to_string())
            .collect();
        loop {
            // 10.96.0.0/12: offsets 256 .. 2^20-2 (the lower band is for static IPs like 10.96.0.10).
            let offset = 256 + self.rng.below((1 << 20) - 258) as u32;
            let ip = 0x0a60_0000u32 + offset;
            let text = format!(
                "{}.{}.{}.{}",
                ip >> 24,
                (ip >> 16) & 255,
                (ip >> 8) & 255,
                ip & 255
            );
            if !taken.contains(&text) {
                return text;
            }
        }
    }

    fn set_create_metadata(&mut self, kind: &str, obj: &mut Value, now: Millis) {
        let uid = self.rng.uuid();
        if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("uid".into(), Value::String(uid));
            meta.insert("creationTimestamp".into(), Value::String(timestamp(now)));
            meta.remove("resourceVersion");
            meta.remove("deletionTimestamp");
            meta.remove("deletionGracePeriodSeconds");
            if registry::has_generation(kind) {
                meta.insert("generation".into(), json!(1));
            } else {
                meta.remove("generation");
            }
        }
    }

    /// POST pods/NAME/binding: set spec.nodeName and PodScheduled=True, copy the node's
    /// topology labels (pkg/registry/core/pod/storage BindingREST.assignPod).
    fn bind(&mut self, req: &Request, ctx: &mut Ctx) -> Result<Response, ApiError> {
        let info = req.resource;
        let name = req.name.clone().unwrap_or_default();
        let ns = req.namespace.as_deref();
        let key = info.etcd_key(ns, &name);
        let kv = self
            .etcd
            .get(&key)
            .cloned()
            .ok_or_else(|| ApiError::not_found("pods", &name))?;
        let node = str_at(req.body.as_ref().unwrap_or(&Value::Null), "/target/name").to_string();
        let mut pod = kv.value;
        assignable(&pod).map_err(|why| ApiError::conflict("pods/binding", &name, &why))?;
        pod["spec"]["nodeName"] = Value::String(node.clone());
        clear_nominated_node_name(&mut pod);
        copy_binding_annotations(&mut pod, req.body.as_ref());
        let nodes = resources::by_plural("", "nodes").expect("nodes are served");
        let node_labels = self
            .read(nodes, None, &node)
            .map(|n| labels_of(&n))
            .unwrap_or_default();
        let extra = admission::topology_labels(&node_labels);
        if !extra.is_empty() {
            let meta = pod["metadata"]
                .as_object_mut()
                .expect("stored objects have metadata");
            let labels = meta.entry("labels").or_insert_with(|| json!({}));
            for (k, v) in &extra {
                labels[k] = Value::String(v.clone());
            }
            ctx.stage(
                self.etcd.revision(),
                "mutating admission",
                format!("PodTopologyLabels: {extra:?}"),
            );
        }
        let generation = pod
            .pointer("/metadata/generation")
            .cloned()
            .unwrap_or(json!(1));
        set_condition(
            &mut pod,
            json!({"type": "PodScheduled", "status": "True", "lastTransitionTime": timestamp(ctx.now), "observedGeneration": generation}),
        );
        wire::normalize("Pod", &mut pod);
        let kv = self
            .etcd
            .update(&key, pod, Some(kv.mod_revision))
            .map_err(|_| ApiError::stale("pods", &name))?;
        ctx.etcd(
            kv.mod_revision,
            format!("txn: update {key} (spec.nodeName={node})"),
        );
        Ok(Response::ok(
            201,
            json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}),
        ))
    }

    /// PUT: replace the object (or its status), with optimistic concurrency on resourceVersion.
    fn update(&mut self, req: &Request, ctx: &mut Ctx) -> Result<Response, ApiError> {
        let body = req
            .body
            .clone()
            .ok_or_else(|| ApiError::bad_request("the request body is empty".into()))?;
        let expected = str_at(&body, "/metadata/resourceVersion")
            .parse::<i64>()
            .ok();
        if self.check_scale_subresource(req)? {
            return self.update_scale(req, body, expected, ctx);
        }
        if req.resource.kind == "Namespace" && req.subresource.as_deref() == Some("finalize") {
            return self.finalize_namespace(req, &body, ctx);
        }
        let (obj, warnings) = self.decode(req.resource, &body, req.field_validation, ctx)?;
        self.store_update(req, obj, expected, warnings, ctx)
    }

    /// PATCH: apply the patch to the live object, then store it as an update.
    fn patch(
        &mut self,
        req: &Request,
        kind: PatchType,
        ctx: &mut Ctx,
    ) -> Result<Response, ApiError> {
        if kind == PatchType::Apply {
            return self.apply_patch(req, ctx);
        }
        let info = req.resource;
        let name = req.name.clone().unwrap_or_default();
        let live = self
            .read(info, req.namespace.as_deref(), &name)
            .ok_or_else(|| ApiError::not_found(&info.qualified_plural(), &name))?;
        let body = req.body.clone().unwrap_or(Value::Null);
        let scale = self.check_scale_subresource(req)?;
        let mut patched = if scale {
            registry::scale_of(&live)
        } else {
            live.clone()
        };
        match kind {
            PatchType::Merge => patch::merge_patch(&mut patched, &body),
            PatchType::Strategic => patch::strategic_merge(&mut patched, &body),
            PatchType::Json => {
                patch::json_patch(&mut patched, &body).map_err(ApiError::bad_request)?
            }
            PatchType::Apply => {}
        }
        if scale {
            return self.update_scale(req, patched, None, ctx);
        }
        let (obj, warnings) = self.decode(info, &patched, req.field_validation, ctx)?;
        self.store_update(req, obj, None, warnings, ctx)
    }

    /// PATCH with `application/apply-patch+yaml`: server-side apply (patch.go applyPatcher). The
    /// configuration is merged into the live object, or creates it when there is none.
    fn apply_patch(&mut self, req: &Request, ctx: &mut Ctx) -> Result<Response, ApiError> {
        let info = req.resource;
        let name = req.name.clone().unwrap_or_default();
        let config = req.body.clone().unwrap_or(Value::Null);
        if !config.is_object() {
            return Err(ApiError::bad_request(
                "error decoding YAML: the applied configuration is not an object".into(),
            ));
        }
        let Some(manager) = req.field_manager.clone().filter(|m| !m.is_empty()) else {
            return Err(ApiError::bad_request(
                "PATCH, application/apply-patch+yaml requires fieldManager parameter".into(),
            ));
        };
        let live = self.read(info, req.namespace.as_deref(), &name);
        let api_version = info.api_version();
        let now = timestamp(ctx.now);
        let apply = managedfields::ApplyRequest {
            writer: managedfields::Writer {
                kind: info.kind,
                api_version: &api_version,
                manager: &manager,
                subresource: req.subresource.as_deref(),
                now: &now,
            },
            config: &config,
            force: req.force.unwrap_or(false),
        };
        let applied = managedfields::apply(live.as_ref(), &apply).map_err(|c| {
            let err = apply_conflict(&c);
            ctx.stage(self.etcd.revision(), "field manager", err.message.clone());
            err
        })?;
        ctx.stage(
            self.etcd.revision(),
            "field manager",
            format!("{manager} applies its configuration (server-side apply)"),
        );
        let entries = managedfields::entries_of(&applied.object);
        match live {
            None => self.create_object(req, &applied.object, Some(entries), ctx),
            Some(_) => {
                let (mut obj, warnings) =
                    self.decode(info, &applied.object, req.field_validation, ctx)?;
                managedfields::set_entries(&mut obj, entries);
                self.store_update(req, obj, None, warnings, ctx)
            }
        }
    }

    fn store_update(
        &mut self,
        req: &Request,
        mut obj: Value,
        expected_revision: Option<i64>,
        warnings: Vec<String>,
        ctx: &mut Ctx,
    ) -> Result<Response, ApiError> {
        let info = req.resource;
        let name = req.name.clone().unwrap_or_else(|| name_of(&obj));
        let key = info.etcd_key(req.namespace.as_deref(), &name);
        let old = self
            .etcd
            .get(&key)
            .cloned()
            .ok_or_else(|| ApiError::not_found(&info.qualified_plural(), &name))?;
        if expected_revision.is_some_and(|e| e != old.mod_revision) {
            return Err(ApiError::stale(&info.qualified_plural(), &name));
        }
        let sub = req.subresource.as_deref();
        let entries = if req.verb == Verb::Patch(PatchType::Apply) {
            managedfields::entries_of(&obj)
        } else {
            let (manager, api_version, now) = writer_parts(req, ctx.now);
            let writer = managedfields::Writer {
                kind: info.kind,
                api_version: &api_version,
                manager: &manager,
                subresource: sub,
                now: &now,
            };
            managedfields::update(&old.value, &obj, &writer)
        };
        if registry::has_status_subresource(info.kind) {
            match sub {
                Some("status") => obj = registry::merge_status_update(info.kind, &obj, &old.value),
                _ => obj["status"] = old.value.get("status").cloned().unwrap_or(Value::Null),
            }
        }
        managedfields::set_entries(&mut obj, entries);
        // Fields the server owns are kept from the stored object.
        for field in [
            "uid",
            "creationTimestamp",
            "generation",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
        ] {
            match old.value.pointer(&format!("/metadata/{field}")) {
                Some(v) => obj["metadata"][field] = v.clone(),
                None => {
                    if let Some(m) = obj["metadata"].as_object_mut() {
                        m.remove(field);
                    }
                }
            }
        }
        registry::prepare_for_update(info.kind, sub, &mut obj, &old.value);
        if registry::bumps_generation(info.kind, sub, &obj, &old.value) {
            let generation = old
                .value
                .pointer("/metadata/generation")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            obj["metadata"]["generation"] = json!(generation + 1);
        }
        wire::normalize(info.kind, &mut obj);
        // Validation sees the version being replaced (an unconditional update is made conditional
        // on the current one, as the REST layer does); the store itself keeps no version.
        let current_version = Value::String(old.mod_revision.to_string());
        obj["metadata"]["resourceVersion"] = current_version.clone();
        let mut old_versioned = old.value.clone();
        old_versioned["metadata"]["resourceVersion"] = current_version;
        let errs = registry::validate_update(info.kind, &obj, &old_versioned, sub);
        if let Some(m) = obj["metadata"].as_object_mut() {
            m.remove("resourceVersion");
        }
        if !errs.is_empty() {
            let err = ApiError::invalid(info.kind, &name, &errs);
            ctx.stage(self.etcd.revision(), "validation", err.message.clone());
            return Err(err);
        }
        ctx.stage(self.etcd.revision(), "validation", "valid".into());
        if obj == old.value {
            // A no-op update does not write to etcd (the revision stays).
            return Ok(Response {
                code: 200,
                body: with_resource_version(obj, old.mod_revision),
                warnings,
            });
        }
        if req.dry_run {
            return Ok(Response {
                code: 200,
                body: with_resource_version(obj, old.mod_revision),
                warnings,
            });
        }
        let kv = self
            .etcd
            .update(&key, obj.clone(), Some(old.mod_revision))
            .map_err(|e| match e {
                TxnError::KeyNotFound => ApiError::not_found(&info.qualified_plural(), &name),
                _ => ApiError::stale(&info.qualified_plural(), &name),
            })?;
        let what = if sub == Some("status") {
            "status of "
        } else {
            ""
        };
        ctx.etcd(kv.mod_revision, format!("txn: update {what}{key}"));
        Ok(Response {
            code: 200,
            body: with_resource_version(obj, kv.mod_revision),
            warnings,
        })
    }

    /// DELETE: immediate for most objects; a pod on a node is only marked (deletionTimestamp)
    /// until its kubelet has stopped it and deletes it with grace period 0.
    fn delete(&mut self, req: &Request, ctx: &mut Ctx) -> Result<Response, ApiError> {
        let info = req.resource;
        let name = req.name.clone().unwrap_or_default();
        let key = info.etcd_key(req.namespace.as_deref(), &name);
        let kv = self
            .etcd
            .get(&key)
            .cloned()
            .ok_or_else(|| ApiError::not_found(&info.qualified_plural(), &name))?;
        let mut obj = kv.value.clone();
        if info.kind == "Namespace" && IMMORTAL_NAMESPACES.contains(&name.as_str()) {
            return Err(ApiError::forbidden(format!(
                "namespaces \"{name}\" is forbidden: this namespace may not be deleted"
            )));
        }
        if info.kind == "Namespace" && has_namespace_finalizers(&obj) {
            return self.terminate_namespace(req, &key, kv, ctx);
        }
        if info.kind == "Pod" {
            let grace = req
                .grace_period_seconds
                .or_else(|| {
                    obj.pointer("/spec/terminationGracePeriodSeconds")
                        .and_then(Value::as_i64)
                })
                .unwrap_or(30);
            let bound = !str_at(&obj, "/spec/nodeName").is_empty();
            let terminal = matches!(str_at(&obj, "/status/phase"), "Succeeded" | "Failed");
            if bound && !terminal && grace > 0 {
                return self.mark_for_deletion(req, &key, kv, grace, ctx);
            }
        }
        if req.dry_run {
            return Ok(Response::ok(
                200,
                with_resource_version(obj, kv.mod_revision),
            ));
        }
        let gone = self
            .etcd
            .delete(&key, None)
            .map_err(|_| ApiError::not_found(&info.qualified_plural(), &name))?;
        ctx.etcd(gone.mod_revision, format!("txn: delete {key}"));
        obj = with_resource_version(obj, kv.mod_revision);
        Ok(Response::ok(200, obj))
    }

    fn mark_for_deletion(
        &mut self,
        req: &Request,
        key: &str,
        kv: crate::etcd::KeyValue,
        grace: i64,
        ctx: &mut Ctx,
    ) -> Result<Response, ApiError> {
        let mut obj = kv.value.clone();
        let current = obj
            .pointer("/metadata/deletionGracePeriodSeconds")
            .and_then(Value::as_i64);
        if current.is_some_and(|c| c <= grace) {
            return Ok(Response::ok(
                200,
                with_resource_version(obj, kv.mod_revision),
            ));
        }
        let at = ctx.now + (grace as u64) * 1000;
        obj["metadata"]["deletionTimestamp"] = Value::String(timestamp(at));
        obj["metadata"]["deletionGracePeriodSeconds"] = json!(grace);
        let generation = obj
            .pointer("/metadata/generation")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        obj["metadata"]["generation"] = json!(generation + 1);
        if req.dry_run {
            return Ok(Response::ok(
                200,
                with_resource_version(obj, kv.mod_revision),
            ));
        }
        let kv = self
            .etcd
            .update(key, obj.clone(), Some(kv.mod_revision))
            .map_err(|_| ApiError::stale("pods", &name_of(&obj)))?;
        ctx.etcd(
            kv.mod_revision,
            format!("txn: update {key} (deletionTimestamp, grace {grace}s)"),
        );
        Ok(Response::ok(
            200,
            with_resource_version(obj, kv.mod_revision),
        ))
    }
}

impl ApiServer {
    /// Deleting a namespace that still has `spec.finalizers` only marks it: deletionTimestamp and
    /// `status.phase: Terminating` (pkg/registry/core/namespace/storage/storage.go, Delete). The
    /// namespace controller then empties it and calls `/finalize`.
    fn terminate_namespace(
        &mut self,
        req: &Request,
        key: &str,
        kv: crate::etcd::KeyValue,
        ctx: &mut Ctx,
    ) -> Result<Response, ApiError> {
        let mut obj = kv.value.clone();
        if obj.pointer("/metadata/deletionTimestamp").is_some() || req.dry_run {
            return Ok(Response::ok(
                200,
                with_resource_version(obj, kv.mod_revision),
            ));
        }
        obj["metadata"]["deletionTimestamp"] = Value::String(timestamp(ctx.now));
        obj["status"]["phase"] = json!("Terminating");
        let kv = self
            .etcd
            .update(key, obj.clone(), Some(kv.mod_revision))
            .map_err(|_| ApiError::stale("namespaces", &name_of(&obj)))?;
        ctx.etcd(
            kv.mod_revision,
            format!("txn: update {key} (deletionTimestamp, phase Terminating)"),
        );
        Ok(Response::ok(
            200,
            with_resource_version(obj, kv.mod_revision),
        ))
    }

    /// PUT `/api/v1/namespaces/NAME/finalize`: only `spec.finalizers` changes; a terminating
    /// namespace left with no finalizers is deleted by that update (storage.go,
    /// ShouldDeleteNamespaceDuringUpdate).
    fn finalize_namespace(
        &mut self,
        req: &Request,
        body: &Value,
        ctx: &mut Ctx,
    ) -> Result<Response, ApiError> {
        let info = req.resource;
        let name = req.name.clone().unwrap_or_default();
        let key = info.etcd_key(None, &name);
        let old = self
            .etcd
            .get(&key)
            .cloned()
            .ok_or_else(|| ApiError::not_found(&info.qualified_plural(), &name))?;
        let mut obj = old.value.clone();
        let finalizers = body
            .pointer("/spec/finalizers")
            .cloned()
            .unwrap_or_else(|| json!([]));
        obj["spec"]["finalizers"] = finalizers;
        let terminating = obj.pointer("/metadata/deletionTimestamp").is_some();
        let metadata_finalizers = obj
            .pointer("/metadata/finalizers")
            .and_then(Value::as_array)
            .is_some_and(|f| !f.is_empty());
        if req.dry_run {
            return Ok(Response::ok(
                200,
                with_resource_version(obj, old.mod_revision),
            ));
        }
        if terminating && !has_namespace_finalizers(&obj) && !metadata_finalizers {
            let gone = self
                .etcd
                .delete(&key, Some(old.mod_revision))
                .map_err(|_| ApiError::stale("namespaces", &name))?;
            ctx.etcd(gone.mod_revision, format!("txn: delete {key} (finalized)"));
            return Ok(Response::ok(
                200,
                with_resource_version(obj, old.mod_revision),
            ));
        }
        let kv = self
            .etcd
            .update(&key, obj.clone(), Some(old.mod_revision))
            .map_err(|_| ApiError::stale("namespaces", &name))?;
        ctx.etcd(kv.mod_revision, format!("txn: update {key} (finalize)"));
        Ok(Response::ok(
            200,
            with_resource_version(obj, kv.mod_revision),
        ))
    }
}

/// setPodNodeAndMetadata's refusals, in its order (pkg/registry/core/pod/storage/storage.go):
/// a pod being deleted, one already on a node, one still gated. assignPod wraps them in a 409
/// on `pods/binding`.
fn assignable(pod: &Value) -> Result<(), String> {
    let name = str_at(pod, "/metadata/name");
    if pod.pointer("/metadata/deletionTimestamp").is_some() {
        return Err(format!(
            "pod {name} is being deleted, cannot be assigned to a host"
        ));
    }
    let node = str_at(pod, "/spec/nodeName");
    if !node.is_empty() {
        return Err(format!("pod {name} is already assigned to node \"{node}\""));
    }
    let gated = pod
        .pointer("/spec/schedulingGates")
        .and_then(Value::as_array)
        .is_some_and(|g| !g.is_empty());
    if gated {
        return Err(format!("pod {name} has non-empty .spec.schedulingGates"));
    }
    Ok(())
}

/// Binding clears the nomination hint (feature ClearingNominatedNodeNameAfterBinding, beta and
/// on by default since v1.35: setPodNodeAndMetadata sets `status.nominatedNodeName` to "").
fn clear_nominated_node_name(pod: &mut Value) {
    if let Some(status) = pod.get_mut("status").and_then(Value::as_object_mut) {
        status.remove("nominatedNodeName");
    }
}

/// The Binding's annotations are copied onto the pod (setPodNodeAndMetadata).
fn copy_binding_annotations(pod: &mut Value, binding: Option<&Value>) {
    let Some(annotations) = binding
        .and_then(|b| b.pointer("/metadata/annotations"))
        .and_then(Value::as_object)
        .filter(|a| !a.is_empty())
    else {
        return;
    };
    let Some(meta) = pod.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    let target = meta.entry("annotations").or_insert_with(|| json!({}));
    for (k, v) in annotations {
        target[k] = v.clone();
    }
}

/// The service node port range (kube-apiserver `--service-node-port-range`, default 30000-32767).
const NODE_PORT_RANGE: std::ops::RangeInclusive<i64> = 30000..=32767;

/// The lower band of the node port range kept for static requests: calculateRangeOffset
/// (pkg/registry/core/service/portallocator/allocator.go), min(max(16, size/32), 128) = 86.
const NODE_PORT_STATIC_BAND: i64 = 86;

/// One create's node port operation (portallocator.PortAllocationOperation) over the ports
/// already allocated.
struct NodePortAllocator<'a> {
    taken: &'a mut BTreeSet<i64>,
    rng: &'a mut Rng,
}

impl NodePortAllocator<'_> {
    /// portallocator Allocate: a requested port must be in range and free.
    fn allocate(&mut self, port: i64) -> Result<(), String> {
        if !NODE_PORT_RANGE.contains(&port) {
            return Err(format!(
                "provided port is not in the valid range. The range of valid ports is {}-{}",
                NODE_PORT_RANGE.start(),
                NODE_PORT_RANGE.end()
            ));
        }
        if !self.taken.insert(port) {
            return Err("provided port is already allocated".into());
        }
        Ok(())
    }

    /// AllocateNext (bitmap allocator, randomScanStrategyWithOffset): a random free port of the
    /// upper band, scanning on from a random start; the static lower band only when it is full.
    fn allocate_next(&mut self) -> Option<i64> {
        let (first, last) = (*NODE_PORT_RANGE.start(), *NODE_PORT_RANGE.end());
        let bands = [
            (first + NODE_PORT_STATIC_BAND, last),
            (first, first + NODE_PORT_STATIC_BAND - 1),
        ];
        for (low, high) in bands {
            let size = (high - low + 1) as u64;
            let start = self.rng.below(size) as i64;
            let free = (0..size as i64)
                .map(|i| low + (start + i) % size as i64)
                .find(|p| !self.taken.contains(p));
            if let Some(port) = free {
                self.taken.insert(port);
                return Some(port);
            }
        }
        None
    }

    /// initNodePorts (alloc.go): ports with the same port number share one node port; a
    /// requested one (on that port number, anywhere in the list) is reserved, otherwise the next
    /// free one is drawn. A LoadBalancer with `allocateLoadBalancerNodePorts: false` only keeps
    /// what was requested.
    fn init_node_ports(&mut self, spec: &mut Value) -> Result<(), Vec<FieldError>> {
        if !matches!(str_at(spec, "/type"), "NodePort" | "LoadBalancer") {
            return Ok(());
        }
        let should_allocate = str_at(spec, "/type") == "NodePort"
            || spec
                .get("allocateLoadBalancerNodePorts")
                .and_then(Value::as_bool)
                != Some(false);
        let Some(ports) = spec.get_mut("ports").and_then(Value::as_array_mut) else {
            return Ok(());
        };
        let requested: Vec<(i64, i64)> = ports
            .iter()
            .map(|p| (port_number(p), node_port_of(p)))
            .collect();
        let mut by_port: BTreeMap<i64, i64> = BTreeMap::new();
        for (i, port) in ports.iter_mut().enumerate() {
            let (number, node_port) = (port_number(port), node_port_of(port));
            if node_port == 0 && !should_allocate {
                continue;
            }
            let field = Path::new("spec").child("ports").index(i).child("nodePort");
            let refused = |np: i64, why: String| vec![FieldError::invalid(&field, np, why)];
            let chosen = match by_port.get(&number) {
                None => {
                    let wanted = requested
                        .iter()
                        .find(|(n, np)| *n == number && *np != 0)
                        .map(|(_, np)| *np);
                    match wanted {
                        Some(np) => {
                            self.allocate(np).map_err(|why| refused(np, why))?;
                            np
                        }
                        None => match self.allocate_next() {
                            Some(np) => np,
                            None => return Ok(()),
                        },
                    }
                }
                Some(&shared) if node_port == 0 || node_port == shared => shared,
                Some(_) => {
                    self.allocate(node_port)
                        .map_err(|why| refused(node_port, why))?;
                    node_port
                }
            };
            by_port.entry(number).or_insert(chosen);
            port["nodePort"] = json!(chosen);
        }
        Ok(())
    }

    /// allocHealthCheckNodePort, for a LoadBalancer with `externalTrafficPolicy: Local`
    /// (apiservice.NeedsHealthCheck): the requested port reserved, or the next free one.
    fn health_check_node_port(&mut self, spec: &mut Value) -> Result<(), ApiError> {
        let needs = str_at(spec, "/type") == "LoadBalancer"
            && str_at(spec, "/externalTrafficPolicy") == "Local";
        if !needs {
            return Ok(());
        }
        let requested = spec
            .get("healthCheckNodePort")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        let port = if requested != 0 {
            self.allocate(requested).map_err(|why| {
                internal_error(format!(
                    "failed to allocate requested HealthCheck NodePort {requested}: {why}"
                ))
            })?;
            requested
        } else {
            self.allocate_next().ok_or_else(|| {
                internal_error("failed to allocate a nodePort: range is full".into())
            })?
        };
        spec["healthCheckNodePort"] = json!(port);
        Ok(())
    }
}

fn port_number(port: &Value) -> i64 {
    port.get("port").and_then(Value::as_i64).unwrap_or(0)
}

fn node_port_of(port: &Value) -> i64 {
    port.get("nodePort").and_then(Value::as_i64).unwrap_or(0)
}

/// apierrors.NewInternalError: 500 `Internal error occurred: <cause>`.
fn internal_error(cause: String) -> ApiError {
    ApiError {
        code: 500,
        reason: "InternalError".into(),
        message: format!("Internal error occurred: {cause}"),
        details: Some(json!({"causes": [{"message": cause}]})),
    }
}

/// initIPFamilyFields (pkg/registry/core/service/storage/alloc.go) on a create, for podlab's
/// single-stack IPv4 cluster. An unset ipFamilyPolicy becomes RequireDualStack for a headless
/// service without a selector, else SingleStack; a set policy (PreferDualStack included) is
/// kept. A headless selectorless service gets the families its policy asks for (IPv4, plus IPv6
/// unless SingleStack); any other gets `[IPv4]`. RequireDualStack and IPv6 are refused as the
/// allocator refuses them on a single-stack cluster.
fn init_ip_family_fields(spec: &mut Value) -> Vec<FieldError> {
    let path = Path::new("spec");
    let headless = str_at(spec, "/clusterIP") == "None"
        || spec.pointer("/clusterIPs/0").and_then(Value::as_str) == Some("None");
    let selectorless = spec
        .get("selector")
        .and_then(Value::as_object)
        .is_none_or(|s| s.is_empty());
    if spec.get("ipFamilyPolicy").and_then(Value::as_str).is_none() {
        spec["ipFamilyPolicy"] = json!(if headless && selectorless {
            "RequireDualStack"
        } else {
            "SingleStack"
        });
    }
    let policy = str_at(spec, "/ipFamilyPolicy").to_string();
    let strings_at = |spec: &Value, key: &str| -> Vec<String> {
        spec.get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    };
    let mut families = strings_at(spec, "ipFamilies");
    let cluster_ips = strings_at(spec, "clusterIPs");
    let mut errs = Vec::new();
    if policy == "SingleStack" {
        if cluster_ips.len() == 2 {
            errs.push(FieldError::invalid(
                &path.child("ipFamilyPolicy"),
                BadValue::named(&policy),
                "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified",
            ));
        }
        if families.len() == 2 {
            errs.push(FieldError::invalid(
                &path.child("ipFamilyPolicy"),
                BadValue::named(&policy),
                "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified",
            ));
        }
    }
    for (i, ip) in cluster_ips.iter().enumerate() {
        if ip == "None" {
            break;
        }
        if i >= families.len() {
            if ip.contains(':') {
                errs.push(FieldError::invalid(
                    &path.child("clusterIPs").index(i),
                    BadValue::string_list(Some(&cluster_ips)),
                    "IPv6 is not configured on this cluster",
                ));
            } else {
                families.push("IPv4".into());
            }
        }
    }
    if !errs.is_empty() {
        return errs;
    }
    if headless && selectorless {
        if families.is_empty() {
            families.push("IPv4".into());
        }
        if families.len() < 2 && policy != "SingleStack" {
            let other = if families[0] == "IPv4" {
                "IPv6"
            } else {
                "IPv4"
            };
            families.push(other.into());
        }
        spec["ipFamilies"] = json!(families);
        return errs;
    }
    if policy == "RequireDualStack" {
        errs.push(FieldError::invalid(
            &path.child("ipFamilyPolicy"),
            BadValue::named(&policy),
            "this cluster is not configured for dual-stack services",
        ));
    }
    for (i, family) in families.iter().enumerate() {
        if family != "IPv4" {
            errs.push(FieldError::invalid(
                &path.child("ipFamilies").index(i),
                BadValue::named(family),
                "not configured on this cluster",
            ));
        }
    }
    if !errs.is_empty() {
        return errs;
    }
    if families.is_empty() {
        families.push("IPv4".into());
    }
    spec["ipFamilies"] = json!(families);
    errs
}

/// The namespaces NamespaceLifecycle admission refuses to delete (its `immortalNamespaces`).
const IMMORTAL_NAMESPACES: &[&str] = &["default", "kube-system", "kube-public"];

/// Whether a namespace still lists finalizers in `spec.finalizers` (`kubernetes` until the
/// namespace controller has emptied it).
/// The manager (the `fieldManager` parameter, else the client's own name), API version and
/// time of a write, for its managedFields entry.
fn writer_parts(req: &Request, now: Millis) -> (String, String, String) {
    let manager = req
        .field_manager
        .clone()
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| managedfields::manager_from_user(&req.user));
    (manager, req.resource.api_version(), timestamp(now))
}

/// The 409 of an apply that would change fields other managers own
/// (internal.NewConflictError: one cause per conflicting field).
fn apply_conflict(conflicts: &[managedfields::Conflict]) -> ApiError {
    let causes: Vec<Value> = conflicts
        .iter()
        .map(|c| {
            json!({
                "reason": "FieldManagerConflict",
                "message": format!("conflict with {:?}", c.manager),
                "field": managedfields::path_string(&c.path),
            })
        })
        .collect();
    ApiError {
        code: 409,
        reason: "Conflict".into(),
        message: managedfields::conflict_message(conflicts),
        details: Some(json!({"causes": causes})),
    }
}

fn has_namespace_finalizers(ns: &Value) -> bool {
    ns.pointer("/spec/finalizers")
        .and_then(Value::as_array)
        .is_some_and(|f| !f.is_empty())
}

/// NamespaceLifecycle admission's refusal to create in a terminating namespace
/// (staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle/admission.go):
/// `errors.NewForbidden(resource, name, "unable to create new content in namespace NS because it
/// is being terminated")`.
fn terminating_namespace_error(req: &Request, obj: &Value, ns: &str) -> ApiError {
    let resource = req.resource.qualified_plural();
    let name = str_at(obj, "/metadata/name");
    let cause =
        format!("unable to create new content in namespace {ns} because it is being terminated");
    ApiError::forbidden(if name.is_empty() {
        format!("{resource} is forbidden: {cause}")
    } else {
        format!("{resource} \"{name}\" is forbidden: {cause}")
    })
}

/// Set or replace a status condition by type, keeping lastTransitionTime when the status is unchanged.
pub fn set_condition(obj: &mut Value, cond: Value) {
    let status = obj
        .as_object_mut()
        .map(|m| m.entry("status").or_insert_with(|| json!({})));
    let Some(status) = status else { return };
    let Some(status) = status.as_object_mut() else {
        return;
    };
    let conds = status.entry("conditions").or_insert_with(|| json!([]));
    let Some(conds) = conds.as_array_mut() else {
        return;
    };
    let kind = cond.get("type").cloned();
    match conds.iter_mut().find(|c| c.get("type") == kind.as_ref()) {
        Some(existing) => {
            let same_status = existing.get("status") == cond.get("status");
            let keep = existing.get("lastTransitionTime").cloned();
            *existing = cond;
            if same_status {
                if let Some(t) = keep {
                    existing["lastTransitionTime"] = t;
                }
            }
        }
        None => conds.push(cond),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binding_refusals_follow_set_pod_node_and_metadata() {
        let gated =
            json!({"metadata": {"name": "web"}, "spec": {"schedulingGates": [{"name": "g"}]}});
        assert_eq!(
            assignable(&gated),
            Err("pod web has non-empty .spec.schedulingGates".into())
        );
        let deleting = json!({"metadata": {"name": "web", "deletionTimestamp": "2026-01-01T00:00:00Z"}, "spec": {"nodeName": "worker-1"}});
        assert_eq!(
            assignable(&deleting),
            Err("pod web is being deleted, cannot be assigned to a host".into())
        );
        let bound = json!({"metadata": {"name": "web"}, "spec": {"nodeName": "worker-1"}});
        let err = ApiError::conflict("pods/binding", "web", &assignable(&bound).unwrap_err());
        assert_eq!(
            err.message,
            "Operation cannot be fulfilled on pods/binding \"web\": pod web is already assigned to node \"worker-1\""
        );
        assert_eq!(
            assignable(&json!({"metadata": {"name": "web"}, "spec": {}})),
            Ok(())
        );
    }

    #[test]
    fn binding_clears_the_nomination_and_copies_annotations() {
        let mut pod = json!({"metadata": {"name": "web"}, "status": {"phase": "Pending", "nominatedNodeName": "worker-2"}});
        clear_nominated_node_name(&mut pod);
        assert_eq!(pod["status"], json!({"phase": "Pending"}));
        let binding = json!({"metadata": {"name": "web", "annotations": {"a": "b"}}, "target": {"name": "worker-2"}});
        copy_binding_annotations(&mut pod, Some(&binding));
        assert_eq!(pod["metadata"]["annotations"], json!({"a": "b"}));
    }
}
