//! The nat table as netfilter walks it for one new connection: the rules kube-proxy wrote
//! (iptables-save lines, pkg/proxy/iptables/proxier.go syncProxyRules) are tried in order from
//! KUBE-SERVICES; a `-m statistic --mode random --probability P` rule matches with probability P
//! (the xt_statistic module), a jump enters another chain and comes back when it ends, DNAT
//! rewrites the destination, REJECT refuses the connection (`icmp-port-unreachable`, which the
//! client sees as "Connection refused").

use std::collections::BTreeSet;

/// One rule of the nat table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rule {
    pub chain: String,
    pub text: String,
    pub destination: Option<String>,
    pub dport: Option<i64>,
    pub probability: Option<f64>,
    /// `-m addrtype --dst-type LOCAL`: the destination is one of the node's own addresses.
    pub dst_local: bool,
    pub target: String,
    pub to_destination: Option<String>,
    pub comment: String,
}

/// Split an iptables-save line into words, keeping `"quoted words"` whole.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for ch in line.chars() {
        match ch {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

/// Parse one `-A CHAIN ...` line; other lines (`:CHAIN`, `*nat`, `COMMIT`) are not rules.
pub fn parse_rule(line: &str) -> Option<Rule> {
    let w = words(line);
    if w.first().map(String::as_str) != Some("-A") {
        return None;
    }
    let mut rule = Rule {
        chain: w.get(1)?.clone(),
        text: line.to_string(),
        ..Rule::default()
    };
    let mut i = 2;
    let mut negated = false;
    while i < w.len() {
        let value = w.get(i + 1).cloned().unwrap_or_default();
        match w[i].as_str() {
            "!" => {
                negated = true;
                i += 1;
                continue;
            }
            "-d" if !negated => {
                rule.destination = Some(value.trim_end_matches("/32").to_string());
            }
            "--dport" if !negated => rule.dport = value.parse().ok(),
            "--probability" => rule.probability = value.parse().ok(),
            "--dst-type" if value == "LOCAL" && !negated => rule.dst_local = true,
            "-j" => rule.target = value,
            "--to-destination" => rule.to_destination = Some(value),
            "--comment" => rule.comment = value,
            _ => {
                i += 1;
                negated = false;
                continue;
            }
        }
        negated = false;
        i += 2;
    }
    Some(rule)
}

/// Every `ip` a DNAT rule of `rules` sends to.
pub fn dnat_destinations(rules: &[String]) -> BTreeSet<String> {
    rules
        .iter()
        .filter_map(|l| parse_rule(l)?.to_destination)
        .map(|d| {
            d.rsplit_once(':')
                .map_or(d.clone(), |(ip, _)| ip.to_string())
        })
        .collect()
}

/// How the walk ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Rewritten to `ip:port`.
    Dnat(String),
    /// Refused by a REJECT rule.
    Reject,
    /// No rule changed the destination.
    Unchanged,
}

/// The walk's result: the verdict and the rules that matched on the way (each with the
/// probability its statistic match had).
#[derive(Debug, Clone, PartialEq)]
pub struct Walk {
    pub verdict: Verdict,
    pub matched: Vec<Rule>,
}

/// The connection being translated.
pub struct Packet<'a> {
    pub destination: &'a str,
    pub port: i64,
    /// Whether the destination is one of this node's addresses (`addrtype LOCAL`).
    pub local: bool,
}

/// Walk the nat table from KUBE-SERVICES for `packet`; `draw` gives uniform numbers in [0, 1)
/// for statistic matches.
pub fn walk(rules: &[String], packet: &Packet, draw: &mut dyn FnMut() -> f64) -> Walk {
    let parsed: Vec<Rule> = rules.iter().filter_map(|l| parse_rule(l)).collect();
    let mut matched = Vec::new();
    let verdict = walk_chain(&parsed, "KUBE-SERVICES", packet, draw, &mut matched, 0)
        .unwrap_or(Verdict::Unchanged);
    Walk { verdict, matched }
}

/// The deepest chain nesting followed (kube-proxy's is four: SERVICES, EXT, SVC, SEP).
const MAX_DEPTH: usize = 8;

