//! The filters every request passes before a handler sees it, in the order kube-apiserver's handler
//! chain runs them (staging/src/k8s.io/apiserver/pkg/server/config.go DefaultBuildHandlerChain):
//!
//! 1. authentication: who the credentials say the caller is (an x509 client certificate's CN and
//!    O, a service-account token, the loopback token of the API server itself);
//! 2. impersonation (filters/impersonation.go): `kubectl --as=jane --as-group=devs` sends
//!    `Impersonate-User`/`Impersonate-Group` headers; the caller must be allowed the `impersonate`
//!    verb on `users`, `groups` or `serviceaccounts`, then the request continues as that user;
//! 3. authorization (filters/authorization.go): the union of the authorizers kube-apiserver is
//!    started with (pkg/kubeapiserver/authorizer/reload.go): the `system:masters` group first
//!    (authorizerfactory.NewPrivilegedGroups), then `--authorization-mode=Node,RBAC`. The first to
//!    allow wins; if none does, the answer is 403 Forbidden with the message of
//!    responsewriters.Forbidden. RBAC's "no rule matched" gives no reason, so clients see none;
//!    only resolution errors (a binding to a missing role) are appended.
//!
//! The authorization API's `SelfSubjectAccessReview` (what `kubectl auth can-i` posts) asks the
//! same authorizer, for the caller, about another request.

pub mod node;
pub mod rbac;
pub mod rbac_strategy;

use serde_json::{json, Value};

use super::errors::ApiError;
use super::request::{Impersonation, Request, Response, Verb};
use crate::etcd::Etcd;

/// The group whose members may do anything, before any authorizer is asked (user.SystemPrivilegedGroup).
pub const PRIVILEGED_GROUP: &str = "system:masters";
/// Every authenticated user is in this group (user.AllAuthenticated).
pub const ALL_AUTHENTICATED: &str = "system:authenticated";
/// The group of requests without credentials (user.AllUnauthenticated).
pub const ALL_UNAUTHENTICATED: &str = "system:unauthenticated";
/// The anonymous user (user.Anonymous).
pub const ANONYMOUS: &str = "system:anonymous";
/// The user of kube-controller-manager's own client certificate.
pub const CONTROLLER_MANAGER: &str = "system:kube-controller-manager";
const SERVICE_ACCOUNT_PREFIX: &str = "system:serviceaccount:";

/// An authenticated identity (user.Info): a name and the groups it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserInfo {
    pub name: String,
    pub groups: Vec<String>,
}

impl UserInfo {
    pub fn new(name: &str, groups: &[&str]) -> UserInfo {
        UserInfo {
            name: name.to_string(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
        }
    }

    pub fn in_group(&self, group: &str) -> bool {
        self.groups.iter().any(|g| g == group)
    }

    /// The groups as Go's `%v` prints a `[]string`: `[system:masters system:authenticated]`.
    pub fn groups_text(&self) -> String {
        format!("[{}]", self.groups.join(" "))
    }
}

/// `system:serviceaccount:NS:NAME` → (NS, NAME) (serviceaccount.SplitUsername).
pub fn split_service_account(user: &str) -> Option<(&str, &str)> {
    let rest = user.strip_prefix(SERVICE_ACCOUNT_PREFIX)?;
    let (namespace, name) = rest.split_once(':')?;
    let valid = !namespace.is_empty() && !name.is_empty() && !name.contains(':');
    valid.then_some((namespace, name))
}

/// The groups of a service account's token (serviceaccount.MakeGroupNames).
fn service_account_groups(namespace: &str) -> Vec<String> {
    vec![
        "system:serviceaccounts".to_string(),
        format!("system:serviceaccounts:{namespace}"),
    ]
}

/// Who a request's credentials say it is, and how that was established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticated {
    pub user: UserInfo,
    /// `x509 client certificate (CN=kubernetes-admin, O=system:masters)`.
    pub method: String,
}

