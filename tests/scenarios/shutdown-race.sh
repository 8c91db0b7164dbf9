# The shutdown race: steady traffic from a client pod to a 2-replica nginx Deployment behind a
# Service while one pod is deleted, without and then with a preStop sleep. The report counts the
# failed requests (connection refused between the container's exit and kube-proxy on the client's
# node dropping the endpoint) and shows when each endpoint consumer stopped sending to the pod.
kubectl apply -f - <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
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
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  containers:
  - name: c
    image: busybox:1.36
    command: ["sleep", "3600"]
YAML
sleep 15
kubectl exec client -- wget -qO- http://web/
kubectl exec client -- nslookup web.default.svc.cluster.local
podlab traffic start --to http://web/ --every 100ms --from client
sleep 2
kubectl delete pod -l app=web --field-selector spec.nodeName=worker-1 --wait=false
sleep 8
podlab traffic stop
podlab traffic report
kubectl patch deployment web --type=json -p '[{"op":"add","path":"/spec/template/spec/containers/0/lifecycle","value":{"preStop":{"exec":{"command":["sleep","5"]}}}}]'
sleep 30
podlab traffic start --to http://web/ --every 100ms --from client
sleep 2
kubectl delete pod -l app=web --field-selector spec.nodeName=worker-2 --wait=false
sleep 10
podlab traffic stop
podlab traffic report
