//! Runs documents through read → extract → check, one record per input, in input order.
//!
//! Every input yields exactly one [`DocumentRecord`]: a reader's error, a panic anywhere in
//! the work on one document, or a time-out becomes that document's error record, and the
//! other documents go on.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use rayon::prelude::*;

use crate::error::{ErrorKind, ReadError};
use crate::extract::{self, Patterns};
use crate::model::Document;
use crate::reader::{self, Limits};
use crate::report::{DocumentRecord, ErrorRecord, Status};

/// What a run does beyond reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Read only: format, sha256, status.
    Read,
    /// Read and extract figures.
    Extract,
    /// Read, extract and cross-check.
    Check,
}

#[derive(Clone)]
pub struct Config {
    pub limits: Limits,
    pub timeout: Duration,
    pub patterns: Arc<Patterns>,
    pub mode: Mode,
    /// Keep each document's extracted text beside its record ([`Processed::text`]), for
    /// writers that show it (the HTML page). Off by default: texts of a large run are big.
    pub keep_text: bool,
    /// The findings shown (`--select`, `--ignore`, `--severity`).
    pub filter: crate::check::filter::FindingFilter,
    /// Fingerprints of accepted findings (`--baseline`), with their reasons: not shown.
    pub baseline: Arc<std::collections::HashMap<String, String>>,
    /// The result cache (`--cache DIR`).
    pub cache: Option<Arc<crate::cache::Cache>>,
}

impl Config {
    pub fn new(mode: Mode) -> Self {
        Config {
            limits: Limits::default(),
            timeout: Duration::from_secs(60),
            patterns: Arc::new(Patterns::builtin()),
            mode,
            keep_text: false,
            filter: Default::default(),
            baseline: Default::default(),
            cache: None,
        }
    }

    /// Everything besides a file's bytes that decides its record (before the findings shown
    /// are chosen): the result cache keys on it with the bytes' sha256.
    pub fn cache_salt(&self) -> String {
        format!(
            "reportlint {} build {}\0patterns {}\0mode {:?}\0limits {:?}",
            env!("CARGO_PKG_VERSION"),
            env!("REPORTLINT_BUILD_ID"),
            self.patterns.fingerprint(),
            self.mode,
            self.limits
        )
    }
}

/// Reads one file into a document, within the time limit and catching panics.
pub fn read_document(
    path: &Path,
    cfg: &Config,
) -> (Option<String>, Option<String>, Result<Document, ReadError>) {
    let input = match reader::read_input(path, &cfg.limits) {
        Ok(i) => i,
        Err(e) => return (None, None, Err(e)),
    };
    let sha = Some(input.sha256.clone());
    let limits = cfg.limits.clone();
    let (fmt, res) = with_deadline(cfg.timeout, move || {
        reader::read_bytes(&input.bytes, &input.path, &limits)
    })
    .unwrap_or_else(|e| (None, Err(e)));
    (fmt.map(|f| f.as_str().to_string()), sha, res)
}

type Job = Box<dyn FnOnce() + Send>;

thread_local! {
    /// This thread's worker: documents run there so that a deadline can abandon them. It is
    /// kept from one document to the next (a thread per document cost a spawn, a 16 MiB stack
    /// and cold regex and label caches every time) and replaced only after a time-out.
    static WORKER: std::cell::RefCell<Option<mpsc::Sender<Job>>> = const { std::cell::RefCell::new(None) };
}

fn spawn_worker() -> std::io::Result<mpsc::Sender<Job>> {
    let (tx, rx) = mpsc::channel::<Job>();
    std::thread::Builder::new()
        .name("reportlint-doc".into())
        .stack_size(16 << 20)
        .spawn(move || {
            // Ends when its sender is dropped: after a time-out, once the late job is done.
            while let Ok(job) = rx.recv() {
                job();
            }
        })?;
    Ok(tx)
}

