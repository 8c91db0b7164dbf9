//! One request through the cluster network, hop by hop: the pod's resolver asks CoreDNS through
//! its resolv.conf search path (ndots:5, as the kubelet writes it for dnsPolicy ClusterFirst),
//! the client node's nat table translates a Service address (kube-proxy's view, which may lag),
//! an Ingress address goes through the ingress controller's upstreams, and the pod at the end
//! answers, refuses (nothing listens any more) or is not there (no route to host). Also the
//! steady traffic a scenario sends (`podlab traffic ...`) and its report.

use std::collections::BTreeMap;

use super::http::{self, Response, Url};
use super::iptables::{self, Packet, Verdict};
use super::Network;
use crate::dns::CLUSTER_DOMAIN;
use crate::sim::Millis;

/// Who sends: the pod's namespace (for its search path), its node (whose nat table applies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub namespace: String,
    pub node: String,
    /// `namespace/name` of the sending pod (whose mesh sidecar, if any, takes the request).
    pub pod: String,
}

/// Why no answer came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The name did not resolve.
    BadAddress,
    /// Connection refused (RST from a pod with no listener, or kube-proxy's REJECT).
    Refused,
    /// The address belongs to nothing that answers ARP (a deleted pod's IP).
    NoRoute,
    /// Nothing ever answers (a Service address no rule translates).
    TimedOut,
}

impl Failure {
    /// strerror's text, as the clients print it.
    pub fn errno_text(&self) -> &'static str {
        match self {
            Failure::BadAddress => "bad address",
            Failure::Refused => "Connection refused",
            Failure::NoRoute => "No route to host",
            Failure::TimedOut => "Connection timed out",
        }
    }
}

/// What one request came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// The address the client connected to (after DNS).
    pub address: Option<String>,
    pub port: i64,
    pub outcome: Result<(String, Response), Failure>,
}

/// The names a resolver tries for `name` (resolv.conf `search NS.svc.cluster.local
/// svc.cluster.local cluster.local` with `options ndots:5`): a name with fewer than five dots
/// is tried under each search domain first, then as it is.
pub fn search_candidates(name: &str, namespace: &str) -> Vec<String> {
    let name = name.trim_end_matches('.');
    let search = [
        format!("{namespace}.svc.{CLUSTER_DOMAIN}"),
        format!("svc.{CLUSTER_DOMAIN}"),
        CLUSTER_DOMAIN.to_string(),
    ];
    let under: Vec<String> = search.iter().map(|d| format!("{name}.{d}")).collect();
    if name.matches('.').count() >= 5 {
        std::iter::once(name.to_string()).chain(under).collect()
    } else {
        under
            .into_iter()
            .chain(std::iter::once(name.to_string()))
            .collect()
    }
}

fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| p.parse::<u8>().is_ok())
}

/// Whether an address is in the Service range 10.96.0.0/12.
fn in_service_range(ip: &str) -> bool {
    let mut it = ip.split('.').map(|p| p.parse::<u8>().unwrap_or(0));
    matches!((it.next(), it.next()), (Some(10), Some(b)) if (96..112).contains(&b))
}

impl Network {
    /// getaddrinfo in the pod: the first name of the search list CoreDNS knows, and its records.
    pub fn resolve(&self, name: &str, namespace: &str) -> Option<(String, Vec<String>)> {
        if is_ipv4(name) {
            return Some((name.to_string(), vec![name.to_string()]));
        }
        search_candidates(name, namespace)
            .into_iter()
            .find_map(|fqdn| {
                let addrs = self.dns.get(&fqdn).filter(|a| !a.is_empty())?;
                Some((fqdn, addrs.clone()))
            })
    }

    /// Send an HTTP GET from `client` to `url` (with an optional `Host` header), recording each
    /// hop.
    pub fn send(
        &mut self,
        client: &Client,
        url: &Url,
        host: Option<&str>,
        now: Millis,
    ) -> Exchange {
        let mut ex = Exchange {
            address: None,
            port: url.port,
            outcome: Err(Failure::BadAddress),
        };
        let Some((fqdn, addrs)) = self.resolve(&url.host, &client.namespace) else {
            self.hop(
                now,
                "coredns",
                format!("DNS {} NXDOMAIN", url.host),
                "no record under any search domain".into(),
            );
            return ex;
        };
        let Some(ip) = addrs.first().cloned() else {
            return ex;
        };
        if fqdn != ip {
            self.hop(
                now,
                "coredns",
                format!("DNS {fqdn} A {ip}"),
                format!("{fqdn}. 5 IN A {}", addrs.join(", ")),
            );
        }
        ex.address = Some(ip.clone());
        let host = host.unwrap_or(&url.host).to_string();
        ex.outcome = if ip == self.ingress.address && url.port == 80 {
            self.through_ingress(&host, &url.path, now)
        } else if let Some(cluster) = self.sidecar_cluster(client, &ip, url.port) {
            self.through_sidecar(client, &cluster, &ip, url.port, &url.path, now)
        } else {
            self.connect(client, &ip, url.port, &url.path, now)
        };
        ex
    }

