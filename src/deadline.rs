//! Time a document's work grants itself beyond `--timeout`: OCR takes seconds a page, so a
//! scan's reader asks for more time as it starts each page. A page that hangs asks for
//! nothing more, and the deadline then fires as for any other hang.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

thread_local! {
    static EXTRA: RefCell<Option<Arc<AtomicU64>>> = const { RefCell::new(None) };
}

/// Grants the running document `by` more time (nothing when not run under a deadline).
pub fn extend(by: Duration) {
    EXTRA.with(|e| {
        if let Some(a) = &*e.borrow() {
            a.fetch_add(
                u64::try_from(by.as_millis()).unwrap_or(u64::MAX),
                Ordering::Relaxed,
            );
        }
    });
}

/// Runs `f` with its grants going to `extra` (milliseconds).
pub(crate) fn run_with<T>(extra: Arc<AtomicU64>, f: impl FnOnce() -> T) -> T {
    EXTRA.with(|e| *e.borrow_mut() = Some(extra));
    let r = f();
    EXTRA.with(|e| *e.borrow_mut() = None);
    r
}
