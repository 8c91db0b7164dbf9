//! The network clients of container images, as `kubectl exec` runs them: busybox `wget` and
//! `nslookup` (busybox 1.36: networking/wget.c, networking/nslookup.c; busybox 1.28's older
//! nslookup, which asks the libc resolver) and curl 8 (curlimages/curl). They print what the
//! real programs print for the request's outcome. A request to `localhost` stays in the pod
//! (its loopback interface): the caller answers it ([`on_loopback`]).

use super::http::{self, parse_url, Response, Url};
use super::traffic::{Client, Exchange, Failure};
use super::{Network, CLUSTER_DNS};
use crate::sim::Millis;

/// What a client program did: its streams, exit code, and a file it wrote (`wget -O FILE`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ran {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    pub wrote: Option<(String, String)>,
}

fn failed(stderr: String, code: i32) -> Ran {
    Ran {
        stderr,
        exit_code: code,
        ..Ran::default()
    }
}

/// busybox wget: `-q`, `-O FILE` (`-` is stdout), `-T SEC`, `--spider`; combined short
/// flags (`-qO-`). Errors are bb_error_msg_and_die's `wget: ...` lines, exit 1.
pub fn wget(args: &[String], net: &mut Network, client: &Client, now: Millis) -> Ran {
    wget_with(args, |url| net.send(client, url, None, now))
}

/// busybox wget, its request sent by `send`.
fn wget_with(args: &[String], send: impl FnOnce(&Url) -> Exchange) -> Ran {
    let mut quiet = false;
    let mut output: Option<String> = None;
    let mut url = None;
    let mut spider = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--spider" {
            spider = true;
        } else if let Some(flags) = a
            .strip_prefix('-')
            .filter(|f| !f.is_empty() && !f.starts_with('-'))
        {
            for (at, c) in flags.char_indices() {
                match c {
                    'q' => quiet = true,
                    'O' | 'T' | 'U' | 'Y' => {
                        let rest = &flags[at + c.len_utf8()..];
                        let value = if rest.is_empty() {
                            let v = args.get(i).cloned().unwrap_or_default();
                            i += 1;
                            v
                        } else {
                            rest.to_string()
                        };
                        if c == 'O' {
                            output = Some(value);
                        }
                        break;
                    }
                    _ => {}
                }
            }
        } else {
            url = Some(a.clone());
        }
    }
    let Some(url_text) = url else {
        return failed("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n\nRetrieve files via HTTP or FTP\n".into(), 1);
    };
    let Some(url) = parse_url(&url_text) else {
        return failed(format!("wget: not an http or ftp url: {url_text}\n"), 1);
    };
    let ex = send(&url);
    let address = ex.address.clone().unwrap_or_default();
    let (_pod, response) = match ex.outcome {
        Err(f) => return failed(format!("{}\n", wget_failure(&url.host, &address, &f)), 1),
        Ok(answer) => answer,
    };
    let mut ran = Ran::default();
    if !quiet {
        ran.stderr.push_str(&format!(
            "Connecting to {} ({address}:{})\n",
            url.host, url.port
        ));
    }
    if response.status != 200 {
        ran.stderr.push_str(&format!(
            "wget: server returned error: HTTP/1.1 {} {}\n",
            response.status,
            http::reason_phrase(response.status)
        ));
        ran.exit_code = 1;
        return ran;
    }
    if spider {
        if !quiet {
            ran.stderr.push_str("remote file exists\n");
        }
        return ran;
    }
    let file = output.unwrap_or_else(|| {
        let name = url.path.rsplit('/').next().unwrap_or_default();
        if name.is_empty() {
            "index.html".into()
        } else {
            name.to_string()
        }
    });
    if file == "-" {
        if !quiet {
            ran.stderr.push_str("writing to stdout\n");
        }
        ran.stdout = response.body;
        if !quiet {
            ran.stderr.push_str("written to stdout\n");
        }
    } else {
        if !quiet {
            ran.stderr.push_str(&format!("saving to '{file}'\n"));
            ran.stderr.push_str(&format!("'{file}' saved\n"));
        }
        ran.wrote = Some((file, response.body));
    }
    ran
}

