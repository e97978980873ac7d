//! Readers: the only code that touches files. Each format's reader turns bytes into a
//! [`Document`]; this module reads the file (bounded), recognises its format from its content
//! (the extension is only a tie-breaker) and dispatches.

pub mod biff;
pub mod doc;
pub mod docx;
pub mod html;
pub mod mht;
pub mod ocr;
pub mod ods;
pub mod ofd;
pub mod pdf;
pub mod select;
pub mod sheet;
pub mod txt;

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{ErrorKind, ReadError, Result};
use crate::model::{Document, Format};

/// Resource bounds for one document. All sizes in bytes.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest input file read at all.
    pub max_file_size: u64,
    /// Largest total decompressed size of a zip container (DOCX) or of a PDF's streams.
    pub max_decompressed: u64,
    /// Largest decompressed size of one zip part or one PDF stream.
    pub max_part: u64,
    /// Deepest XML/HTML element nesting followed.
    pub max_depth: usize,
    /// Most PDF pages read.
    pub max_pages: usize,
    /// Read image-only PDFs by OCR when the engine is installed (`--no-ocr` turns it off).
    pub ocr: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: 100 << 20,
            max_decompressed: 512 << 20,
            max_part: 256 << 20,
            max_depth: 256,
            max_pages: 5000,
            ocr: true,
        }
    }
}

/// The bytes of an input file with its digest.
#[derive(Debug)]
pub struct Input {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub sha256: String,
}

impl Input {
    /// An input given as bytes (the Python package's `check(bytes)`), bounded like a file;
    /// `name` stands for its path in the record and decides between text and HTML.
    pub fn from_bytes(name: &Path, bytes: Vec<u8>, limits: &Limits) -> Result<Input> {
        if bytes.len() as u64 > limits.max_file_size {
            return Err(ReadError::too_large(format!(
                "input is {} bytes, the limit is {}",
                bytes.len(),
                limits.max_file_size
            )));
        }
        let sha256 = hex(&Sha256::digest(&bytes));
        Ok(Input {
            path: name.to_path_buf(),
            bytes,
            sha256,
        })
    }
}

/// Files whose bytes [`read_input`] has read in this process: a cached re-run proves with it
/// that it read nothing again.
static FILES_READ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many files [`read_input`] (and the report sniffer of [`select`]) opened so far in
/// this process.
pub fn files_read() -> u64 {
    FILES_READ.load(std::sync::atomic::Ordering::Relaxed)
}

fn count_read() {
    FILES_READ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

/// What tells a file's version apart without reading it: its size, modification time (ns
/// since the epoch) and, on Unix, its inode. Equal stamps of one path mean the same bytes
/// unless something rewrote the file within the file system's timestamp granularity, which
/// the cache guards against (it trusts only stamps older than that).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    pub len: u64,
    pub mtime_ns: i128,
    pub inode: u64,
}

/// The [`Stamp`] of a regular file; `None` for anything else or when it cannot be taken.
pub fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let mtime = meta.modified().ok()?;
    let mtime_ns = match mtime.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    };
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some(Stamp {
        len: meta.len(),
        mtime_ns,
        inode,
    })
}

/// Reads a file within the size bound. The error carries no sha256: nothing was read.
pub fn read_input(path: &Path, limits: &Limits) -> Result<Input> {
    let io_err = |e: std::io::Error| {
        ReadError::new(
            ErrorKind::Io,
            format!("无法读取文件 / cannot read the file: {e}. 请检查路径和权限 / check the path and its permissions."),
        )
    };
    let meta = std::fs::metadata(path).map_err(io_err)?;
    if meta.is_dir() {
        return Err(ReadError::new(
            ErrorKind::Io,
            "这是一个目录，不是报告文件 / this is a directory, not a report file: 请指定目录本身或其中的报告文件 / give the directory itself (it is walked) or the report files in it.",
        ));
    }
    if !meta.is_file() {
        // Opening a FIFO blocks until a writer appears, and a device may never end: only
        // regular files are read.
        return Err(not_regular());
    }
    if meta.len() > limits.max_file_size {
        return Err(ReadError::too_large(format!(
            "file is {} bytes, the limit is {}",
            meta.len(),
            limits.max_file_size
        )));
    }
    let f = std::fs::File::open(path).map_err(io_err)?;
    count_read();
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // take() guards against a file that grows while we read it.
    f.take(limits.max_file_size + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    if bytes.len() as u64 > limits.max_file_size {
        return Err(ReadError::too_large(format!(
            "file is larger than the limit of {} bytes",
            limits.max_file_size
        )));
    }
    let sha256 = hex(&Sha256::digest(&bytes));
    Ok(Input {
        path: path.to_path_buf(),
        bytes,
        sha256,
    })
}

fn not_regular() -> ReadError {
    ReadError::new(
        ErrorKind::Io,
        "这不是普通文件（管道、套接字或设备），已跳过 / this is not a regular file (a pipe, socket or device) and was skipped: 请把报告保存为普通文件后再检查 / save the report as an ordinary file and run again.",
    )
}

fn hex(b: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        let _ = write!(s, "{x:02x}");
    }
    s
}

