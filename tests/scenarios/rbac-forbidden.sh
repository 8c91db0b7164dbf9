# RBAC as a tutorial shows it. kubectl acts as the user jane with --as (impersonation: the admin,
# in group system:masters, may impersonate anyone). Nobody has bound jane to a role, so the API
# server refuses her; a Role and a RoleBinding then let her read pods in one namespace, and
# nothing more.
kubectl auth whoami
kubectl auth whoami --as=jane
kubectl auth can-i list pods --as=jane
kubectl apply -f - <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
YAML
kubectl get pod web --as=jane
kubectl create namespace dev --as=jane
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
kubectl auth can-i list pods --as=jane
kubectl auth can-i delete pods --as=jane
kubectl auth can-i list pods --as=jane -n kube-system
kubectl auth can-i --list --as=jane
kubectl auth can-i get pods --subresource=log --as=jane
kubectl get pod web --as=jane -o jsonpath='{.metadata.name}'
kubectl delete pod web --as=jane
kubectl auth can-i get nodes --as=jane
kubectl auth can-i list pods --as=bob --as-group=devs
kubectl get pods --as-group=devs
kubectl auth can-i create pods --subresource=binding --as=system:kube-scheduler
kubectl auth can-i list pods -A --as=system:serviceaccount:kube-system:coredns