/// busybox wget's message for a failed connection: `bad address 'HOST'` from xhost2sockaddr,
/// `can't connect to remote host (IP): ERRNO` from xconnect's bb_perror_msg_and_die.
pub fn wget_failure(host: &str, address: &str, failure: &Failure) -> String {
    match failure {
        Failure::BadAddress => format!("wget: bad address '{host}'"),
        f => format!(
            "wget: can't connect to remote host ({address}): {}",
            f.errno_text()
        ),
    }
}

/// curl: `-s`, `-S`, `-o FILE`, `-w FORMAT` (`%{http_code}`), `-H 'Host: x'`, `-f`,
/// `--connect-timeout`. Errors are `curl: (N) ...` on stderr unless silenced. The texts are
/// curl 8's: lib/connect.c fails a connect with `failf("Failed to connect to %s port %u after
/// %ld ms: %s", host, port, elapsed, curl_easy_strerror(result))`, CURLE_COULDNT_CONNECT's
/// strerror being `Couldn't connect to server` (the message is composed before an ETIMEDOUT
/// turns the code into 28); lib/hostip.c's resolver error is `Could not resolve host: NAME`.
pub fn curl(args: &[String], net: &mut Network, client: &Client, now: Millis) -> Ran {
    curl_with(args, |url, host| net.send(client, url, host, now))
}

/// curl, its request sent by `send` (with the `Host` header given, if any).
fn curl_with(args: &[String], send: impl FnOnce(&Url, Option<&str>) -> Exchange) -> Ran {
    let (mut silent, mut show_error, mut fail) = (false, false, false);
    let mut output: Option<String> = None;
    let mut write_out = String::new();
    let mut host_header: Option<String> = None;
    let mut url = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].clone();
        i += 1;
        let mut value = || {
            let v = args.get(i).cloned().unwrap_or_default();
            i += 1;
            v
        };
        match a.as_str() {
            "-o" | "--output" => output = Some(value()),
            "-w" | "--write-out" => write_out = value(),
            "-H" | "--header" => {
                let h = value();
                if let Some((name, v)) = h.split_once(':') {
                    if name.trim().eq_ignore_ascii_case("host") {
                        host_header = Some(v.trim().to_string());
                    }
                }
            }
            "--connect-timeout" | "-m" | "--max-time" => {
                value();
            }
            "--silent" => silent = true,
            "--show-error" => show_error = true,
            "--fail" => fail = true,
            f if f.starts_with('-') && !f.starts_with("--") => {
                for c in f.chars().skip(1) {
                    match c {
                        's' => silent = true,
                        'S' => show_error = true,
                        'f' => fail = true,
                        _ => {}
                    }
                }
            }
            _ => url = Some(a),
        }
    }
    let Some(url_text) = url else {
        return failed("curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information\n".into(), 2);
    };
    let report_errors = !silent || show_error;
    let Some(url) = parse_url(&url_text) else {
        return failed(
            format!(
                "curl: (1) Protocol \"{}\" not supported\n",
                url_text.split("://").next().unwrap_or_default()
            ),
            1,
        );
    };
    let ex = send(&url, host_header.as_deref());
    let code_text = |code: u16| {
        write_out
            .replace("%{http_code}", &format!("{code:03}"))
            .replace("\\n", "\n")
    };
    let mut ran = Ran::default();
    let response = match ex.outcome {
        Ok((_, r)) => r,
        Err(f) => {
            let (code, message) = match f {
                Failure::BadAddress => (6, format!("Could not resolve host: {}", url.host)),
                Failure::TimedOut => (28, format!("Failed to connect to {} port {} after 134000 ms: Couldn't connect to server", url.host, url.port)),
                _ => (7, format!("Failed to connect to {} port {} after 0 ms: Couldn't connect to server", url.host, url.port)),
            };
            ran.stdout = code_text(0);
            if !silent {
                ran.stderr.push_str(&progress_meter(0));
            }
            if report_errors {
                ran.stderr.push_str(&format!("curl: ({code}) {message}\n"));
            }
            ran.exit_code = code;
            return ran;
        }
    };
    if !silent {
        ran.stderr.push_str(&progress_meter(response.body.len()));
    }
    if fail && response.status >= 400 {
        if report_errors {
            ran.stderr.push_str(&format!(
                "curl: (22) The requested URL returned error: {}\n",
                response.status
            ));
        }
        ran.exit_code = 22;
        ran.stdout = code_text(response.status);
        return ran;
    }
    match output {
        Some(f) if f == "/dev/null" => {}
        Some(f) if f != "-" => ran.wrote = Some((f, response.body)),
        _ => ran.stdout.push_str(&response.body),
    }
    ran.stdout.push_str(&code_text(response.status));
    ran
}

