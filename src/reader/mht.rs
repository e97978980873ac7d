//! Web archives (.mht/.mhtml, also Word's "single file web page"): a MIME message whose
//! HTML part holds the report. The part is decoded (quoted-printable or base64) and read by
//! the HTML reader in its declared charset; read as text instead, the soft line breaks
//! (`=` at line ends) and `=XX` escapes split lists and figures.

use super::{html, Limits};
use crate::error::{ErrorKind, ReadError};
use crate::model::Document;

type Result<T> = std::result::Result<T, ReadError>;

/// Whether the bytes start like a MIME web archive.
pub fn sniff(head: &[u8]) -> bool {
    let lower: Vec<u8> = head[..head.len().min(4096)]
        .iter()
        .map(u8::to_ascii_lowercase)
        .collect();
    let has = |n: &[u8]| super::find(&lower, n).is_some();
    has(b"mime-version:") && (has(b"multipart/related") || has(b"content-type: text/html"))
}

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document> {
    let (headers, body) = split_headers(bytes);
    let ctype = header(&headers, "content-type").unwrap_or_default();
    let part = match param(&ctype, "boundary") {
        Some(b) => html_part(body, b.as_bytes())?,
        None => Part {
            headers,
            body: body.to_vec(),
        },
    };
    let cte = header(&part.headers, "content-transfer-encoding")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut html_bytes = match cte.trim() {
        "quoted-printable" => quoted_printable(&part.body),
        "base64" => base64(&part.body)
            .ok_or_else(|| ReadError::malformed("MHT", "its HTML part is not valid base64"))?,
        _ => part.body,
    };
    if html_bytes.len() as u64 > limits.max_part {
        return Err(ReadError::new(
            ErrorKind::TooLarge,
            format!(
                "网页存档的 HTML 部分过大 / the archive's HTML part is {} MB, over the bound (--max-decompressed)",
                html_bytes.len() >> 20
            ),
        ));
    }
    // The part's charset, when the page does not declare its own.
    let part_type = header(&part.headers, "content-type").unwrap_or_default();
    if let Some(cs) = param(&part_type, "charset") {
        let head: Vec<u8> = html_bytes[..html_bytes.len().min(2048)]
            .iter()
            .map(u8::to_ascii_lowercase)
            .collect();
        if super::find(&head, b"charset").is_none() {
            let mut with = format!("<meta charset=\"{cs}\">").into_bytes();
            with.extend_from_slice(&html_bytes);
            html_bytes = with;
        }
    }
    html::read(&html_bytes, limits)
}

struct Part {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Headers (unfolded, names lowercased) and the body after the first blank line.
fn split_headers(bytes: &[u8]) -> (Vec<(String, String)>, &[u8]) {
    let mut end = bytes.len();
    let mut body_at = bytes.len();
    for i in 0..bytes.len() {
        if bytes[i..].starts_with(b"\r\n\r\n") {
            (end, body_at) = (i, i + 4);
            break;
        }
        if bytes[i..].starts_with(b"\n\n") {
            (end, body_at) = (i, i + 2);
            break;
        }
    }
    let text = String::from_utf8_lossy(&bytes[..end]);
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    (headers, &bytes[body_at.min(bytes.len())..])
}

fn header(headers: &[(String, String)], name: &str) -> Option<String> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

/// A parameter of a header value (`boundary="…"`, `charset=gb2312`).
fn param(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case(name)).then(|| v.trim().trim_matches('"').to_string())
    })
}

/// The first text/html part of a multipart body.
fn html_part(body: &[u8], boundary: &[u8]) -> Result<Part> {
    let mut delim = b"--".to_vec();
    delim.extend_from_slice(boundary);
    let mut starts = Vec::new();
    let mut i = 0;
    while let Some(k) = super::find(&body[i..], &delim) {
        starts.push(i + k);
        i += k + delim.len();
    }
    // A cut archive's last part runs to the end.
    starts.push(body.len());
    for w in starts.windows(2) {
        let Some(mut part) = body.get(w[0] + delim.len()..w[1]) else {
            continue;
        };
        // The rest of the delimiter line.
        if let Some(nl) = part.iter().position(|&b| b == b'\n') {
            part = &part[nl + 1..];
        }
        let (headers, content) = split_headers(part);
        let ctype = header(&headers, "content-type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        if ctype.starts_with("text/html") {
            let content = content
                .strip_suffix(b"\r\n")
                .or_else(|| content.strip_suffix(b"\n"))
                .unwrap_or(content);
            return Ok(Part {
                headers,
                body: content.to_vec(),
            });
        }
    }
    Err(ReadError::malformed(
        "MHT",
        "the web archive holds no HTML part (网页存档中没有 HTML 部分)",
    ))
}

/// Quoted-printable: `=` at a line end joins the lines, `=XX` is a byte.
fn quoted_printable(s: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'=' {
            if s[i + 1..].starts_with(b"\r\n") {
                i += 3;
                continue;
            }
            if s[i + 1..].starts_with(b"\n") {
                i += 2;
                continue;
            }
            if let (Some(&a), Some(&b)) = (s.get(i + 1), s.get(i + 2)) {
                if let (Some(h), Some(l)) = (hex(a), hex(b)) {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
            }
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

/// Base64 with line breaks; None when a character is not of the alphabet.
fn base64(s: &[u8]) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for &c in s {
        if c.is_ascii_whitespace() {
            continue;
        }
        if c == b'=' {
            break;
        }
        acc = acc << 6 | val(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_decode() {
        assert_eq!(
            quoted_printable(b"a=3Db=\r\nc=E4=B8=AD"),
            "a=bc中".as_bytes()
        );
        assert_eq!(base64(b"5Lit5paH\r\n").unwrap(), "中文".as_bytes());
        assert!(base64(b"5L*t").is_none());
    }

    #[test]
    fn the_html_part_is_read_in_its_charset() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("<p>年初预算3,456.78万元</p>");
        let mut qp = Vec::new();
        for b in gbk.iter() {
            qp.extend(format!("={b:02X}").bytes());
        }
        let mut m = b"MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\tboundary=\"XX\"\r\n\r\n--XX\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0K\r\n--XX\r\nContent-Type: text/html; charset=\"gb2312\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n".to_vec();
        m.extend(&qp[..30]);
        m.extend(b"=\r\n");
        m.extend(&qp[30..]);
        m.extend(b"\r\n--XX--\r\n");
        assert!(sniff(&m));
        let d = read(&m, &Limits::default()).unwrap();
        assert!(d.text.contains("年初预算3,456.78万元"), "{}", d.text);
        let bad = b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=Q\r\n\r\n--Q\r\nContent-Type: image/png\r\n\r\nx\r\n--Q--\r\n";
        assert_eq!(
            read(bad, &Limits::default()).unwrap_err().kind,
            ErrorKind::Malformed
        );
    }
}