/// Runs `f` on this thread's worker; a panic or passing the deadline becomes a
/// [`ReadError`]. A worker that passes the deadline is abandoned to finish on its own (Rust
/// cannot kill a thread, so readers also bound their own work) and the next call starts a
/// fresh one.
pub fn with_deadline<T: Send + 'static>(
    timeout: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ReadError> {
    let (tx, rx) = mpsc::channel();
    let extra = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let granted = extra.clone();
    let mut job: Option<Job> = Some(Box::new(move || {
        let r = crate::deadline::run_with(granted, || catch_unwind(AssertUnwindSafe(f)));
        let _ = tx.send(r);
    }));
    let sent = WORKER.with(|w| {
        let mut w = w.borrow_mut();
        // Two tries: a worker whose thread is gone (it cannot normally die: jobs catch their
        // panics) is replaced once.
        for _ in 0..2 {
            if w.is_none() {
                *w = Some(spawn_worker()?);
            }
            let j = job.take().expect("job is sent once");
            match w.as_ref().expect("worker present").send(j) {
                Ok(()) => return Ok(()),
                Err(mpsc::SendError(j)) => {
                    job = Some(j);
                    *w = None;
                }
            }
        }
        Err(std::io::Error::other("worker thread stopped"))
    });
    if let Err(e) = sent {
        return Err(ReadError::new(
            ErrorKind::Io,
            format!("无法启动处理线程 / cannot start a worker thread ({e}): 系统资源不足，请减少 --jobs 或稍后重试 / the system is short of resources: lower --jobs or run again later."),
        ));
    }
    let abandon = || WORKER.with(|w| *w.borrow_mut() = None);
    let start = std::time::Instant::now();
    // The deadline moves when the work grants itself time (OCR, a page at a time).
    let received = loop {
        let limit =
            timeout + Duration::from_millis(extra.load(std::sync::atomic::Ordering::Relaxed));
        match rx.recv_timeout(limit.saturating_sub(start.elapsed())) {
            Err(mpsc::RecvTimeoutError::Timeout)
                if start.elapsed()
                    < timeout
                        + Duration::from_millis(
                            extra.load(std::sync::atomic::Ordering::Relaxed),
                        ) => {}
            r => break r,
        }
    };
    match received {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(p)) => Err(panic_error(p)),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            abandon();
            Err(ReadError::new(
                ErrorKind::Timeout,
                format!(
                    "处理超时（超过 {} 秒）/ processing took longer than {} s and was abandoned. 文件可能异常复杂或已损坏；可用 --timeout 调高上限 / the file may be damaged or unusually complex; raise --timeout if it is genuine.",
                    timeout.as_secs(),
                    timeout.as_secs()
                ),
            ))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            abandon();
            Err(ReadError::new(
                ErrorKind::Panic,
                "处理线程意外退出 / the worker stopped unexpectedly. 请报告此问题 / please report this file.",
            ))
        }
    }
}

fn panic_error(p: Box<dyn std::any::Any + Send>) -> ReadError {
    let what = p
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    ReadError::new(
        ErrorKind::Panic,
        format!("内部错误，已跳过此文件 / internal error while processing this file ({what}). 请将文件反馈给开发者 / please report it with the file."),
    )
}

fn error_record(
    path: &Path,
    format: Option<String>,
    sha: Option<String>,
    e: ReadError,
) -> DocumentRecord {
    let mut r = DocumentRecord::empty(path.display().to_string());
    r.format = format;
    r.sha256 = sha;
    r.status = if e.kind == crate::error::ErrorKind::NotAReport {
        Status::Skipped
    } else {
        Status::Error
    };
    r.error = Some(ErrorRecord {
        kind: e.kind.as_str().to_string(),
        message: e.message,
    });
    r
}

/// A document's record and, when [`Config::keep_text`], its extracted text (never part of
/// the record: the JSON contract stays as it is).
pub struct Processed {
    pub record: DocumentRecord,
    pub text: Option<String>,
}

/// One document, start to end. Never panics, never fails: errors are records.
///
/// The deadline covers reading, extraction and checks together: `--timeout` is the time per
/// document, and a document whose text is pathological for extraction must not hold up the
/// run any more than one whose bytes are pathological for a reader.
pub fn run_one(path: &Path, cfg: &Config) -> DocumentRecord {
    process_one(path, cfg).record
}

