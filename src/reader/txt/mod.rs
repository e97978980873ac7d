//! Plain-text reader: decodes UTF-8 / UTF-16 / GB18030, splits the text into the file's own
//! lines (so that line numbers are the file's) and reflows wrapped lines into paragraphs. The
//! tables that text exports carry are recognised in the `table` submodule.

mod table;

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};

use crate::error::{ErrorKind, ReadError, Result};
use crate::model::{Block, Document, Format, Paragraph, Span};

/// Decodes the bytes to text, choosing the encoding from the BOM or the content.
pub fn decode(bytes: &[u8]) -> (String, &'static Encoding) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (s, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (s.into_owned(), enc);
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let (s, _) = enc.decode_without_bom_handling(bytes);
        return (s.into_owned(), enc);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), UTF_8);
    }
    let (s, _) = GB18030.decode_without_bom_handling(bytes);
    (s.into_owned(), GB18030)
}

/// UTF-16 text without a BOM shows NULs in every other byte for ASCII characters.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let n = bytes.len().min(4096) & !1;
    if n < 8 {
        return None;
    }
    let (mut even, mut odd) = (0, 0);
    for (i, b) in bytes[..n].iter().enumerate() {
        if *b == 0 {
            if i % 2 == 0 {
                even += 1
            } else {
                odd += 1
            }
        }
    }
    let pairs = n / 2;
    if odd * 4 > pairs && even * 20 < pairs.max(1) {
        Some(UTF_16LE)
    } else if even * 4 > pairs && odd * 20 < pairs.max(1) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Whether the bytes are not text in any encoding we read: NULs or control characters
/// outside of UTF-16, or undecodable sequences in bulk.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if Encoding::for_bom(bytes).is_some() || utf16_without_bom(bytes).is_some() {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c) || b == 0x7f)
        .count();
    if controls * 100 > head.len() || head.contains(&0) {
        return true;
    }
    if std::str::from_utf8(bytes).is_ok() {
        return false;
    }
    let (s, _) = GB18030.decode_without_bom_handling(head);
    let bad = s.chars().filter(|&c| c == '\u{FFFD}').count();
    bad * 50 > s.chars().count().max(1)
}

/// One line of the decoded text.
struct Line<'a> {
    text: &'a str,
    /// Character offset of the line's first character.
    start: usize,
    /// 1-based line number.
    no: usize,
    page: Option<u32>,
}

impl Line<'_> {
    fn blank(&self) -> bool {
        self.text.trim().is_empty()
    }
    fn span(&self) -> Span {
        Span {
            start: self.start,
            end: self.start + self.text.chars().count(),
            line: self.no,
            page: self.page,
        }
    }
}

pub fn read(bytes: &[u8]) -> Result<Document> {
    let (raw, _enc) = decode(bytes);
    // CRLF and lone CR become LF: the line numbers are still the file's.
    let text = if raw.contains('\r') {
        raw.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        raw
    };
    if text.trim().is_empty() {
        return Err(ReadError::new(
            ErrorKind::Malformed,
            "文件中没有文字 / the file holds no text. 请检查导出是否完整 / check that the export is complete.",
        ));
    }
    let paged = text.contains('\u{c}');
    let mut lines = Vec::new();
    let mut pos = 0;
    let mut page = 1u32;
    for (i, l) in text.split('\n').enumerate() {
        let n = l.chars().count();
        // A form feed at the start of a line puts that line on the next page.
        let lead = l.chars().take_while(|&c| c == '\u{c}').count() as u32;
        page += lead;
        lines.push(Line {
            text: l,
            start: pos,
            no: i + 1,
            page: paged.then_some(page),
        });
        page += l.matches('\u{c}').count() as u32 - lead;
        pos += n + 1;
    }
    let blocks = segment(&lines);
    Ok(Document {
        format: Format::Txt,
        text,
        blocks,
        problems: Vec::new(),
        ocr: None,
    })
}

