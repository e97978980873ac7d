//! Which files of a walked folder are reports. A folder of reports also holds READMEs,
//! manifests, scripts, images, Office lock files, placeholders and the tool's own pages: those
//! are listed as skipped with their reason (an entry whose error kind is `not_a_report`),
//! never read as reports. Files named on the command line are always read.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::{find, txt, walk};
use crate::error::{ErrorKind, ReadError};

/// How much of a file is read to decide whether it is a report.
const HEAD: u64 = 64 * 1024;

/// Extensions that are never reports: data, code, documentation, images, media, archives.
const NOT_REPORTS: &[(&str, &[&str])] = &[
    (
        "数据或配置文件 / a data or configuration file",
        &[
            "csv", "tsv", "json", "jsonl", "ndjson", "toml", "yaml", "yml", "ini", "cfg", "conf",
            "log", "sql", "db", "sqlite", "parquet", "lock",
        ],
    ),
    (
        "说明文档 / documentation",
        &["md", "markdown", "rst", "adoc"],
    ),
    (
        "程序或脚本 / a program or script",
        &[
            "py", "pyc", "rs", "js", "ts", "sh", "bat", "ps1", "c", "h", "cpp", "java", "go", "rb",
            "pl", "r", "ipynb", "exe", "dll", "so", "dylib", "o", "a", "class", "jar", "css",
        ],
    ),
    (
        "图片 / an image",
        &[
            "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "webp", "svg", "ico", "heic",
        ],
    ),
    (
        "音视频 / audio or video",
        &["mp3", "mp4", "wav", "avi", "mov", "mkv", "flac"],
    ),
    (
        "压缩包 / an archive",
        &["zip", "tar", "gz", "tgz", "bz2", "xz", "7z", "rar"],
    ),
];

/// Tells whether a file is known to be a report without looking at it.
pub type Known = Box<dyn Fn(&Path) -> bool + Send + Sync>;

/// What the user chose to read among the walked files.
#[derive(Default)]
pub struct Selection {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    /// Read every file, reports or not (the behaviour before selection existed).
    pub all: bool,
    /// `--shard`: only this shard's files are listed at all (others are not looked at).
    pub shard: Option<crate::shard::Shard>,
    /// Files known to be reports without looking (the cache holds them, unchanged): their
    /// head is not read again to decide.
    pub known: Option<Known>,
}

impl Selection {
    /// Globs match a walked file's path below the folder named on the command line; one
    /// without a `/` matches its name at any depth.
    pub fn new(include: &[String], exclude: &[String], all: bool) -> Result<Self, String> {
        let set = |globs: &[String]| -> Result<Option<GlobSet>, String> {
            if globs.is_empty() {
                return Ok(None);
            }
            let mut b = GlobSetBuilder::new();
            for g in globs {
                let pattern = if g.contains('/') {
                    g.clone()
                } else {
                    format!("**/{g}")
                };
                b.add(Glob::new(&pattern).map_err(|e| format!("glob {g:?}: {e}"))?);
            }
            b.build().map(Some).map_err(|e| e.to_string())
        };
        Ok(Selection {
            include: set(include)?,
            exclude: set(exclude)?,
            all,
            shard: None,
            known: None,
        })
    }

    /// Why a walked file (`rel`: its path below the walked folder) is not read, if it is not.
    fn skip_reason(&self, p: &Path, rel: &Path) -> Option<String> {
        if self.exclude.as_ref().is_some_and(|g| g.is_match(rel)) {
            return Some("按 --exclude 排除 / excluded by --exclude".into());
        }
        if self.include.as_ref().is_some_and(|g| !g.is_match(rel)) {
            return Some("不匹配 --include / not matched by --include".into());
        }
        if self.all || self.known.as_ref().is_some_and(|k| k(p)) {
            return None;
        }
        not_a_report(p)
    }
}

/// The inputs of a run: entries in order (walk errors and skipped files among them, as
/// errors), and the paths given that hold no report at all.
pub struct Inputs {
    pub entries: Vec<Result<PathBuf, (PathBuf, ReadError)>>,
    /// Command-line paths (directories) under which no report was found.
    pub empty: Vec<PathBuf>,
}

