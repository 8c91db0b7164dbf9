//! The kubelet's HTTPS server on port 10250 (pkg/kubelet/server/server.go) and the API server's
//! way of reaching it (pkg/kubelet/client: the node's InternalIP and
//! `status.daemonEndpoints.kubeletEndpoint.Port`). `kubectl logs` is served here: the API server
//! proxies `GET …/pods/NAME/log` to `GET https://NODE:10250/containerLogs/NS/POD/CONTAINER`, and
//! the kubelet reads the container's log through the CRI.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use serde_json::Value;

use super::cri::Runtime;
use crate::sim::Millis;

/// The kubelet's port (`KubeletPort`).
pub const KUBELET_PORT: i64 = 10250;

/// What a node's kubelet shares with its server: the container runtime and the pods it runs,
/// with the status its status manager last computed for each.
#[derive(Debug)]
pub struct NodeState {
    pub runtime: Runtime,
    /// `namespace/name` → the pod, with the kubelet's latest status.
    pub pods: BTreeMap<String, Value>,
}

/// What the server answered: an HTTP code and body, and what it did on the way (for the trace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub code: u16,
    pub body: String,
    /// `(action, detail)` of each CRI call the kubelet made.
    pub cri_calls: Vec<(String, String)>,
}

impl Reply {
    fn error(code: u16, message: String) -> Reply {
        Reply {
            code,
            body: message,
            cri_calls: Vec::new(),
        }
    }
}

/// `GET /containerLogs/{namespace}/{pod}/{container}` with its query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogQuery {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    pub previous: bool,
    pub tail_lines: Option<i64>,
}

impl LogQuery {
    /// The path and query the API server requests.
    pub fn path(&self) -> String {
        let mut query = Vec::new();
        if self.previous {
            query.push("previous=true".to_string());
        }
        if let Some(n) = self.tail_lines {
            query.push(format!("tailLines={n}"));
        }
        let q = if query.is_empty() {
            String::new()
        } else {
            format!("?{}", query.join("&"))
        };
        format!(
            "/containerLogs/{}/{}/{}{q}",
            self.namespace, self.pod, self.container
        )
    }
}

/// One node's kubelet server.
#[derive(Clone)]
pub struct KubeletServer {
    pub node: String,
    state: Rc<RefCell<NodeState>>,
}

impl fmt::Debug for KubeletServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KubeletServer({})", self.node)
    }
}

use crate::unstructured::str_at;

impl KubeletServer {
    pub fn new(node: &str, state: Rc<RefCell<NodeState>>) -> Self {
        KubeletServer {
            node: node.to_string(),
            state,
        }
    }

    /// getContainerLogs and the kubelet's GetKubeletContainerLogs: find the pod and container,
    /// pick the container instance from the pod's status (validateContainerLogStatus), then read
    /// its log through the CRI. Errors found before the log is opened are a 400 (404 for an
    /// unknown pod or container); once the kubelet has written its (empty) first chunk, a
    /// runtime failure can only be written into the 200 answer's body, as kubectl then prints it.
    pub fn container_logs(&self, q: &LogQuery, now: Millis) -> Reply {
        let Ok(state) = self.state.try_borrow() else {
            return Reply::error(503, "the kubelet is busy".into());
        };
        let Some(pod) = state.pods.get(&format!("{}/{}", q.namespace, q.pod)) else {
            return Reply::error(404, format!("pod \"{}\" does not exist", q.pod));
        };
        let known = super::status::all_containers_of(pod)
            .iter()
            .any(|(_, c)| str_at(c, "/name") == q.container);
        if !known {
            return Reply::error(
                404,
                format!(
                    "container \"{}\" not found in pod \"{}\"",
                    q.container, q.pod
                ),
            );
        }
        let id = match container_for_logs(pod, &q.container, q.previous) {
            Ok(id) => id,
            Err(message) => return Reply::error(400, message),
        };
        let mut cri_calls = vec![("ContainerStatus".to_string(), format!("containerd://{id}"))];
        let Some(container) = state.runtime.container(&id) else {
            cri_calls.push((
                "ContainerStatus failed".into(),
                format!(
                    "container \"{id}\" not found (removed by the container garbage collector)"
                ),
            ));
            return Reply {
                code: 200,
                body: format!("unable to retrieve container logs for containerd://{id}"),
                cri_calls,
            };
        };
        let mut lines: Vec<String> = container.logs(now).into_iter().map(|l| l.text).collect();
        if let Some(n) = q.tail_lines.filter(|n| *n >= 0) {
            let n = usize::try_from(n).unwrap_or(usize::MAX);
            let skip = lines.len().saturating_sub(n);
            lines.drain(..skip);
        }
        cri_calls.push((
            "ReadLogs".into(),
            format!(
                "{} lines from /var/log/pods/{}_{}_{}/{}/{}.log",
                lines.len(),
                q.namespace,
                q.pod,
                str_at(pod, "/metadata/uid"),
                q.container,
                container.restart_count
            ),
        ));
        let body = lines.iter().map(|l| format!("{l}\n")).collect();
        Reply {
            code: 200,
            body,
            cri_calls,
        }
    }
}