fn segment(lines: &[Line]) -> Vec<Block> {
    let paged = lines.iter().any(|l| l.page.is_some());
    let mut blocks = Vec::new();
    let mut i = 0;
    let mut para: Vec<usize> = Vec::new();
    while i < lines.len() {
        if let Some((t, next)) = table::find(lines, i) {
            flush_paragraph(lines, &mut para, &mut blocks);
            blocks.push(Block::Table(table::build_table(t)));
            i = next;
            continue;
        }
        let l = &lines[i];
        // A page break in text copied from a PDF leaves a blank line inside a sentence.
        let mid_sentence = l.blank()
            && paged
            && para.last().is_some_and(|&p| {
                lines
                    .get(i + 1)
                    .is_some_and(|n| !n.blank() && continues(&lines[p], n))
            });
        if mid_sentence {
            i += 1;
            continue;
        }
        if l.blank() {
            flush_paragraph(lines, &mut para, &mut blocks);
        } else {
            if let Some(&prev) = para.last() {
                if !continues(&lines[prev], l) {
                    flush_paragraph(lines, &mut para, &mut blocks);
                }
            }
            para.push(i);
        }
        i += 1;
    }
    flush_paragraph(lines, &mut para, &mut blocks);
    blocks
}

/// Whether `next` continues the paragraph of `prev`: text wrapped at a fixed width (PDF
/// copies) has long lines that stop mid-sentence; a heading or list item starts anew.
fn continues(prev: &Line, next: &Line) -> bool {
    let p = prev.text.trim_end();
    let n = next.text.trim_start();
    if p.chars().count() < 20 || p.ends_with('|') || n.ends_with('|') {
        return false;
    }
    // Text wrapped at a fixed width breaks lines anywhere, after a colon too.
    if p.ends_with(['。', '！', '？']) {
        return false;
    }
    !starts_like_heading(n)
}

fn starts_like_heading(s: &str) -> bool {
    let mut cs = s.chars();
    let Some(c0) = cs.next() else { return true };
    let numerals = "一二三四五六七八九十";
    if matches!(c0, '（' | '(') {
        // "（一）" "（1）" start items; "（项）”105.65" continues a wrapped label.
        return cs
            .next()
            .is_some_and(|c| c.is_ascii_digit() || numerals.contains(c));
    }
    if matches!(c0, '第' | '•' | '●' | '-' | '—') {
        return true;
    }
    if c0.is_ascii_digit() || numerals.contains(c0) {
        // "3、" "2." "（1）" start items; "3.39 万元" is a number that wrapped.
        let cs: Vec<char> = s.chars().collect();
        let k = cs
            .iter()
            .take_while(|c| c.is_ascii_digit() || numerals.contains(**c))
            .count();
        return match cs.get(k) {
            Some('、' | ')' | '）') => true,
            Some('.' | '．') => !cs.get(k + 1).is_some_and(|c| c.is_ascii_digit()),
            _ => false,
        };
    }
    false
}

