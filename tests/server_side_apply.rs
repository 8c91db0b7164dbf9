//! managedFields and server-side apply end to end: what each writer records
//! (k8s.io/apimachinery/pkg/util/managedfields), kubectl apply --server-side's answers and its
//! conflict error (staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go), and the request lines
//! kubectl sends.

use podlab::apiserver::managedfields::{entries_of, Operation};
use podlab::apiserver::resources::by_plural;
use podlab::sim::Actor;
use podlab::{Cluster, Preset};
use serde_json::{json, Value};

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: nginx
spec:
  containers:
  - name: nginx
    image: nginx:1.27
";

const POD_128: &str = "apiVersion: v1
kind: Pod
metadata:
  name: nginx
spec:
  containers:
  - name: nginx
    image: nginx:1.28
";

fn cluster() -> Cluster {
    Cluster::new(Preset::Default, 11)
}

fn run(c: &mut Cluster, line: &str, stdin: Option<&str>) -> (String, i32) {
    let out = c.kubectl(line, stdin);
    (out.text, out.exit_code)
}

fn stored(c: &Cluster, plural: &str, name: &str) -> Value {
    let info = by_plural("", plural).expect("served");
    c.api()
        .read(info, Some("default"), name)
        .expect("the object exists")
}

/// The request lines kubectl sent (`PATCH /api/v1/...?...`).
fn kubectl_requests(c: &Cluster) -> Vec<String> {
    c.trace()
        .iter()
        .filter(|e| e.from == Actor::Kubectl && e.to == Actor::ApiServer)
        .map(|e| e.action.clone())
        .collect()
}

#[test]
fn client_side_apply_records_its_manager_with_the_defaulted_fields() {
    let mut c = cluster();
    let (text, code) = run(&mut c, "kubectl apply -f -", Some(POD));
    assert_eq!((text.as_str(), code), ("pod/nginx created\n", 0));
    let entries = entries_of(&stored(&c, "pods", "nginx"));
    let csa = entries
        .iter()
        .find(|e| e.manager == "kubectl-client-side-apply")
        .expect("kubectl's create is recorded");
    assert_eq!(csa.operation, Operation::Update);
    assert_eq!(
        csa.fields.to_fields_v1(),
        json!({
            "f:metadata": {"f:annotations": {".": {}, "f:kubectl.kubernetes.io/last-applied-configuration": {}}},
            "f:spec": {
                "f:containers": {"k:{\"name\":\"nginx\"}": {
                    ".": {}, "f:image": {}, "f:imagePullPolicy": {}, "f:name": {}, "f:resources": {},
                    "f:terminationMessagePath": {}, "f:terminationMessagePolicy": {}
                }},
                "f:dnsPolicy": {}, "f:enableServiceLinks": {}, "f:restartPolicy": {},
                "f:schedulerName": {}, "f:securityContext": {}, "f:terminationGracePeriodSeconds": {}
            }
        })
    );
}

#[test]
fn kubectl_get_yaml_still_hides_managed_fields() {
    let mut c = cluster();
    run(&mut c, "kubectl apply -f -", Some(POD));
    let (text, _) = run(&mut c, "kubectl get pod nginx -o yaml", None);
    assert!(!text.contains("managedFields"));
}

#[test]
fn label_is_an_update_of_kubectl_label() {
    let mut c = cluster();
    run(&mut c, "kubectl apply -f -", Some(POD));
    run(&mut c, "kubectl label pod nginx tier=front", None);
    let entries = entries_of(&stored(&c, "pods", "nginx"));
    let label = entries
        .iter()
        .find(|e| e.manager == "kubectl-label")
        .expect("the label write is recorded");
    assert_eq!(
        label.fields.to_fields_v1(),
        json!({"f:metadata": {"f:labels": {".": {}, "f:tier": {}}}})
    );
    let requests = kubectl_requests(&c);
    let patch = requests
        .iter()
        .find(|r| r.starts_with("PATCH"))
        .expect("label patches");
    // kubectl label does not read --validate: no fieldValidation parameter.
    assert_eq!(
        patch,
        "PATCH /api/v1/namespaces/default/pods/nginx?fieldManager=kubectl-label"
    );
}

