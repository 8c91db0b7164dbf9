//! The network fabric: which pod holds which IP and whether a process listens in it (from the
//! pods' status as their kubelets report it), the nodes' addresses, the steady traffic of a
//! `podlab traffic` run, and the trace entries of every request's hops.

use serde_json::Value;

use super::traffic::{Client, Run, Sample};
use std::cell::RefCell;

use super::{client, http, with, Network, PodEntry};
use crate::client::{core, Ctx, Informer};
use crate::cluster::Component;
use crate::kubelet::cri::listener;
use crate::sim::{Actor, Millis};
use crate::unstructured::str_at;

/// Ports podlab's images listen on without declaring them (nginx's 80 and so on).
const WELL_KNOWN_PORTS: &[i64] = &[80, 8080, 6379, 5432, 3306];

pub struct Fabric {
    pods: Informer,
    nodes: Informer,
}

impl Default for Fabric {
    fn default() -> Self {
        Fabric {
            pods: Informer::new(core("pods")),
            nodes: Informer::new(core("nodes")),
        }
    }
}

/// The ports a running container of `pod` listens on, with the container's image.
fn listening(pod: &Value) -> std::collections::BTreeMap<i64, String> {
    let mut out = std::collections::BTreeMap::new();
    let statuses = pod
        .pointer("/status/containerStatuses")
        .and_then(Value::as_array);
    for c in pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = str_at(c, "/name");
        let running = statuses
            .into_iter()
            .flatten()
            .any(|s| str_at(s, "/name") == name && s.pointer("/state/running").is_some());
        if !running {
            continue;
        }
        let image = str_at(c, "/image");
        let declared = c
            .get("ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| p.get("containerPort").and_then(Value::as_i64));
        for port in declared.chain(WELL_KNOWN_PORTS.iter().copied()) {
            if listener(image, port).is_some() {
                out.insert(port, image.to_string());
            }
        }
    }
    out
}

fn pod_entry(pod: &Value) -> PodEntry {
    let listening = listening(pod);
    PodEntry {
        namespace: str_at(pod, "/metadata/namespace").to_string(),
        name: str_at(pod, "/metadata/name").to_string(),
        node: str_at(pod, "/spec/nodeName").to_string(),
        sandbox: !listening.is_empty(),
        listening,
    }
}

impl Fabric {
    /// The pod table and the nodes' addresses, from the watches; each pod's timeline.
    fn refresh(&self, net: &mut Network, now: Millis) {
        net.pods.clear();
        for pod in self.pods.list() {
            let ip = str_at(pod, "/status/podIP");
            if ip.is_empty()
                || pod.pointer("/spec/hostNetwork").and_then(Value::as_bool) == Some(true)
            {
                continue;
            }
            let entry = pod_entry(pod);
            let t = net.timelines.entry(ip.to_string()).or_default();
            if t.name != entry.name {
                *t = super::traffic::PodTimeline {
                    name: entry.name.clone(),
                    ..Default::default()
                };
            }
            if pod.pointer("/metadata/deletionTimestamp").is_some() && t.deleted_at.is_none() {
                t.deleted_at = Some(now);
            }
            if t.deleted_at.is_some()
                && entry.listening.is_empty()
                && t.stopped_listening_at.is_none()
            {
                t.stopped_listening_at = Some(now);
            }
            net.pods.insert(ip.to_string(), entry);
        }
        for (ip, t) in net.timelines.iter_mut() {
            if !net.pods.contains_key(ip) && t.gone_at.is_none() {
                t.gone_at = Some(now);
            }
        }
        net.nodes.clear();
        for node in self.nodes.list() {
            for a in node
                .pointer("/status/addresses")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if str_at(a, "/type") == "InternalIP" {
                    net.nodes.insert(
                        str_at(a, "/address").to_string(),
                        str_at(node, "/metadata/name").to_string(),
                    );
                }
            }
        }
    }

    /// Send the requests of the traffic run that fell due by `now`.
    fn send_due(net: &mut Network, now: Millis) {
        let Some(mut run) = net.traffic.run.take() else {
            return;
        };
        while run.next_at <= now {
            let at = run.next_at;
            let result = one_request(net, &run, at);
            run.samples.push(Sample { at, result });
            run.next_at = at.saturating_add(run.every.max(1));
        }
        net.traffic.run = Some(run);
    }

    /// Write the hops of the requests sent since the last run to the trace.
    fn flush_hops(net: &mut Network, ctx: &mut Ctx) {
        for hop in std::mem::take(&mut net.pending_hops) {
            let from = if hop.by == "coredns" {
                Actor::CoreDns
            } else if hop.by == "ingress-nginx" {
                Actor::IngressController
            } else if let Some(node) = hop.by.strip_prefix("kube-proxy@") {
                Actor::KubeProxy(node.to_string())
            } else {
                ctx.actor.clone()
            };
            let detail = format!("at {}: {}", super::traffic::seconds(hop.at), hop.detail);
            ctx.note_from(from.clone(), from, hop.action, hop.by, detail);
        }
    }
}

