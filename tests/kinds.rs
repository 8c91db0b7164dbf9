//! The API server's strategies for the kinds beyond Pods and Deployments, as a v1.36 server
//! applies them: StatefulSets, Jobs, CronJobs, Ingresses, IngressClasses, PersistentVolumes and
//! their claims, StorageClasses and PriorityClasses. Each kind is created from a manifest in the
//! spirit of the Kubernetes documentation's examples and read back with the defaults the real
//! server stores; invalid ones are refused with the real messages.

use podlab::{Cluster, Preset};

fn cluster() -> Cluster {
    Cluster::new(Preset::Default, 7)
}

/// Apply a manifest from stdin; the output and whether it succeeded.
fn apply(c: &mut Cluster, manifest: &str) -> (String, bool) {
    let out = c.kubectl("kubectl apply -f -", Some(manifest));
    (out.text, out.exit_code == 0)
}

fn run(c: &mut Cluster, line: &str) -> String {
    let out = c.kubectl(line, None);
    assert_eq!(out.exit_code, 0, "{line}: {}", out.text);
    out.text
}

/// `kubectl get KIND NAME -o jsonpath=...`.
fn field(c: &mut Cluster, what: &str, path: &str) -> String {
    run(c, &format!("kubectl get {what} -o jsonpath={{{path}}}"))
}

const WEB: &str = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.8
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
";

#[test]
fn a_stateful_set_gets_the_apps_v1_defaults() {
    let mut c = cluster();
    let (out, ok) = apply(&mut c, WEB);
    assert!(ok, "{out}");
    assert_eq!(out, "statefulset.apps/web created\n");
    let sts = "statefulset web";
    assert_eq!(
        field(&mut c, sts, ".spec.podManagementPolicy"),
        "OrderedReady"
    );
    assert_eq!(
        field(&mut c, sts, ".spec.updateStrategy"),
        r#"{"rollingUpdate":{"partition":0},"type":"RollingUpdate"}"#
    );
    assert_eq!(
        field(&mut c, sts, ".spec.persistentVolumeClaimRetentionPolicy"),
        r#"{"whenDeleted":"Retain","whenScaled":"Retain"}"#
    );
    assert_eq!(field(&mut c, sts, ".spec.revisionHistoryLimit"), "10");
    assert_eq!(
        field(&mut c, sts, ".spec.template.spec.restartPolicy"),
        "Always"
    );
    let claim = ".spec.volumeClaimTemplates[0]";
    assert_eq!(
        field(&mut c, sts, &format!("{claim}.kind")),
        "PersistentVolumeClaim"
    );
    assert_eq!(field(&mut c, sts, &format!("{claim}.apiVersion")), "v1");
    assert_eq!(
        field(&mut c, sts, &format!("{claim}.spec.volumeMode")),
        "Filesystem"
    );
    assert_eq!(
        field(&mut c, sts, &format!("{claim}.status.phase")),
        "Pending"
    );
    assert_eq!(
        field(&mut c, sts, ".status"),
        r#"{"availableReplicas":0,"replicas":0}"#
    );
}

#[test]
fn a_stateful_set_refuses_changes_outside_its_mutable_fields() {
    let mut c = cluster();
    assert!(apply(&mut c, WEB).1);
    let scaled = WEB.replace("replicas: 2", "replicas: 3");
    let (out, ok) = apply(&mut c, &scaled);
    assert!(ok, "{out}");
    let renamed = scaled.replace("serviceName: nginx", "serviceName: other");
    let (out, ok) = apply(&mut c, &renamed);
    assert!(!ok);
    assert_eq!(
        out,
        "The StatefulSet \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden\n"
    );
}

#[test]
fn stateful_set_names_are_dns_labels_and_templates_must_match() {
    let mut c = cluster();
    let bad = WEB.replace("name: web", "name: web.v1").replace(
        "      app: nginx\n  template",
        "      app: other\n  template",
    );
    let (out, ok) = apply(&mut c, &bad);
    assert!(!ok);
    assert_eq!(
        out,
        "The StatefulSet \"web.v1\" is invalid: \n* metadata.name: Invalid value: \"web.v1\": must not contain dots\n* spec.template.metadata.labels: Invalid value: {\"app\":\"nginx\"}: `selector` does not match template `labels`\n"
    );
}

const PI: &str = "apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: [perl, -Mbignum=bpi, -wle, print bpi(2000)]
      restartPolicy: Never
  backoffLimit: 4
";

#[test]
fn a_job_gets_the_batch_v1_defaults() {
    let mut c = cluster();
    let (out, ok) = apply(&mut c, PI);
    assert!(ok, "{out}");
    let job = "job pi";
    assert_eq!(field(&mut c, job, ".spec.completions"), "1");
    assert_eq!(field(&mut c, job, ".spec.parallelism"), "1");
    assert_eq!(field(&mut c, job, ".spec.backoffLimit"), "4");
    assert_eq!(field(&mut c, job, ".spec.completionMode"), "NonIndexed");
    assert_eq!(field(&mut c, job, ".spec.suspend"), "false");
    assert_eq!(field(&mut c, job, ".spec.manualSelector"), "false");
    assert_eq!(
        field(&mut c, job, ".spec.podReplacementPolicy"),
        "TerminatingOrFailed"
    );
}