    /// A TCP connection from `client` to `ip:port`, through the nat table of the client's node
    /// (and of the destination node, for a NodePort on another node's address).
    fn connect(
        &mut self,
        client: &Client,
        ip: &str,
        port: i64,
        path: &str,
        now: Millis,
    ) -> Result<(String, Response), Failure> {
        let own_ip = self
            .nodes
            .iter()
            .find(|(_, n)| **n == client.node)
            .map(|(ip, _)| ip.clone())
            .unwrap_or_default();
        let mut verdict = self.translate(&client.node, ip, port, ip == own_ip, now);
        if verdict == Verdict::Unchanged {
            if let Some(node) = self.nodes.get(ip).cloned().filter(|n| *n != client.node) {
                verdict = self.translate(&node, ip, port, true, now);
            }
        }
        let target = match verdict {
            Verdict::Reject => return Err(Failure::Refused),
            Verdict::Dnat(to) => to,
            Verdict::Unchanged => format!("{ip}:{port}"),
        };
        let (to_ip, to_port) = target
            .rsplit_once(':')
            .map(|(i, p)| (i.to_string(), p.parse().unwrap_or(port)))
            .unwrap_or((target.clone(), port));
        if in_service_range(&to_ip) {
            self.hop(
                now,
                &format!("kube-proxy@{}", client.node),
                format!("no rule for {to_ip}:{to_port}"),
                "nothing answers a Service address kube-proxy has not programmed".into(),
            );
            return Err(Failure::TimedOut);
        }
        self.reach(&to_ip, to_port, path, now)
    }

    /// The nat table of `node` for one packet; the hop names the rule chosen and its chance.
    fn translate(&mut self, node: &str, ip: &str, port: i64, local: bool, now: Millis) -> Verdict {
        let rules = self.proxy_rules.get(node).cloned().unwrap_or_default();
        let packet = Packet {
            destination: ip,
            port,
            local,
        };
        let mut draws = Vec::new();
        let walk = {
            let mut draw = || {
                let d = self.draw();
                draws.push(d);
                d
            };
            iptables::walk(&rules, &packet, &mut draw)
        };
        let by = format!("kube-proxy@{node}");
        match &walk.verdict {
            Verdict::Dnat(to) => {
                let chance = chosen_chance(&rules, &walk.matched);
                let rule = walk
                    .matched
                    .iter()
                    .rev()
                    .find(|r| r.chain.starts_with("KUBE-SVC-"))
                    .map_or(String::new(), |r| r.text.clone());
                self.hop(
                    now,
                    &by,
                    format!("DNAT {ip}:{port} -> {to}"),
                    format!("{rule}\n(chosen with probability {chance:.2})"),
                );
            }
            Verdict::Reject => {
                let rule = walk
                    .matched
                    .last()
                    .map_or(String::new(), |r| r.text.clone());
                self.hop(now, &by, format!("REJECT {ip}:{port}"), rule);
            }
            Verdict::Unchanged => {}
        }
        walk.verdict
    }

    /// The pod holding `ip`: it answers if a container listens on `port`.
    pub(super) fn reach(
        &mut self,
        ip: &str,
        port: i64,
        path: &str,
        now: Millis,
    ) -> Result<(String, Response), Failure> {
        let Some(pod) = self.pods.get(ip).cloned() else {
            self.hop(
                now,
                "network",
                format!("{ip}:{port} unreachable"),
                "no pod holds this address (ARP gets no answer)".into(),
            );
            return Err(Failure::NoRoute);
        };
        let name = format!("{}/{}", pod.namespace, pod.name);
        let running = self.processes_run(ip, &pod.name, now);
        match pod.listening.get(&port).filter(|_| running) {
            Some(image) => {
                let response = http::serve(image, path);
                self.hop(
                    now,
                    &format!("pod/{name}"),
                    format!(
                        "HTTP {} {}",
                        response.status,
                        http::reason_phrase(response.status)
                    ),
                    format!("GET {path} answered by {} on {ip}:{port}", pod.name),
                );
                Ok((pod.name.clone(), response))
            }
            None => {
                self.hop(
                    now,
                    &format!("pod/{name}"),
                    format!("RST from {ip}:{port}"),
                    "nothing listens on the port any more (connection refused)".into(),
                );
                Err(Failure::Refused)
            }
        }
    }

