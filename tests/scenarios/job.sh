# A Job runs its pod to completion (k8s.io/examples/controllers/job.yaml with busybox: podlab's
# kubelet does not simulate perl). The Job controller creates pi-<5 chars> with the
# batch.kubernetes.io/job-tracking finalizer, counts the succeeded pod through
# status.uncountedTerminatedPods and removes the finalizer, then sets SuccessCriteriaMet and
# Complete (CompletionsReached). A Job that fails past its backoffLimit gets FailureTarget then
# Failed (BackoffLimitExceeded, "Job has reached the specified backoff limit").
kubectl apply -f - <<'YAML'
apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      containers:
      - name: pi
        image: busybox:1.36
        command: ["sh", "-c", "echo 3.14159"]
      restartPolicy: Never
  backoffLimit: 4
YAML
sleep 30
kubectl get jobs
kubectl get pods
kubectl get job pi -o jsonpath='{.status.conditions[*].type} {.status.conditions[*].reason} {.status.succeeded}'
kubectl get pods -o jsonpath='{.items[0].metadata.finalizers}'
kubectl get events --field-selector involvedObject.kind=Job
kubectl apply -f - <<'YAML'
apiVersion: batch/v1
kind: Job
metadata:
  name: fails
spec:
  template:
    spec:
      containers:
      - name: main
        image: busybox:1.36
        command: ["sh", "-c", "exit 1"]
      restartPolicy: Never
  backoffLimit: 0
YAML
sleep 30
kubectl get job fails -o jsonpath='{.status.conditions[*].type} {.status.failed}'
kubectl get job fails -o jsonpath='{.status.conditions[1].message}'