/// What the content of a file says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Known(Format),
    /// A zip that is not a DOCX (xlsx, pptx, odt, plain zip).
    OtherZip(&'static str),
    /// Rich Text Format, converted through LibreOffice when it is installed.
    Legacy,
    Image,
    Binary,
    Empty,
}

/// Recognises the format from the bytes; the extension decides only between text and HTML.
pub fn sniff(bytes: &[u8], path: &Path) -> Sniffed {
    if bytes.is_empty() {
        return Sniffed::Empty;
    }
    let head = &bytes[..bytes.len().min(1024)];
    if find(head, b"%PDF-").is_some() {
        return Sniffed::Known(Format::Pdf);
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return docx::sniff_zip(bytes, &ext);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // Excel 97–2003 (and WPS .et saved so) and Word 97–2003 (and WPS 文字 .wps) are read
        // directly; any other compound file goes to the Word reader, which names what it is not.
        if sheet::is_ole_workbook(bytes) && !doc::is_ole_word(bytes) {
            return Sniffed::Known(Format::Xls);
        }
        return Sniffed::Known(if ext == "wps" {
            Format::Wps
        } else {
            Format::Doc
        });
    }
    if bytes.starts_with(b"\x89PNG")
        || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
        || bytes.starts_with(b"GIF8")
        || bytes.starts_with(b"II*\0")
        || bytes.starts_with(b"MM\0*")
    {
        return Sniffed::Image;
    }
    if bytes.starts_with(b"{\\rtf") {
        return Sniffed::Legacy;
    }
    if matches!(ext.as_str(), "mht" | "mhtml") || mht::sniff(bytes) {
        return Sniffed::Known(Format::Mht);
    }
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if !utf16
        && (matches!(ext.as_str(), "html" | "htm" | "shtml" | "xhtml")
            || find(&lower, b"<!doctype html").is_some()
            || find(&lower, b"<html").is_some()
            || (find(&lower, b"<body").is_some() || find(&lower, b"<table").is_some())
                && find(&lower, b"</").is_some())
    {
        return Sniffed::Known(Format::Html);
    }
    if txt::looks_binary(bytes) {
        return Sniffed::Binary;
    }
    Sniffed::Known(Format::Txt)
}

pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Reads one document from its bytes.
pub fn read_bytes(
    bytes: &[u8],
    path: &Path,
    limits: &Limits,
) -> (Option<Format>, Result<Document>) {
    match sniff(bytes, path) {
        Sniffed::Known(f) => {
            let r = match f {
                Format::Txt => txt::read(bytes),
                Format::Docx => docx::read(bytes, limits),
                Format::Html => html::read(bytes, limits),
                Format::Pdf => pdf::read(bytes, limits),
                Format::Mht => mht::read(bytes, limits),
                Format::Xlsx | Format::Xls | Format::Ods => sheet::read(bytes, limits, f),
                Format::Doc | Format::Wps => doc::read(bytes, limits, f),
                Format::Ofd => ofd::read(bytes, limits),
            };
            (Some(f), r)
        }
        Sniffed::Empty => (
            None,
            Err(ReadError::new(
                ErrorKind::Malformed,
                "文件为空 / the file is empty (0 bytes). 请重新获取报告文件 / get the report again.",
            )),
        ),
        Sniffed::Legacy => (None, legacy(path, limits)),
        Sniffed::OtherZip(what) => (
            None,
            Err(ReadError::new(
                ErrorKind::UnsupportedFormat,
                format!("这是{what}文件，不是 Word 文档 / this is a {what} container, not a DOCX report. 请提供 .docx、.pdf、.txt 或 .html 格式的报告 / supply the report as .docx, .pdf, .txt or .html."),
            )),
        ),
        Sniffed::Image => (
            None,
            Err(ReadError::new(
                ErrorKind::NoTextLayer,
                "这是图片，没有文字层 / this is an image with no text layer: 需要先做文字识别（OCR）/ run OCR first, then check the text.",
            )),
        ),
        Sniffed::Binary => (
            None,
            Err(ReadError::new(
                ErrorKind::UnsupportedFormat,
                "无法识别的二进制文件 / unrecognised binary data: not a PDF, DOCX, HTML or text report. 请检查文件是否完整 / check that the file is complete and of a supported format.",
            )),
        ),
    }
}