/// curl's progress meter (stderr is no terminal): the header and the final line.
fn progress_meter(bytes: usize) -> String {
    let pct = if bytes > 0 { "100" } else { "  0" };
    format!(
        "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n\r{pct} {bytes:>5}  {pct} {bytes:>5}    0     0      0      0 --:--:-- --:--:-- --:--:--     0\n"
    )
}

/// busybox 1.36 nslookup NAME: A then AAAA queries, a dotless name under each search domain
/// (add_query_with_search; a dotted name is asked as it is, ndots is not honoured), each reply
/// printed as it comes: `Name:\tFQDN\nAddress: IP` or `** server can't find NAME: NXDOMAIN`,
/// then an empty line.
pub fn nslookup(args: &[String], net: &mut Network, client: &Client, now: Millis) -> Ran {
    let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
        return failed("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,any\n".into(), 1);
    };
    let name = name.trim_end_matches('.');
    let srv = args
        .iter()
        .any(|a| a.eq_ignore_ascii_case("-type=srv") || a.eq_ignore_ascii_case("-query=srv"));
    if srv {
        return nslookup_srv(name, net, client, now);
    }
    let queries: Vec<String> = if name.contains('.') {
        vec![name.to_string()]
    } else {
        super::traffic::search_candidates(name, &client.namespace)
            .into_iter()
            .filter(|q| q != name)
            .collect()
    };
    let mut out = format!("Server:\t\t{CLUSTER_DNS}\nAddress:\t{CLUSTER_DNS}:53\n\n");
    for ipv6 in [false, true] {
        for q in &queries {
            match net.dns.get(q) {
                Some(addrs) if !addrs.is_empty() => {
                    if !ipv6 {
                        for a in addrs {
                            out.push_str(&format!("Name:\t{q}\nAddress: {a}\n"));
                        }
                        net.hop(
                            now,
                            "coredns",
                            format!("DNS {q} A {}", addrs.join(",")),
                            "nslookup".into(),
                        );
                    }
                }
                _ => out.push_str(&format!("** server can't find {q}: NXDOMAIN\n")),
            }
            out.push('\n');
        }
    }
    Ran {
        stdout: out,
        ..Ran::default()
    }
}

/// The names busybox nslookup asks for NAME: a dotless name under each search domain, a
/// dotted one as it is.
fn nslookup_queries(name: &str, client: &Client) -> Vec<String> {
    if name.contains('.') {
        return vec![name.to_string()];
    }
    super::traffic::search_candidates(name, &client.namespace)
        .into_iter()
        .filter(|q| q != name)
        .collect()
}

/// busybox 1.36 `nslookup -type=SRV NAME`: one SRV query per name, each answer printed as
/// `NAME\tservice = PRIORITY WEIGHT PORT TARGET` (nslookup.c parse_reply), or NXDOMAIN.
fn nslookup_srv(name: &str, net: &mut Network, client: &Client, now: Millis) -> Ran {
    let mut out = format!("Server:\t\t{CLUSTER_DNS}\nAddress:\t{CLUSTER_DNS}:53\n\n");
    for q in nslookup_queries(name, client) {
        match net.srv.get(&q).filter(|r| !r.is_empty()) {
            Some(records) => {
                for r in records {
                    out.push_str(&format!("{q}\tservice = {r}\n"));
                }
                let hop = format!("DNS {q} SRV {}", records.join(","));
                net.hop(now, "coredns", hop, "nslookup".into());
            }
            None => out.push_str(&format!("** server can't find {q}: NXDOMAIN\n")),
        }
        out.push('\n');
    }
    Ran {
        stdout: out,
        ..Ran::default()
    }
}

