//! An API request and its response, as they travel over HTTP between a client and kube-apiserver.

use serde_json::Value;

use super::errors::ApiError;
use super::resources::ResourceInfo;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    /// `application/merge-patch+json`
    Merge,
    /// `application/strategic-merge-patch+json`
    Strategic,
    /// `application/json-patch+json`
    Json,
    /// `application/apply-patch+yaml`: server-side apply.
    Apply,
}

impl PatchType {
    pub fn content_type(self) -> &'static str {
        match self {
            PatchType::Merge => "application/merge-patch+json",
            PatchType::Strategic => "application/strategic-merge-patch+json",
            PatchType::Json => "application/json-patch+json",
            PatchType::Apply => "application/apply-patch+yaml",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    List,
    Create,
    Update,
    Patch(PatchType),
    Delete,
}

impl Verb {
    /// The HTTP method.
    pub fn method(self) -> &'static str {
        match self {
            Verb::Get | Verb::List => "GET",
            Verb::Create => "POST",
            Verb::Update => "PUT",
            Verb::Patch(_) => "PATCH",
            Verb::Delete => "DELETE",
        }
    }

    /// The verb RBAC authorizes.
    pub fn rbac(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::List => "list",
            Verb::Create => "create",
            Verb::Update => "update",
            Verb::Patch(_) => "patch",
            Verb::Delete => "delete",
        }
    }
}

/// Whom a request acts as: kubectl's `--as` and `--as-group`, sent as the `Impersonate-User` and
/// `Impersonate-Group` headers (staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Impersonation {
    pub user: String,
    pub groups: Vec<String>,
}

/// The `fieldValidation` query parameter (kubectl's `--validate`). Only the commands that read
/// `--validate` (cmdutil.GetValidationDirective: apply, create, replace, edit) send it; a request
/// without it is decoded as `Warn` (the apiserver's default directive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldValidation {
    Strict,
    Warn,
    Ignore,
    /// No `fieldValidation` parameter.
    #[default]
    Unset,
}

impl FieldValidation {
    /// The directive the server follows (an absent parameter means Warn).
    pub fn effective(self) -> FieldValidation {
        match self {
            FieldValidation::Unset => FieldValidation::Warn,
            v => v,
        }
    }

    /// The parameter's value, if the request carries one.
    pub fn query_value(self) -> Option<&'static str> {
        match self {
            FieldValidation::Strict => Some("Strict"),
            FieldValidation::Warn => Some("Warn"),
            FieldValidation::Ignore => Some("Ignore"),
            FieldValidation::Unset => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub verb: Verb,
    pub resource: &'static ResourceInfo,
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub subresource: Option<String>,
    pub body: Option<Value>,
    pub dry_run: bool,
    pub field_manager: Option<String>,
    pub field_validation: FieldValidation,
    /// The `force` parameter of an apply patch (`--force-conflicts`); kubectl always sends it.
    pub force: Option<bool>,
    pub label_selector: Option<String>,
    pub field_selector: Option<String>,
    pub grace_period_seconds: Option<i64>,
    /// The authenticated user (`kubernetes-admin`, `system:kube-scheduler`, `system:node:worker-1`).
    pub user: String,
    /// The user the request acts as, if it impersonates one.
    pub impersonate: Option<Impersonation>,
}

impl Request {
    pub fn new(verb: Verb, resource: &'static ResourceInfo, user: &str) -> Self {
        Request {
            verb,
            resource,
            namespace: None,
            name: None,
            subresource: None,
            body: None,
            dry_run: false,
            field_manager: None,
            field_validation: FieldValidation::Unset,
            force: None,
            label_selector: None,
            field_selector: None,
            grace_period_seconds: None,
            user: user.to_string(),
            impersonate: None,
        }
    }

    /// Act as another user (`kubectl --as=jane --as-group=devs`).
    pub fn impersonate(mut self, as_user: Option<Impersonation>) -> Self {
        self.impersonate = as_user;
        self
    }

    pub fn namespace(mut self, ns: Option<&str>) -> Self {
        self.namespace = ns.filter(|_| self.resource.namespaced).map(str::to_string);
        self
    }

    pub fn name(mut self, name: &str) -> Self {
        self.name = Some(name.to_string());
        self
    }

    pub fn subresource(mut self, sub: &str) -> Self {
        self.subresource = Some(sub.to_string());
        self
    }

    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// The request line's path with its query, as kubectl -v=6 logs it.
    pub fn path(&self) -> String {
        let mut path = self.resource.collection_path(self.namespace.as_deref());
        if let Some(name) = &self.name {
            path = format!("{path}/{name}");
        }
        if let Some(sub) = &self.subresource {
            path = format!("{path}/{sub}");
        }
        let mut query = self.connect_options_query();
        if self.dry_run {
            query.push("dryRun=All".to_string());
        }
        if let Some(m) = &self.field_manager {
            query.push(format!("fieldManager={m}"));
        }
        if matches!(self.verb, Verb::Create | Verb::Update | Verb::Patch(_)) {
            if let Some(v) = self.field_validation.query_value() {
                query.push(format!("fieldValidation={v}"));
            }
        }
        if let Some(force) = self.force {
            query.push(format!("force={force}"));
        }
        if let Some(s) = &self.label_selector {
            query.push(format!("labelSelector={s}"));
        }
        if let Some(s) = &self.field_selector {
            query.push(format!("fieldSelector={s}"));
        }
        if query.is_empty() {
            path
        } else {
            format!("{path}?{}", query.join("&"))
        }
    }

