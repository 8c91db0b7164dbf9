# A DaemonSet puts one pod on every node whose taints it tolerates (the docs' fluentd example
# tolerates the control-plane taint, so all three kind nodes get one), then rolls a new image
# out node by node (RollingUpdate, maxUnavailable 1), which `kubectl rollout status` follows
# (DaemonSetStatusViewer). A CronJob on the virtual clock starts a Job
# each minute (hello-<minutes since the epoch>), keeps three successful Jobs
# (successfulJobsHistoryLimit) and deletes the older ones; deleting it deletes its Jobs too
# (background cascading deletion by the garbage collector).
kubectl apply -f - <<'YAML'
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd-elasticsearch
  namespace: kube-system
  labels:
    k8s-app: fluentd-logging
spec:
  selector:
    matchLabels:
      name: fluentd-elasticsearch
  template:
    metadata:
      labels:
        name: fluentd-elasticsearch
    spec:
      tolerations:
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule
      - key: node-role.kubernetes.io/master
        operator: Exists
        effect: NoSchedule
      containers:
      - name: fluentd-elasticsearch
        image: quay.io/fluentd_elasticsearch/fluentd:v5.0.1
      terminationGracePeriodSeconds: 30
YAML
sleep 20
kubectl get ds -n kube-system
kubectl get pods -n kube-system -l name=fluentd-elasticsearch -o custom-columns=NODE:.spec.nodeName,STATUS:.status.phase --sort-by=.spec.nodeName
kubectl set image ds/fluentd-elasticsearch -n kube-system fluentd-elasticsearch=quay.io/fluentd_elasticsearch/fluentd:v5.0.2
kubectl rollout status ds/fluentd-elasticsearch -n kube-system
kubectl get ds -n kube-system
kubectl get pods -n kube-system -l name=fluentd-elasticsearch -o custom-columns=NODE:.spec.nodeName,IMAGE:.spec.containers[0].image --sort-by=.spec.nodeName
kubectl apply -f - <<'YAML'
apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: hello
            image: busybox:1.28
            imagePullPolicy: IfNotPresent
            command:
            - /bin/sh
            - -c
            - date; echo Hello from the Kubernetes cluster
          restartPolicy: OnFailure
YAML
sleep 290
kubectl get cronjob hello
kubectl get jobs --no-headers -o custom-columns=STATUS:.status.conditions[-1].type,OWNER:.metadata.ownerReferences[0].name
kubectl delete cronjob hello
sleep 10
kubectl get jobs
