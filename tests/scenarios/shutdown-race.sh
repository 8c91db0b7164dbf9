# The shutdown race: steady traffic from a client pod to a 2-replica nginx Deployment behind a
# Service while one pod is deleted, without and then with a preStop sleep, then once more through
# an Ingress. Each report counts the requests and shows when each endpoint consumer stopped
# sending to the deleted pod.
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
# The Service works: DNS gives its ClusterIP, the client node's kube-proxy rules DNAT to a pod.
kubectl exec client -- wget -qO- http://web/
kubectl exec client -- nslookup web.default.svc.cluster.local
# 1. No preStop hook. The kubelet sends SIGTERM as soon as it sees the deletion and nginx exits
# 50 ms later; the EndpointSlice marks the pod not ready at the same moment, but each node's
# kube-proxy rewrites its rules only after its own delay. Until the client's node has, requests
# DNATed to the pod fail: connection refused while the sandbox lives, then no route to host
# once its address is released.
podlab traffic start --to http://web/ --every 100ms --from client
sleep 2
kubectl delete pod -l app=web --field-selector spec.nodeName=worker-1 --wait=false
sleep 8
podlab traffic stop
podlab traffic report
# 2. preStop sleep 5: the kubelet records Killing, runs the hook, and sends SIGTERM only after
# it (the hook counts against the 30 s grace period). nginx keeps serving while every
# kube-proxy drops the pod, so no request fails.
kubectl patch deployment web --type=json -p '[{"op":"add","path":"/spec/template/spec/containers/0/lifecycle","value":{"preStop":{"sleep":{"seconds":5}}}}]'
sleep 30
podlab traffic start --to http://web/ --every 100ms --from client
sleep 2
kubectl delete pod -l app=web --field-selector spec.nodeName=worker-2 --wait=false
sleep 10
podlab traffic stop
podlab traffic report
# 3. Through an Ingress, without preStop again: ingress-nginx sends to the pods directly (its
# upstream holds their addresses), reloads at most every 3.3 s, and retries a refused
# connection on the next server (proxy_next_upstream), so the report shows when the
# controller stopped sending to the pod.
kubectl patch deployment web --type=json -p '[{"op":"remove","path":"/spec/template/spec/containers/0/lifecycle"}]'
kubectl apply -f - <<'YAML'
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  ingressClassName: nginx
  rules:
  - host: web.example
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
YAML
sleep 30
podlab traffic start --to http://172.18.0.2/ --host web.example --every 100ms --from client
sleep 2
kubectl delete pod -l app=web --field-selector spec.nodeName=worker-1 --wait=false
sleep 8
podlab traffic stop
podlab traffic report
