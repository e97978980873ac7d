//! Word binary files written here, byte by byte, as [MS-DOC] lays them out: the tests do not
//! depend on the program that wrote the fixtures.

use std::io::Write;

use super::*;
use crate::model::Block;

/// A paragraph: its text, the mark that ends it and its sprms.
struct P<'a>(&'a str, u16, Vec<u8>);

const IN_TABLE: [u8; 3] = [0x16, 0x24, 1];
const TTP: [u8; 3] = [0x17, 0x24, 1];

fn cell(t: &str) -> P<'_> {
    P(t, 0x07, IN_TABLE.to_vec())
}

/// A row-end mark with `sprmTDefTable`: boundaries and (horizontal, vertical) merge flags.
fn row_end(bounds: &[i16], merges: &[(u16, u16)]) -> P<'static> {
    let mut g = [IN_TABLE, TTP].concat();
    let mut op = vec![(merges.len()) as u8];
    for b in bounds {
        op.extend(b.to_le_bytes());
    }
    for (h, v) in merges {
        op.extend((h | (v << 5)).to_le_bytes());
        op.extend([0u8; 18]);
    }
    g.extend(0xD608u16.to_le_bytes());
    g.extend(((op.len() + 1) as u16).to_le_bytes());
    g.extend(op);
    P("", 0x07, g)
}

