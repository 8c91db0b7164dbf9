//! `kubectl apply -f` and `kubectl create -f` of several objects (ApplyOptions.Run, RunCreate):
//! each object's line is printed as it goes, the errors are collected and printed after all of
//! them (one alone as checkErr prints it, several one per line through MultipleErrors), exit 1;
//! and the warning for a live object without the last-applied annotation.

use podlab::{Cluster, Preset};

fn cm(name: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  a: b\n")
}

fn run(c: &mut Cluster, line: &str, stdin: &str) -> (String, i32) {
    let out = c.kubectl(line, Some(stdin));
    (out.text, out.exit_code)
}

const BAD_NAME: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n";
const UNKNOWN_KIND: &str = "apiVersion: v1\nkind: Gadget\nmetadata:\n  name: g\n";

#[test]
fn one_error_is_printed_after_the_other_objects() {
    let mut c = Cluster::new(Preset::Empty, 1);
    let docs = [cm("one"), BAD_NAME.to_string(), cm("two")].join("---\n");
    let (text, code) = run(&mut c, "kubectl apply -f -", &docs);
    assert_eq!(
        text,
        "configmap/one created\nconfigmap/two created\nThe ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn several_errors_are_printed_one_per_line_through_standard_error_message() {
    let mut c = Cluster::new(Preset::Empty, 1);
    run(&mut c, "kubectl create -f -", &cm("taken"));
    let docs = [UNKNOWN_KIND.to_string(), cm("fresh"), BAD_NAME.to_string()].join("---\n");
    let (text, code) = run(&mut c, "kubectl apply -f -", &docs);
    assert_eq!(
        text,
        "configmap/fresh created\n\
         resource mapping not found for name: \"g\" namespace: \"\" from \"STDIN\": no matches for kind \"Gadget\" in version \"v1\"\nensure CRDs are installed first\n\
         Error from server (Invalid): error when creating \"STDIN\": ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n"
    );
    assert_eq!(code, 1);
    // kubectl create -f: the visitor's errors in document order.
    let docs = [cm("taken"), cm("other"), cm("fresh")].join("---\n");
    let (text, code) = run(&mut c, "kubectl create -f -", &docs);
    assert_eq!(
        text,
        "configmap/other created\n\
         Error from server (AlreadyExists): error when creating \"STDIN\": configmaps \"taken\" already exists\n\
         Error from server (AlreadyExists): error when creating \"STDIN\": configmaps \"fresh\" already exists\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn applying_over_an_object_created_imperatively_warns() {
    let mut c = Cluster::new(Preset::Empty, 1);
    run(&mut c, "kubectl create -f -", &cm("made"));
    let changed = cm("made").replace("a: b", "a: c");
    let (text, code) = run(&mut c, "kubectl apply -f -", &changed);
    assert_eq!(
        text,
        "Warning: resource configmaps/made is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\nconfigmap/made configured\n"
    );
    assert_eq!(code, 0);
    // The annotation is there now: no warning the second time.
    let (text, _) = run(&mut c, "kubectl apply -f -", &changed);
    assert_eq!(text, "configmap/made unchanged\n");
}
