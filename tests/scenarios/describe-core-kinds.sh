# kubectl describe for the namespaced basics a tutorial meets first: a namespace (with its quota
# and limit sections), a ConfigMap (values in full, keys sorted), a Secret (sizes only) and the
# default ServiceAccount. Texts: describe.go NamespaceDescriber, ConfigMapDescriber,
# SecretDescriber, ServiceAccountDescriber.
kubectl describe namespace default
kubectl create configmap app --from-literal=size=10 --from-literal=color=blue
kubectl describe configmap app
kubectl apply -f - <<'YAML'
apiVersion: v1
kind: Secret
metadata:
  name: db
type: Opaque
data:
  user: YWRtaW4=
  password: czNjcmV0
YAML
kubectl describe secret db
kubectl describe serviceaccount default
kubectl describe sa nope