/// One `wget -qO- URL` from the run's pod: the pod that answered, or wget's error.
fn one_request(net: &mut Network, run: &Run, at: Millis) -> Result<String, String> {
    let (ns, name) = run
        .from
        .split_once('/')
        .unwrap_or(("default", run.from.as_str()));
    let Some(from) = net
        .pods
        .values()
        .find(|p| p.namespace == ns && p.name == name)
        .cloned()
    else {
        return Err(format!("the sending pod {} is not running", run.from));
    };
    let Some(url) = http::parse_url(&run.url) else {
        return Err(format!("wget: not an http or ftp url: {}", run.url));
    };
    let client = Client {
        pod: format!("{}/{}", from.namespace, from.name),
        namespace: from.namespace,
        node: from.node,
    };
    let ex = net.send(&client, &url, run.host.as_deref(), at);
    match ex.outcome {
        Ok((pod, r)) if r.status == 200 => Ok(pod),
        Ok((_, r)) => Err(format!(
            "wget: server returned error: HTTP/1.1 {} {}",
            r.status,
            http::reason_phrase(r.status)
        )),
        Err(f) => Err(client::wget_failure(
            &url.host,
            ex.address.as_deref().unwrap_or_default(),
            &f,
        )),
    }
}

impl Component for Fabric {
    fn actor(&self) -> Actor {
        Actor::Network
    }

    fn run(&mut self, ctx: &mut Ctx) {
        let changed = !self.pods.sync(ctx).is_empty() | !self.nodes.sync(ctx).is_empty();
        let now = ctx.now;
        let Some(network) = ctx.network().cloned() else {
            return;
        };
        let next = with(&network, |net| {
            if changed {
                self.refresh(net, now);
            }
            Self::send_due(net, now);
            Self::flush_hops(net, ctx);
            net.traffic.run.as_ref().map(|r| r.next_at)
        })
        .flatten();
        if let Some(at) = next {
            ctx.wake_at(at);
        }
    }
}

/// `podlab traffic start --to URL --every DURATION --from POD [--host HOST]`: start sending at
/// `now` (`--host` sets the Host header, as `wget --header 'Host: …'` would).
pub fn start(network: &RefCell<Network>, words: &[&str], now: Millis) -> Result<(), String> {
    let mut url = None;
    let mut every: Millis = 100;
    let mut from = None;
    let mut host = None;
    let mut it = words.iter();
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .ok_or_else(|| format!("podlab traffic start: {flag} needs a value"))?;
        match *flag {
            "--to" => url = Some(value.to_string()),
            "--every" => every = parse_every(value)?,
            "--host" => host = Some(value.to_string()),
            "--from" => {
                from = Some(if value.contains('/') {
                    value.to_string()
                } else {
                    format!("default/{value}")
                })
            }
            other => return Err(format!("podlab traffic start: unknown flag {other}")),
        }
    }
    let (Some(url), Some(from)) = (url, from) else {
        return Err("podlab traffic start: --to and --from are required".into());
    };
    with(network, |net| {
        net.traffic.run = Some(Run {
            url,
            every,
            from,
            host,
            started_at: now,
            next_at: now,
            stopped_at: None,
            samples: Vec::new(),
        });
    })
    .ok_or_else(|| "podlab traffic start: the cluster has no network".to_string())
}

/// `100ms`, `1s`, `2` (seconds).
fn parse_every(v: &str) -> Result<Millis, String> {
    let bad = || format!("podlab traffic start: invalid interval '{v}'");
    if let Some(ms) = v.strip_suffix("ms") {
        return ms.parse().map_err(|_| bad());
    }
    let secs: f64 = v.trim_end_matches('s').parse().map_err(|_| bad())?;
    if !secs.is_finite() || secs <= 0.0 {
        return Err(bad());
    }
    Ok((secs * 1000.0).round() as Millis)
}

/// `podlab traffic stop`: the run ends at `now` and is kept for the report.
pub fn stop(network: &RefCell<Network>, now: Millis) {
    with(network, |net| {
        if let Some(mut run) = net.traffic.run.take() {
            run.stopped_at = Some(now);
            net.traffic.last = Some(run);
        }
    });
}

/// `podlab traffic report`: the running or last run's report.
pub fn report(network: &RefCell<Network>) -> String {
    with(network, |net| {
        let run = net.traffic.run.as_ref().or(net.traffic.last.as_ref())?;
        Some(super::traffic::report(run, net, &net.timelines))
    })
    .flatten()
    .unwrap_or_else(|| "no traffic was sent\n".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_running_nginx_listens_on_80_and_a_terminated_one_on_nothing() {
        let pod = json!({
            "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
            "status": {"containerStatuses": [{"name": "web", "state": {"running": {}}}]}
        });
        assert_eq!(listening(&pod).keys().copied().collect::<Vec<_>>(), [80]);
        let mut gone = pod.clone();
        gone["status"]["containerStatuses"][0]["state"] = json!({"terminated": {"exitCode": 0}});
        assert!(listening(&gone).is_empty());
    }

    #[test]
    fn intervals_are_milliseconds_or_seconds() {
        assert_eq!(parse_every("100ms"), Ok(100));
        assert_eq!(parse_every("2s"), Ok(2000));
        assert!(parse_every("fast").is_err());
    }
}