#[test]
fn server_side_apply_creates_and_owns_only_its_configuration() {
    let mut c = cluster();
    let (text, code) = run(&mut c, "kubectl apply --server-side -f -", Some(POD));
    assert_eq!((text.as_str(), code), ("pod/nginx serverside-applied\n", 0));
    let pod = stored(&c, "pods", "nginx");
    assert_eq!(
        pod["spec"]["containers"][0]["imagePullPolicy"],
        "IfNotPresent"
    );
    let entries = entries_of(&pod);
    assert_eq!(entries[0].manager, "kubectl");
    assert_eq!(entries[0].operation, Operation::Apply);
    assert_eq!(
        entries[0].fields.to_fields_v1(),
        json!({"f:spec": {"f:containers": {"k:{\"name\":\"nginx\"}": {".": {}, "f:image": {}, "f:name": {}}}}})
    );
    let requests = kubectl_requests(&c);
    assert!(requests.contains(
        &"PATCH /api/v1/namespaces/default/pods/nginx?fieldManager=kubectl&fieldValidation=Strict&force=false"
            .to_string()
    ));
}

#[test]
fn a_conflict_is_refused_with_kubectls_advice_and_forced_with_force_conflicts() {
    let mut c = cluster();
    run(&mut c, "kubectl create -f -", Some(POD));
    let (text, code) = run(&mut c, "kubectl apply --server-side -f -", Some(POD_128));
    assert_eq!(code, 1);
    assert_eq!(
        text,
        "error: Apply failed with 1 conflict: conflict with \"kubectl-create\" using v1: .spec.containers[name=\"nginx\"].image
Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the `--force-conflicts` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
"
    );
    let (text, code) = run(
        &mut c,
        "kubectl apply --server-side --force-conflicts -f -",
        Some(POD_128),
    );
    assert_eq!((text.as_str(), code), ("pod/nginx serverside-applied\n", 0));
    let pod = stored(&c, "pods", "nginx");
    assert_eq!(pod["spec"]["containers"][0]["image"], "nginx:1.28");
}

#[test]
fn switching_from_client_side_apply_migrates_ownership_to_kubectl() {
    let mut c = cluster();
    run(&mut c, "kubectl apply -f -", Some(POD));
    let (text, code) = run(&mut c, "kubectl apply --server-side -f -", Some(POD_128));
    assert_eq!((text.as_str(), code), ("pod/nginx serverside-applied\n", 0));
    let pod = stored(&c, "pods", "nginx");
    assert_eq!(pod["spec"]["containers"][0]["image"], "nginx:1.28");
    let managers: Vec<(String, Operation)> = entries_of(&pod)
        .into_iter()
        .map(|e| (e.manager, e.operation))
        .collect();
    assert_eq!(
        managers,
        vec![
            ("kubectl".to_string(), Operation::Apply),
            ("kubectl-last-applied".to_string(), Operation::Apply),
        ]
    );
    let annotation = pod["metadata"]["annotations"]
        ["kubectl.kubernetes.io/last-applied-configuration"]
        .as_str()
        .unwrap_or_default();
    assert!(annotation.contains("nginx:1.28"));
}

#[test]
fn apply_without_get_permission_names_the_resource_it_could_not_read() {
    let mut c = cluster();
    run(&mut c, "kubectl apply -f -", Some(POD));
    let (text, code) = run(&mut c, "kubectl apply --as=jane -f -", Some(POD));
    assert_eq!(code, 1);
    assert_eq!(
        text,
        "Error from server (Forbidden): error when retrieving current configuration of:
Resource: \"/v1, Resource=pods\", GroupVersionKind: \"/v1, Kind=Pod\"
Name: \"nginx\", Namespace: \"default\"
from server for: \"STDIN\": pods \"nginx\" is forbidden: User \"jane\" cannot get resource \"pods\" in API group \"\" in the namespace \"default\"
"
    );
}