/// [`run_one`], keeping the text when the configuration asks.
pub fn process_one(path: &Path, cfg: &Config) -> Processed {
    let cache = cfg.cache.as_deref();
    // Taken before the file is read: a change while it is read then shows at the next run.
    let stamp = cache.and_then(|_| crate::cache::stamp_of(path));
    if let (Some(c), Some(s)) = (cache, &stamp) {
        if let Some(hit) = c.by_stamp(path, s, cfg.keep_text) {
            return shown(from_cache(hit, path, cfg), cfg);
        }
    }
    let input = match reader::read_input(path, &cfg.limits) {
        Ok(i) => i,
        Err(e) => return shown(bare(error_record(path, None, None, e)), cfg),
    };
    let sha = input.sha256.clone();
    if let Some(c) = cache {
        if let Some(hit) = c.by_content(&sha, cfg.keep_text) {
            if let Some(s) = &stamp {
                c.remember(path, s, &sha);
            }
            return shown(from_cache(hit, path, cfg), cfg);
        }
    }
    let p = process_input(input, cfg);
    if let Some(c) = cache {
        c.store(&sha, &p.record, p.text.as_deref());
        if let Some(s) = &stamp {
            c.remember(path, s, &sha);
        }
    }
    shown(p, cfg)
}

/// One document given as bytes, `name` standing for its path: as [`process_one`], without
/// the cache.
pub fn process_bytes(name: &Path, bytes: Vec<u8>, cfg: &Config) -> Processed {
    match reader::Input::from_bytes(name, bytes, &cfg.limits) {
        Ok(input) => shown(process_input(input, cfg), cfg),
        Err(e) => shown(bare(error_record(name, None, None, e)), cfg),
    }
}

fn bare(record: DocumentRecord) -> Processed {
    Processed { record, text: None }
}

/// A cached document as if processed now under `path`.
fn from_cache(hit: crate::cache::Cached, path: &Path, cfg: &Config) -> Processed {
    let mut record = hit.record;
    record.path = path.display().to_string();
    Processed {
        record,
        text: hit.text.filter(|_| cfg.keep_text),
    }
}

/// The findings the run shows: `--select/--ignore/--severity`, then the baseline's.
fn shown(mut p: Processed, cfg: &Config) -> Processed {
    let rec = &mut p.record;
    if !cfg.filter.is_all() {
        let filter = &cfg.filter;
        rec.findings.retain(|f| filter.keeps(&f.code, &f.severity));
    }
    if !cfg.baseline.is_empty() {
        let path = rec.path.clone();
        let mut hidden = Vec::new();
        rec.findings.retain(|f| {
            let fp = crate::baseline::fingerprint(&path, f);
            let keep = !cfg.baseline.contains_key(&fp);
            if !keep {
                hidden.push(fp);
            }
            keep
        });
        rec.baselined = hidden;
    }
    p
}

/// Reads, extracts and checks one input within the deadline: every finding, none hidden.
fn process_input(input: reader::Input, cfg: &Config) -> Processed {
    let path_buf = input.path.clone();
    let sha = Some(input.sha256.clone());
    let limits = cfg.limits.clone();
    let mode = cfg.mode;
    let keep_text = cfg.keep_text;
    let patterns = cfg.patterns.clone();
    let sha2 = sha.clone();
    let path2 = path_buf.clone();
    let work = move || {
        let (fmt, res) = reader::read_bytes(&input.bytes, &input.path, &limits);
        let format = fmt.map(|f| f.as_str().to_string());
        let doc = match res {
            Ok(d) => d,
            Err(e) => return bare(error_record(&path2, format, sha2, e)),
        };
        drop(input);
        // A panic after reading keeps the format in the record: the file was readable.
        let done = catch_unwind(AssertUnwindSafe(|| {
            let mut rec = DocumentRecord::empty(path2.display().to_string());
            rec.format = format.clone();
            rec.sha256 = sha2.clone();
            rec.problems = doc.problems.clone();
            if mode != Mode::Read {
                let ex = extract::extract(&doc, &patterns);
                let outcome = (mode == Mode::Check).then(|| crate::check::run(&doc, &ex));
                crate::output::fill(&mut rec, &doc, &ex, outcome.as_ref());
            }
            rec
        }));
        match done {
            Ok(record) => Processed {
                record,
                text: keep_text.then_some(doc.text),
            },
            Err(p) => bare(error_record(&path2, format, sha2, panic_error(p))),
        }
    };
    with_deadline(cfg.timeout, work).unwrap_or_else(|e| bare(error_record(&path_buf, None, sha, e)))
}

/// An entry of the expanded input list: a path to process, or a walk error to report.
pub type Entry = Result<PathBuf, (PathBuf, ReadError)>;

/// Runs every entry in parallel; the output keeps the input order.
pub fn run_many(entries: &[Entry], cfg: &Config) -> Vec<DocumentRecord> {
    process_many(entries, cfg, &|_| {})
        .into_iter()
        .map(|p| p.record)
        .collect()
}

