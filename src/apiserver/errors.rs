//! The API server's errors, as `k8s.io/apimachinery/pkg/api/errors` builds them: an HTTP code and a
//! `metav1.Status` body whose reason and message kubectl turns into its one-line answer.

use serde_json::{json, Value};

use super::validation::field::{aggregate_message, FieldError};

/// A failed request: the Status the server returns.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: u16,
    /// metav1.StatusReason: `NotFound`, `AlreadyExists`, `Invalid`, `BadRequest`, `Conflict`, ...
    pub reason: String,
    pub message: String,
    /// `details.name`, `details.kind` (and `details.group`), `details.causes`.
    pub details: Option<Value>,
}

impl ApiError {
    fn new(code: u16, reason: &str, message: String, details: Option<Value>) -> Self {
        ApiError {
            code,
            reason: reason.into(),
            message,
            details,
        }
    }

    /// `pods "web" already exists` (errors.NewAlreadyExists).
    pub fn already_exists(qualified_plural: &str, name: &str) -> Self {
        Self::new(
            409,
            "AlreadyExists",
            format!("{qualified_plural} \"{name}\" already exists"),
            Some(json!({"name": name, "kind": qualified_plural})),
        )
    }

    /// `pods "web" not found` (errors.NewNotFound).
    pub fn not_found(qualified_plural: &str, name: &str) -> Self {
        Self::new(
            404,
            "NotFound",
            format!("{qualified_plural} \"{name}\" not found"),
            Some(json!({"name": name, "kind": qualified_plural})),
        )
    }

    /// `Operation cannot be fulfilled on pods "web": ...` (errors.NewConflict).
    pub fn conflict(qualified_plural: &str, name: &str, why: &str) -> Self {
        Self::new(
            409,
            "Conflict",
            format!("Operation cannot be fulfilled on {qualified_plural} \"{name}\": {why}"),
            Some(json!({"name": name, "kind": qualified_plural})),
        )
    }

    /// The optimistic-concurrency failure of an update with a stale resourceVersion.
    pub fn stale(qualified_plural: &str, name: &str) -> Self {
        Self::conflict(
            qualified_plural,
            name,
            "the object has been modified; please apply your changes to the latest version and try again",
        )
    }

    /// `Pod "x" is invalid: [a, b]` with one cause per field error (errors.NewInvalid).
    pub fn invalid(kind: &str, name: &str, errs: &[FieldError]) -> Self {
        let causes: Vec<Value> = errs
            .iter()
            .map(
                |e| json!({"reason": e.kind.cause_reason(), "message": e.body(), "field": e.field}),
            )
            .collect();
        // The message aggregates the errors without repeats; the causes keep every one.
        let joined = aggregate_message(errs).unwrap_or_default();
        Self::new(
            422,
            "Invalid",
            format!("{kind} \"{name}\" is invalid: {joined}"),
            Some(json!({"name": name, "kind": kind, "causes": causes})),
        )
    }

    pub fn bad_request(message: String) -> Self {
        Self::new(400, "BadRequest", message, None)
    }

    pub fn method_not_allowed(message: String) -> Self {
        Self::new(405, "MethodNotAllowed", message, None)
    }

    pub fn forbidden(message: String) -> Self {
        Self::new(403, "Forbidden", message, None)
    }

    /// `Internal error occurred: …` (errors.NewInternalError), with the error as its one cause.
    pub fn internal(message: String) -> Self {
        Self::new(
            500,
            "InternalError",
            format!("Internal error occurred: {message}"),
            Some(json!({"causes": [{"message": message}]})),
        )
    }

    /// The `metav1.Status` body.
    pub fn to_status(&self) -> Value {
        let mut status = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        });
        if let Some(d) = &self.details {
            status["details"] = d.clone();
        }
        status
    }
}