/// Authentication of podlab's callers. kubectl uses the admin kubeconfig's client certificate
/// (CN=kubernetes-admin, O=system:masters); the scheduler, controller manager, kube-proxy and the
/// kubelets their certificates (a kubelet's is CN=system:node:NAME, O=system:nodes); CoreDNS a
/// service-account token; the API server its loopback token (server/config.go
/// AuthorizeClientBearerToken: groups system:authenticated and system:masters). The
/// authenticated-group adder appends `system:authenticated` to every user's groups.
pub fn authenticate(name: &str) -> Authenticated {
    if name == "system:apiserver" {
        return Authenticated {
            user: UserInfo::new(name, &[ALL_AUTHENTICATED, PRIVILEGED_GROUP]),
            method: "loopback bearer token".into(),
        };
    }
    if let Some((namespace, _)) = split_service_account(name) {
        let mut groups = service_account_groups(namespace);
        groups.push(ALL_AUTHENTICATED.into());
        return Authenticated {
            user: UserInfo {
                name: name.into(),
                groups,
            },
            method: "service account token".into(),
        };
    }
    let organization = match name {
        "kubernetes-admin" => Some(PRIVILEGED_GROUP),
        n if n.starts_with(node::NODE_USER_PREFIX) => Some(node::NODES_GROUP),
        _ => None,
    };
    let mut groups: Vec<String> = organization.iter().map(|o| o.to_string()).collect();
    groups.push(ALL_AUTHENTICATED.into());
    let subject = match organization {
        Some(o) => format!("CN={name}, O={o}"),
        None => format!("CN={name}"),
    };
    Authenticated {
        user: UserInfo {
            name: name.into(),
            groups,
        },
        method: format!("x509 client certificate ({subject})"),
    }
}

/// What an authorizer is asked about (authorizer.Attributes, built by the RequestInfo resolver).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attributes {
    pub user: UserInfo,
    /// `get`, `list`, `create`, `update`, `patch`, `delete`, `impersonate`, …
    pub verb: String,
    pub api_group: String,
    /// The plural resource, `pods`; empty for a non-resource request.
    pub resource: String,
    pub subresource: String,
    pub name: String,
    pub namespace: String,
    /// The URL path of a non-resource request (`/healthz`); `None` for resource requests.
    pub path: Option<String>,
    /// The request's field selector (`spec.nodeName=worker-1`), which the Node authorizer reads.
    pub field_selector: String,
}

impl Attributes {
    /// The attributes of a request as `user` (request.RequestInfoFactory): a create on the
    /// collection has no name; a request on a namespace object is in that namespace.
    pub fn of_request(req: &Request, user: UserInfo) -> Attributes {
        let subresource = req.subresource.clone().unwrap_or_default();
        let name = match (req.verb, subresource.is_empty()) {
            (Verb::Create | Verb::List, true) => String::new(),
            _ => req.name.clone().unwrap_or_default(),
        };
        let namespace = if req.resource.plural == "namespaces" && req.resource.group.is_empty() {
            name.clone()
        } else {
            req.namespace.clone().unwrap_or_default()
        };
        Attributes {
            user,
            verb: req.verb.rbac().to_string(),
            api_group: req.resource.group.to_string(),
            resource: req.resource.plural.to_string(),
            subresource,
            name,
            namespace,
            path: None,
            field_selector: req.field_selector.clone().unwrap_or_default(),
        }
    }

    pub fn is_resource_request(&self) -> bool {
        self.path.is_none()
    }

    /// `pods`, or `pods/status` for a subresource: what RBAC rules name.
    pub fn combined_resource(&self) -> String {
        if self.subresource.is_empty() {
            self.resource.clone()
        } else {
            format!("{}/{}", self.resource, self.subresource)
        }
    }

    /// The same question for another user.
    pub fn as_user(&self, user: UserInfo) -> Attributes {
        Attributes {
            user,
            ..self.clone()
        }
    }

    /// `get pods "nginx" in namespace "default"`, for the trace.
    pub fn describe(&self) -> String {
        if let Some(path) = &self.path {
            return format!("{} {path}", self.verb);
        }
        let mut text = format!("{} {}", self.verb, self.combined_resource());
        if !self.api_group.is_empty() {
            text = format!(
                "{} {}.{}",
                self.verb,
                self.combined_resource(),
                self.api_group
            );
        }
        if !self.name.is_empty() {
            text.push_str(&format!(" \"{}\"", self.name));
        }
        if !self.namespace.is_empty() {
            text.push_str(&format!(" in namespace \"{}\"", self.namespace));
        }
        text
    }
}

/// An authorizer's decision (authorizer.Decision). podlab's authorizers never deny outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    NoOpinion,
}

/// What the union of authorizers answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub decision: Decision,
    /// The reason the union authorizer returns: the allowing authorizer's, or on a refusal every
    /// authorizer's non-empty reason joined by newlines.
    pub reason: String,
    /// Which authorizer decided and why, in words, for the trace.
    pub explanation: String,
}

