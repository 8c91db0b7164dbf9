# A Deployment's rollout as a tutorial walks it: rollout status watches until the new pods are
# available; describe shows the Deployment with its pod template, conditions and ReplicaSets,
# and the ReplicaSet it controls; set image starts revision 2; history lists both revisions;
# undo brings revision 1's template back (as revision 3); restart stamps the template with
# kubectl.kubernetes.io/restartedAt. Texts: kubectl's describe.go (DeploymentDescriber,
# ReplicaSetDescriber, DescribePodTemplate) and polymorphichelpers (rollout_status.go,
# history.go, rollback.go, objectrestarter.go).
kubectl apply -f - <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
YAML
kubectl rollout status deployment/web
kubectl describe deployment web
kubectl describe rs -l app=web
kubectl rollout history deployment/web
kubectl rollout undo deployment/web
kubectl set image deployment/web nginx=nginx:1.28
kubectl rollout status deployment/web --watch=false
sleep 30
kubectl rollout status deployment/web
kubectl rollout history deployment/web
kubectl rollout history deployment/web --revision=1
kubectl rollout undo deployment/web
sleep 30
kubectl rollout history deployment/web
kubectl rollout undo deployment/web --to-revision=9
kubectl rollout restart deployment/web
sleep 30
kubectl get deployment web -o jsonpath='{.spec.template.metadata.annotations}'
kubectl rollout status deployment/nope
kubectl rollout status
kubectl rollout pause deployment/web
kubectl rollout pause deployment/web
kubectl rollout restart deployment/web
kubectl rollout undo deployment/web
kubectl rollout resume deployment/web
kubectl rollout resume deployment/web