    /// ingress-nginx: match the Ingress rules, pick a server of the upstream, proxy to it.
    fn through_ingress(
        &mut self,
        host: &str,
        path: &str,
        now: Millis,
    ) -> Result<(String, Response), Failure> {
        let route = crate::ingress::match_route(&self.ingress.routes, host, path).cloned();
        let Some(route) = route else {
            self.hop(
                now,
                "ingress-nginx",
                format!("no rule for {host}{path}"),
                "default backend: 404".into(),
            );
            return Ok((
                "ingress-nginx".into(),
                Response {
                    status: 404,
                    body: http::nginx_error_page(404, "nginx"),
                },
            ));
        };
        let servers = self
            .ingress
            .upstreams
            .get(&route.upstream)
            .cloned()
            .unwrap_or_default();
        if servers.is_empty() {
            self.hop(
                now,
                "ingress-nginx",
                format!("upstream {} has no servers", route.upstream),
                "503".into(),
            );
            return Ok((
                "ingress-nginx".into(),
                Response {
                    status: 503,
                    body: http::nginx_error_page(503, "nginx"),
                },
            ));
        }
        // The balancer picks a server; a failed connection goes to the next one
        // (proxy_next_upstream error timeout), at most PROXY_NEXT_UPSTREAM_TRIES in all.
        let first = (self.draw() * servers.len() as f64) as usize;
        let tries = servers.len().min(crate::ingress::PROXY_NEXT_UPSTREAM_TRIES);
        for attempt in 0..tries {
            let server = servers
                .get((first + attempt) % servers.len())
                .cloned()
                .unwrap_or_default();
            let action = if attempt == 0 {
                format!("proxy_pass {} -> {server}", route.upstream)
            } else {
                format!("proxy_next_upstream {} -> {server}", route.upstream)
            };
            self.hop(
                now,
                "ingress-nginx",
                action,
                format!("{host}{path} matched {} {}", route.path_type, route.path),
            );
            let (ip, port) = server
                .rsplit_once(':')
                .map_or((server.clone(), 80), |(i, p)| {
                    (i.to_string(), p.parse().unwrap_or(80))
                });
            if let Ok(answer) = self.reach(&ip, port, path, now) {
                return Ok(answer);
            }
        }
        Ok((
            "ingress-nginx".into(),
            Response {
                status: 502,
                body: http::nginx_error_page(502, "nginx"),
            },
        ))
    }
}

/// The chance the walk picked the endpoint it did: the SVC chain's earlier statistic rules
/// all missed and the chosen one matched (`prod (1 - p_j) * p_k`).
fn chosen_chance(rules: &[String], matched: &[iptables::Rule]) -> f64 {
    let Some(chosen) = matched
        .iter()
        .rev()
        .find(|r| r.chain.starts_with("KUBE-SVC-"))
    else {
        return 1.0;
    };
    let mut chance = 1.0;
    for rule in rules
        .iter()
        .filter_map(|l| iptables::parse_rule(l))
        .filter(|r| r.chain == chosen.chain)
    {
        let p = rule.probability.unwrap_or(1.0);
        if rule.text == chosen.text {
            return chance * p;
        }
        chance *= 1.0 - p;
    }
    chance
}

// ---- steady traffic (`podlab traffic`) -------------------------------------------------------

/// One request of a traffic run and how it went: the pod that answered, or the client's error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    pub at: Millis,
    pub result: Result<String, String>,
}

/// A run of steady requests from one pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub url: String,
    pub every: Millis,
    /// `namespace/name` of the sending pod.
    pub from: String,
    /// The `Host` header, when it is not the URL's host (`--host`, for an Ingress rule).
    pub host: Option<String>,
    pub started_at: Millis,
    pub next_at: Millis,
    pub stopped_at: Option<Millis>,
    pub samples: Vec<Sample>,
}

/// The traffic runs of the cluster: the one going, and the last one stopped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Traffic {
    pub run: Option<Run>,
    pub last: Option<Run>,
}