fn flush_paragraph(lines: &[Line], para: &mut Vec<usize>, blocks: &mut Vec<Block>) {
    if para.is_empty() {
        return;
    }
    let first = &lines[para[0]];
    let last = &lines[*para.last().unwrap()];
    // A form line of the shape "label |" keeps its text without the separator.
    let mut end = last.span().end;
    // The exact text between the first and last line, blank lines skipped at page breaks
    // included, so that offsets inside the paragraph are offsets in the document.
    let mut body = String::new();
    for (k, l) in lines[para[0]..=*para.last().unwrap()].iter().enumerate() {
        if k > 0 {
            body.push('\n');
        }
        body.push_str(l.text);
    }
    let trimmed = body.trim_end_matches([' ', '|', '｜', '\t', '\u{c}']);
    end -= body.chars().count() - trimmed.chars().count();
    blocks.push(Block::Paragraph(Paragraph {
        text: trimmed.to_string(),
        span: Span {
            start: first.start,
            end,
            line: first.no,
            page: first.page,
        },
    }));
    para.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Document {
        read(s.as_bytes()).unwrap()
    }

    fn slice(d: &Document, sp: Span) -> String {
        d.text
            .chars()
            .skip(sp.start)
            .take(sp.end - sp.start)
            .collect()
    }

    #[test]
    fn decodes_bom_utf16_and_gbk() {
        let s = "年初预算1,045.63万元";
        let (gbk, _, _) = GB18030.encode(s);
        assert_eq!(decode(&gbk).0, s);
        let mut le = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            le.extend(u.to_le_bytes());
        }
        assert_eq!(decode(&le).0, s);
        let mut be = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            be.extend(u.to_be_bytes());
        }
        assert_eq!(decode(&be).0, s);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend(s.as_bytes());
        assert_eq!(decode(&bom).0, s);
    }

    #[test]
    fn binary_is_recognised() {
        let noise: Vec<u8> = (0..4000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert!(looks_binary(&noise));
        assert!(!looks_binary("普通文本\n第二行".as_bytes()));
    }

    #[test]
    fn word_export_table_with_collapsed_header() {
        let s = "前言\n\n\t表一\n\n\t单位\n\t甲（万元）\n\t乙（万元）\n\n\t\n\t基本\n\t合计\n\t基本\n\t合计\n\n\t本级\n\t1\n\t2\n\t3\n\t4\n\n后记\n";
        let d = doc(s);
        let t = d.tables().next().unwrap();
        assert_eq!(t.title.as_deref(), Some("表一"));
        assert_eq!(
            t.columns,
            vec![
                "单位",
                "甲（万元）/基本",
                "甲（万元）/合计",
                "乙（万元）/基本",
                "乙（万元）/合计"
            ]
        );
        assert_eq!(t.body().len(), 1);
        let c = &t.body()[0].cells[4];
        assert_eq!(c.text, "4");
        assert_eq!(slice(&d, c.span), "4");
        assert_eq!(c.span.line, 19);
        let paras: Vec<_> = d.paragraphs().map(|p| p.text.as_str()).collect();
        assert_eq!(paras, vec!["前言", "后记"]);
    }

    #[test]
    fn pipe_and_tab_and_space_tables() {
        let d = doc("项目 | 合计 | 行政\n编制数 | 34 | 34 | ||\n在职 | 32 | 32\n");
        let t = d.tables().next().unwrap();
        assert_eq!(t.body().len(), 2);
        assert_eq!(slice(&d, t.body()[0].cells[1].span), "34");

        let d = doc("名称\t金额\n甲\t1.5\n乙\t2\n");
        assert_eq!(d.tables().next().unwrap().body().len(), 2);

        // Full-width two-row headers: empty cells continue the label before or above them.
        for sep in ["\t", " | "] {
            let src = [
                ["单位名称", "年初预算数", "", "", "全年预算数", ""],
                ["", "基本支出", "项目支出", "合计", "基本支出", "项目支出"],
                ["本级", "1", "2", "3", "4", "5"],
            ]
            .map(|r| r.join(sep))
            .join("\n");
            let d = doc(&src);
            let t = d.tables().next().unwrap();
            assert_eq!(t.body().len(), 1, "{sep:?}");
            let heads: Vec<_> = t.columns.iter().map(String::as_str).collect();
            assert_eq!(
                heads,
                [
                    "单位名称",
                    "年初预算数/基本支出",
                    "年初预算数/项目支出",
                    "年初预算数/合计",
                    "全年预算数/基本支出",
                    "全年预算数/项目支出"
                ],
                "{sep:?}"
            );
            assert_eq!(slice(&d, t.body()[0].cells[5].span), "5");
        }

        let d = doc("说明文字。\n212 城乡社区支出 13.48 1.51 2.97\n21201 城乡社区管理事务 12.15 1.51 1.64\n");
        let t = d.tables().next().unwrap();
        assert_eq!(t.rows[0].cells[1].text, "城乡社区支出");
        assert_eq!(slice(&d, t.rows[1].cells[4].span), "1.64");
    }

    #[test]
    fn form_lines_are_paragraphs_and_crlf_keeps_lines() {
        let d = doc("项目名称 |\r\n工资性支出 |\r\n");
        let p: Vec<_> = d
            .paragraphs()
            .map(|p| (p.text.clone(), p.span.line))
            .collect();
        assert_eq!(p, vec![("项目名称".into(), 1), ("工资性支出".into(), 2)]);
    }

    #[test]
    fn wrapped_lines_join_and_pages_follow_form_feeds() {
        let d =
            doc("年初预算为一二三四五六七八九十一二三四五六七八九十\n274.82 万元。\n\u{c}第二页\n");
        let p: Vec<_> = d.paragraphs().collect();
        assert_eq!(p.len(), 2);
        assert!(p[0].text.contains("\n274.82"));
        assert_eq!(p[1].span.page, Some(2));
        assert_eq!(p[1].span.line, 3);
    }
}