fn word_file(paras: &[P], encrypted: bool) -> Vec<u8> {
    const TEXT_AT: usize = 1024;
    const FKP_AT: usize = 2048;
    let mut units: Vec<u16> = Vec::new();
    let mut ends = Vec::new();
    for p in paras {
        units.extend(p.0.encode_utf16());
        units.push(p.1);
        ends.push(units.len());
    }
    let mut wd = vec![0u8; FKP_AT + 512];
    wd[0..2].copy_from_slice(&0xA5ECu16.to_le_bytes());
    wd[2..4].copy_from_slice(&0xC1u16.to_le_bytes());
    let flags: u16 = 0x0200 | if encrypted { 0x0100 } else { 0 };
    wd[0x0A..0x0C].copy_from_slice(&flags.to_le_bytes());
    wd[32..34].copy_from_slice(&14u16.to_le_bytes());
    wd[62..64].copy_from_slice(&22u16.to_le_bytes());
    wd[76..80].copy_from_slice(&(units.len() as u32).to_le_bytes());
    wd[152..154].copy_from_slice(&0x5Du16.to_le_bytes());
    for (i, u) in units.iter().enumerate() {
        wd[TEXT_AT + 2 * i..TEXT_AT + 2 * i + 2].copy_from_slice(&u.to_le_bytes());
    }
    // The FKP page: one run per paragraph, its PAPX written from the page's end backwards.
    let page = &mut wd[FKP_AT..FKP_AT + 512];
    let crun = paras.len();
    let mut start = TEXT_AT as u32;
    let mut free = 511;
    // Paragraphs with the same properties share one PAPX, as Word writes them.
    let mut written: Vec<(&[u8], usize)> = Vec::new();
    for (j, p) in paras.iter().enumerate() {
        page[4 * j..4 * j + 4].copy_from_slice(&start.to_le_bytes());
        start = (TEXT_AT + 2 * ends[j]) as u32;
        let at = match written.iter().find(|w| w.0 == p.2.as_slice()) {
            Some(w) => w.1,
            None => {
                let cb = (p.2.len() + 3).div_ceil(2);
                free = (free - 2 * cb) & !1;
                page[free] = cb as u8;
                page[free + 3..free + 3 + p.2.len()].copy_from_slice(&p.2);
                written.push((&p.2, free));
                free
            }
        };
        page[4 * (crun + 1) + 13 * j] = (at / 2) as u8;
    }
    assert!(
        free > 4 * (crun + 1) + 13 * crun,
        "the test's FKP page overflows"
    );
    page[4 * crun..4 * crun + 4].copy_from_slice(&start.to_le_bytes());
    page[511] = crun as u8;
    // The table stream: the piece table (one UTF-16 piece), then PlcBtePapx.
    let mut table = vec![2u8];
    table.extend(16u32.to_le_bytes());
    table.extend(0u32.to_le_bytes());
    table.extend((units.len() as u32).to_le_bytes());
    table.extend([0, 0]);
    table.extend((TEXT_AT as u32).to_le_bytes());
    table.extend([0, 0]);
    let clx_len = table.len() as u32;
    let bte_at = table.len() as u32;
    table.extend((TEXT_AT as u32).to_le_bytes());
    table.extend(start.to_le_bytes());
    table.extend(((FKP_AT / 512) as u32).to_le_bytes());
    let pair = |wd: &mut Vec<u8>, i: usize, fc: u32, lcb: u32| {
        let at = 154 + 8 * i;
        wd[at..at + 4].copy_from_slice(&fc.to_le_bytes());
        wd[at + 4..at + 8].copy_from_slice(&lcb.to_le_bytes());
    };
    pair(&mut wd, 33, 0, clx_len);
    pair(&mut wd, 13, bte_at, 12);
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    cf.create_stream("WordDocument")
        .unwrap()
        .write_all(&wd)
        .unwrap();
    cf.create_stream("1Table")
        .unwrap()
        .write_all(&table)
        .unwrap();
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

fn read_doc(bytes: &[u8]) -> Result<Document> {
    read(bytes, &Limits::default(), Format::Doc)
}

#[test]
fn paragraphs_fields_and_a_merged_table() {
    let bytes = word_file(
        &[
            P("一、部门概况", 0x0D, vec![]),
            P("\u{13} PAGE \u{14}3\u{15}页，共计\u{1F}109人", 0x0D, vec![]),
            cell("项目"),
            cell("金额（万元）"),
            row_end(&[0, 2000, 6000], &[(0, 3), (0, 0)]),
            cell(""),
            cell("年初"),
            cell("调整"),
            row_end(&[0, 2000, 4000, 6000], &[(0, 1), (0, 0), (0, 0)]),
            cell("合计"),
            cell("1,234.50"),
            cell(""),
            row_end(&[0, 2000, 4000, 6000], &[(0, 0), (1, 0), (2, 0)]),
            P("完", 0x0D, vec![]),
        ],
        false,
    );
    assert!(is_ole_word(&bytes));
    let d = read_doc(&bytes).unwrap();
    assert_eq!(d.format, Format::Doc);
    let paras: Vec<&str> = d.paragraphs().map(|p| p.text.as_str()).collect();
    assert_eq!(paras, ["一、部门概况", "3页，共计109人", "完"]);
    let t = d.tables().next().expect("a table");
    type Grid<'a> = Vec<Vec<(&'a str, Option<(usize, usize)>)>>;
    let rows: Grid = t
        .rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| (c.text.as_str(), c.merged_from))
                .collect()
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            vec![("项目", None), ("金额（万元）", None), ("", Some((0, 1)))],
            vec![("", Some((0, 0))), ("年初", None), ("调整", None)],
            vec![("合计", None), ("1,234.50", None), ("", Some((2, 1)))],
        ]
    );
    assert!(d.problems.is_empty(), "{:?}", d.problems);
    assert!(matches!(d.blocks[1], Block::Paragraph(_)));
}

#[test]
fn encrypted_and_foreign_files_are_named() {
    let enc = word_file(&[P("x", 0x0D, vec![])], true);
    assert_eq!(read_doc(&enc).unwrap_err().kind, ErrorKind::Encrypted);
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    cf.create_stream("PowerPoint Document")
        .unwrap()
        .write_all(b"x")
        .unwrap();
    let ppt = cf.into_inner().into_inner();
    assert_eq!(
        read_doc(&ppt).unwrap_err().kind,
        ErrorKind::UnsupportedFormat
    );
}

#[test]
fn damaged_files_are_malformed_not_garbage() {
    let good = word_file(&[P("预算总额100万元", 0x0D, vec![])], false);
    for cut in [100, 600, good.len() / 2, good.len() - 300] {
        if let Ok(d) = read_doc(&good[..cut]) {
            assert!(d.text.is_empty() || d.text.contains("预算"), "{cut}");
        }
    }
    assert_eq!(
        read_doc(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 nothing")
            .unwrap_err()
            .kind,
        ErrorKind::Malformed
    );
}
