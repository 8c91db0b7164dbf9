//! kubectl as a tutorial uses it, end to end through a cluster: the messages, errors and exit
//! codes are kubectl v1.36's (strings from staging/src/k8s.io/kubectl and cobra/pflag), and
//! kubectl's own steps (discovery and its cache, OpenAPI, request headers) are in the trace.

use podlab::sim::Actor;
use podlab::{Cluster, Preset};

const WEB: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: nginx
    image: nginx:1.27
";

fn cluster() -> Cluster {
    Cluster::new(Preset::Default, 7)
}

/// Run a command; its text and exit code.
fn run(c: &mut Cluster, line: &str) -> (String, i32) {
    let out = c.kubectl(line, None);
    (out.text, out.exit_code)
}

#[test]
fn unknown_commands_and_flags_fail_as_kubectl() {
    let mut c = cluster();
    let (text, code) = run(&mut c, "kubectl frobnicate");
    assert_eq!(
        text,
        "error: unknown command \"frobnicate\" for \"kubectl\"\n"
    );
    assert_eq!(code, 1);
    let (text, code) = run(&mut c, "kubectl lable pod web app=x");
    assert_eq!(
        text,
        "error: unknown command \"lable\" for \"kubectl\"\n\nDid you mean this?\n\tlabel\n"
    );
    assert_eq!(code, 1);
    let (text, code) = run(&mut c, "kubectl get pods --foo");
    assert_eq!(
        text,
        "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n"
    );
    assert_eq!(code, 1);
    let (text, _) = run(&mut c, "kubectl create namespace x --bogus=1");
    assert_eq!(
        text,
        "error: unknown flag: --bogus\nSee 'kubectl create namespace --help' for usage.\n"
    );
    let (text, code) = run(&mut c, "kubectl get foo");
    assert_eq!(
        text,
        "error: the server doesn't have a resource type \"foo\"\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn real_commands_podlab_does_not_simulate_say_so_instead_of_unknown_command() {
    let mut c = cluster();
    let (text, code) = run(&mut c, "kubectl wait --for=condition=Ready pod/x");
    assert_eq!(
        text,
        "podlab: \"kubectl wait\" is a real kubectl command that podlab does not simulate yet\n"
    );
    assert_eq!(code, 1);
    let (text, _) = run(&mut c, "kubectl frobnicate");
    assert!(text.starts_with("error: unknown command \"frobnicate\" for \"kubectl\""));
}

#[test]
fn label_and_annotate() {
    let mut c = cluster();
    assert_eq!(
        c.kubectl("kubectl apply -f -", Some(WEB)).text,
        "pod/web created\n"
    );
    let (text, code) = run(&mut c, "kubectl label pod web app=api");
    assert_eq!(
        text,
        "error: 'app' already has a value (web), and --overwrite is false\n"
    );
    assert_eq!(code, 1);
    assert_eq!(
        run(&mut c, "kubectl label pod web app=api --overwrite").0,
        "pod/web labeled\n"
    );
    assert_eq!(
        run(&mut c, "kubectl label pod web tier=fe").0,
        "pod/web labeled\n"
    );
    assert_eq!(
        run(&mut c, "kubectl label pod web tier-").0,
        "pod/web unlabeled\n"
    );
    assert_eq!(
        run(&mut c, "kubectl label pod web tier-").0,
        "label \"tier\" not found.\npod/web not labeled\n"
    );
    assert_eq!(
        run(&mut c, "kubectl label pod web env=dev --dry-run=client").0,
        "pod/web labeled (dry run)\n"
    );
    assert_eq!(
        run(&mut c, "kubectl annotate pod web description='my frontend'").0,
        "pod/web annotated\n"
    );
    assert_eq!(
        run(
            &mut c,
            "kubectl get pod web -o jsonpath={.metadata.annotations.description}"
        )
        .0,
        "my frontend"
    );
    assert_eq!(
        run(&mut c, "kubectl get pod web -o jsonpath={.metadata.labels}").0,
        "{\"app\":\"api\"}"
    );
    let (text, code) = run(&mut c, "kubectl label pods app=x");
    assert_eq!(
        text,
        "error: resource(s) were provided, but no name was specified\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn create_subcommands_and_set_image() {
    let mut c = cluster();
    assert_eq!(
        run(&mut c, "kubectl create namespace dev").0,
        "namespace/dev created\n"
    );
    assert_eq!(
        run(&mut c, "kubectl create namespace dev"),
        (
            "Error from server (AlreadyExists): namespaces \"dev\" already exists\n".into(),
            1
        )
    );
    assert_eq!(
        run(&mut c, "kubectl create namespace"),
        (
            "error: exactly one NAME is required, got 0\nSee 'kubectl create namespace -h' for help and examples\n".into(),
            1
        )
    );
    assert_eq!(
        run(
            &mut c,
            "kubectl create configmap cfg --from-literal=mode=prod"
        )
        .0,
        "configmap/cfg created\n"
    );
    assert_eq!(
        run(
            &mut c,
            "kubectl create configmap cfg --from-literal=mode=prod"
        )
        .0,
        "error: failed to create configmap: configmaps \"cfg\" already exists\n"
    );
    assert_eq!(
        run(
            &mut c,
            "kubectl create secret generic db --from-literal=password=s3cr3t"
        )
        .0,
        "secret/db created\n"
    );
    assert_eq!(
        run(&mut c, "kubectl create deployment web").0,
        "error: required flag(s) \"image\" not set\n"
    );
    assert_eq!(
        run(&mut c, "kubectl create deployment web --image=nginx:1.27 --dry-run=client -o yaml").0,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  strategy: {}\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - image: nginx:1.27\n        name: nginx\n        resources: {}\nstatus: {}\n"
    );
    assert_eq!(
        run(&mut c, "kubectl create deployment web --image=nginx:1.27").0,
        "deployment.apps/web created\n"
    );
    assert_eq!(
        run(&mut c, "kubectl set image deployment/web nginx=nginx:1.28").0,
        "deployment.apps/web image updated\n"
    );
    // Nothing changes, nothing is printed.
    assert_eq!(
        run(&mut c, "kubectl set image deployment/web nginx=nginx:1.28"),
        (String::new(), 0)
    );
    assert_eq!(
        run(&mut c, "kubectl set image deployment/web nope=nginx:1.28"),
        ("error: unable to find container named \"nope\"\n".into(), 1)
    );
    assert_eq!(
        run(&mut c, "kubectl create service clusterip web --tcp=80:80").0,
        "service/web created\n"
    );
    assert_eq!(
        run(&mut c, "kubectl create namespace y --dry-run=server").0,
        "namespace/y created (server dry run)\n"
    );
}

#[test]
fn version_cluster_info_and_discovery_commands() {
    let mut c = cluster();
    assert_eq!(
        run(&mut c, "kubectl version").0,
        "Client Version: v1.36.2\nKustomize Version: v5.8.1\nServer Version: v1.36.2\n"
    );
    assert_eq!(
        run(&mut c, "kubectl cluster-info").0,
        "Kubernetes control plane is running at https://127.0.0.1:6443\nCoreDNS is running at https://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
    );
    let (table, _) = run(&mut c, "kubectl api-resources");
    let mut lines = table.lines();
    assert_eq!(
        lines.next(),
        Some("NAME                                SHORTNAMES   APIVERSION                        NAMESPACED   KIND")
    );
    assert_eq!(
        lines.next(),
        Some("bindings                                         v1                                true         Binding")
    );
    assert!(table.contains("\ndeployments                         deploy       apps/v1                           true         Deployment\n"));
    let (versions, _) = run(&mut c, "kubectl api-versions");
    assert!(versions.starts_with("admissionregistration.k8s.io/v1\napiextensions.k8s.io/v1\n"));
    assert!(versions.ends_with("storage.k8s.io/v1\nv1\n"));
}

#[test]
fn explain_prints_the_api_documentation() {
    let mut c = cluster();
    let (text, code) = run(&mut c, "kubectl explain pods");
    assert_eq!(code, 0);
    assert!(text.starts_with("KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n    Pod is a collection of containers that can run on a host. This resource is\n    created by clients and scheduled onto hosts.\n"));
    let (text, _) = run(&mut c, "kubectl explain deployment.spec.replicas");
    assert!(text.starts_with(
        "GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: replicas <integer>\n"
    ));
    assert_eq!(
        run(&mut c, "kubectl explain pods.spec.nope"),
        ("error: field \"nope\" does not exist\n".into(), 1)
    );
}

#[test]
fn get_flags() {
    let mut c = cluster();
    c.kubectl("kubectl apply -f -", Some(WEB));
    assert_eq!(
        run(&mut c, "kubectl get pod nope --ignore-not-found"),
        (String::new(), 0)
    );
    assert_eq!(run(&mut c, "kubectl get deploy --ignore-not-found").0, "");
    assert_eq!(
        run(&mut c, "kubectl get deploy").0,
        "No resources found in default namespace.\n"
    );
    let (rows, _) = run(&mut c, "kubectl get pods --no-headers");
    assert!(rows.starts_with("web   0/1   Pending"));
    assert_eq!(
        run(&mut c, "kubectl get pods --sort-by=.spec.nope").0,
        "error: couldn't find any field with path \"{.spec.nope}\" in the list of objects\n"
    );
}

#[test]
fn discovery_is_fetched_once_then_read_from_the_cache() {
    let mut c = cluster();
    let discovery_gets = |c: &Cluster| {
        c.trace()
            .iter()
            .filter(|e| e.from == Actor::Kubectl && e.action == "GET /apis")
            .count()
    };
    run(&mut c, "kubectl get pods");
    assert_eq!(discovery_gets(&c), 1);
    run(&mut c, "kubectl get svc");
    assert_eq!(
        discovery_gets(&c),
        1,
        "the second command reads the disk cache"
    );
    // An unknown name makes kubectl drop the cache and ask again.
    run(&mut c, "kubectl get foo");
    assert_eq!(discovery_gets(&c), 2);
    // A request with a body carries its content type.
    c.kubectl("kubectl apply -f -", Some(WEB));
    let post = c
        .trace()
        .iter()
        .find(|e| e.action.starts_with("POST /api/v1/namespaces/default/pods"))
        .expect("the create is traced");
    assert!(post.detail.starts_with("Content-Type: application/json"));
    assert!(post
        .action
        .contains("fieldManager=kubectl-client-side-apply"));
    // And kubectl fetched the OpenAPI v3 document of core/v1 before sending it.
    assert!(c
        .trace()
        .iter()
        .any(|e| e.action.starts_with("GET /openapi/v3/api/v1?hash=")));
}