/// The URL argument of a `wget` or `curl` command line (the word that is neither a flag nor a
/// flag's value), as each client reads it.
fn url_argument(program: &str, args: &[String]) -> Option<String> {
    let takes_value: &[&str] = match program {
        "curl" => &[
            "-o",
            "--output",
            "-w",
            "--write-out",
            "-H",
            "--header",
            "--connect-timeout",
            "-m",
            "--max-time",
        ],
        "wget" => &["-O", "-T", "-U", "-Y", "-qO", "-qT"],
        _ => return None,
    };
    let mut words = args.iter();
    while let Some(w) = words.next() {
        if takes_value.contains(&w.as_str()) {
            words.next();
        } else if !w.starts_with('-') {
            return Some(w.clone());
        }
    }
    None
}

/// Whether a host names the pod itself: `localhost` (/etc/hosts, which the kubelet writes with
/// `127.0.0.1 localhost`) or a loopback address.
fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.starts_with("127.")
}

/// Whether a `wget` or `curl` command line asks for `localhost` (the pod's own loopback, which
/// no Service, kube-proxy rule or CoreDNS record is involved in).
pub fn targets_loopback(program: &str, args: &[String]) -> bool {
    url_argument(program, args)
        .and_then(|u| parse_url(&u))
        .is_some_and(|u| is_loopback(&u.host))
}

/// Run `wget` or `curl` against the pod's own loopback: `serve` answers for the container that
/// listens on the URL's port (`Err(Failure::Refused)` when none does).
pub fn on_loopback(
    program: &str,
    args: &[String],
    serve: impl FnOnce(&Url) -> Result<Response, Failure>,
) -> Ran {
    let exchange = |url: &Url| Exchange {
        address: Some("127.0.0.1".into()),
        port: url.port,
        outcome: serve(url).map(|r| ("localhost".to_string(), r)),
    };
    match program {
        "curl" => curl_with(args, |url, _| exchange(url)),
        _ => wget_with(args, exchange),
    }
}

/// The pod a client program runs in, by its hostname (the pod's name), for its search path and
/// its node's nat table; an unknown pod asks from `default`.
pub fn client_in(net: &Network, hostname: &str) -> Client {
    net.pods
        .values()
        .find(|p| p.name == hostname)
        .map(|p| Client {
            namespace: p.namespace.clone(),
            node: p.node.clone(),
            pod: format!("{}/{}", p.namespace, p.name),
        })
        .unwrap_or(Client {
            namespace: "default".into(),
            node: String::new(),
            pod: String::new(),
        })
}

/// The name a PTR query for `ip` answers with, as CoreDNS's kubernetes plugin does
/// (serviceRecordForIP): the Service whose cluster IP it is, else the endpoint record
/// (`web-0.nginx.default.svc.cluster.local`) that holds it; none for another address.
fn reverse_name(net: &Network, ip: &str) -> Option<String> {
    let holds = |name: &&String| {
        net.dns
            .get(*name)
            .is_some_and(|a| a.iter().any(|x| x == ip))
    };
    // `<service>.<namespace>.svc.cluster.local` or `<endpoint>.<service>.<namespace>.svc...`.
    let labels = if net.pods.contains_key(ip) { 6 } else { 5 };
    net.dns
        .keys()
        .filter(|name| name.split('.').count() == labels)
        .find(holds)
        .cloned()
}

/// One `Address N: IP [NAME]` line of busybox 1.28's print_host: the reverse name after the
/// address when the PTR query finds one.
fn numbered_address(net: &Network, n: usize, ip: &str) -> String {
    match reverse_name(net, ip) {
        Some(name) => format!("Address {n}: {ip} {name}\n"),
        None => format!("Address {n}: {ip}\n"),
    }
}

