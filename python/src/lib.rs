//! `reportlint._native`: the crate's pipeline for Python. Records cross as the JSON of the
//! contract (spec/output.md) and are parsed by `reportlint/__init__.py`, so that a record in
//! Python is exactly a line of `reportlint check --format jsonl`. Work on documents runs with
//! the interpreter released (other Python threads go on) on a rayon pool of `jobs` threads.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use reportlint::cache::Cache;
use reportlint::check::filter::FindingFilter;
use reportlint::extract::Patterns;
use reportlint::pipeline::{self, Config, Mode};
use reportlint::reader::select::{select_inputs, Selection};
use reportlint::report::DocumentRecord;

// As in the binary: extraction makes many small strings, and mimalloc's thread-local free
// lists save a fifth of the time (benches/RESULTS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One configuration of the pipeline (mode, findings shown, patterns, bounds, cache), kept
/// so that patterns are compiled once however many documents go through.
#[pyclass(frozen, module = "reportlint._native")]
struct Engine {
    cfg: Config,
}

fn json(r: &DocumentRecord) -> String {
    serde_json::to_string(r).expect("records serialise (only strings and numbers)")
}

/// A rayon pool per thread count, made once: each pool thread keeps its deadline worker and
/// its warm caches from one call to the next.
fn pool(jobs: usize) -> PyResult<Arc<rayon::ThreadPool>> {
    static POOLS: OnceLock<Mutex<HashMap<usize, Arc<rayon::ThreadPool>>>> = OnceLock::new();
    let mut pools = POOLS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(p) = pools.get(&jobs) {
        return Ok(p.clone());
    }
    let p = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("reportlint-{i}"))
        .build()
        .map_err(|e| PyValueError::new_err(format!("cannot start {jobs} threads: {e}")))?;
    let p = Arc::new(p);
    pools.insert(jobs, p.clone());
    Ok(p)
}

#[pymethods]
impl Engine {
    #[new]
    #[pyo3(signature = (mode = "check", select = None, ignore = None, severity = None, patterns = None, timeout = 60, cache = None))]
    fn new(
        mode: &str,
        select: Option<Vec<String>>,
        ignore: Option<Vec<String>>,
        severity: Option<String>,
        patterns: Option<PathBuf>,
        timeout: u64,
        cache: Option<PathBuf>,
    ) -> PyResult<Self> {
        let mode = match mode {
            "check" => Mode::Check,
            "extract" => Mode::Extract,
            "read" => Mode::Read,
            other => {
                return Err(PyValueError::new_err(format!(
                    "mode {other:?}: expected \"check\", \"extract\" or \"read\""
                )))
            }
        };
        let mut cfg = Config::new(mode);
        cfg.timeout = Duration::from_secs(timeout.max(1));
        if let Some(dir) = patterns {
            cfg.patterns = Arc::new(Patterns::from_dir(&dir).map_err(PyValueError::new_err)?);
        }
        cfg.filter = FindingFilter::new(
            &select.unwrap_or_default(),
            &ignore.unwrap_or_default(),
            severity.as_deref(),
        )
        .map_err(PyValueError::new_err)?;
        if let Some(dir) = cache {
            let c = Cache::open(&dir, cfg.cache_salt())
                .map_err(|e| PyValueError::new_err(format!("cache {}: {e}", dir.display())))?;
            cfg.cache = Some(Arc::new(c));
        }
        Ok(Engine { cfg })
    }

    /// One file's record as JSON.
    fn run_path(&self, py: Python<'_>, path: PathBuf) -> String {
        py.detach(|| json(&pipeline::run_one(&path, &self.cfg)))
    }

    /// One document given as bytes (`name` stands for its path) as JSON.
    fn run_bytes(&self, py: Python<'_>, name: PathBuf, data: &[u8]) -> String {
        let data = data.to_vec();
        py.detach(|| json(&pipeline::process_bytes(&name, data, &self.cfg).record))
    }

    /// The records of files and folders (walked as the command line walks them: the files
    /// of a folder that are not reports are skipped records), in input order, on `jobs`
    /// threads.
    fn run_many(&self, py: Python<'_>, paths: Vec<PathBuf>, jobs: usize) -> PyResult<Vec<String>> {
        let pool = pool(jobs.max(1))?;
        Ok(py.detach(|| {
            let inputs = select_inputs(&paths, &Selection::default());
            pool.install(|| pipeline::run_many(&inputs.entries, &self.cfg))
                .iter()
                .map(json)
                .collect()
        }))
    }

    /// What the cache reused and processed so far: (unread, by content, processed).
    fn cache_stats(&self) -> Option<(u64, u64, u64)> {
        self.cfg.cache.as_ref().map(|c| {
            let s = c.stats();
            (s.unread, s.by_content, s.stored)
        })
    }
}

/// The crate's version.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Engine>()?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    Ok(())
}
