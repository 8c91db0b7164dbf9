//! `kubectl get` tables and `kubectl describe` for the kinds beyond pods and deployments, end to
//! end through a cluster: objects applied as a tutorial would, then printed with the columns of
//! pkg/printers/internalversion/printers.go and the describers of kubectl's describe.go.

use podlab::{Cluster, Preset};

fn cluster() -> Cluster {
    Cluster::new(Preset::Default, 7)
}

fn run(c: &mut Cluster, line: &str) -> (String, i32) {
    let out = c.kubectl(line, None);
    (out.text, out.exit_code)
}

fn apply(c: &mut Cluster, manifest: &str) {
    let out = c.kubectl("kubectl apply -f -", Some(manifest));
    assert_eq!(out.exit_code, 0, "{}", out.text);
}

/// The table's header line and the words of the row starting with `name`.
fn header_and_row(text: &str, name: &str) -> (String, Vec<String>) {
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default().to_string();
    let row = lines
        .find(|l| l.split_whitespace().next() == Some(name))
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    (header, row)
}

/// Collapses the column padding so that headers compare by their words.
fn words(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

const JOB: &str = "apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: [\"perl\", \"-Mbignum=bpi\", \"-wle\", \"print bpi(2000)\"]
      restartPolicy: Never
  backoffLimit: 4
";

const CRON_JOB: &str = "apiVersion: batch/v1
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
            command: [\"/bin/sh\", \"-c\", \"date; echo Hello\"]
          restartPolicy: OnFailure
";

#[test]
fn jobs_and_cron_jobs() {
    let mut c = cluster();
    apply(&mut c, JOB);
    apply(&mut c, CRON_JOB);
    let (text, code) = run(&mut c, "kubectl get jobs");
    assert_eq!(code, 0, "{text}");
    let (header, row) = header_and_row(&text, "pi");
    assert_eq!(words(&header), "NAME STATUS COMPLETIONS DURATION AGE");
    assert_eq!(row.get(2).map(String::as_str), Some("0/1"), "{text}");
    let (text, _) = run(&mut c, "kubectl get cronjobs -o wide");
    let (header, row) = header_and_row(&text, "hello");
    assert_eq!(
        words(&header),
        "NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE CONTAINERS IMAGES SELECTOR"
    );
    assert_eq!(row[1..6], ["*", "*", "*", "*", "*"], "{text}");
    assert_eq!(row[6..8], ["<none>", "False"], "{text}");
    assert!(row.contains(&"busybox:1.28".to_string()), "{text}");
    let (text, code) = run(&mut c, "kubectl describe cronjob hello");
    assert_eq!(code, 0, "{text}");
    assert!(text.starts_with("Name:  "), "{text}");
    assert!(text.contains("\nSchedule:  "), "{text}");
    assert!(text.contains("\nActive Jobs:  "), "{text}");
    let (text, code) = run(&mut c, "kubectl describe job pi");
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("\nCompletions:  "), "{text}");
    assert!(text.contains("\nPods Statuses:  "), "{text}");
}

const STORAGE: &str = "apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: task-pv-volume
  labels:
    type: local
spec:
  storageClassName: manual
  capacity:
    storage: 10Gi
  accessModes:
    - ReadWriteOnce
  hostPath:
    path: \"/mnt/data\"
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: task-pv-claim
spec:
  storageClassName: manual
  accessModes:
    - ReadWriteOnce
  resources:
    requests:
      storage: 3Gi
";

#[test]
fn storage_kinds() {
    let mut c = cluster();
    apply(&mut c, STORAGE);
    let (text, code) = run(&mut c, "kubectl get storageclass fast");
    assert_eq!(code, 0, "{text}");
    let (header, row) = header_and_row(&text, "fast");
    assert_eq!(
        words(&header),
        "NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE"
    );
    assert_eq!(
        row[1..5],
        [
            "kubernetes.io/no-provisioner",
            "Delete",
            "WaitForFirstConsumer",
            "false"
        ],
        "{text}"
    );
    let (text, _) = run(&mut c, "kubectl get pv");
    let (header, row) = header_and_row(&text, "task-pv-volume");
    assert_eq!(
        words(&header),
        "NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE"
    );
    assert_eq!(row[1..4], ["10Gi", "RWO", "Retain"], "{text}");
    let (text, _) = run(&mut c, "kubectl get pvc -o wide");
    let (header, row) = header_and_row(&text, "task-pv-claim");
    assert_eq!(
        words(&header),
        "NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE VOLUMEMODE"
    );
    assert!(row.contains(&"manual".to_string()), "{text}");
    let (text, code) = run(&mut c, "kubectl describe pv task-pv-volume");
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("\nReclaim Policy:  Retain\n"), "{text}");
    assert!(
        text.contains("HostPath (bare host directory volume)"),
        "{text}"
    );
    let (text, code) = run(&mut c, "kubectl describe pvc task-pv-claim");
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("\nStorageClass:  manual\n"), "{text}");
    assert!(text.contains("\nUsed By:       <none>\n"), "{text}");
    let (text, code) = run(&mut c, "kubectl describe storageclass fast");
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("\nIsDefaultClass:  No\n"), "{text}");
}