/// busybox 1.28 `nslookup HOST` (networking/nslookup.c before 1.29): it asks the libc
/// resolver, so the pod's resolv.conf applies (`ndots:5` and the search path make `web-0.nginx`
/// find `web-0.nginx.default.svc.cluster.local`). print_host prints `%-10s %s` headers and
/// numbered addresses with their reverse names: the server first, an empty line, then the name
/// as typed; an unresolved name is `nslookup: can't resolve 'HOST'` on stderr, exit 1.
pub fn nslookup_with_resolver(
    args: &[String],
    net: &mut Network,
    client: &Client,
    now: Millis,
) -> Ran {
    let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
        return failed("BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n\nQuery the nameserver for the IP address of the given HOST\noptionally using a specified DNS server\n".into(), 1);
    };
    let mut ran = Ran {
        stdout: format!(
            "{:<10} {CLUSTER_DNS}\n{}\n",
            "Server:",
            numbered_address(net, 1, CLUSTER_DNS)
        ),
        ..Ran::default()
    };
    let Some((fqdn, addrs)) = net.resolve(name, &client.namespace) else {
        net.hop(
            now,
            "coredns",
            format!("DNS {name} NXDOMAIN"),
            "no record under any search domain".into(),
        );
        ran.stderr = format!("nslookup: can't resolve '{name}'\n");
        ran.exit_code = 1;
        return ran;
    };
    net.hop(
        now,
        "coredns",
        format!("DNS {fqdn} A {}", addrs.join(",")),
        "nslookup".into(),
    );
    ran.stdout.push_str(&format!("{:<10} {name}\n", "Name:"));
    for (i, ip) in addrs.iter().enumerate() {
        ran.stdout.push_str(&numbered_address(net, i + 1, ip));
    }
    ran
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net() -> Network {
        let mut n = Network::new(1);
        n.dns.insert(
            "web.default.svc.cluster.local".into(),
            vec!["10.96.0.12".into()],
        );
        n
    }

    fn client() -> Client {
        Client {
            namespace: "default".into(),
            node: "worker-1".into(),
            pod: "default/client".into(),
        }
    }

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn wget_of_an_unknown_name_is_a_bad_address() {
        let r = wget(&args(&["-qO-", "http://nope/"]), &mut net(), &client(), 0);
        assert_eq!(
            (r.stderr.as_str(), r.exit_code),
            ("wget: bad address 'nope'\n", 1)
        );
    }

    #[test]
    fn wget_to_a_service_kube_proxy_rejects_is_refused() {
        let mut n = net();
        n.proxy_rules.insert("worker-1".into(), vec!["-A KUBE-SERVICES -d 10.96.0.12/32 -p tcp -m comment --comment \"default/web has no endpoints\" -m tcp --dport 80 -j REJECT".into()]);
        let r = wget(&args(&["-qO-", "http://web/"]), &mut n, &client(), 0);
        assert_eq!(
            r.stderr,
            "wget: can't connect to remote host (10.96.0.12): Connection refused\n"
        );
    }

    #[test]
    fn curl_silent_with_show_error_prints_the_connect_failure() {
        let mut n = net();
        n.proxy_rules.insert(
            "worker-1".into(),
            vec!["-A KUBE-SERVICES -d 10.96.0.12/32 -p tcp -m tcp --dport 80 -j REJECT".into()],
        );
        let r = curl(
            &args(&[
                "-sS",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "http://web/",
            ]),
            &mut n,
            &client(),
            0,
        );
        assert_eq!(r.stdout, "000");
        assert_eq!(
            r.stderr,
            "curl: (7) Failed to connect to web port 80 after 0 ms: Couldn't connect to server\n"
        );
        assert_eq!(r.exit_code, 7);
        let r = curl(&args(&["-s", "http://nope/"]), &mut n, &client(), 0);
        assert_eq!((r.stderr.as_str(), r.exit_code), ("", 6));
    }

    #[test]
    fn nslookup_of_a_short_name_asks_each_search_domain() {
        let r = nslookup(&args(&["web"]), &mut net(), &client(), 0);
        assert!(r.stdout.starts_with("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: 10.96.0.12\n\n** server can't find web.svc.cluster.local: NXDOMAIN\n\n"));
        let r = nslookup(&args(&["web.default"]), &mut net(), &client(), 0);
        assert!(r
            .stdout
            .contains("** server can't find web.default: NXDOMAIN\n"));
    }

    #[test]
    fn nslookup_type_srv_prints_busybox_s_service_lines() {
        let mut n = net();
        n.srv.insert(
            "_http._tcp.nginx.default.svc.cluster.local".into(),
            vec![
                "0 50 80 web-0.nginx.default.svc.cluster.local".into(),
                "0 50 80 web-1.nginx.default.svc.cluster.local".into(),
            ],
        );
        let r = nslookup(
            &args(&["-type=srv", "_http._tcp.nginx.default.svc.cluster.local"]),
            &mut n,
            &client(),
            0,
        );
        assert_eq!(r.stdout, "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n_http._tcp.nginx.default.svc.cluster.local\tservice = 0 50 80 web-0.nginx.default.svc.cluster.local\n_http._tcp.nginx.default.svc.cluster.local\tservice = 0 50 80 web-1.nginx.default.svc.cluster.local\n\n");
    }

    /// A network with the tutorial's headless Service `nginx` and its pod web-0.
    fn tutorial_net() -> Network {
        let mut n = Network::new(1);
        for (name, ip) in [
            ("kube-dns.kube-system.svc.cluster.local", "10.96.0.10"),
            ("nginx.default.svc.cluster.local", "10.244.1.6"),
            ("web-0.nginx.default.svc.cluster.local", "10.244.1.6"),
        ] {
            n.dns.insert(name.into(), vec![ip.into()]);
        }
        n.pods.insert(
            "10.244.1.6".into(),
            super::super::PodEntry {
                namespace: "default".into(),
                name: "web-0".into(),
                node: "worker-1".into(),
                listening: [(80, "registry.k8s.io/nginx-slim:0.21".to_string())].into(),
                sandbox: true,
            },
        );
        n
    }

    /// basic-stateful-set.md: busybox 1.28's `nslookup web-0.nginx` finds the pod through the
    /// search path, with reverse names (the server's kube-dns, the pod's endpoint record).
    #[test]
    fn busybox_1_28_nslookup_uses_the_search_path() {
        let r = nslookup_with_resolver(&args(&["web-0.nginx"]), &mut tutorial_net(), &client(), 0);
        assert_eq!(
            r.stdout,
            "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web-0.nginx\nAddress 1: 10.244.1.6 web-0.nginx.default.svc.cluster.local\n"
        );
        assert_eq!(r.exit_code, 0);
        let r = nslookup_with_resolver(&args(&["web-9.nginx"]), &mut tutorial_net(), &client(), 0);
        assert_eq!(
            (r.stderr.as_str(), r.exit_code),
            ("nslookup: can't resolve 'web-9.nginx'\n", 1)
        );
    }

    /// `localhost` stays in the pod: the caller's server answers, nothing else is asked.
    #[test]
    fn localhost_requests_go_to_the_pod_itself() {
        assert!(targets_loopback(
            "curl",
            &args(&["-s", "http://localhost/"])
        ));
        assert!(targets_loopback("wget", &args(&["-qO-", "127.0.0.1:80"])));
        assert!(!targets_loopback(
            "curl",
            &args(&["-H", "Host: localhost", "http://web/"])
        ));
        let ok = |_: &Url| {
            Ok(Response {
                status: 200,
                body: "web-0\n".into(),
            })
        };
        let r = on_loopback("curl", &args(&["-s", "http://localhost/"]), ok);
        assert_eq!((r.stdout.as_str(), r.exit_code), ("web-0\n", 0));
        let r = on_loopback("wget", &args(&["http://localhost/"]), |_| {
            Err(Failure::Refused)
        });
        assert_eq!(
            (r.stderr.as_str(), r.exit_code),
            (
                "wget: can't connect to remote host (127.0.0.1): Connection refused\n",
                1
            )
        );
    }
}
