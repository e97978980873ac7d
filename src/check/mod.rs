//! Cross-checks: pure functions of a document's extracted figures. Each check has a code, a
//! name that says what it flags, and a doc (`reportlint explain CODE`); the registry is
//! [`CHECKS`], the run order [`registry::PASSES`].
//!
//! [`facts`] computes what several checks read (key clusters, consensus, conflicts) once,
//! before any check; [`checker::Checker`] is the one writer of findings; each code's logic
//! is in `rules/`, in a file named after it. Rounding is by intervals ([`interval`]): no
//! fixed money tolerance.

pub mod checker;
pub mod classification;
pub mod confidence;
pub mod definitions;
pub mod facts;
pub mod filter;
pub mod interval;
pub mod present;
pub mod registry;
mod rules;

pub use checker::{Checker, Confidence, Evidence, Finding, Outcome, Severity};
pub use present::key_name;
pub use registry::{info, CheckInfo, CHECKS};

use crate::extract::Extraction;
use crate::model::Document;

/// Runs every check on one document.
pub fn run(doc: &Document, ex: &Extraction) -> Outcome {
    let facts = facts::Facts::of(ex);
    let mut c = Checker::new(ex, &facts);
    c.doc = Some(doc);
    let ocr = doc.ocr.is_some();
    for pass in registry::PASSES {
        if ocr && pass.codes.iter().any(|c| registry::NOT_ON_OCR.contains(c)) {
            continue;
        }
        (pass.run)(&mut c);
    }
    let mut out = c.finish();
    if ocr {
        out.notes.push(format!(
            "文字由 OCR 识别，{} 未运行（这些检查判断字符本身，识别错字会造成误报）/ OCR text: {} not run (they judge the characters, which the recogniser misreads).",
            registry::NOT_ON_OCR.join("、"),
            registry::NOT_ON_OCR.join(", ")
        ));
    }
    out
}
