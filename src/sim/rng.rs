//! Seeded randomness. Kubernetes is random where it breaks ties (the scheduler's choice among
//! equally scored nodes) and where it makes names (generateName suffixes, cluster IPs);
//! podlab draws all of these from one ChaCha stream so a seed replays a run exactly.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

/// The alphabet of `k8s.io/apimachinery/pkg/util/rand.String`: no vowels, no confusable digits.
const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

#[derive(Debug, Clone)]
pub struct Rng(ChaCha8Rng);

impl Rng {
    pub fn seeded(seed: u64) -> Self {
        Rng(ChaCha8Rng::seed_from_u64(seed))
    }

    /// A uniform integer in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "below(0)");
        // Rejection sampling keeps the draw unbiased.
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let x = self.0.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }

    /// `n` characters as Kubernetes' `utilrand.String(n)` makes them (generateName, volume names).
    pub fn name_suffix(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| NAME_ALPHABET[self.below(NAME_ALPHABET.len() as u64) as usize] as char)
            .collect()
    }

    /// A version-4 UUID, as the API server gives every object's metadata.uid.
    pub fn uuid(&mut self) -> String {
        let mut b = [0u8; 16];
        self.0.fill_bytes(&mut b);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }

    /// `n` random bytes as lowercase hex (container IDs, image digests).
    pub fn hex(&mut self, n: usize) -> String {
        (0..n).map(|_| format!("{:02x}", self.below(256))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let (mut a, mut b) = (Rng::seeded(7), Rng::seeded(7));
        assert_eq!(a.name_suffix(5), b.name_suffix(5));
        assert_eq!(a.uuid(), b.uuid());
        assert_ne!(Rng::seeded(8).uuid(), Rng::seeded(7).uuid());
    }

    #[test]
    fn names_use_the_kubernetes_alphabet() {
        let s = Rng::seeded(1).name_suffix(200);
        assert!(s.bytes().all(|c| NAME_ALPHABET.contains(&c)));
    }

    #[test]
    fn uuids_are_version_4() {
        let u = Rng::seeded(3).uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
    }
}
