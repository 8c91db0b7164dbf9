# Namespaces as a v1.36 cluster runs them, and kubectl run. A new namespace gets its default
# ServiceAccount and kube-root-ca.crt ConfigMap from the serviceaccount and root-ca-cert-publisher
# controllers; a pod whose ServiceAccount does not exist is refused by the ServiceAccount
# admission plugin (the default account, which the controller recreates at once, is waited for);
# deleting the namespace marks it Terminating (nothing new may be created in
# it) until the namespace controller has emptied it and removed its finalizer.
kubectl delete namespace default
kubectl create namespace team
sleep 1
kubectl get serviceaccount default -n team -o name
kubectl get configmaps -n team
kubectl run web --image=nginx:1.27 --port=80 -n team
kubectl run web --image=nginx:1.27 -n team
kubectl run probe --image=busybox:1.36 --restart=Never --labels=app=probe --env=MODE=test --dry-run=client -o yaml --command -- sleep 3600
kubectl run bad --image=nginx --restart=Sometimes
kubectl run nameless
kubectl apply -n team -f - <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: robot
spec:
  serviceAccountName: robot
  containers:
  - name: app
    image: nginx:1.27
YAML
kubectl run robot --image=nginx:1.27 -n team --overrides='{"spec":{"serviceAccountName":"robot"}}'
kubectl delete serviceaccount default -n team
kubectl run late --image=nginx -n team
sleep 1
kubectl get serviceaccount default -n team -o name
sleep 10
kubectl get pods -n team
kubectl delete namespace team --wait=false
kubectl get namespace team
kubectl run doomed --image=nginx -n team
kubectl create configmap doomed --from-literal=a=b -n team
sleep 60
kubectl get namespace team
kubectl get pods -n team
