# A node cut off from the network (`podlab node disconnect`, as `docker network disconnect` does to
# a kind node): its kubelet runs on, its container too, but neither side reaches the other. No real
# transcript exists for this; the texts come from the v1.36.2 sources:
# - the API server proxies `kubectl logs` to https://NODE-IP:10250/containerLogs/... and `kubectl
#   exec` to the kubelet (pkg/registry/core/pod/rest/log.go, subresources.go); its dial fails with
#   Go's net.OpError text, `dial tcp 172.18.0.4:10250: connect: no route to host`, wrapped in the
#   url.Error for logs and in "error dialing backend" for exec; kubectl prints a 500 without a
#   reason as `Error from server: MESSAGE`;
# - with no heartbeat for 50 s (--node-monitor-grace-period) the node goes NotReady and its pod's
#   Ready condition False (MarkPodsNotReady; kubectl's READY column counts container statuses,
#   which the controller does not touch); a pod that tolerates node.kubernetes.io/unreachable
#   without tolerationSeconds is never evicted;
# - reconnected, the kubelet posts Ready at once and the controller removes its taints.
kubectl apply -f - <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  nodeName: worker-2
  tolerations:
  - key: node.kubernetes.io/unreachable
    operator: Exists
    effect: NoExecute
  containers:
  - name: web
    image: nginx:1.27
YAML
sleep 20
podlab node disconnect worker-2
kubectl logs web
kubectl exec web -- ls /
sleep 60
kubectl get nodes
kubectl get pods -o wide
kubectl get pod web -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}{"\n"}'
sleep 600
kubectl get pods
podlab node reconnect worker-2
sleep 10
kubectl get nodes
kubectl get node worker-2 -o jsonpath='{.spec.taints}{"\n"}'
podlab node stop worker-2
kubectl logs web