impl Verdict {
    pub fn allowed(&self) -> bool {
        self.decision == Decision::Allow
    }
}

/// The union authorizer of kube-apiserver: privileged groups, then Node, then RBAC. podlab's
/// kube-controller-manager sends every controller's requests as `system:kube-controller-manager`;
/// a real one (kubeadm sets `--use-service-account-credentials`) sends each controller's as its
/// own ServiceAccount, so such a request is also tried as those ServiceAccounts.
pub fn authorize(etcd: &Etcd, attrs: &Attributes) -> Verdict {
    if attrs.user.in_group(PRIVILEGED_GROUP) {
        let rbac = rbac::authorize(etcd, attrs);
        let agrees = match rbac.decision {
            Decision::Allow => format!("; {} would allow it too", rbac.reason),
            Decision::NoOpinion => String::new(),
        };
        return Verdict {
            decision: Decision::Allow,
            reason: String::new(),
            explanation: format!(
                "allowed: group \"{PRIVILEGED_GROUP}\" may do anything, before Node and RBAC are \
                 asked{agrees}"
            ),
        };
    }
    let mut reasons = Vec::new();
    let by_node = node::authorize(etcd, attrs);
    if by_node.decision == Decision::Allow {
        return Verdict {
            decision: Decision::Allow,
            reason: String::new(),
            explanation: format!("allowed by the Node authorizer: {}", by_node.explanation),
        };
    }
    reasons.extend((!by_node.reason.is_empty()).then(|| by_node.reason.clone()));
    let by_rbac = rbac::authorize(etcd, attrs);
    if by_rbac.decision == Decision::Allow {
        return Verdict {
            decision: Decision::Allow,
            explanation: by_rbac.reason.clone(),
            reason: by_rbac.reason,
        };
    }
    if let Some(verdict) = as_controller(etcd, attrs) {
        return verdict;
    }
    reasons.extend((!by_rbac.reason.is_empty()).then(|| by_rbac.reason.clone()));
    let reason = reasons.join("\n");
    let mut explanation = "denied: no authorizer allowed it (no RBAC rule matched)".to_string();
    if !reason.is_empty() {
        explanation = format!("denied: {}", reason.replace('\n', "; "));
    }
    Verdict {
        decision: Decision::NoOpinion,
        reason,
        explanation,
    }
}

/// The request of podlab's controller manager as the first controller ServiceAccount RBAC allows
/// it for (see [`authorize`]).
fn as_controller(etcd: &Etcd, attrs: &Attributes) -> Option<Verdict> {
    if attrs.user.name != CONTROLLER_MANAGER {
        return None;
    }
    super::bootstrap::CONTROLLERS.iter().find_map(|controller| {
        let name = format!("{SERVICE_ACCOUNT_PREFIX}kube-system:{controller}");
        let mut groups = service_account_groups("kube-system");
        groups.push(ALL_AUTHENTICATED.into());
        let verdict = rbac::authorize(etcd, &attrs.as_user(UserInfo { name, groups }));
        (verdict.decision == Decision::Allow).then(|| Verdict {
            decision: Decision::Allow,
            reason: verdict.reason.clone(),
            explanation: format!(
                "{} (kube-controller-manager runs each controller with its own ServiceAccount; \
                 podlab's sends them all as {CONTROLLER_MANAGER}, and {controller} is the first \
                 controller allowed this request)",
                verdict.reason
            ),
        })
    })
}

/// `responsewriters.forbiddenMessage`: who cannot do what, where.
fn forbidden_message(attrs: &Attributes) -> String {
    let user = &attrs.user.name;
    if let Some(path) = &attrs.path {
        return format!("User \"{user}\" cannot {} path \"{path}\"", attrs.verb);
    }
    let resource = attrs.combined_resource();
    let group = &attrs.api_group;
    if attrs.namespace.is_empty() {
        format!(
            "User \"{user}\" cannot {} resource \"{resource}\" in API group \"{group}\" at the \
             cluster scope",
            attrs.verb
        )
    } else {
        format!(
            "User \"{user}\" cannot {} resource \"{resource}\" in API group \"{group}\" in the \
             namespace \"{}\"",
            attrs.verb, attrs.namespace
        )
    }
}

