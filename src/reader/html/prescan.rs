//! The tag scan that runs before parsing, so that a page too deeply nested for html5ever to
//! build in reasonable time is refused without being parsed.

use super::{is_block, too_deep};
use crate::error::{ReadError, Result};
use crate::reader::{find, Limits};

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "basefont", "bgsound", "frame", "keygen", "image",
];
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];
/// Elements whose start tag closes an open one of the same family (omitted end tags).
fn family(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "p" => &["p"],
        "li" => &["li"],
        "dt" | "dd" => &["dt", "dd"],
        "td" | "th" => &["td", "th"],
        "tr" => &["tr", "td", "th"],
        "thead" | "tbody" | "tfoot" => &["thead", "tbody", "tfoot", "tr", "td", "th"],
        "option" => &["option"],
        "optgroup" => &["optgroup", "option"],
        _ => return None,
    })
}
/// Elements that bound the search for an element closed by an omitted end tag.
const SCOPES: &[&str] = &[
    "table", "ul", "ol", "dl", "select", "button", "object", "html", "body",
];
/// Above this sum of element depths the tree builder's work is hopeless (about a minute).
const MAX_WORK: u64 = 400_000_000;

/// A cheap tag scan that estimates element nesting the way a browser builds it, closing
/// elements generously (omitted end tags, unmatched end tags close down to their match), so
/// that the estimate stays at or below the real DOM depth. Refuses pages that are nested twice
/// deeper than `max_depth` or whose total nesting work is absurd.
pub(super) fn prescan(s: &str, limits: &Limits) -> Result<()> {
    let b = s.as_bytes();
    let max = limits.max_depth.saturating_mul(2);
    let mut stack: Vec<String> = Vec::new();
    let mut work: u64 = 0;
    let mut i = 0;
    let name_at = |mut j: usize| {
        let st = j;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b':') {
            j += 1;
        }
        (s[st..j].to_ascii_lowercase(), j)
    };
    while let Some(k) = b[i..].iter().position(|&c| c == b'<') {
        let lt = i + k;
        i = lt + 1;
        if b[i..].starts_with(b"!--") {
            i = find(&b[i + 3..], b"-->").map_or(b.len(), |e| i + 3 + e + 3);
            continue;
        }
        if i < b.len() && (b[i] == b'!' || b[i] == b'?') {
            i = b[i..]
                .iter()
                .position(|&c| c == b'>')
                .map_or(b.len(), |e| i + e + 1);
            continue;
        }
        let end_tag = i < b.len() && b[i] == b'/';
        let start = if end_tag { i + 1 } else { i };
        if start >= b.len() || !b[start].is_ascii_alphabetic() {
            continue;
        }
        let (name, after) = name_at(start);
        let gt = b[after..]
            .iter()
            .position(|&c| c == b'>')
            .map_or(b.len(), |e| after + e);
        i = (gt + 1).min(b.len());
        if end_tag {
            if let Some(pos) = stack.iter().rposition(|n| *n == name) {
                stack.truncate(pos);
            }
            continue;
        }
        if RAW_TEXT.contains(&name.as_str()) {
            let close = format!("</{name}");
            let lower_rest = &b[i..];
            // Case-insensitive search for the closing tag.
            i = lower_rest
                .windows(close.len())
                .position(|w| w.eq_ignore_ascii_case(close.as_bytes()))
                .map_or(b.len(), |e| i + e);
            continue;
        }
        if VOID.contains(&name.as_str()) || (gt > 0 && b.get(gt - 1) == Some(&b'/')) {
            continue;
        }
        // Implied end tags: look down the stack for an open element of the same family, but
        // not past the element that scopes it (a nested table's cells do not close the outer
        // table's cell).
        let closes: Option<(&[&str], &[&str])> = match family(&name) {
            Some(fam) => Some((fam, SCOPES)),
            None if is_block(&name) || name == "table" => Some((&["p"], SCOPES)),
            None => None,
        };
        if let Some((fam, scopes)) = closes {
            let mut lowest = None;
            for pos in (0..stack.len()).rev() {
                let n = stack[pos].as_str();
                if fam.contains(&n) {
                    lowest = Some(pos);
                }
                if scopes.contains(&n) {
                    break;
                }
            }
            if let Some(pos) = lowest {
                stack.truncate(pos);
            }
        }
        stack.push(name);
        work += stack.len() as u64;
        if stack.len() > max {
            return Err(too_deep(limits));
        }
        if work > MAX_WORK {
            return Err(ReadError::over_limit(
                "the HTML page is too large and too deeply nested to parse in reasonable time",
                None,
            ));
        }
    }
    Ok(())
}
