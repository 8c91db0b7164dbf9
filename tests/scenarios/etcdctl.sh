# etcd as an operator sees it behind the API server (podlab's own etcdctl lines; a transcript of
# a real cluster has none): the keys the API server writes, a value (JSON here, where a default
# kube-apiserver stores protobuf), the store at an earlier revision, and compaction.
kubectl apply -f - <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: app
data:
  color: blue
YAML
etcdctl get /registry/configmaps/default/ --prefix --keys-only
etcdctl get /registry/configmaps/default/app --print-value-only
kubectl patch configmap app -p '{"data":{"color":"green"}}'
etcdctl get /registry/configmaps/default/app --print-value-only
etcdctl get /registry/namespaces/ --prefix --keys-only
etcdctl get / --prefix --keys-only --rev=2
etcdctl get /registry/configmaps/default/app --prefix --from-key
etcdctl compaction 2
etcdctl get / --prefix --keys-only --rev=1
etcdctl compaction 2
etcdctl get / --prefix --rev=99999999
etcdctl version
