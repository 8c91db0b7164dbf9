# The documentation's StatefulSet example (website content/en/examples/application/web/web.yaml:
# a headless Service nginx and a StatefulSet web of 2 replicas with volumeClaimTemplates www) on
# the kind-like default cluster, scaled to 3 and back to 1.
#
# Derived from the v1.36.2 source, not recorded against a real cluster:
# - pkg/controller/statefulset: OrderedReady creates web-0, waits for it to be Running and Ready,
#   then web-1 (web-2 on scale-up); each claim www-web-N is created before its pod
#   (stateful_pod_control.go CreateStatefulPod) with the events "create Claim www-web-0 Pod web-0
#   in StatefulSet web success" and "create Pod web-0 in StatefulSet web successful"; scale-down
#   deletes the highest ordinal first, one at a time, each waiting for the previous to be gone
#   ("delete Pod web-2 in StatefulSet web successful"); the claims are retained (the default
#   persistentVolumeClaimRetentionPolicy Retain/Retain), their volumes stay Bound.
# - pkg/controller/volume/persistentvolume and kind's rancher.io/local-path provisioner: the
#   WaitForFirstConsumer claims are provisioned once their pod has a node (pvc-<claim uid>,
#   RWO, reclaim policy Delete, class standard) and bound both ways.
#
# Unsure / podlab differences, noted here:
# - kind creates the StorageClass `standard` (rancher.io/local-path, WaitForFirstConsumer,
#   default) at cluster creation, as podlab's kind-like cluster does; the claim template names
#   no class (as web.yaml) and DefaultStorageClass admission gives the claims `standard`.
# - The image: the documentation's current web.yaml uses registry.k8s.io/nginx-slim:0.21 (older
#   copies say 0.7 or 0.8); it does not show in these tables.
# - The claims' own events (WaitForFirstConsumer, ExternalProvisioning, Provisioning,
#   ProvisioningSucceeded) are left out: their order and counts depend on when each informer
#   sees the claim and its pod.
kubectl apply -f - <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  ports:
  - port: 80
    name: web
  clusterIP: None
  selector:
    app: nginx
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: "nginx"
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.21
        ports:
        - containerPort: 80
          name: web
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ "ReadWriteOnce" ]
      resources:
        requests:
          storage: 1Gi
YAML
# The volumes are named pvc-<claim uid>: sorted by claim, so that the order does not depend on
# the uids.
sleep 30
kubectl get sts,pods,pvc
kubectl get pv --sort-by=.spec.claimRef.name
kubectl get pod web-0 -o jsonpath='{.metadata.labels} {.spec.hostname}.{.spec.subdomain} {.spec.volumes[0].persistentVolumeClaim.claimName}'
kubectl scale sts web --replicas=3
sleep 30
kubectl get sts,pods,pvc
kubectl scale sts web --replicas=1
sleep 120
kubectl get sts,pods,pvc
kubectl get pv --sort-by=.spec.claimRef.name
kubectl get sts web -o jsonpath='{.status.replicas} {.status.readyReplicas} {.status.currentReplicas} {.status.updatedReplicas} {.status.availableReplicas} {.status.collisionCount}'
kubectl get events --field-selector involvedObject.kind=StatefulSet