#[test]
fn a_job_gets_a_selector_and_labels_generated_from_its_uid() {
    let mut c = cluster();
    let (out, ok) = apply(&mut c, PI);
    assert!(ok, "{out}");
    let uid = field(&mut c, "job pi", ".metadata.uid");
    assert!(!uid.is_empty());
    let selector = run(
        &mut c,
        "kubectl get job pi -o jsonpath='{.spec.selector.matchLabels.batch\\.kubernetes\\.io/controller-uid}'",
    );
    assert_eq!(selector, uid);
    // SetDefaults_Job copies the template's labels (with the generated ones) to the Job.
    let labels = field(&mut c, "job pi", ".metadata.labels");
    let expected = format!(
        "{{\"batch.kubernetes.io/controller-uid\":\"{uid}\",\"batch.kubernetes.io/job-name\":\"pi\",\"controller-uid\":\"{uid}\",\"job-name\":\"pi\"}}"
    );
    assert_eq!(labels, expected);
    assert_eq!(
        field(&mut c, "job pi", ".spec.template.metadata.labels"),
        expected
    );
}

#[test]
fn a_job_must_not_restart_always() {
    let mut c = cluster();
    let (out, ok) = apply(&mut c, &PI.replace("      restartPolicy: Never\n", ""));
    assert!(!ok);
    assert_eq!(
        out,
        "The Job \"pi\" is invalid: spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"\n"
    );
    let (out, _) = apply(&mut c, &PI.replace("backoffLimit: 4", "backoffLimit: -1"));
    assert_eq!(
        out,
        "The Job \"pi\" is invalid: spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0\n"
    );
}

#[test]
fn a_job_template_is_immutable() {
    let mut c = cluster();
    assert!(apply(&mut c, PI).1);
    let (out, ok) = apply(&mut c, &PI.replace("backoffLimit: 4", "backoffLimit: 5"));
    assert!(ok, "{out}");
    let (out, ok) = apply(&mut c, &PI.replace("perl:5.34.0", "perl:5.36.0"));
    assert!(!ok);
    assert!(
        out.starts_with("The Job \"pi\" is invalid: spec.template: Invalid value: "),
        "{out}"
    );
    assert!(out.ends_with(": field is immutable\n"), "{out}");
}

const HELLO: &str = "apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: \"* * * * *\"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: hello
            image: busybox:1.28
            command: [/bin/sh, -c, date; echo Hello from the Kubernetes cluster]
          restartPolicy: OnFailure
";

#[test]
fn a_cron_job_gets_its_defaults_and_its_schedule_is_parsed() {
    let mut c = cluster();
    let (out, ok) = apply(&mut c, HELLO);
    assert!(ok, "{out}");
    let cj = "cronjob hello";
    assert_eq!(field(&mut c, cj, ".spec.concurrencyPolicy"), "Allow");
    assert_eq!(field(&mut c, cj, ".spec.suspend"), "false");
    assert_eq!(field(&mut c, cj, ".spec.successfulJobsHistoryLimit"), "3");
    assert_eq!(field(&mut c, cj, ".spec.failedJobsHistoryLimit"), "1");
    assert_eq!(field(&mut c, cj, ".spec.jobTemplate.metadata"), "{}");
    // The job template gets no Job defaults, only its pod template's.
    assert_eq!(field(&mut c, cj, ".spec.jobTemplate.spec.backoffLimit"), "");
    let bad = HELLO
        .replace("name: hello\nspec", "name: ticker\nspec")
        .replace("\"* * * * *\"", "\"61 * * * *\"");
    let (out, ok) = apply(&mut c, &bad);
    assert!(!ok);
    assert_eq!(
        out,
        "The CronJob \"ticker\" is invalid: spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61\n"
    );
}

#[test]
fn cron_job_names_leave_room_for_the_job_suffix() {
    let mut c = cluster();
    let long = "a".repeat(53);
    let (out, ok) = apply(
        &mut c,
        &HELLO.replace("name: hello\nspec", &format!("name: {long}\nspec")),
    );
    assert!(!ok);
    assert_eq!(
        out,
        format!("The CronJob \"{long}\" is invalid: metadata.name: Invalid value: \"{long}\": must be no more than 52 characters\n")
    );
}

const INGRESS: &str = "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: minimal-ingress
spec:
  ingressClassName: nginx-example
  rules:
  - http:
      paths:
      - path: /testpath
        pathType: Prefix
        backend:
          service:
            name: test
            port:
              number: 80
";

#[test]
fn an_ingress_is_stored_with_an_empty_load_balancer_status() {
    let mut c = cluster();
    let (out, ok) = apply(&mut c, INGRESS);
    assert!(ok, "{out}");
    assert_eq!(out, "ingress.networking.k8s.io/minimal-ingress created\n");
    assert_eq!(
        field(&mut c, "ingress minimal-ingress", ".status"),
        r#"{"loadBalancer":{}}"#
    );
}