/// Expands the command line's paths like [`expand_paths`], reading each file once however
/// often it is named, and marking the walked files that are not reports as skipped.
pub fn select_inputs(args: &[PathBuf], sel: &Selection) -> Inputs {
    // Hashes of the canonical paths, not the paths: 8 bytes a file where a million files are
    // walked (a collision among them is one chance in 10^7).
    let mut seen: HashSet<u64> = HashSet::new();
    let mut entries = Vec::new();
    let mut empty = Vec::new();
    for a in args {
        let walked = a.is_dir();
        let mut reports = 0;
        let mut others = 0;
        for e in walk(a) {
            let p = match &e {
                Ok(p) | Err((p, _)) => p.clone(),
            };
            if sel.shard.is_some_and(|s| !s.owns(&p)) {
                others += 1;
                continue;
            }
            let id = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
            if !seen.insert(path_hash(&id)) {
                continue;
            }
            let reason = match &e {
                Ok(p) if walked => sel.skip_reason(p, p.strip_prefix(a).unwrap_or(p)),
                _ => None,
            };
            match reason {
                Some(why) => entries.push(Err((p, ReadError::new(ErrorKind::NotAReport, why)))),
                None => {
                    reports += 1;
                    entries.push(e);
                }
            }
        }
        if walked && reports == 0 && others == 0 {
            empty.push(a.clone());
        }
    }
    Inputs { entries, empty }
}

fn path_hash(p: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    p.hash(&mut h);
    h.finish()
}

/// Why a file found in a folder is not a report, or None when it may be one.
pub fn not_a_report(p: &Path) -> Option<String> {
    let name = p.file_name()?.to_string_lossy();
    if name.starts_with("~$") || name.starts_with(".~lock") {
        return Some("Office 锁文件 / an Office lock file".into());
    }
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if let Some((what, _)) = NOT_REPORTS
        .iter()
        .find(|(_, exts)| exts.contains(&ext.as_str()))
    {
        return Some(format!("{what} (.{ext})"));
    }
    let mut head = Vec::new();
    let size = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    // A file that cannot be opened is read as a report, so that its error is reported.
    let Ok(f) = std::fs::File::open(p) else {
        return None;
    };
    super::count_read();
    if f.take(HEAD).read_to_end(&mut head).is_err() {
        return None;
    }
    content_is_not_a_report(&head, size, &ext)
}

/// The content half of [`not_a_report`]: `head` is the file's start, `size` its length.
fn content_is_not_a_report(head: &[u8], size: u64, ext: &str) -> Option<String> {
    if size == 0 {
        return Some("空文件 / an empty file".into());
    }
    // Formats a report comes in are read even when broken: their error is the finding.
    let signed = head.starts_with(b"PK\x03\x04")
        || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
        || head.starts_with(b"{\\rtf")
        || find(&head[..head.len().min(1024)], b"%PDF-").is_some();
    if signed
        || super::mht::sniff(head)
        || matches!(
            ext,
            "pdf"
                | "docx"
                | "doc"
                | "wps"
                | "xlsx"
                | "xls"
                | "et"
                | "ods"
                | "ofd"
                | "mht"
                | "mhtml"
        )
    {
        return None;
    }
    let lower: Vec<u8> = head[..head.len().min(4096)]
        .iter()
        .map(u8::to_ascii_lowercase)
        .collect();
    if find(&lower, b"<meta name=\"generator\" content=\"reportlint").is_some()
        || find(&lower, b"<title>reportlint").is_some()
    {
        return Some("reportlint 自己生成的检查报告 / a page reportlint wrote".into());
    }
    if txt::looks_binary(head) {
        return Some("无法识别的二进制文件 / binary data of no report format".into());
    }
    let (text, _) = txt::decode(head);
    let han = text
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count();
    if han < 10 {
        return Some(format!(
            "几乎不含中文（{size} 字节），不是报告 / almost no Chinese text ({size} bytes): a placeholder or another kind of file"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_what_a_name_cannot() {
        let report = "2025年度某局部门决算说明：本年支出合计100万元。".as_bytes();
        assert_eq!(content_is_not_a_report(report, 70, "txt"), None);
        assert!(content_is_not_a_report(b"placeholder here\n", 17, "txt").is_some());
        assert!(content_is_not_a_report(b"", 0, "pdf").is_some());
        assert_eq!(content_is_not_a_report(b"%PDF-1.4 broken", 15, ""), None);
        assert_eq!(content_is_not_a_report(b"garbage", 7, "pdf"), None);
        let page = b"<!DOCTYPE html><html><head><meta name=\"generator\" content=\"reportlint\">";
        assert!(content_is_not_a_report(page, 80, "html").is_some());
        let (gbk, _, _) =
            encoding_rs::GB18030.encode("某局2025年部门预算公开说明，收入合计一百万元整。");
        assert_eq!(content_is_not_a_report(&gbk, gbk.len() as u64, "txt"), None);
    }

    #[test]
    fn names_that_are_never_reports() {
        for n in [
            "README.md",
            "MANIFEST.csv",
            "gen.py",
            "cover.jpg",
            "~$报告.docx",
        ] {
            assert!(not_a_report(Path::new(n)).is_some(), "{n}");
        }
    }
}
