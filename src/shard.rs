//! `--shard i/n`: a stable split of a run's inputs by a hash of each path as given, so that
//! n runs with the same arguments (on one machine or many) process disjoint parts whose union
//! is the whole, whatever the order or the machine.

use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Parses `i/n` (0 ≤ i < n).
    pub fn parse(s: &str) -> Result<Shard, String> {
        let bad = || format!("--shard {s:?}: expected i/n with 0 ≤ i < n, e.g. 0/4");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u64 = i.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// Whether `path` is this shard's.
    pub fn owns(&self, path: &Path) -> bool {
        owner(path, self.count) == self.index
    }
}

/// The shard of `path` among `count`: FNV-1a (64 bits) of the path's bytes, fixed here so that
/// it never changes with the Rust version or the platform's hasher.
pub fn owner(path: &Path, count: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.as_os_str().as_encoded_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h % count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        assert_eq!(Shard::parse("1/3"), Ok(Shard { index: 1, count: 3 }));
        for bad in ["3/3", "0/0", "1", "a/2", "-1/2"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    /// Every path has exactly one owner, and the split is stable (a fixed path's owner is
    /// pinned: a change of hash would silently reshuffle everyone's shards).
    #[test]
    fn disjoint_complete_and_stable() {
        let shards: Vec<Shard> = (0..3).map(|i| Shard { index: i, count: 3 }).collect();
        let mut per = [0usize; 3];
        for k in 0..300 {
            let p = format!("corpus/realworld/{k}.pdf");
            let owners: Vec<u64> = shards
                .iter()
                .filter(|s| s.owns(Path::new(&p)))
                .map(|s| s.index)
                .collect();
            assert_eq!(owners.len(), 1, "{p}");
            per[owners[0] as usize] += 1;
        }
        assert!(per.iter().all(|&n| n > 60), "{per:?}");
        assert_eq!(owner(Path::new("corpus/huaihua.docx"), 1000), 381);
    }
}
