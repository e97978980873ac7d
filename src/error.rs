//! The one error type of the library: why a document could not be read.

use std::fmt;

/// The kind of a document error, as it appears in the output's `error.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be opened or read, or a directory walk failed on it.
    Io,
    /// A format we do not read (Word 6/95, slides, an archive that is not a report, RTF
    /// without LibreOffice).
    UnsupportedFormat,
    /// A PDF that needs a password.
    Encrypted,
    /// A PDF with no text layer: a scan that needs OCR.
    NoTextLayer,
    /// The file claims a format but its content is broken.
    Malformed,
    /// The file, or something inside it, is larger than the configured bounds.
    TooLarge,
    /// Reading took longer than the per-document time limit.
    Timeout,
    /// A reader panicked; this is a bug in reportlint, reported as this document's error.
    Panic,
    /// A file found in a folder that is not a report (a README, a script, a lock file): listed
    /// as skipped, never read.
    NotAReport,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::UnsupportedFormat => "unsupported_format",
            ErrorKind::Encrypted => "encrypted",
            ErrorKind::NoTextLayer => "no_text_layer",
            ErrorKind::Malformed => "malformed",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Panic => "panic",
            ErrorKind::NotAReport => "not_a_report",
        }
    }
}

/// A document-level error with a message that tells the user what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub kind: ErrorKind,
    pub message: String,
}

impl ReadError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ReadError {
            kind,
            message: message.into(),
        }
    }
    pub fn malformed(what: &str, detail: impl fmt::Display) -> Self {
        Self::new(
            ErrorKind::Malformed,
            format!("文件损坏，无法读取 / the {what} file is damaged and cannot be read: {detail}. 请重新导出或索取原件 / re-export it or ask the sender for the original."),
        )
    }
    /// The input file itself is over `--max-size`.
    pub fn too_large(what: impl fmt::Display) -> Self {
        Self::over_limit(what, Some("--max-size"))
    }
    /// Something inside the file is over a bound. `flag` is the option that raises that
    /// bound; `None` for the fixed bounds that guard against pathological files, where the
    /// only way forward is a different copy or export of the report.
    pub fn over_limit(what: impl fmt::Display, flag: Option<&str>) -> Self {
        let advice = match flag {
            Some(flag) => format!("如确认文件正常，请调高 {flag} 后重试 / if the file is genuine, raise {flag} and run again."),
            None => "文件可能已损坏或被恶意构造，请重新导出或索取原件 / the file may be damaged or crafted: re-export it or ask the sender for the original.".to_string(),
        };
        Self::new(
            ErrorKind::TooLarge,
            format!("文件超出处理上限，已停止读取 / {what}. {advice}"),
        )
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.as_str(), self.message)
    }
}

impl std::error::Error for ReadError {}

pub type Result<T> = std::result::Result<T, ReadError>;
