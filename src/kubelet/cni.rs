//! The node's CNI plugin with host-local IPAM: each pod sandbox gets the next free address of the
//! node's podCIDR, from .2 upwards (.1 is the bridge gateway), handed out round-robin so that a
//! freed address is not reused at once.

use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct HostLocal {
    /// The network address of the /24 (or larger) podCIDR, as a number.
    base: u32,
    size: u32,
    last: u32,
    leases: BTreeMap<String, u32>,
}

fn parse_ipv4(s: &str) -> Option<u32> {
    let parts: Vec<u32> = s
        .split('.')
        .map(|p| p.parse::<u32>().ok().filter(|&n| n < 256))
        .collect::<Option<_>>()?;
    (parts.len() == 4).then(|| parts.iter().fold(0, |acc, p| (acc << 8) | p))
}

pub fn format_ipv4(ip: u32) -> String {
    format!(
        "{}.{}.{}.{}",
        ip >> 24,
        (ip >> 16) & 255,
        (ip >> 8) & 255,
        ip & 255
    )
}

impl HostLocal {
    /// IPAM for `cidr` (`10.244.1.0/24`); a malformed CIDR gives an empty range.
    pub fn new(cidr: &str) -> Self {
        let (addr, bits) = cidr.split_once('/').unwrap_or((cidr, "32"));
        let bits: u32 = bits.parse().unwrap_or(32).min(32);
        let size = if bits == 0 {
            u32::MAX
        } else {
            1u32 << (32 - bits)
        };
        let base = parse_ipv4(addr).unwrap_or(0) & !(size.wrapping_sub(1));
        HostLocal {
            base,
            size,
            last: 1,
            leases: BTreeMap::new(),
        }
    }

    /// CNI ADD: an address for `container_id`, or None when the range is exhausted.
    pub fn add(&mut self, container_id: &str) -> Option<String> {
        if let Some(ip) = self.leases.get(container_id) {
            return Some(format_ipv4(*ip));
        }
        let usable = self.size.saturating_sub(3); // network, gateway (.1), broadcast
        for step in 1..=usable {
            let offset = 2 + (self.last - 1 + step - 1) % usable;
            let ip = self.base + offset;
            if !self.leases.values().any(|&l| l == ip) {
                self.last = offset;
                self.leases.insert(container_id.to_string(), ip);
                return Some(format_ipv4(ip));
            }
        }
        None
    }

    /// CNI DEL: release the address of `container_id`.
    pub fn del(&mut self, container_id: &str) -> Option<String> {
        self.leases.remove(container_id).map(format_ipv4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_start_at_two_and_are_not_reused_at_once() {
        let mut ipam = HostLocal::new("10.244.5.0/24");
        assert_eq!(ipam.add("a").as_deref(), Some("10.244.5.2"));
        assert_eq!(ipam.add("b").as_deref(), Some("10.244.5.3"));
        assert_eq!(ipam.del("a").as_deref(), Some("10.244.5.2"));
        assert_eq!(ipam.add("c").as_deref(), Some("10.244.5.4"));
        assert_eq!(ipam.add("b").as_deref(), Some("10.244.5.3"));
    }

    #[test]
    fn a_tiny_range_runs_out() {
        let mut ipam = HostLocal::new("10.0.0.0/30");
        assert_eq!(ipam.add("a").as_deref(), Some("10.0.0.2"));
        assert_eq!(ipam.add("b"), None);
    }
}
