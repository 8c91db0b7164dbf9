//! Priority admission with the PriorityClasses the user stored
//! (plugin/pkg/admission/priority/admission.go admitPod): a pod's priorityClassName resolves to
//! the class's value; an unknown name is Forbidden with the plugin's message.

use podlab::{Cluster, Preset};

const HIGH: &str = "apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: high
value: 1000
preemptionPolicy: Never
";

fn pod(name: &str, class: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  priorityClassName: {class}\n  containers:\n  - name: app\n    image: nginx\n"
    )
}

fn run_with_file(c: &mut Cluster, line: &str, file: &str) -> (String, i32) {
    let text = file.to_string();
    let out = c.kubectl_with_files(line, None, &|path| {
        (path == "pod.yaml").then(|| text.clone())
    });
    (out.text, out.exit_code)
}

#[test]
fn a_stored_class_gives_its_value() {
    let mut c = Cluster::new(Preset::Default, 1);
    let out = c.kubectl("kubectl apply -f -", Some(HIGH));
    assert_eq!(out.text, "priorityclass.scheduling.k8s.io/high created\n");
    let (text, code) = run_with_file(&mut c, "kubectl create -f pod.yaml", &pod("x", "high"));
    assert_eq!((text.as_str(), code), ("pod/x created\n", 0));
    let got = c.kubectl(
        "kubectl get pod x -o jsonpath={.spec.priority}/{.spec.preemptionPolicy}",
        None,
    );
    assert_eq!(got.text, "1000/Never");
}

#[test]
fn an_unknown_class_is_forbidden() {
    let mut c = Cluster::new(Preset::Default, 1);
    let (text, code) = run_with_file(&mut c, "kubectl create -f pod.yaml", &pod("x", "nope"));
    assert_eq!(
        (text.as_str(), code),
        (
            "Error from server (Forbidden): error when creating \"pod.yaml\": pods \"x\" is forbidden: no PriorityClass with name nope was found\n",
            1
        )
    );
}

#[test]
fn a_global_default_class_is_given_to_pods_without_one() {
    let mut c = Cluster::new(Preset::Default, 1);
    let default = HIGH.replace("value: 1000\n", "value: 500\nglobalDefault: true\n");
    c.kubectl("kubectl apply -f -", Some(&default));
    let plain = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: y\nspec:\n  containers:\n  - name: app\n    image: nginx\n";
    c.kubectl("kubectl apply -f -", Some(plain));
    let got = c.kubectl(
        "kubectl get pod y -o jsonpath={.spec.priorityClassName}/{.spec.priority}",
        None,
    );
    assert_eq!(got.text, "high/500");
}