fn matches(rule: &Rule, packet: &Packet, draw: &mut dyn FnMut() -> f64) -> bool {
    if rule
        .destination
        .as_deref()
        .is_some_and(|d| d != packet.destination)
    {
        return false;
    }
    if rule.dport.is_some_and(|p| p != packet.port) {
        return false;
    }
    if rule.dst_local && !packet.local {
        return false;
    }
    match rule.probability {
        Some(p) => draw() < p,
        None => true,
    }
}

fn walk_chain(
    rules: &[Rule],
    chain: &str,
    packet: &Packet,
    draw: &mut dyn FnMut() -> f64,
    matched: &mut Vec<Rule>,
    depth: usize,
) -> Option<Verdict> {
    if depth > MAX_DEPTH {
        return None;
    }
    for rule in rules.iter().filter(|r| r.chain == chain) {
        if !matches(rule, packet, draw) {
            continue;
        }
        match rule.target.as_str() {
            "DNAT" => {
                matched.push(rule.clone());
                return Some(Verdict::Dnat(
                    rule.to_destination.clone().unwrap_or_default(),
                ));
            }
            "REJECT" | "DROP" => {
                matched.push(rule.clone());
                return Some(Verdict::Reject);
            }
            "RETURN" => return None,
            "ACCEPT" => return Some(Verdict::Unchanged),
            target if rules.iter().any(|r| r.chain == target) && target != chain => {
                matched.push(rule.clone());
                if let Some(v) = walk_chain(rules, target, packet, draw, matched, depth + 1) {
                    return Some(v);
                }
            }
            // KUBE-MARK-MASQ and other marking targets: the packet goes on.
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Vec<String> {
        vec![
            "-A KUBE-SERVICES -d 10.96.0.12/32 -p tcp -m comment --comment \"default/web cluster IP\" -m tcp --dport 80 -j KUBE-SVC-A".into(),
            "-A KUBE-SVC-A -m comment --comment \"default/web -> 10.244.1.2:80\" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-1".into(),
            "-A KUBE-SEP-1 -p tcp -m comment --comment \"default/web\" -m tcp -j DNAT --to-destination 10.244.1.2:80".into(),
            "-A KUBE-SVC-A -m comment --comment \"default/web -> 10.244.2.2:80\" -j KUBE-SEP-2".into(),
            "-A KUBE-SEP-2 -p tcp -m comment --comment \"default/web\" -m tcp -j DNAT --to-destination 10.244.2.2:80".into(),
            "-A KUBE-SERVICES -d 10.96.0.13/32 -p tcp -m comment --comment \"default/none has no endpoints\" -m tcp --dport 80 -j REJECT".into(),
        ]
    }

    fn packet(ip: &str) -> Packet<'_> {
        Packet {
            destination: ip,
            port: 80,
            local: false,
        }
    }

    #[test]
    fn the_statistic_match_picks_the_first_endpoint_below_its_probability() {
        let w = walk(&rules(), &packet("10.96.0.12"), &mut || 0.3);
        assert_eq!(w.verdict, Verdict::Dnat("10.244.1.2:80".into()));
        assert_eq!(w.matched[1].probability, Some(0.5));
        let w = walk(&rules(), &packet("10.96.0.12"), &mut || 0.7);
        assert_eq!(w.verdict, Verdict::Dnat("10.244.2.2:80".into()));
    }

    #[test]
    fn a_service_without_endpoints_is_rejected_and_others_pass_unchanged() {
        let w = walk(&rules(), &packet("10.96.0.13"), &mut || 0.0);
        assert_eq!(w.verdict, Verdict::Reject);
        let w = walk(&rules(), &packet("10.244.1.2"), &mut || 0.0);
        assert_eq!(w.verdict, Verdict::Unchanged);
    }

    #[test]
    fn dnat_destinations_are_the_endpoint_addresses() {
        let d: Vec<String> = dnat_destinations(&rules()).into_iter().collect();
        assert_eq!(d, ["10.244.1.2", "10.244.2.2"]);
    }
}
