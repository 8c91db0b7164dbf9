//! The requests kubectl v1.36 sends, as the trace shows them: which commands carry
//! `fieldValidation` (the ones reading --validate through cmdutil.GetValidationDirective: apply,
//! create -f and every create subcommand), and the field managers of scale (none: the user
//! agent's `kubectl`, on the scale subresource) and rollout restart/pause/resume
//! (`kubectl-rollout`); and `kubectl get --show-managed-fields`.

use podlab::sim::Actor;
use podlab::{Cluster, Preset};

/// The request lines kubectl sent for one command.
fn requests_of(c: &mut Cluster, line: &str) -> Vec<String> {
    let before = c.trace().len();
    let out = c.kubectl(line, None);
    assert_eq!(out.exit_code, 0, "{line}: {}", out.text);
    c.trace()[before..]
        .iter()
        .filter(|e| e.from == Actor::Kubectl && e.to == Actor::ApiServer)
        .map(|e| e.action.clone())
        .collect()
}

fn text(c: &mut Cluster, line: &str) -> String {
    c.kubectl(line, None).text
}

#[test]
fn create_subcommands_send_their_validation_directive() {
    let mut c = Cluster::new(Preset::Empty, 1);
    let cases = [
        (
            "kubectl create configmap cm --from-literal=a=b",
            "POST /api/v1/namespaces/default/configmaps?fieldManager=kubectl-create&fieldValidation=Strict",
        ),
        (
            "kubectl create deployment web --image=nginx",
            "POST /apis/apps/v1/namespaces/default/deployments?fieldManager=kubectl-create&fieldValidation=Strict",
        ),
        (
            "kubectl create service clusterip web --tcp=80:8080 --validate=warn",
            "POST /api/v1/namespaces/default/services?fieldManager=kubectl-create&fieldValidation=Warn",
        ),
        (
            "kubectl create namespace team --validate=false",
            "POST /api/v1/namespaces?fieldManager=kubectl-create&fieldValidation=Ignore",
        ),
    ];
    for (line, expected) in cases {
        let sent = requests_of(&mut c, line);
        assert!(sent.contains(&expected.to_string()), "{line}: {sent:#?}");
    }
}

#[test]
fn scale_and_rollout_name_their_managers() {
    let mut c = Cluster::new(Preset::Empty, 1);
    text(&mut c, "kubectl create deployment web --image=nginx");
    c.advance(2_000);
    let sent = requests_of(&mut c, "kubectl scale deployment web --replicas=3");
    assert!(
        sent.contains(&"PATCH /apis/apps/v1/namespaces/default/deployments/web/scale".to_string()),
        "{sent:#?}"
    );
    let managers = "kubectl get deployment web -o jsonpath='{range .metadata.managedFields[*]}{.manager}/{.operation}/{.subresource};{end}'";
    let listed = text(&mut c, managers);
    assert!(listed.contains("kubectl/Update/scale;"), "{listed}");
    let sent = requests_of(&mut c, "kubectl rollout restart deployment web");
    assert!(
        sent.contains(
            &"PATCH /apis/apps/v1/namespaces/default/deployments/web?fieldManager=kubectl-rollout"
                .to_string()
        ),
        "{sent:#?}"
    );
    let sent = requests_of(
        &mut c,
        "kubectl rollout pause deployment web --field-manager=me",
    );
    assert!(
        sent.contains(
            &"PATCH /apis/apps/v1/namespaces/default/deployments/web?fieldManager=me".to_string()
        ),
        "{sent:#?}"
    );
    let listed = text(&mut c, managers);
    assert!(listed.contains("kubectl-rollout/Update/;"), "{listed}");
    assert!(listed.contains("me/Update/;"), "{listed}");
}

#[test]
fn managed_fields_are_printed_only_when_asked() {
    let mut c = Cluster::new(Preset::Empty, 1);
    text(&mut c, "kubectl create configmap cm --from-literal=a=b");
    let plain = text(&mut c, "kubectl get configmap cm -o yaml");
    assert!(!plain.contains("managedFields"), "{plain}");
    let shown = text(
        &mut c,
        "kubectl get configmap cm -o yaml --show-managed-fields",
    );
    assert!(
        shown.contains("  managedFields:\n  - apiVersion: v1\n    fieldsType: FieldsV1\n"),
        "{shown}"
    );
    assert!(shown.contains("    manager: kubectl-create\n"), "{shown}");
    let json = text(
        &mut c,
        "kubectl get configmaps -o json --show-managed-fields=true",
    );
    assert!(json.contains("\"managedFields\": ["), "{json}");
    // jsonpath does not go through the JSON/YAML printers' omitManagedFields.
    let manager = text(
        &mut c,
        "kubectl get configmap cm -o jsonpath={.metadata.managedFields[0].manager}",
    );
    assert_eq!(manager, "kubectl-create");
}
