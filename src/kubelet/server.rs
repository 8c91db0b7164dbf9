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

use super::cri::{ContainerState, Runtime};
use super::process::LogLine;
use crate::apiserver::ApiError;
use crate::sim::{Actor, Millis, Trace, TraceEntry};

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
        self.path_with_timestamps(false)
    }

    /// The path and query for PodLogOptions with `timestamps`: pod.LogLocation's url.Values,
    /// encoded in key order (previous, tailLines, timestamps).
    pub fn path_with_timestamps(&self, timestamps: bool) -> String {
        let mut query = Vec::new();
        if self.previous {
            query.push("previous=true".to_string());
        }
        if let Some(n) = self.tail_lines {
            query.push(format!("tailLines={n}"));
        }
        if timestamps {
            query.push("timestamps=true".to_string());
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
        self.container_logs_with_timestamps(q, false, now)
    }

    /// `container_logs` for a query with `timestamps=true` when `timestamps`: each line starts
    /// with the time the runtime logged it (cri-client logs.go, RFC3339NanoFixed) and a space.
    pub fn container_logs_with_timestamps(
        &self,
        q: &LogQuery,
        timestamps: bool,
        now: Millis,
    ) -> Reply {
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
        let started = match container.state(now) {
            ContainerState::Running { started_at } | ContainerState::Exited { started_at, .. } => {
                started_at
            }
            ContainerState::Created => now,
        };
        let mut lines: Vec<String> = container
            .logs(now)
            .into_iter()
            .map(|l| log_line(&l, started, timestamps))
            .collect();
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

/// RFC3339NanoFixed (cri-client pkg/logs): `2006-01-02T15:04:05.000000000Z07:00`, always nine
/// fractional digits, in UTC as containerd writes its CRI log lines.
pub fn rfc3339_nano_fixed(t: jiff::Timestamp) -> String {
    format!(
        "{}.{:09}Z",
        t.strftime("%Y-%m-%dT%H:%M:%S"),
        t.subsec_nanosecond()
    )
}

/// One line as the kubelet writes it back (logWriter.write): the text, after its timestamp and
/// a space when the query asks for timestamps. `started` is when the container started (a
/// line's `at` counts from there).
impl KubeletServer {
    /// What container `id` has logged by `now`, each line with the time it was logged; None when
    /// the runtime no longer has the container. A read only (CRI ReadLogs without the kubelet's
    /// request handling): the page's inspector shows a pod's logs as they were at the cursor.
    pub fn container_log_lines(&self, id: &str, now: Millis) -> Option<Vec<(Millis, String)>> {
        let state = self.state.try_borrow().ok()?;
        let container = state.runtime.container(id)?;
        let started = match container.state(now) {
            ContainerState::Running { started_at } | ContainerState::Exited { started_at, .. } => {
                started_at
            }
            ContainerState::Created => return Some(Vec::new()),
        };
        Some(
            container
                .logs(now)
                .into_iter()
                .map(|l| (started.saturating_add(l.at), l.text))
                .collect(),
        )
    }
}

fn log_line(line: &LogLine, started: Millis, timestamps: bool) -> String {
    if !timestamps {
        return line.text.clone();
    }
    let at = crate::sim::wall_clock(started.saturating_add(line.at));
    format!("{} {}", rfc3339_nano_fixed(at), line.text)
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

/// `POST /exec/{namespace}/{pod}/{container}?command=…` (server.go getExec) with the streams
/// the client asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecQuery {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    pub command: Vec<String>,
    pub stdin: bool,
    pub tty: bool,
}

impl ExecQuery {
    /// The kubelet's path and query (`command` repeated, `output=1&error=1`, as the API
    /// server's ExecLocation builds it).
    pub fn path(&self) -> String {
        let mut query: Vec<String> = self
            .command
            .iter()
            .map(|c| format!("command={}", query_escape(c)))
            .collect();
        if self.stdin {
            query.push("input=1".into());
        }
        query.push("output=1".into());
        if !self.tty {
            query.push("error=1".into());
        }
        if self.tty {
            query.push("tty=1".into());
        }
        format!(
            "/exec/{}/{}/{}?{}",
            self.namespace,
            self.pod,
            self.container,
            query.join("&")
        )
    }
}

/// Go's `url.QueryEscape`: letters, digits and `-_.~` kept, space as `+`, the rest `%XX`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// How an exec went, as the client sees the stream: the upgrade refused with the kubelet's
/// text, or the command's output and the status written on the error stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecReply {
    /// The kubelet answered the upgrade with an error (`pod does not exist`, `container not
    /// found ("x")`), which the API server passes back as it is.
    Refused { code: u16, text: String },
    /// The streams: stdout, stderr, and the v1 Status of the error stream (remotecommand
    /// `ServeExec`: Success, NonZeroExitCode with the ExitCode cause, or an InternalError).
    Streamed {
        stdout: String,
        stderr: String,
        status: Value,
    },
}

/// The container's environment as the runtime sets it: the image's `PATH`, `HOSTNAME` (the pod's
/// name), the container's `env` values (kubelet makeEnvironmentVariables), then runc's `HOME`.
fn container_env(pod: &Value, container: &Value) -> Vec<(String, String)> {
    let mut vars = vec![
        (
            "PATH".to_string(),
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
        ),
        (
            "HOSTNAME".to_string(),
            str_at(pod, "/metadata/name").to_string(),
        ),
    ];
    for e in container
        .get("env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(v) = e.get("value").and_then(Value::as_str) {
            vars.push((str_at(e, "/name").to_string(), v.to_string()));
        }
    }
    if !vars.iter().any(|(k, _)| k == "HOME") {
        vars.push(("HOME".into(), "/root".into()));
    }
    vars
}

