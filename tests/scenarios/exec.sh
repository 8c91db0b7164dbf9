# kubectl exec as a tutorial uses it: a command run in a running container (kubectl GETs the pod,
# then POSTs pods/NAME/exec; the API server proxies the streams to the node's kubelet, which has
# the runtime exec the command in the container). Output comes back on stdout/stderr; a non-zero
# exit is kubectl's "command terminated with exit code N" and that exit code; files a command
# writes stay in the container for later execs. Then kubectl's own errors, the server's, and
# RBAC: reading a pod does not allow exec into it (create on pods/exec).
podlab cluster empty
podlab node add real-worker --ip 10.200.0.1 --pod-cidr 10.244.5.0/24 --image busybox:1.36 --image nginx:1.27
kubectl apply -f - <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: shell
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    env:
    - name: GREETING
      value: hello
YAML
sleep 10
kubectl exec shell -- echo hi
kubectl exec shell -- hostname
kubectl exec shell -- printenv GREETING
kubectl exec shell -- ls /tmp
kubectl exec shell -- touch /tmp/healthy
kubectl exec shell -- ls /tmp
kubectl exec shell -- rm /tmp/healthy
kubectl exec shell -- cat /tmp/healthy
kubectl exec shell -- sh -c "echo bye; exit 3"
kubectl exec shell echo old-form
kubectl exec shell
kubectl exec missing -- ls
kubectl exec shell -c nope -- ls
kubectl apply -f - <<'YAML'
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: pod-reader
  namespace: default
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-pods
  namespace: default
subjects:
- kind: User
  name: jane
  apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: Role
  name: pod-reader
  apiGroup: rbac.authorization.k8s.io
YAML
kubectl exec shell --as=jane -- ls