const RBAC: &str = "apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: pod-reader
rules:
- apiGroups: [\"\"]
  resources: [\"pods\"]
  verbs: [\"get\", \"watch\", \"list\"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-pods
subjects:
- kind: User
  name: jane
  apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: Role
  name: pod-reader
  apiGroup: rbac.authorization.k8s.io
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: high-priority
value: 1000000
globalDefault: false
description: \"This priority class should be used for XYZ service pods only.\"
";

#[test]
fn rbac_and_priority_classes() {
    let mut c = cluster();
    apply(&mut c, RBAC);
    let (text, _) = run(&mut c, "kubectl get rolebindings -o wide");
    let (header, row) = header_and_row(&text, "read-pods");
    assert_eq!(words(&header), "NAME ROLE AGE USERS GROUPS SERVICEACCOUNTS");
    assert_eq!(row[1], "Role/pod-reader", "{text}");
    assert_eq!(row.last().map(String::as_str), Some("jane"), "{text}");
    let (text, _) = run(&mut c, "kubectl get roles");
    assert_eq!(
        words(text.lines().next().unwrap_or_default()),
        "NAME CREATED AT"
    );
    let (text, code) = run(&mut c, "kubectl describe role pod-reader");
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("\n  pods       []                 []              [get watch list]\n"),
        "{text}"
    );
    let (text, code) = run(&mut c, "kubectl describe rolebinding read-pods");
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("\nRole:\n  Kind:  Role\n  Name:  pod-reader\n"),
        "{text}"
    );
    let (text, _) = run(&mut c, "kubectl get priorityclass high-priority");
    let (header, row) = header_and_row(&text, "high-priority");
    assert_eq!(
        words(&header),
        "NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY"
    );
    assert_eq!(row[1..3], ["1000000", "false"], "{text}");
    let (text, code) = run(&mut c, "kubectl describe priorityclass high-priority");
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("\nGlobalDefault:     false\n"), "{text}");
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
fn ingresses() {
    let mut c = cluster();
    apply(&mut c, INGRESS);
    let (text, _) = run(&mut c, "kubectl get ingress");
    let (header, row) = header_and_row(&text, "minimal-ingress");
    assert_eq!(words(&header), "NAME CLASS HOSTS ADDRESS PORTS AGE");
    assert_eq!(row[1..4], ["nginx-example", "*", "80"], "{text}");
    let (text, code) = run(&mut c, "kubectl describe ingress minimal-ingress");
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("/testpath   test:80 (<error: services \"test\" not found>)"),
        "{text}"
    );
}

#[test]
fn a_missing_named_object_prints_no_list() {
    let mut c = cluster();
    let (text, code) = run(&mut c, "kubectl get pod nope -o yaml");
    assert_eq!(
        text,
        "Error from server (NotFound): pods \"nope\" not found\n"
    );
    assert_eq!(code, 1);
    let (text, _) = run(&mut c, "kubectl get pods nope other -o json");
    assert!(text.contains("\"kind\": \"List\""), "{text}");
}

/// v1.36 printServiceAccount prints NAME and AGE; describeServiceAccount lists only the image
/// pull secrets.
#[test]
fn service_accounts_in_v1_36() {
    let mut c = cluster();
    let (text, code) = run(&mut c, "kubectl get serviceaccounts");
    assert_eq!(code, 0, "{text}");
    let (header, row) = header_and_row(&text, "default");
    assert_eq!(words(&header), "NAME AGE");
    assert_eq!(row.first().map(String::as_str), Some("default"));
    let (text, _) = run(&mut c, "kubectl describe sa default");
    assert!(text.contains("Image pull secrets:  <none>\n"), "{text}");
    assert!(!text.contains("Mountable secrets"), "{text}");
    assert!(!text.contains("Tokens:"), "{text}");
}

const TWO_CONTAINERS: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"echo from app; sleep 3600\"]
  - name: side
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"echo from side; sleep 3600\"]
";

/// `kubectl logs web --all-containers` with the flag last (a bool, logs.go), and `--prefix`
/// (addPrefixIfNeeded: `[pod/NAME/CONTAINER] `).
#[test]
fn logs_of_all_containers_with_the_flag_last() {
    let mut c = cluster();
    apply(&mut c, TWO_CONTAINERS);
    c.advance(30_000);
    let (text, code) = run(&mut c, "kubectl logs web --all-containers");
    assert_eq!((text.as_str(), code), ("from app\nfrom side\n", 0));
    let (text, code) = run(&mut c, "kubectl logs web --all-containers --prefix");
    assert_eq!(
        (text.as_str(), code),
        ("[pod/web/app] from app\n[pod/web/side] from side\n", 0)
    );
    let (text, _) = run(&mut c, "kubectl logs web -c side --prefix=true");
    assert_eq!(text, "[pod/web/side] from side\n");
}