#[test]
fn an_ingress_path_needs_a_path_type_and_an_absolute_path() {
    let mut c = cluster();
    let bad = INGRESS
        .replace("        pathType: Prefix\n", "")
        .replace("- http:", "- host: \"*.foo.com\"\n    http:");
    let (out, ok) = apply(&mut c, &bad);
    assert!(!ok);
    assert_eq!(
        out,
        "The Ingress \"minimal-ingress\" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified\n"
    );
    let relative = INGRESS.replace("path: /testpath", "path: testpath");
    let (out, _) = apply(&mut c, &relative);
    assert_eq!(
        out,
        "The Ingress \"minimal-ingress\" is invalid: spec.rules[0].http.paths[0].path: Invalid value: \"testpath\": must be an absolute path\n"
    );
}

#[test]
fn volumes_and_claims_get_their_defaults() {
    let mut c = cluster();
    let (out, ok) = apply(
        &mut c,
        "apiVersion: v1
kind: PersistentVolume
metadata:
  name: task-pv-volume
spec:
  storageClassName: manual
  capacity:
    storage: 10Gi
  accessModes: [ReadWriteOnce]
  hostPath:
    path: /mnt/data
",
    );
    assert!(ok, "{out}");
    let pv = "pv task-pv-volume";
    assert_eq!(
        field(&mut c, pv, ".spec.persistentVolumeReclaimPolicy"),
        "Retain"
    );
    assert_eq!(field(&mut c, pv, ".spec.volumeMode"), "Filesystem");
    assert_eq!(field(&mut c, pv, ".status.phase"), "Pending");
    let (out, ok) = apply(
        &mut c,
        "apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: task-pv-claim
spec:
  storageClassName: manual
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 3Gi
",
    );
    assert!(ok, "{out}");
    let pvc = "pvc task-pv-claim";
    assert_eq!(field(&mut c, pvc, ".spec.volumeMode"), "Filesystem");
    assert_eq!(field(&mut c, pvc, ".status.phase"), "Pending");
}

#[test]
fn claims_and_volumes_refuse_what_is_missing() {
    let mut c = cluster();
    let (out, ok) = apply(
        &mut c,
        "apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  resources: {}
",
    );
    assert!(!ok);
    assert_eq!(
        out,
        "The PersistentVolumeClaim \"data\" is invalid: \n* spec.accessModes: Required value: at least 1 access mode is required\n* spec.resources[storage]: Required value\n"
    );
    let (out, ok) = apply(
        &mut c,
        "apiVersion: v1
kind: PersistentVolume
metadata:
  name: empty
spec:
  accessModes: [ReadWriteOnce]
  capacity:
    storage: 1Gi
",
    );
    assert!(!ok);
    assert_eq!(
        out,
        "The PersistentVolume \"empty\" is invalid: spec: Required value: must specify a volume type\n"
    );
}

#[test]
fn storage_and_priority_classes_get_their_defaults() {
    let mut c = cluster();
    let (out, ok) = apply(
        &mut c,
        "apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: local-storage
provisioner: kubernetes.io/no-provisioner
",
    );
    assert!(ok, "{out}");
    let sc = "storageclass local-storage";
    assert_eq!(field(&mut c, sc, ".reclaimPolicy"), "Delete");
    assert_eq!(field(&mut c, sc, ".volumeBindingMode"), "Immediate");
    let (out, ok) = apply(
        &mut c,
        "apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: high-priority
value: 1000000
description: For pods that must run.
",
    );
    assert!(ok, "{out}");
    assert_eq!(
        field(&mut c, "priorityclass high-priority", ".preemptionPolicy"),
        "PreemptLowerPriority"
    );
}

#[test]
fn priority_classes_keep_system_names_and_big_values_for_the_system() {
    let mut c = cluster();
    let (out, _) = apply(
        &mut c,
        "apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: system-high
value: 1000
",
    );
    assert_eq!(
        out,
        "The PriorityClass \"system-high\" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-high is not a known system priority class\n"
    );
    let (out, _) = apply(
        &mut c,
        "apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: huge
value: 2000000000
",
    );
    assert_eq!(
        out,
        "The PriorityClass \"huge\" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000\n"
    );
}

const AGENT: &str = "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      containers:
      - name: agent
        image: busybox:1.36
        command: [sleep, infinity]
";

#[test]
fn a_daemon_set_carries_its_template_generation_and_restarts_always() {
    let mut c = cluster();
    let (out, ok) = apply(&mut c, AGENT);
    assert!(ok, "{out}");
    assert_eq!(
        run(
            &mut c,
            r"kubectl get ds agent -o 'jsonpath={.metadata.annotations.deprecated\.daemonset\.template\.generation}'"
        ),
        "1"
    );
    let (out, ok) = apply(
        &mut c,
        &AGENT
            .replace("name: agent\nspec", "name: batch\nspec")
            .replace(
                "    spec:\n      containers",
                "    spec:\n      restartPolicy: OnFailure\n      containers",
            ),
    );
    assert!(!ok);
    assert_eq!(
        out,
        "The DaemonSet \"batch\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"\n"
    );
}
