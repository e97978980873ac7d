//! The command line's end-of-run summary: counts kept as records go by (a streamed run does
//! not keep the records), printed on standard error, and the baseline being written.

use std::collections::{BTreeMap, HashMap};

use reportlint::baseline::{self, Baseline};
use reportlint::cache::CacheStats;
use reportlint::check;
use reportlint::output::OutFormat;
use reportlint::report::{DocumentRecord, Status};

/// What the summary says, kept as records go by so that a streamed run need not keep them;
/// and the baseline being written.
#[derive(Default)]
pub struct Tally {
    pub count: usize,
    pub unreadable: usize,
    pub errors: usize,
    pub warnings: usize,
    pub skipped: usize,
    pub hidden: usize,
    /// Per check code: (errors, warnings, notices).
    pub by_check: BTreeMap<String, (usize, usize, usize)>,
    /// The first skipped files, named when the output does not list them.
    pub skipped_names: Vec<String>,
    /// With --write-baseline: the entries so far, and the old ones whose reasons it keeps.
    pub new_baseline: Option<Baseline>,
    pub kept: HashMap<String, baseline::Accepted>,
}

impl Tally {
    pub fn add(&mut self, r: &DocumentRecord) {
        if r.status == Status::Skipped {
            self.skipped += 1;
            if self.skipped_names.len() < 10 {
                let why = r.error.as_ref().map_or("", |e| e.message.as_str());
                self.skipped_names.push(format!("  {}: {why}", r.path));
            }
            return;
        }
        for f in &r.findings {
            let e = self.by_check.entry(f.code.clone()).or_default();
            match f.severity.as_str() {
                "error" => e.0 += 1,
                "warning" => e.1 += 1,
                _ => e.2 += 1,
            }
        }
        self.count += 1;
        self.hidden += r.baselined.len();
        if let Some(nb) = &mut self.new_baseline {
            for mut a in Baseline::of(std::slice::from_ref(r)).accepted {
                if let Some(old) = self.kept.get(&a.fingerprint) {
                    a.reason = old.reason.clone();
                }
                nb.accepted.push(a);
            }
            for fp in &r.baselined {
                if let Some(old) = self.kept.get(fp) {
                    nb.accepted.push(old.clone());
                }
            }
        }
        self.unreadable += usize::from(r.status == Status::Error);
        self.errors += r.errors();
        self.warnings += r.warnings();
    }

    /// The summary on stderr: skipped files (when `fmt` does not list them), findings by
    /// check, totals.
    pub fn print(&self, fmt: OutFormat, secs: f64) {
        let (count, errors, warnings, unreadable) =
            (self.count, self.errors, self.warnings, self.unreadable);
        let (skipped, hidden) = (self.skipped, self.hidden);
        let two = |cond: bool, zh: String, en: String| {
            if cond {
                (zh, en)
            } else {
                (String::new(), String::new())
            }
        };
        let (hid_zh, hid_en) = two(
            hidden > 0,
            format!("，基线已接受 {hidden} 项未显示"),
            format!(", {hidden} accepted in the baseline not shown"),
        );
        let (skip_zh, skip_en) = two(
            skipped > 0,
            format!("，跳过 {skipped} 个非报告文件"),
            format!(", {skipped} skipped (not reports)"),
        );
        if skipped > 0 && fmt != OutFormat::Text {
            eprintln!("跳过的非报告文件 / skipped, not reports:");
            for s in &self.skipped_names {
                eprintln!("{s}");
            }
            if skipped > self.skipped_names.len() {
                eprintln!("  … ({} more)", skipped - self.skipped_names.len());
            }
        }
        if !self.by_check.is_empty() {
            let parts: Vec<String> = self
                .by_check
                .iter()
                .map(|(code, (e, w, n))| {
                    let name = check::info(code).map_or("", |c| c.name);
                    let (notices, _) = two(*n > 0, format!(", {n} 提示 notices"), String::new());
                    format!("{code} {name}: {e} 错误 errors, {w} 警告 warnings{notices}")
                })
                .collect();
            eprintln!("按检查 / by check: {}", parts.join("; "));
        }
        eprintln!(
            "{count} 份文档，{errors} 个错误，{warnings} 个警告，{unreadable} 份无法读取{skip_zh}{hid_zh}，用时 {secs:.2} 秒 / {count} documents, {errors} errors, {warnings} warnings, {unreadable} unreadable{skip_en}{hid_en}, {secs:.2} s"
        );
    }
}

/// The cache's line of the summary: what was reused, read and processed.
pub fn print_cache(c: &CacheStats, files_read: u64) {
    eprintln!(
        "缓存 / cache: {} 份未读取直接复用 reused unread, {} 份读取后按内容复用 reused by content, {} 份新处理 processed; 读取文件 {files_read} 个 / {files_read} files read",
        c.unread, c.by_content, c.stored
    );
}
