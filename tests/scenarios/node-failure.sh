# A node's kubelet stops: its Deployment pod is evicted after the default toleration and
# replaced on the other worker. No real transcript exists for this; every timing comes from the
# v1.36.2 sources:
# - the kubelet renews its Lease kube-node-lease/<node> every 10 s (leaseDurationSeconds 40 x
#   nodeLeaseRenewIntervalFraction 0.25, pkg/kubelet/kubelet.go) and posts node status every
#   10 s, PATCHing it only on change or every 5 min (nodeStatusUpdateFrequency,
#   nodeStatusReportFrequency, pkg/kubelet/apis/config/v1beta1/defaults.go);
# - the node lifecycle controller looks every 5 s (--node-monitor-period) and, 50 s
#   (--node-monitor-grace-period, pkg/controller/nodelifecycle/config/v1alpha1/defaults.go)
#   after the last heartbeat, sets every condition Unknown (NodeStatusUnknown), records
#   NodeNotReady, marks the pods not ready and adds node.kubernetes.io/unreachable:NoExecute
#   (node_lifecycle_controller.go monitorNodeHealth, processTaintBaseEviction);
# - the DefaultTolerationSeconds admission plugin gave each pod 300 s of toleration for that
#   taint, after which the taint eviction controller deletes it (TaintManagerEviction,
#   pkg/controller/tainteviction/taint_eviction.go); nobody confirms the deletion on a dead
#   node, so the pod stays Terminating (printers.go: NodeLost is set by nothing in v1.36) and
#   its ReplicaSet, which does not count a terminating pod, creates a replacement.
# - the kubelet started again posts Ready, stops the deleted pod's container and deletes it.
# Pods are listed per node (--field-selector spec.nodeName=...): the generated names' order
# would otherwise decide the rows' order.
kubectl create deployment web --image=nginx:1.27 --replicas=2
sleep 20
kubectl get pods -o wide --field-selector spec.nodeName=worker-2
podlab node stop worker-2
sleep 30
kubectl get nodes
sleep 40
kubectl get nodes
kubectl get pods -o wide --field-selector spec.nodeName=worker-2
sleep 300
kubectl get pods -o wide --field-selector spec.nodeName=worker-2
kubectl get deployment web
podlab node start worker-2
sleep 40
kubectl get nodes
kubectl get pods -o wide --field-selector spec.nodeName=worker-2
kubectl get deployment web
