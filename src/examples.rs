//! Manifests the page, the tests and the documentation share.

/// The page's first manifest: an nginx Pod and a Service selecting it, the smallest thing that
/// travels through every component (API server, etcd, scheduler, kubelet, CNI, EndpointSlice,
/// kube-proxy, CoreDNS).
pub const NGINX_POD_AND_SERVICE: &str = "apiVersion: v1
kind: Pod
metadata:
  name: nginx
  labels:
    app: nginx
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
  name: nginx
spec:
  selector:
    app: nginx
  ports:
  - port: 80
    targetPort: 80
";
