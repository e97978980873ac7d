//! The result cache (`--cache DIR`): a document's record kept under the sha256 of its bytes
//! and of everything else that decides the record (tool version and build, pattern set,
//! mode, resource bounds), so that a re-run over unchanged reports neither parses nor, for
//! files it has seen at the same path, reads them again.
//!
//! Layout, all written atomically (a temporary file renamed into place), so a run killed at
//! any point leaves only whole entries and a new run finishes the rest:
//! - `results/ab/<key>.json`: the record before `--select/--ignore/--severity/--baseline` (a
//!   cached run can show other findings than the run that wrote it), with the text when the
//!   run kept it (the review page needs it).
//! - `stamps/ab/<sha256 of the absolute path>.json`: the file's [`Stamp`] when it was read and
//!   the sha256 of its bytes. A stamp is trusted only when the file was last modified well
//!   before it was taken: a file rewritten within the file system's timestamp granularity
//!   could otherwise keep its stamp.
//!
//! Time-outs and I/O errors are not cached: they say more about the run than the file.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::reader::{self, Stamp};
use crate::report::DocumentRecord;

/// A stamp newer than this when it is taken is not trusted: coarse file systems (FAT keeps
/// 2 s) would let a rewrite within the same tick keep it.
const RACY_NS: i128 = 3_000_000_000;

/// A cached document: its record (path as first seen) and text when kept. Written from
/// borrowed parts by [`Cache::store`].
#[derive(Debug, Clone, Deserialize)]
pub struct Cached {
    pub record: DocumentRecord,
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct StampEntry {
    path: String,
    stamp: Stamp,
    sha256: String,
    taken_ns: i128,
}

/// What a run did with the cache, for its summary.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    /// Records reused without reading the file (its stamp matched).
    pub unread: u64,
    /// Records reused after reading the file (new path or untrusted stamp, same bytes).
    pub by_content: u64,
    /// Documents processed and stored.
    pub stored: u64,
}

pub struct Cache {
    dir: PathBuf,
    salt: String,
    unread: AtomicU64,
    by_content: AtomicU64,
    stored: AtomicU64,
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn now_ns() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

impl Cache {
    /// Opens (creating) the cache directory. `salt` names everything besides the bytes that
    /// decides a record; [`crate::pipeline::Config::cache_salt`] gives it.
    pub fn open(dir: &Path, salt: String) -> std::io::Result<Cache> {
        for sub in ["results", "stamps"] {
            std::fs::create_dir_all(dir.join(sub))?;
        }
        let tag = dir.join("CACHEDIR.TAG");
        if !tag.exists() {
            // The standard tag: backup tools leave the directory out.
            std::fs::write(
                &tag,
                "Signature: 8a477f597d28d172789f06886806bc55\n# reportlint's result cache (--cache): safe to delete.\n",
            )?;
        }
        Ok(Cache {
            dir: dir.to_path_buf(),
            salt,
            unread: AtomicU64::new(0),
            by_content: AtomicU64::new(0),
            stored: AtomicU64::new(0),
        })
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats {
            unread: self.unread.load(Relaxed),
            by_content: self.by_content.load(Relaxed),
            stored: self.stored.load(Relaxed),
        }
    }

    fn entry(&self, sub: &str, key: &str) -> PathBuf {
        self.dir
            .join(sub)
            .join(&key[..2])
            .join(format!("{key}.json"))
    }

    fn result_path(&self, sha256: &str) -> PathBuf {
        let key = hex(&Sha256::digest(format!("{}\0{sha256}", self.salt)));
        self.entry("results", &key)
    }

    fn stamp_path(&self, path: &Path) -> PathBuf {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let key = hex(&Sha256::digest(abs.to_string_lossy().as_bytes()));
        self.entry("stamps", &key)
    }

    fn load(&self, sha256: &str) -> Option<Cached> {
        let bytes = std::fs::read(self.result_path(sha256)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// The record of `path` when its stamp is the one recorded with its sha256, without
    /// reading the file. The caller's `stamp` is taken before anything else is done with it.
    pub fn by_stamp(&self, path: &Path, stamp: &Stamp, need_text: bool) -> Option<Cached> {
        let sha = self.trusted_sha(path, stamp)?;
        let hit = self.load(&sha).filter(|c| !need_text || c.text.is_some())?;
        self.unread.fetch_add(1, Relaxed);
        Some(hit)
    }

    /// Whether `path` is unchanged since it was processed into this cache (its record is
    /// here): a report, without looking at it again.
    pub fn knows(&self, path: &Path) -> bool {
        let Some(stamp) = stamp_of(path) else {
            return false;
        };
        self.trusted_sha(path, &stamp)
            .is_some_and(|sha| self.result_path(&sha).is_file())
    }

    fn trusted_sha(&self, path: &Path, stamp: &Stamp) -> Option<String> {
        let bytes = std::fs::read(self.stamp_path(path)).ok()?;
        let e: StampEntry = serde_json::from_slice(&bytes).ok()?;
        (e.stamp == *stamp && e.taken_ns - stamp.mtime_ns >= RACY_NS).then_some(e.sha256)
    }

    /// The record of bytes whose sha256 is `sha256`, read from any path.
    pub fn by_content(&self, sha256: &str, need_text: bool) -> Option<Cached> {
        let hit = self
            .load(sha256)
            .filter(|c| !need_text || c.text.is_some())?;
        self.by_content.fetch_add(1, Relaxed);
        Some(hit)
    }

    /// Records `path`'s stamp and the sha256 of the bytes read under it.
    pub fn remember(&self, path: &Path, stamp: &Stamp, sha256: &str) {
        let e = StampEntry {
            path: path.display().to_string(),
            stamp: *stamp,
            sha256: sha256.to_string(),
            taken_ns: now_ns(),
        };
        if let Ok(bytes) = serde_json::to_vec(&e) {
            let _ = write_atomic(&self.stamp_path(path), &bytes);
        }
    }

    /// Keeps a processed document's record (unless its error is about the run, not the file).
    pub fn store(&self, sha256: &str, record: &DocumentRecord, text: Option<&str>) {
        if let Some(e) = &record.error {
            // A scan without a text layer reads once the OCR engine is installed: not kept.
            if matches!(e.kind.as_str(), "timeout" | "io" | "no_text_layer") {
                return;
            }
        }
        #[derive(Serialize)]
        struct CachedRef<'a> {
            record: &'a DocumentRecord,
            #[serde(skip_serializing_if = "Option::is_none")]
            text: Option<&'a str>,
        }
        if let Ok(bytes) = serde_json::to_vec(&CachedRef { record, text }) {
            if write_atomic(&self.result_path(sha256), &bytes).is_ok() {
                self.stored.fetch_add(1, Relaxed);
            }
        }
    }
}

/// Writes beside the target and renames: readers see the old entry or the new one, whole.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d)?;
    }
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let tmp = path.with_extension(format!(
        "tmp{}.{}",
        std::process::id(),
        SEQ.fetch_add(1, Relaxed)
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// The file's stamp, through the reader (the one module that looks at input files).
pub fn stamp_of(path: &Path) -> Option<Stamp> {
    reader::stamp(path)
}
