//! The progress bar of long runs, on stderr: only for a person watching a terminal, never
//! when stderr is piped or in CI, where it would litter logs.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::report::DocumentRecord;

/// Runs of this many documents or fewer finish too soon for a bar to help.
pub const FEW_DOCUMENTS: usize = 4;

/// Whether to show a bar for `total` documents.
pub fn wanted(total: usize, stderr_is_terminal: bool, ci: bool) -> bool {
    stderr_is_terminal && !ci && total > FEW_DOCUMENTS
}

/// Whether the environment says this is a CI run (`CI` set to anything but "", "0", "false").
pub fn in_ci(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
}

/// A bar, or nothing when [`wanted`] says no.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    pub fn new(total: usize) -> Self {
        let show = wanted(
            total,
            std::io::stderr().is_terminal(),
            in_ci(std::env::var_os("CI").as_deref()),
        );
        let bar = show.then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed} {wide_msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        Progress { bar }
    }

    pub fn is_shown(&self) -> bool {
        self.bar.is_some()
    }

    /// One document is done; called from the worker threads.
    pub fn done(&self, record: &DocumentRecord) {
        if let Some(bar) = &self.bar {
            bar.set_message(record.path.clone());
            bar.inc(1);
        }
    }

    /// Removes the bar so that the summary line stands alone.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn a_bar_only_for_many_documents_on_a_terminal_outside_ci() {
        assert!(wanted(FEW_DOCUMENTS + 1, true, false));
        assert!(!wanted(FEW_DOCUMENTS, true, false));
        assert!(!wanted(100, false, false));
        assert!(!wanted(100, true, true));
    }

    #[test]
    fn ci_is_any_true_value_of_the_variable() {
        assert!(in_ci(Some(OsStr::new("true"))));
        assert!(in_ci(Some(OsStr::new("1"))));
        assert!(!in_ci(Some(OsStr::new("false"))));
        assert!(!in_ci(Some(OsStr::new(""))));
        assert!(!in_ci(None));
    }

    /// Under `cargo test` stderr is captured or piped, so no bar may appear.
    #[test]
    fn no_bar_when_stderr_is_not_a_terminal() {
        if !std::io::stderr().is_terminal() {
            assert!(!Progress::new(1000).is_shown());
        }
    }
}
