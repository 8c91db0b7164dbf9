//! The pipeline's authorization stage against a store holding the default policy.

use serde_json::json;

use super::*;
use crate::apiserver::{resources, ApiServer};
use crate::client::core;

fn api() -> ApiServer {
    let mut api = ApiServer::new(1);
    crate::apiserver::bootstrap::control_plane_objects(&mut api);
    api
}

fn store(api: &mut ApiServer, plural: &str, ns: Option<&str>, body: serde_json::Value) {
    let info = resources::by_plural("rbac.authorization.k8s.io", plural).unwrap();
    let name = body["metadata"]["name"].as_str().unwrap().to_string();
    api.etcd_mut()
        .create(&info.etcd_key(ns, &name), body)
        .unwrap();
}

fn jane() -> Impersonation {
    Impersonation {
        user: "jane".into(),
        groups: Vec::new(),
    }
}

fn as_jane(verb: Verb, plural: &str, ns: Option<&str>) -> Request {
    Request::new(verb, core(plural), "kubernetes-admin")
        .namespace(ns)
        .impersonate(Some(jane()))
}

fn check(api: &ApiServer, req: &Request) -> (Result<UserInfo, ApiError>, Vec<(String, String)>) {
    let mut stages = Vec::new();
    let result =
        authenticate_and_authorize(api.etcd(), req, &mut |s, d| stages.push((s.to_string(), d)));
    (result, stages)
}

#[test]
fn the_admin_is_allowed_by_system_masters_and_rbac_agrees() {
    let api = api();
    let req = Request::new(Verb::List, core("pods"), "kubernetes-admin").namespace(Some("default"));
    let (result, stages) = check(&api, &req);
    assert_eq!(
        result.unwrap().groups,
        vec!["system:masters", "system:authenticated"]
    );
    assert_eq!(stages[0].1, "x509 client certificate (CN=kubernetes-admin, O=system:masters): user \"kubernetes-admin\", groups [system:masters system:authenticated]");
    assert!(
        stages[1].1.ends_with("RBAC: allowed by ClusterRoleBinding \"cluster-admin\" of ClusterRole \"cluster-admin\" to Group \"system:masters\" would allow it too"),
        "{}",
        stages[1].1
    );
}