/// validateContainerLogStatus (pkg/kubelet/kubelet_pods.go): the container id whose log to
/// read, from the status the kubelet reported, or why there is none.
pub fn container_for_logs(pod: &Value, container: &str, previous: bool) -> Result<String, String> {
    let pod_name = str_at(pod, "/metadata/name");
    let statuses: Vec<Value> = ["containerStatuses", "initContainerStatuses"]
        .iter()
        .flat_map(|k| {
            pod.pointer(&format!("/status/{k}"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    let Some(status) = statuses.iter().find(|s| str_at(s, "/name") == container) else {
        return Err(format!(
            "container \"{container}\" in pod \"{pod_name}\" is not available"
        ));
    };
    let last = str_at(status, "/lastState/terminated/containerID");
    let id = if previous {
        if last.is_empty() {
            return Err(format!(
                "previous terminated container \"{container}\" in pod \"{pod_name}\" not found"
            ));
        }
        last
    } else if status.pointer("/state/running").is_some() {
        str_at(status, "/containerID")
    } else if let Some(t) = status.pointer("/state/terminated") {
        match str_at(t, "/containerID") {
            "" if !last.is_empty() => last,
            "" => {
                return Err(format!(
                    "container \"{container}\" in pod \"{pod_name}\" is terminated"
                ))
            }
            id => id,
        }
    } else if status.pointer("/lastState/terminated").is_some() {
        if last.is_empty() {
            return Err(format!(
                "container \"{container}\" in pod \"{pod_name}\" is terminated"
            ));
        }
        last
    } else if let Some(reason) = status
        .pointer("/state/waiting/reason")
        .and_then(Value::as_str)
    {
        return Err(match reason {
            "ErrImagePull" => format!("container \"{container}\" in pod \"{pod_name}\" is waiting to start: image can't be pulled"),
            "ImagePullBackOff" => format!("container \"{container}\" in pod \"{pod_name}\" is waiting to start: trying and failing to pull image"),
            other => format!("container \"{container}\" in pod \"{pod_name}\" is waiting to start: {other}"),
        });
    } else {
        return Err(format!(
            "container \"{container}\" in pod \"{pod_name}\" is waiting to start - no logs yet"
        ));
    };
    Ok(id.trim_start_matches("containerd://").to_string())
}

/// The network as the API server sees it: the kubelet server listening at each `IP:port`.
#[derive(Clone, Default)]
pub struct KubeletConnections {
    servers: BTreeMap<String, KubeletServer>,
}

impl fmt::Debug for KubeletConnections {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.servers.keys()).finish()
    }
}

impl KubeletConnections {
    /// A kubelet starts listening at `address` (`10.200.0.1:10250`).
    pub fn listen(&mut self, address: &str, server: KubeletServer) {
        self.servers.insert(address.to_string(), server);
    }

    /// Connect to `address`; None is a refused connection.
    pub fn dial(&self, address: &str) -> Option<&KubeletServer> {
        self.servers.get(address)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(status: Value) -> Value {
        json!({"metadata": {"name": "crasher"}, "status": {"containerStatuses": [status]}})
    }

    #[test]
    fn which_container_instance_logs_come_from() {
        let running = pod(
            json!({"name": "app", "containerID": "containerd://abc", "state": {"running": {}}}),
        );
        assert_eq!(container_for_logs(&running, "app", false), Ok("abc".into()));
        assert_eq!(
            container_for_logs(&running, "app", true),
            Err("previous terminated container \"app\" in pod \"crasher\" not found".into())
        );
        let crash_loop = pod(
            json!({"name": "app", "state": {"waiting": {"reason": "CrashLoopBackOff"}},
            "lastState": {"terminated": {"containerID": "containerd://old"}}}),
        );
        assert_eq!(
            container_for_logs(&crash_loop, "app", false),
            Ok("old".into())
        );
        let creating =
            pod(json!({"name": "app", "state": {"waiting": {"reason": "ContainerCreating"}}}));
        assert_eq!(
            container_for_logs(&creating, "app", false),
            Err(
                "container \"app\" in pod \"crasher\" is waiting to start: ContainerCreating"
                    .into()
            )
        );
        let pulling =
            pod(json!({"name": "app", "state": {"waiting": {"reason": "ImagePullBackOff"}}}));
        assert_eq!(
            container_for_logs(&pulling, "app", false),
            Err("container \"app\" in pod \"crasher\" is waiting to start: trying and failing to pull image".into())
        );
    }

    #[test]
    fn a_removed_container_answers_in_the_body() {
        let state = NodeState {
            runtime: Runtime::new(&[], false),
            pods: BTreeMap::from([(
                "default/crasher".to_string(),
                json!({"metadata": {"name": "crasher", "uid": "u"}, "spec": {"containers": [{"name": "app"}]},
                       "status": {"containerStatuses": [{"name": "app", "state": {"terminated": {"containerID": "containerd://new"}}, "lastState": {"terminated": {"containerID": "containerd://gone"}}}]}}),
            )]),
        };
        let server = KubeletServer::new("real-worker", Rc::new(RefCell::new(state)));
        let q = LogQuery {
            namespace: "default".into(),
            pod: "crasher".into(),
            container: "app".into(),
            previous: true,
            tail_lines: None,
        };
        let reply = server.container_logs(&q, 0);
        assert_eq!(
            (reply.code, reply.body.as_str()),
            (
                200,
                "unable to retrieve container logs for containerd://gone"
            )
        );
        let q = LogQuery {
            pod: "nope".into(),
            ..q
        };
        assert_eq!(server.container_logs(&q, 0).code, 404);
    }
}
