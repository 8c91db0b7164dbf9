# The shutdown race with a service mesh: the client pod opts in to a sidecar
# (sidecar.istio.io/inject: "true"), so istiod's injector webhook adds istio-init and the
# istio-proxy native sidecar when it is created (READY 2/2). Its requests to the Service go
# through its Envoy, which sends to the pods of its own endpoint view (EDS), pushed by istiod
# after its debounce (PILOT_DEBOUNCE_AFTER 100ms) and applied by the sidecar after its own delay.
# kube-proxy's rules on the client's node are not used, though kube-proxy still reprograms them.
# Without and then with a preStop sleep; each report shows when istiod pushed, when the client's
# sidecar stopped sending to the deleted pod, and when each kube-proxy did.
podlab mesh enable
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
  labels:
    sidecar.istio.io/inject: "true"
spec:
  containers:
  - name: c
    image: busybox:1.36
    command: ["sleep", "3600"]
YAML
sleep 15
kubectl get pods client
kubectl exec client -- wget -qO- http://web/
# The client's sidecar holds both pods of the Service (istioctl reads them from its Envoy).
istioctl proxy-config endpoints client.default --cluster "outbound|80||web.default.svc.cluster.local"
# 1. No preStop hook: nginx exits 50 ms after the deletion. istiod drops the pod from its push
# once the EndpointSlice marks it terminating (a terminating endpoint is never sent), and the
# sidecar stops picking it when the push reaches it. A request that picked it meanwhile is
# refused and retried on the other pod (the default retry policy: connect-failure, 2 retries),
# so the client sees no failure.
podlab traffic start --to http://web/ --every 100ms --from client
sleep 2
kubectl delete pod -l app=web --field-selector spec.nodeName=worker-1 --wait=false
sleep 8
podlab traffic stop
podlab traffic report
# 2. preStop sleep 5: nginx serves on while everyone drops the pod.
kubectl patch deployment web --type=json -p '[{"op":"add","path":"/spec/template/spec/containers/0/lifecycle","value":{"preStop":{"sleep":{"seconds":5}}}}]'
sleep 30
podlab traffic start --to http://web/ --every 100ms --from client
sleep 2
kubectl delete pod -l app=web --field-selector spec.nodeName=worker-2 --wait=false
# Half a second later, inside the preStop sleep: the sidecar already dropped the terminating pod
# (its replacement is not ready yet), while nginx in it still serves.
sleep 0.5
istioctl proxy-config endpoints client.default --cluster "outbound|80||web.default.svc.cluster.local"
sleep 9.5
podlab traffic stop
podlab traffic report