#[test]
fn an_unbound_user_is_forbidden_with_the_servers_message() {
    let api = api();
    let (result, stages) = check(&api, &as_jane(Verb::List, "pods", Some("default")));
    let err = result.unwrap_err();
    assert_eq!(err.code, 403);
    assert_eq!(err.reason, "Forbidden");
    assert_eq!(err.message, "pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"");
    assert_eq!(err.details, Some(json!({"kind": "pods"})));
    assert_eq!(stages[1].0, "impersonation");
    let named = as_jane(Verb::Get, "pods", Some("default")).name("web");
    assert_eq!(check(&api, &named).0.unwrap_err().message, "pods \"web\" is forbidden: User \"jane\" cannot get resource \"pods\" in API group \"\" in the namespace \"default\"");
    let nodes = as_jane(Verb::List, "nodes", None);
    assert_eq!(check(&api, &nodes).0.unwrap_err().message, "nodes is forbidden: User \"jane\" cannot list resource \"nodes\" in API group \"\" at the cluster scope");
}

#[test]
fn a_role_binding_grants_its_namespace_only() {
    let mut api = api();
    store(
        &mut api,
        "roles",
        Some("default"),
        json!({
            "metadata": {"name": "pod-reader", "namespace": "default"},
            "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "watch"]}]
        }),
    );
    store(
        &mut api,
        "rolebindings",
        Some("default"),
        json!({
            "metadata": {"name": "read-pods", "namespace": "default"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "pod-reader"},
            "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "jane"}]
        }),
    );
    let (result, stages) = check(&api, &as_jane(Verb::List, "pods", Some("default")));
    assert!(result.is_ok());
    assert_eq!(
        stages[2].1,
        "list pods in namespace \"default\": RBAC: allowed by RoleBinding \"read-pods/default\" of Role \"pod-reader\" to User \"jane\""
    );
    assert!(
        check(&api, &as_jane(Verb::List, "pods", Some("kube-system")))
            .0
            .is_err()
    );
    assert!(check(
        &api,
        &as_jane(Verb::Delete, "pods", Some("default")).name("web")
    )
    .0
    .is_err());
}

#[test]
fn a_binding_to_a_missing_role_shows_the_rbac_reason() {
    let mut api = api();
    store(
        &mut api,
        "rolebindings",
        Some("default"),
        json!({
            "metadata": {"name": "read-pods", "namespace": "default"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "pod-reader"},
            "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "devs"}]
        }),
    );
    let mut req = as_jane(Verb::List, "pods", Some("default"));
    req.impersonate = Some(Impersonation {
        user: "jane".into(),
        groups: vec!["devs".into()],
    });
    let err = check(&api, &req).0.unwrap_err();
    assert_eq!(
        err.message,
        "pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\": RBAC: role.rbac.authorization.k8s.io \"pod-reader\" not found"
    );
}

#[test]
fn cluster_role_view_through_a_group_and_service_accounts() {
    let mut api = api();
    store(
        &mut api,
        "clusterrolebindings",
        None,
        json!({
            "metadata": {"name": "devs-view"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
            "subjects": [
                {"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "devs"},
                {"kind": "ServiceAccount", "name": "ci", "namespace": "tools"}
            ]
        }),
    );
    let as_dev = Impersonation {
        user: "bob".into(),
        groups: vec!["devs".into()],
    };
    let req = Request::new(Verb::Get, core("services"), "kubernetes-admin")
        .namespace(Some("default"))
        .name("kubernetes")
        .impersonate(Some(as_dev.clone()));
    assert!(check(&api, &req).0.is_ok());
    let secrets = Request::new(Verb::Get, core("secrets"), "kubernetes-admin")
        .namespace(Some("default"))
        .name("token")
        .impersonate(Some(as_dev));
    assert!(
        check(&api, &secrets).0.is_err(),
        "view does not read secrets"
    );
    let ci = Impersonation {
        user: "system:serviceaccount:tools:ci".into(),
        groups: Vec::new(),
    };
    let req = Request::new(Verb::List, core("pods"), "kubernetes-admin")
        .namespace(Some("default"))
        .impersonate(Some(ci));
    let (result, stages) = check(&api, &req);
    assert_eq!(
        result.unwrap().groups,
        vec![
            "system:serviceaccounts",
            "system:serviceaccounts:tools",
            "system:authenticated"
        ]
    );
    assert!(
        stages[2].1.ends_with("to ServiceAccount \"ci/tools\""),
        "{}",
        stages[2].1
    );
}

#[test]
fn impersonation_needs_the_impersonate_verb() {
    let api = api();
    let mut req = as_jane(Verb::List, "pods", Some("default"));
    req.user = "bob".into();
    let err = check(&api, &req).0.unwrap_err();
    assert_eq!(err.message, "users \"jane\" is forbidden: User \"bob\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope");
}

#[test]
fn components_are_allowed_what_they_do() {
    let api = api();
    let scheduler = Request::new(Verb::Create, core("pods"), "system:kube-scheduler")
        .namespace(Some("default"))
        .name("web")
        .subresource("binding");
    let (result, stages) = check(&api, &scheduler);
    assert!(result.is_ok());
    assert!(
        stages[1]
            .1
            .contains("ClusterRoleBinding \"system:kube-scheduler\""),
        "{}",
        stages[1].1
    );
    let rs = Request::new(Verb::Create, core("pods"), "system:kube-controller-manager")
        .namespace(Some("default"));
    let (result, stages) = check(&api, &rs);
    assert!(result.is_ok());
    assert!(
        stages[1].1.contains("ClusterRole \"system:controller:replicaset-controller\" to ServiceAccount \"replicaset-controller/kube-system\""),
        "{}",
        stages[1].1
    );
    let kubelet = Request::new(Verb::Update, core("pods"), "system:node:worker-1")
        .namespace(Some("default"))
        .name("web")
        .subresource("status");
    assert!(check(&api, &kubelet).0.is_ok());
    let proxy_reads_secrets = Request::new(Verb::List, core("secrets"), "system:kube-proxy");
    assert!(check(&api, &proxy_reads_secrets).0.is_err());
}

#[test]
fn a_self_subject_access_review_answers_for_the_caller() {
    let api = api();
    let info = resources::by_plural("authorization.k8s.io", "selfsubjectaccessreviews").unwrap();
    let review = |ns: &str, verb: &str| {
        Request::new(Verb::Create, info, "kubernetes-admin")
            .impersonate(Some(jane()))
            .body(json!({
                "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                "spec": {"resourceAttributes": {"namespace": ns, "verb": verb, "resource": "pods"}}
            }))
    };
    let (allowed, _) = check(&api, &review("default", "list"));
    assert!(allowed.is_ok(), "system:basic-user lets everyone ask");
    let answer =
        self_subject_access_review(api.etcd(), &review("default", "list"), &mut |_, _| {}).unwrap();
    assert_eq!(answer.body["status"], json!({"allowed": false}));
    let admin = Request::new(Verb::Create, info, "kubernetes-admin").body(json!({
        "spec": {"resourceAttributes": {"namespace": "default", "verb": "delete", "resource": "nodes"}}
    }));
    let answer = self_subject_access_review(api.etcd(), &admin, &mut |_, _| {}).unwrap();
    assert_eq!(answer.body["status"], json!({"allowed": true}));
}

#[test]
fn forbidden_messages_escape_html_and_name_subresources() {
    let attrs = Attributes {
        user: UserInfo::new("<bob>", &[]),
        verb: "update".into(),
        api_group: "apps".into(),
        resource: "deployments".into(),
        subresource: "scale".into(),
        name: "web".into(),
        namespace: "default".into(),
        ..Attributes::default()
    };
    assert_eq!(
        forbidden(&attrs, "").message,
        "deployments.apps \"web\" is forbidden: User \"&lt;bob&gt;\" cannot update resource \"deployments/scale\" in API group \"apps\" in the namespace \"default\""
    );
}