/// [`run_many`] keeping texts as `cfg` asks, calling `on_done` (from the worker threads, in
/// no particular order) as each document finishes: the progress bar counts with it.
pub fn process_many(
    entries: &[Entry],
    cfg: &Config,
    on_done: &(dyn Fn(&DocumentRecord) + Sync),
) -> Vec<Processed> {
    entries
        .par_iter()
        .map(|e| {
            let p = match e {
                Ok(p) => process_one(p, cfg),
                Err((p, err)) => Processed {
                    record: error_record(p, None, None, err.clone()),
                    text: None,
                },
            };
            on_done(&p.record);
            p
        })
        .collect()
}

/// Documents per rayon thread in one chunk of [`run_streaming`]: enough to keep every thread
/// busy past the slowest document of a chunk, few enough that a chunk's records stay small.
const CHUNK_PER_THREAD: usize = 32;

/// Runs every entry in parallel and hands each record to `sink` in input order, holding at
/// most one chunk of records at a time, so that memory does not grow with the number of
/// documents (`run_many` keeps them all).
///
/// Chunks are processed one after the other with rayon (of the current pool); `sink` runs on
/// the calling thread between chunks. The records are the same as `run_many`'s.
pub fn run_streaming(entries: &[Entry], cfg: &Config, mut sink: impl FnMut(DocumentRecord)) {
    let chunk = (rayon::current_num_threads() * CHUNK_PER_THREAD).max(1);
    for part in entries.chunks(chunk) {
        let records: Vec<DocumentRecord> = part
            .par_iter()
            .map(|e| match e {
                Ok(p) => run_one(p, cfg),
                Err((p, err)) => error_record(p, None, None, err.clone()),
            })
            .collect();
        for r in records {
            sink(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Streaming gives the records of `run_many`, in the same order, across chunk borders.
    #[test]
    fn streaming_matches_run_many() {
        let dir = tempfile::tempdir().unwrap();
        let n = rayon::current_num_threads() * CHUNK_PER_THREAD + 5;
        let mut entries: Vec<Entry> = Vec::new();
        for i in 0..n {
            let p = dir.path().join(format!("{i:04}.txt"));
            std::fs::write(
                &p,
                format!("编制人数{}人，实有人数{}人。\n", 40 + i, 30 + i),
            )
            .unwrap();
            entries.push(Ok(p));
        }
        entries.push(Err((
            dir.path().join("missing"),
            ReadError::new(ErrorKind::Io, "gone"),
        )));
        let cfg = Config::new(Mode::Check);
        let all = run_many(&entries, &cfg);
        let mut streamed = Vec::new();
        run_streaming(&entries, &cfg, |r| streamed.push(r));
        assert_eq!(all, streamed);
    }

    /// Documents reuse one worker thread; a panic leaves it usable; a time-out abandons it and
    /// the next document runs on a fresh one.
    /// Work that grants itself time finishes past `--timeout`; work that does not is abandoned.
    #[test]
    fn granted_time_moves_the_deadline() {
        let t = Duration::from_millis(100);
        let slow = |grant: u64| {
            move || {
                crate::deadline::extend(Duration::from_millis(grant));
                std::thread::sleep(Duration::from_millis(300));
                7
            }
        };
        assert_eq!(with_deadline(t, slow(1000)).unwrap(), 7);
        assert_eq!(
            with_deadline(t, slow(0)).unwrap_err().kind,
            ErrorKind::Timeout
        );
        // Outside a deadline, a grant does nothing.
        crate::deadline::extend(Duration::from_secs(1));
    }

    #[test]
    fn deadline_worker_is_reused_and_replaced() {
        let id = || std::thread::current().id();
        let t = Duration::from_secs(10);
        let a = with_deadline(t, id).unwrap();
        let b = with_deadline(t, id).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, std::thread::current().id());

        let e = with_deadline(t, || -> u8 { panic!("boom") }).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Panic);
        assert!(e.message.contains("boom"));
        assert_eq!(with_deadline(t, id).unwrap(), a);

        let e = with_deadline(Duration::from_millis(50), || {
            std::thread::sleep(Duration::from_millis(500));
        })
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Timeout);
        let c = with_deadline(t, id).unwrap();
        assert_ne!(c, a);
        assert_eq!(with_deadline(t, id).unwrap(), c);
    }
}