    /// The query of a `POST pods/NAME/exec`: kubectl sends the PodExecOptions as parameters
    /// (exec.go `req.VersionedParams(&corev1.PodExecOptions{..}, scheme.ParameterCodec)`), which
    /// queryparams.Convert turns into url.Values (false and empty `omitempty` fields left out)
    /// and `url.Values.Encode` writes sorted by key, each value query-escaped.
    fn connect_options_query(&self) -> Vec<String> {
        let (Some("exec"), Some(Value::Object(options))) =
            (self.subresource.as_deref(), self.body.as_ref())
        else {
            return Vec::new();
        };
        let mut query = Vec::new();
        for (key, value) in options {
            let values: Vec<String> = match value {
                Value::Bool(true) => vec!["true".into()],
                Value::String(s) if !s.is_empty() && key != "kind" && key != "apiVersion" => {
                    vec![s.clone()]
                }
                Value::Array(items) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
                _ => Vec::new(),
            };
            query.extend(
                values
                    .iter()
                    .map(|v| format!("{key}={}", crate::kubelet::server::query_escape(v))),
            );
        }
        query
    }

    /// `pod/default/nginx`, or the collection `pods/default` for lists and creates.
    pub fn object_ref(&self) -> String {
        let kind = self.resource.singular;
        let name = self.name.clone().or_else(|| {
            self.body
                .as_ref()
                .and_then(|b| b.pointer("/metadata/name")?.as_str().map(str::to_string))
        });
        match (&self.namespace, name) {
            (Some(ns), Some(n)) => format!("{kind}/{ns}/{n}"),
            (None, Some(n)) => format!("{kind}/{n}"),
            (Some(ns), None) => format!("{}/{ns}", self.resource.plural),
            (None, None) => self.resource.plural.to_string(),
        }
    }
}

/// The server's answer: an HTTP code, a body (the object, a list, or a Status), and warnings
/// (the `Warning:` headers kubectl prints).
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub code: u16,
    pub body: Value,
    pub warnings: Vec<String>,
}

impl Response {
    pub fn ok(code: u16, body: Value) -> Self {
        Response {
            code,
            body,
            warnings: Vec::new(),
        }
    }

    pub fn error(err: &ApiError) -> Self {
        Response {
            code: err.code,
            body: err.to_status(),
            warnings: Vec::new(),
        }
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.code)
    }

    /// `201 Created`, as the status line reads.
    pub fn status_line(&self) -> String {
        let text = match self.code {
            200 => "OK",
            201 => "Created",
            202 => "Accepted",
            400 => "Bad Request",
            403 => "Forbidden",
            404 => "Not Found",
            405 => "Method Not Allowed",
            409 => "Conflict",
            415 => "Unsupported Media Type",
            422 => "Unprocessable Entity",
            _ => "",
        };
        format!("{} {text}", self.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::resources::by_plural;

    #[test]
    fn field_validation_is_sent_only_when_the_command_set_it() {
        let pods = by_plural("", "pods").expect("pods are served");
        let mut req = Request::new(Verb::Patch(PatchType::Merge), pods, "kubernetes-admin")
            .namespace(Some("default"))
            .name("nginx");
        req.field_manager = Some("kubectl-label".into());
        assert_eq!(
            req.path(),
            "/api/v1/namespaces/default/pods/nginx?fieldManager=kubectl-label"
        );
        assert_eq!(req.field_validation.effective(), FieldValidation::Warn);
        req.verb = Verb::Patch(PatchType::Apply);
        req.field_manager = Some("kubectl".into());
        req.field_validation = FieldValidation::Strict;
        req.force = Some(false);
        assert_eq!(
            req.path(),
            "/api/v1/namespaces/default/pods/nginx?fieldManager=kubectl&fieldValidation=Strict&force=false"
        );
    }

    #[test]
    fn exec_options_are_the_query_kubectl_sends() {
        let pods = by_plural("", "pods").expect("pods are served");
        let req = Request::new(Verb::Create, pods, "kubernetes-admin")
            .namespace(Some("default"))
            .name("shell")
            .subresource("exec")
            .body(serde_json::json!({
                "kind": "PodExecOptions",
                "apiVersion": "v1",
                "container": "c",
                "command": ["ls", "-l", "/tmp/a b"],
                "stdin": false,
                "stdout": true,
                "stderr": true,
                "tty": false,
            }));
        assert_eq!(
            req.path(),
            "/api/v1/namespaces/default/pods/shell/exec?command=ls&command=-l&command=%2Ftmp%2Fa+b&container=c&stderr=true&stdout=true"
        );
    }
}