/// RTF: converted through LibreOffice when `soffice` is on PATH, else an
/// `unsupported_format` error that says how to convert.
fn legacy(path: &Path, limits: &Limits) -> Result<Document> {
    let advice = "RTF 格式暂不直接读取 / an RTF document is not read directly: 请另存为 .docx 后再检查 / save it as .docx and run again (with LibreOffice's `soffice` on PATH this happens automatically).";
    let Some(soffice) = which("soffice").or_else(|| which("libreoffice")) else {
        return Err(ReadError::new(ErrorKind::UnsupportedFormat, advice));
    };
    let dir = std::env::temp_dir().join(format!(
        "reportlint-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    let _ = std::fs::create_dir_all(&dir);
    let status = std::process::Command::new(soffice)
        .args(["--headless", "--convert-to", "docx", "--outdir"])
        .arg(&dir)
        .arg(path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    let result = match status {
        Ok(s) if s.success() => {
            let stem = path.file_stem().unwrap_or_default();
            let out = dir.join(stem).with_extension("docx");
            match std::fs::read(&out) {
                Ok(b) => docx::read(&b, limits),
                Err(_) => Err(ReadError::new(ErrorKind::UnsupportedFormat, advice)),
            }
        }
        _ => Err(ReadError::new(ErrorKind::UnsupportedFormat, advice)),
    };
    let _ = std::fs::remove_dir_all(&dir);
    result
}

pub(crate) fn which(cmd: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(cmd))
        .find(|p| p.is_file())
}

/// Expands the command line's files and directories into the list of documents, in order:
/// arguments as given, directory contents sorted by path. A walk error (a symlink loop, an
/// unreadable directory) becomes an entry of its own so that it is reported, not dropped.
pub fn expand_paths(args: &[PathBuf]) -> Vec<std::result::Result<PathBuf, (PathBuf, ReadError)>> {
    args.iter().flat_map(|a| walk(a)).collect()
}

/// One argument's documents, as [`expand_paths`] lists them, one at a time: a walk of a
/// million files holds one path at a time, not a list of them.
pub fn walk(
    a: &Path,
) -> Box<dyn Iterator<Item = std::result::Result<PathBuf, (PathBuf, ReadError)>>> {
    if !a.is_dir() {
        return Box::new(std::iter::once(Ok(a.to_path_buf())));
    }
    let root = a.to_path_buf();
    let walker = walkdir::WalkDir::new(a)
        .follow_links(true)
        .sort_by_file_name();
    Box::new(walker.into_iter().filter_map(move |entry| match entry {
        Ok(e) => {
            if is_hidden(e.path()) || e.file_type().is_dir() {
                None
            } else if e.file_type().is_file() {
                Some(Ok(e.into_path()))
            } else {
                // A pipe or device in the folder is reported, not silently dropped.
                Some(Err((e.into_path(), not_regular())))
            }
        }
        Err(e) => {
            let p = e.path().map(Path::to_path_buf).unwrap_or_else(|| root.clone());
            let msg = if e.loop_ancestor().is_some() {
                "符号链接形成循环 / symbolic link loop: skipped this entry. 请删除循环链接 / remove the looping link.".to_string()
            } else {
                format!("目录遍历失败 / cannot walk this entry: {e}. 请检查权限 / check its permissions.")
            };
            Some(Err((p, ReadError::new(ErrorKind::Io, msg))))
        }
    }))
}

/// The paths listed in `list` (`-`: standard input), one per line; blank lines and lines
/// starting with `#` are left out.
pub fn read_path_list(list: &Path) -> std::io::Result<Vec<PathBuf>> {
    let text = if list.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())?
    } else {
        std::fs::read_to_string(list)?
    };
    Ok(text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(PathBuf::from)
        .collect())
}

fn is_hidden(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}