/// The HTML escaping responsewriters applies to the message (`&`, `<`, `>`).
fn sanitize(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The 403 of `responsewriters.Forbidden`: `errors.NewForbidden` for the group/resource and name
/// of the request, with the message and, if any, the authorizers' reason.
pub fn forbidden(attrs: &Attributes, reason: &str) -> ApiError {
    let message = sanitize(&forbidden_message(attrs));
    let cause = if reason.is_empty() {
        message
    } else {
        format!("{message}: {reason}")
    };
    let qualified = if attrs.api_group.is_empty() {
        attrs.resource.clone()
    } else {
        format!("{}.{}", attrs.resource, attrs.api_group)
    };
    let text = match (qualified.is_empty(), attrs.name.is_empty()) {
        (true, _) => format!("forbidden: {cause}"),
        (false, true) => format!("{qualified} is forbidden: {cause}"),
        (false, false) => format!("{qualified} \"{}\" is forbidden: {cause}", attrs.name),
    };
    let mut details = serde_json::Map::new();
    if !attrs.name.is_empty() {
        details.insert("name".into(), json!(attrs.name));
    }
    if !attrs.api_group.is_empty() {
        details.insert("group".into(), json!(attrs.api_group));
    }
    if !attrs.resource.is_empty() {
        details.insert("kind".into(), json!(attrs.resource));
    }
    ApiError {
        code: 403,
        reason: "Forbidden".into(),
        message: text,
        details: Some(Value::Object(details)),
    }
}

/// The Impersonate-User/Impersonate-Group targets, each as the attributes the caller must be
/// allowed (`impersonate` on `users`, `groups`, or the `serviceaccounts` of a namespace).
fn impersonation_checks(requestor: &UserInfo, wanted: &Impersonation) -> Vec<Attributes> {
    let check = |resource: &str, namespace: &str, name: &str| Attributes {
        user: requestor.clone(),
        verb: "impersonate".into(),
        resource: resource.into(),
        namespace: namespace.into(),
        name: name.into(),
        ..Attributes::default()
    };
    let mut checks = Vec::new();
    match split_service_account(&wanted.user) {
        Some((namespace, name)) => checks.push(check("serviceaccounts", namespace, name)),
        None => checks.push(check("users", "", &wanted.user)),
    }
    checks.extend(wanted.groups.iter().map(|g| check("groups", "", g)));
    checks
}

/// The impersonated user's groups: those asked for (a service account's own when none are),
/// plus `system:authenticated` unless `system:authenticated` or `system:unauthenticated` is among
/// them (or `system:unauthenticated` for the anonymous user).
fn impersonated_user(wanted: &Impersonation) -> UserInfo {
    let mut groups = wanted.groups.clone();
    if groups.is_empty() {
        if let Some((namespace, _)) = split_service_account(&wanted.user) {
            groups = service_account_groups(namespace);
        }
    }
    if wanted.user == ANONYMOUS {
        if !groups.iter().any(|g| g == ALL_UNAUTHENTICATED) {
            groups.push(ALL_UNAUTHENTICATED.into());
        }
    } else if !groups
        .iter()
        .any(|g| g == ALL_AUTHENTICATED || g == ALL_UNAUTHENTICATED)
    {
        groups.push(ALL_AUTHENTICATED.into());
    }
    UserInfo {
        name: wanted.user.clone(),
        groups,
    }
}

/// The impersonation filter: every target must be allowed to the caller, then the request goes on
/// as the impersonated user.
pub fn impersonate(
    etcd: &Etcd,
    requestor: &UserInfo,
    wanted: &Impersonation,
) -> Result<(UserInfo, String), ApiError> {
    let mut targets = Vec::new();
    let mut reasons: Vec<String> = Vec::new();
    for check in impersonation_checks(requestor, wanted) {
        let verdict = authorize(etcd, &check);
        if !verdict.allowed() {
            return Err(forbidden(&check, &verdict.reason));
        }
        let target = match check.resource.as_str() {
            "serviceaccounts" => format!("serviceaccount \"{}/{}\"", check.namespace, check.name),
            "groups" => format!("group \"{}\"", check.name),
            _ => format!("user \"{}\"", check.name),
        };
        targets.push(target);
        let why = if requestor.in_group(PRIVILEGED_GROUP) {
            format!("group \"{PRIVILEGED_GROUP}\"")
        } else {
            verdict.reason
        };
        if !reasons.contains(&why) {
            reasons.push(why);
        }
    }
    let user = impersonated_user(wanted);
    let note = format!(
        "\"{}\" may impersonate {} ({}); the request goes on as user \"{}\", groups {}",
        requestor.name,
        targets.join(" and "),
        reasons.join("; "),
        user.name,
        user.groups_text()
    );
    Ok((user, note))
}

/// The user a request acts as once authenticated and impersonation applied.
fn acting_user(etcd: &Etcd, req: &Request) -> Result<UserInfo, ApiError> {
    let requestor = authenticate(&req.user).user;
    match &req.impersonate {
        Some(wanted) => impersonate(etcd, &requestor, wanted).map(|(user, _)| user),
        None => Ok(requestor),
    }
}

/// Authentication, impersonation and authorization of `req`; `stage` receives each stage's line
/// for the trace. The user the request acts as, or the 403.
pub fn authenticate_and_authorize(
    etcd: &Etcd,
    req: &Request,
    stage: &mut dyn FnMut(&str, String),
) -> Result<UserInfo, ApiError> {
    let who = authenticate(&req.user);
    stage(
        "authentication",
        format!(
            "{}: user \"{}\", groups {}",
            who.method,
            who.user.name,
            who.user.groups_text()
        ),
    );
    let user = match &req.impersonate {
        Some(wanted) => match impersonate(etcd, &who.user, wanted) {
            Ok((user, note)) => {
                stage("impersonation", note);
                user
            }
            Err(e) => {
                stage("impersonation", format!("denied: {}", e.message));
                return Err(e);
            }
        },
        None => who.user,
    };
    let attrs = Attributes::of_request(req, user.clone());
    let verdict = authorize(etcd, &attrs);
    stage(
        "authorization",
        format!("{}: {}", attrs.describe(), verdict.explanation),
    );
    if verdict.allowed() {
        Ok(user)
    } else {
        Err(forbidden(&attrs, &verdict.reason))
    }
}

/// The same filters for a non-resource request (`GET /api`, `/openapi/v3`, `/healthz`): the
/// verb is the lower-case HTTP method; `system:discovery` lets every authenticated user read the
/// discovery documents.
pub fn authorize_non_resource(
    etcd: &Etcd,
    user: &str,
    verb: &str,
    path: &str,
    stage: &mut dyn FnMut(&str, String),
) -> Result<UserInfo, ApiError> {
    let who = authenticate(user);
    stage(
        "authentication",
        format!(
            "{}: user \"{}\", groups {}",
            who.method,
            who.user.name,
            who.user.groups_text()
        ),
    );
    let attrs = Attributes {
        user: who.user.clone(),
        verb: verb.into(),
        path: Some(path.split('?').next().unwrap_or(path).to_string()),
        ..Attributes::default()
    };
    let verdict = authorize(etcd, &attrs);
    stage(
        "authorization",
        format!("{}: {}", attrs.describe(), verdict.explanation),
    );
    if verdict.allowed() {
        Ok(who.user)
    } else {
        Err(forbidden(&attrs, &verdict.reason))
    }
}

fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The attributes a `SelfSubjectAccessReview` asks about, for `user`
/// (pkg/registry/authorization/util.ResourceAttributesFrom / NonResourceAttributesFrom).
fn review_attributes(spec: &Value, user: UserInfo) -> Result<Attributes, ApiError> {
    let resource = spec.get("resourceAttributes").filter(|v| v.is_object());
    let non_resource = spec.get("nonResourceAttributes").filter(|v| v.is_object());
    match (resource, non_resource) {
        (Some(r), None) => Ok(Attributes {
            user,
            verb: str_field(r, "verb").into(),
            api_group: str_field(r, "group").into(),
            resource: str_field(r, "resource").into(),
            subresource: str_field(r, "subresource").into(),
            name: str_field(r, "name").into(),
            namespace: str_field(r, "namespace").into(),
            path: None,
            field_selector: String::new(),
        }),
        (None, Some(n)) => Ok(Attributes {
            user,
            verb: str_field(n, "verb").into(),
            path: Some(str_field(n, "path").into()),
            ..Attributes::default()
        }),
        (r, _) => Err(ApiError {
            code: 422,
            reason: "Invalid".into(),
            message: format!(
                "SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: \
                 spec.resourceAttributes: Invalid value: \"{}\": exactly one of \
                 nonResourceAttributes or resourceAttributes must be specified",
                if r.is_some() { "object" } else { "null" }
            ),
            details: None,
        }),
    }
}

/// POST selfsubjectaccessreviews (pkg/registry/authorization/selfsubjectaccessreview/rest.go):
/// the authorizer's answer about the spec's attributes, for the caller. Nothing is stored.
pub fn self_subject_access_review(
    etcd: &Etcd,
    req: &Request,
    stage: &mut dyn FnMut(&str, String),
) -> Result<Response, ApiError> {
    if req.verb != Verb::Create {
        return Err(ApiError::method_not_allowed(
            "the server does not allow this method on the requested resource".into(),
        ));
    }
    let user = acting_user(etcd, req)?;
    let body = req.body.clone().unwrap_or(Value::Null);
    let spec = body.get("spec").cloned().unwrap_or(Value::Null);
    let attrs = review_attributes(&spec, user)?;
    let verdict = authorize(etcd, &attrs);
    stage(
        "access review",
        format!("{}: {}", attrs.describe(), verdict.explanation),
    );
    let mut status = json!({"allowed": verdict.allowed()});
    if !verdict.reason.is_empty() {
        status["reason"] = json!(verdict.reason);
    }
    Ok(Response::ok(
        201,
        json!({
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SelfSubjectAccessReview",
            "metadata": {},
            "spec": spec,
            "status": status,
        }),
    ))
}

fn string_list(rule: &Value, key: &str) -> Vec<String> {
    rule.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// POST selfsubjectrulesreviews (pkg/registry/authorization/selfsubjectrulesreview/rest.go): what
/// the caller may do in `spec.namespace`, as the rule resolvers of Node and RBAC list it. The
/// Node authorizer cannot list a kubelet's rules, so for a node the list is incomplete.
pub fn self_subject_rules_review(etcd: &Etcd, req: &Request) -> Result<Response, ApiError> {
    if req.verb != Verb::Create {
        return Err(ApiError::method_not_allowed(
            "the server does not allow this method on the requested resource".into(),
        ));
    }
    let user = acting_user(etcd, req)?;
    let body = req.body.clone().unwrap_or(Value::Null);
    let namespace = body
        .pointer("/spec/namespace")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut errors = Vec::new();
    let incomplete = node::node_identity(&user).is_some();
    if incomplete {
        errors.push("node authorizer does not support user rule resolution".to_string());
    }
    let (rules, rbac_errors) = rbac::rules_for(etcd, &user, namespace);
    if !rbac_errors.is_empty() {
        errors.push(rbac::aggregate_errors(&rbac_errors));
    }
    let mut resource_rules = Vec::new();
    let mut non_resource_rules = Vec::new();
    for rule in &rules {
        let verbs = string_list(rule, "verbs");
        if !string_list(rule, "resources").is_empty() {
            let mut r = json!({"verbs": verbs});
            for key in ["apiGroups", "resources", "resourceNames"] {
                let list = string_list(rule, key);
                if !list.is_empty() {
                    r[key] = json!(list);
                }
            }
            resource_rules.push(r);
        }
        let urls = string_list(rule, "nonResourceURLs");
        if !urls.is_empty() {
            non_resource_rules.push(json!({"verbs": verbs, "nonResourceURLs": urls}));
        }
    }
    let mut status = json!({
        "resourceRules": resource_rules,
        "nonResourceRules": non_resource_rules,
        "incomplete": incomplete,
    });
    if !errors.is_empty() {
        status["evaluationError"] = json!(rbac::aggregate_errors(&errors));
    }
    Ok(Response::ok(
        201,
        json!({
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SelfSubjectRulesReview",
            "metadata": {},
            "spec": {"namespace": namespace},
            "status": status,
        }),
    ))
}

/// POST selfsubjectreviews (pkg/registry/authentication/selfsubjectreview/rest.go): the caller's
/// user info, as `kubectl auth whoami` prints it. Nothing is stored.
pub fn self_subject_review(etcd: &Etcd, req: &Request) -> Result<Response, ApiError> {
    if req.verb != Verb::Create {
        return Err(ApiError::method_not_allowed(
            "the server does not allow this method on the requested resource".into(),
        ));
    }
    let user = acting_user(etcd, req)?;
    let mut info = json!({"username": user.name});
    if !user.groups.is_empty() {
        info["groups"] = json!(user.groups);
    }
    Ok(Response::ok(
        201,
        json!({
            "apiVersion": "authentication.k8s.io/v1",
            "kind": "SelfSubjectReview",
            "metadata": {},
            "status": {"userInfo": info},
        }),
    ))
}

#[cfg(test)]
mod tests;