/// The Status remotecommand writes on the error stream for an exit code.
fn exit_status(code: i32) -> Value {
    if code == 0 {
        return serde_json::json!({"status": "Success", "metadata": {}});
    }
    serde_json::json!({
        "status": "Failure",
        "metadata": {},
        "message": format!("command terminated with non-zero exit code: command terminated with exit code {code}"),
        "reason": "NonZeroExitCode",
        "details": {"causes": [{"reason": "ExitCode", "message": code.to_string()}]},
    })
}

impl KubeletServer {
    /// getExec (pkg/kubelet/server/server.go) and the kubelet's GetExec: the pod must be one the
    /// kubelet runs (`pod does not exist`, 404) and the container running (`container not found
    /// ("x")`, 500, streaming.WriteError); then the runtime runs the command and its outcome
    /// goes down the streams. `exec_id` names the exec process containerd starts.
    pub fn exec(
        &self,
        q: &ExecQuery,
        now: Millis,
        exec_id: &str,
    ) -> (ExecReply, Vec<(String, String)>) {
        let Ok(mut state) = self.state.try_borrow_mut() else {
            return (
                ExecReply::Refused {
                    code: 503,
                    text: "the kubelet is busy".into(),
                },
                Vec::new(),
            );
        };
        let Some(pod) = state
            .pods
            .get(&format!("{}/{}", q.namespace, q.pod))
            .cloned()
        else {
            return (
                ExecReply::Refused {
                    code: 404,
                    text: "pod does not exist".into(),
                },
                Vec::new(),
            );
        };
        let running = pod
            .pointer("/status/containerStatuses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|s| str_at(s, "/name") == q.container && s.pointer("/state/running").is_some())
            .map(|s| {
                str_at(s, "/containerID")
                    .trim_start_matches("containerd://")
                    .to_string()
            });
        let spec = super::status::all_containers_of(&pod)
            .into_iter()
            .map(|(_, c)| c)
            .find(|c| str_at(c, "/name") == q.container);
        let (Some(id), Some(spec)) = (running, spec) else {
            return (
                ExecReply::Refused {
                    code: 500,
                    text: format!("container not found (\"{}\")", q.container),
                },
                Vec::new(),
            );
        };
        let vars = container_env(&pod, &spec);
        let calls = vec![(
            "Exec".to_string(),
            format!("containerd://{id}: {}", q.command.join(" ")),
        )];
        let reply = match state
            .runtime
            .exec_sync(&id, &q.command, &q.pod, vars, now, exec_id)
        {
            Ok(out) => ExecReply::Streamed {
                stdout: out.stdout,
                stderr: out.stderr,
                status: exit_status(out.exit_code),
            },
            Err(e) => ExecReply::Streamed {
                stdout: String::new(),
                stderr: String::new(),
                status: serde_json::json!({
                    "status": "Failure",
                    "metadata": {},
                    "message": format!("Internal error occurred: error executing command in container: {e}"),
                    "reason": "InternalError",
                    "code": 500,
                    "details": {"causes": [{"message": format!("error executing command in container: {e}")}]},
                }),
            },
        };
        (reply, calls)
    }
}

/// The API server's side of `POST pods/NAME/exec` (pkg/registry/core/pod/strategy.go
/// ExecLocation, streamLocation, and the upgrade-aware proxy): the container is defaulted or
/// checked against the pod (400 `container x is not valid for pod y`), a pod without a node
/// cannot be reached (400 `pod x does not have a host assigned`), then the request goes to the
/// kubelet of the pod's node and its answer comes back. `options` is the PodExecOptions sent
/// as the request body; the answer is [`exec_reply_json`]'s form of the [`ExecReply`].
#[allow(clippy::too_many_arguments)]
pub fn proxy_exec(
    pod: &Value,
    node: Option<&Value>,
    options: &Value,
    kubelets: &KubeletConnections,
    now: Millis,
    revision: i64,
    object: &str,
    exec_id: &str,
    trace: &mut Trace,
) -> Result<Value, ApiError> {
    let name = str_at(pod, "/metadata/name");
    let container = exec_container(pod, str_at(options, "/container"))?;
    let node_name = str_at(pod, "/spec/nodeName");
    if node_name.is_empty() {
        return Err(ApiError::bad_request(format!(
            "pod {name} does not have a host assigned"
        )));
    }
    let ip = node
        .and_then(|n| n.pointer("/status/addresses"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|a| str_at(a, "/type") == "InternalIP")
        .map(|a| str_at(a, "/address").to_string())
        .unwrap_or_else(|| node_name.to_string());
    let port = node
        .and_then(|n| n.pointer("/status/daemonEndpoints/kubeletEndpoint/Port"))
        .and_then(Value::as_i64)
        .unwrap_or(KUBELET_PORT);
    let flag = |k: &str| options.get(k).and_then(Value::as_bool).unwrap_or(false);
    let query = ExecQuery {
        namespace: str_at(pod, "/metadata/namespace").to_string(),
        pod: name.to_string(),
        container,
        command: options
            .get("command")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        stdin: flag("stdin"),
        tty: flag("tty"),
    };
    let url = format!("https://{ip}:{port}{}", query.path());
    let kubelet = Actor::Kubelet(node_name.to_string());
    let mut push = |from: Actor, to: Actor, action: String, detail: String| {
        trace.push(TraceEntry {
            at: now,
            from,
            to,
            action,
            object: object.to_string(),
            detail,
            revision,
        })
    };
    push(
        Actor::ApiServer,
        kubelet.clone(),
        format!("POST {url}"),
        "upgrade the connection (SPDY/WebSocket) and proxy the streams to the node's kubelet"
            .into(),
    );
    let address = format!("{ip}:{port}");
    let server = match kubelets.dial(&address) {
        Ok(server) => server,
        Err(why) => {
            return Err(ApiError {
                code: 500,
                reason: String::new(),
                message: format!("error dialing backend: {}", why.message(&address)),
                details: None,
            })
        }
    };
    let (reply, calls) = server.exec(&query, now, exec_id);
    for (action, detail) in calls {
        push(
            kubelet.clone(),
            Actor::Cri(node_name.to_string()),
            action,
            detail,
        );
    }
    let answer = match &reply {
        ExecReply::Refused { code, text } => format!("{code} → {text}"),
        ExecReply::Streamed { status, .. } => format!(
            "101 Switching Protocols → {}",
            match str_at(status, "/status") {
                "Success" => "exit code 0".to_string(),
                _ => str_at(status, "/message").to_string(),
            }
        ),
    };
    push(kubelet, Actor::ApiServer, answer, String::new());
    Ok(exec_reply_json(&reply))
}

/// The container an exec runs in (streamLocation): the only one, or the one named.
fn exec_container(pod: &Value, named: &str) -> Result<String, ApiError> {
    let name = str_at(pod, "/metadata/name");
    let regular: Vec<&str> = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| str_at(c, "/name"))
        .collect();
    if named.is_empty() {
        return match regular.as_slice() {
            [one] => Ok(one.to_string()),
            [] => Err(ApiError::bad_request(format!(
                "a container name must be specified for pod {name}"
            ))),
            _ => Err(ApiError::bad_request(format!(
                "a container name must be specified for pod {name}, choose one of: [{}]",
                regular.join(" ")
            ))),
        };
    }
    let known = super::status::all_containers_of(pod)
        .iter()
        .any(|(_, c)| str_at(c, "/name") == named);
    if known {
        Ok(named.to_string())
    } else {
        Err(ApiError::bad_request(format!(
            "container {named} is not valid for pod {name}"
        )))
    }
}

/// An [`ExecReply`] as the JSON the API server's answer carries to kubectl.
pub fn exec_reply_json(reply: &ExecReply) -> Value {
    match reply {
        ExecReply::Refused { code, text } => {
            serde_json::json!({"upgraded": false, "code": code, "text": text})
        }
        ExecReply::Streamed {
            stdout,
            stderr,
            status,
        } => {
            serde_json::json!({"upgraded": true, "stdout": stdout, "stderr": stderr, "status": status})
        }
    }
}

/// Why the API server cannot connect to a kubelet: the `syscall.Errno` text that Go's
/// `net.OpError` ends with (`dial tcp IP:PORT: connect: connection refused`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialError {
    /// Nothing listens at the port (the kubelet is stopped, or no kubelet ever ran): the node
    /// answers with a reset, ECONNREFUSED.
    Refused,
    /// The node is gone from the network (its link cut, as `docker network disconnect` does to
    /// a kind node): its address no longer resolves on the node network, EHOSTUNREACH.
    NoRouteToHost,
}