/// What a pod did during a run, as the network saw it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PodTimeline {
    pub name: String,
    pub deleted_at: Option<Millis>,
    pub stopped_listening_at: Option<Millis>,
    /// When the pod left the API (its IP released).
    pub gone_at: Option<Millis>,
}

/// Seconds with milliseconds: `12.345s`.
pub fn seconds(at: Millis) -> String {
    format!("{}.{:03}s", at / 1000, at % 1000)
}

/// The report of a run: counts by answering pod and by failure, then when each consumer
/// stopped sending to each pod that went away.
pub fn report(run: &Run, net: &Network, timelines: &BTreeMap<String, PodTimeline>) -> String {
    let mut out = String::new();
    let end = run.stopped_at.map_or("running".to_string(), seconds);
    let failed = run.samples.iter().filter(|s| s.result.is_err()).count();
    out.push_str(&format!(
        "traffic {} from {} every {}ms ({} to {}): {} requests, {} answered, {} failed\n",
        run.url,
        run.from,
        run.every,
        seconds(run.started_at),
        end,
        run.samples.len(),
        run.samples.len() - failed,
        failed
    ));
    let mut by_result: BTreeMap<(bool, String), (usize, Millis, Millis)> = BTreeMap::new();
    for s in &run.samples {
        let key = match &s.result {
            Ok(pod) => (false, format!("answered by {pod}")),
            Err(e) => (true, format!("failed: {e}")),
        };
        let e = by_result.entry(key).or_insert((0, s.at, s.at));
        e.0 += 1;
        e.2 = s.at;
    }
    // In the order each answer or failure first came (pod names are random: sorting by them
    // would shuffle the lines from one seed to another).
    let mut lines: Vec<_> = by_result.iter().collect();
    lines.sort_by_key(|((failed, what), (_, first, _))| (*failed, *first, what.clone()));
    for ((failed, what), (n, first, last)) in lines {
        if *failed {
            out.push_str(&format!(
                "  {what}: {n} (from {} to {})\n",
                seconds(*first),
                seconds(*last)
            ));
        } else {
            out.push_str(&format!("  {what}: {n}\n"));
        }
    }
    for (ip, t) in timelines {
        let Some(deleted) = t.deleted_at else {
            continue;
        };
        if deleted < run.started_at {
            continue;
        }
        out.push_str(&format!("pod {} ({ip}):\n", t.name));
        let mut rows: Vec<(Millis, String)> =
            vec![(deleted, "deleted (deletionTimestamp set)".into())];
        if let Some(at) = t.stopped_listening_at {
            rows.push((at, "stopped listening (its server process exited)".into()));
        }
        if let Some(at) = t.gone_at {
            rows.push((at, "removed from the API (its address released)".into()));
        }
        for r in net
            .removals
            .iter()
            .filter(|r| r.address == *ip && r.at >= deleted)
        {
            rows.push((r.at, removal_row(&r.consumer)));
        }
        rows.sort();
        rows.dedup();
        for (at, what) in rows {
            out.push_str(&format!("  {}  {what}\n", seconds(at)));
        }
    }
    out
}

/// A report row for a consumer's removal: istiod pushed without the pod; any other consumer
/// stopped sending to it.
fn removal_row(consumer: &str) -> String {
    if consumer == super::ISTIOD {
        "istiod pushed an EDS update without it (to the sidecars)".to_string()
    } else {
        format!("{consumer} stopped sending to it")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_go_through_the_search_path_first() {
        assert_eq!(
            search_candidates("web", "default"),
            [
                "web.default.svc.cluster.local",
                "web.svc.cluster.local",
                "web.cluster.local",
                "web"
            ]
        );
        assert_eq!(search_candidates("a.b.c.d.e.f", "x")[0], "a.b.c.d.e.f");
    }

    #[test]
    fn resolve_finds_the_service_record_under_the_namespace_domain() {
        let mut net = Network::new(1);
        net.dns.insert(
            "web.default.svc.cluster.local".into(),
            vec!["10.96.0.12".into()],
        );
        assert_eq!(
            net.resolve("web", "default").map(|r| r.1),
            Some(vec!["10.96.0.12".to_string()])
        );
        assert_eq!(net.resolve("web", "other"), None);
        assert_eq!(
            net.resolve("web.default", "other").map(|r| r.0),
            Some("web.default.svc.cluster.local".into())
        );
    }

    #[test]
    fn the_service_range_is_10_96_slash_12() {
        assert!(in_service_range("10.96.0.1") && in_service_range("10.111.255.1"));
        assert!(!in_service_range("10.244.1.2") && !in_service_range("10.112.0.1"));
    }
}
