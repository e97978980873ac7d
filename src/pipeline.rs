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
}

impl Config {
    pub fn new(mode: Mode) -> Self {
        Config {
            limits: Limits::default(),
            timeout: Duration::from_secs(60),
            patterns: Arc::new(Patterns::builtin()),
            mode,
        }
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

/// Runs `f` on its own thread; a panic or passing the deadline becomes a [`ReadError`].
/// A thread that passes the deadline is left to finish on its own: Rust cannot kill it, so
/// readers also bound their own work.
pub fn with_deadline<T: Send + 'static>(
    timeout: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ReadError> {
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("reportlint-doc".into())
        .stack_size(16 << 20)
        .spawn(move || {
            let r = catch_unwind(AssertUnwindSafe(f));
            let _ = tx.send(r);
        });
    if let Err(e) = spawned {
        return Err(ReadError::new(
            ErrorKind::Io,
            format!("无法启动处理线程 / cannot start a worker thread ({e}): 系统资源不足，请减少 --jobs 或稍后重试 / the system is short of resources: lower --jobs or run again later."),
        ));
    }
    match rx.recv_timeout(timeout) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(p)) => Err(panic_error(p)),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(ReadError::new(
            ErrorKind::Timeout,
            format!(
                "处理超时（超过 {} 秒）/ processing took longer than {} s and was abandoned. 文件可能异常复杂或已损坏；可用 --timeout 调高上限 / the file may be damaged or unusually complex; raise --timeout if it is genuine.",
                timeout.as_secs(),
                timeout.as_secs()
            ),
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(ReadError::new(
            ErrorKind::Panic,
            "处理线程意外退出 / the worker stopped unexpectedly. 请报告此问题 / please report this file.",
        )),
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
    r.status = Status::Error;
    r.error = Some(ErrorRecord {
        kind: e.kind.as_str().to_string(),
        message: e.message,
    });
    r
}

/// One document, start to end. Never panics, never fails: errors are records.
///
/// The deadline covers reading, extraction and checks together: `--timeout` is the time per
/// document, and a document whose text is pathological for extraction must not hold up the
/// run any more than one whose bytes are pathological for a reader.
pub fn run_one(path: &Path, cfg: &Config) -> DocumentRecord {
    let input = match reader::read_input(path, &cfg.limits) {
        Ok(i) => i,
        Err(e) => return error_record(path, None, None, e),
    };
    let sha = Some(input.sha256.clone());
    let limits = cfg.limits.clone();
    let mode = cfg.mode;
    let patterns = cfg.patterns.clone();
    let path_buf = path.to_path_buf();
    let sha2 = sha.clone();
    let work = move || {
        let (fmt, res) = reader::read_bytes(&input.bytes, &input.path, &limits);
        let format = fmt.map(|f| f.as_str().to_string());
        let doc = match res {
            Ok(d) => d,
            Err(e) => return error_record(&path_buf, format, sha2, e),
        };
        drop(input);
        // A panic after reading keeps the format in the record: the file was readable.
        let done = catch_unwind(AssertUnwindSafe(|| {
            let mut rec = DocumentRecord::empty(path_buf.display().to_string());
            rec.format = format.clone();
            rec.sha256 = sha2.clone();
            rec.problems = doc.problems.clone();
            if mode != Mode::Read {
                let ex = extract::extract(&doc, &patterns);
                if mode == Mode::Check {
                    let outcome = crate::check::run(&doc, &ex);
                    crate::output::fill(&mut rec, &doc, &ex, Some(&outcome));
                } else {
                    crate::output::fill(&mut rec, &doc, &ex, None);
                }
            }
            rec
        }));
        match done {
            Ok(r) => r,
            Err(p) => error_record(&path_buf, format, sha2, panic_error(p)),
        }
    };
    with_deadline(cfg.timeout, work).unwrap_or_else(|e| error_record(path, None, sha, e))
}

/// An entry of the expanded input list: a path to process, or a walk error to report.
pub type Entry = Result<PathBuf, (PathBuf, ReadError)>;

/// Runs every entry in parallel; the output keeps the input order.
pub fn run_many(entries: &[Entry], cfg: &Config) -> Vec<DocumentRecord> {
    entries
        .par_iter()
        .map(|e| match e {
            Ok(p) => run_one(p, cfg),
            Err((p, err)) => error_record(p, None, None, err.clone()),
        })
        .collect()
}