impl DialError {
    /// Go's `net.OpError` text for a dial to `address`.
    pub fn message(self, address: &str) -> String {
        let errno = match self {
            DialError::Refused => "connection refused",
            DialError::NoRouteToHost => "no route to host",
        };
        format!("dial tcp {address}: connect: {errno}")
    }
}

/// The network as the API server sees it: the kubelet server listening at each `IP:port`, and
/// the addresses it cannot reach for now (a kubelet stopped, a node cut off).
#[derive(Clone, Default)]
pub struct KubeletConnections {
    servers: BTreeMap<String, KubeletServer>,
    unreachable: BTreeMap<String, DialError>,
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

    /// Make `address` unreachable for `why`, or reachable again with None.
    pub fn set_unreachable(&mut self, address: &str, why: Option<DialError>) {
        match why {
            Some(why) => self.unreachable.insert(address.to_string(), why),
            None => self.unreachable.remove(address),
        };
    }

    /// Connect to `address`.
    pub fn dial(&self, address: &str) -> Result<&KubeletServer, DialError> {
        if let Some(why) = self.unreachable.get(address) {
            return Err(*why);
        }
        self.servers.get(address).ok_or(DialError::Refused)
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

    /// The query LogLocation sends with PodLogOptions.timestamps (url.Values, keys sorted).
    #[test]
    fn timestamps_in_the_kubelet_query() {
        let q = LogQuery {
            namespace: "default".into(),
            pod: "web".into(),
            container: "app".into(),
            previous: true,
            tail_lines: Some(5),
        };
        assert_eq!(
            q.path_with_timestamps(true),
            "/containerLogs/default/web/app?previous=true&tailLines=5&timestamps=true"
        );
        assert_eq!(
            q.path(),
            "/containerLogs/default/web/app?previous=true&tailLines=5"
        );
    }

    /// logWriter.write with opts.Timestamp: `RFC3339NanoFixed + " " + line`, nine digits.
    #[test]
    fn timestamped_lines_carry_rfc3339_nano_fixed() {
        let line = LogLine {
            at: 5_123,
            stream: super::super::process::Stream::Stdout,
            text: "hello".into(),
        };
        assert_eq!(
            log_line(&line, 0, true),
            "2026-11-21T14:00:05.123000000Z hello"
        );
        assert_eq!(
            log_line(&line, 60_000, true),
            "2026-11-21T14:01:05.123000000Z hello"
        );
        assert_eq!(log_line(&line, 0, false), "hello");
        let whole: jiff::Timestamp = "2026-11-21T14:00:05Z".parse().unwrap();
        assert_eq!(rfc3339_nano_fixed(whole), "2026-11-21T14:00:05.000000000Z");
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
