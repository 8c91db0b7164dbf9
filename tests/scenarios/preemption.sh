# DefaultPreemption: a node full of a low-priority pod, and a pod of the system-cluster-critical
# PriorityClass (every cluster has it) that does not fit. Priority admission gives the new pod
# priority 2000000000; no node fits, so DefaultPreemption picks the node whose lower-priority pods
# can make room, nominates it (the FailedScheduling message then ends after the filters' reasons:
# a successful PostFilter adds nothing), and deletes the victim with a Preempted event on it.
# When the victim is gone the pod is retried and bound. A pod of the same priority as everything
# on the node finds no victims.
podlab cluster empty
podlab node add worker --ip 10.200.0.1 --pod-cidr 10.244.5.0/24 --cpu 2 --image busybox:1.36
kubectl apply -f - <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: low
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: app
    image: busybox:1.36
    command: ["sleep", "3600"]
    resources:
      requests:
        cpu: 1500m
YAML
sleep 5
kubectl get pods
kubectl apply -f - <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: same
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sleep", "3600"]
    resources:
      requests:
        cpu: "1"
---
apiVersion: v1
kind: Pod
metadata:
  name: critical
spec:
  priorityClassName: system-cluster-critical
  containers:
  - name: app
    image: busybox:1.36
    command: ["sleep", "3600"]
    resources:
      requests:
        cpu: "1"
YAML
sleep 1
kubectl get pod critical -o jsonpath='{.spec.priority} {.spec.preemptionPolicy} {.status.nominatedNodeName}{"\n"}'
kubectl get events --field-selector reason=Preempted
kubectl get events --field-selector reason=FailedScheduling
sleep 10
kubectl get pods
