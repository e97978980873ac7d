//! Broken and hostile Word binaries (.doc/.wps) and OFDs, through the binary: each is one
//! record with a clear error kind (or the text it still holds), never a panic, a hang or
//! garbage text.

use std::io::{Cursor, Write};

use crate::hostile::{extract_files, kind};
use crate::util::path;

fn flip(good: &[u8], from: usize, step: usize) -> Vec<u8> {
    let mut b = good.to_vec();
    for i in (from..b.len()).step_by(step) {
        b[i] ^= 0x5a;
    }
    b
}

/// The offset of the Word document stream's first sector in `seed.doc` (its FIB), found by
/// its signature at a sector boundary.
fn fib_at(doc: &[u8]) -> usize {
    (0..doc.len())
        .step_by(512)
        .find(|&i| doc[i..].starts_with(&[0xEC, 0xA5]))
        .expect("the FIB")
}

#[test]
fn broken_word_binaries_are_records() {
    let good = std::fs::read(path("tests/fixtures/seed/seed.doc")).unwrap();
    let fib = fib_at(&good);
    let mut encrypted = good.clone();
    // fEncrypted: bit 8 of the flags at 0x0A.
    encrypted[fib + 0x0B] |= 0x01;
    let mut long_text = good.clone();
    // ccpText (FibRgLw97[3], at 0x4C) far beyond the stream.
    long_text[fib + 0x4C..fib + 0x50].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
    let mut far_pieces = good.clone();
    // fcClx (FibRgFcLcb97[33], at 0x1A2) outside the table stream.
    far_pieces[fib + 0x1A2..fib + 0x1A6].copy_from_slice(&0x7000_0000u32.to_le_bytes());
    let mut old = good.clone();
    // nFib 0x60: a Word 6.0 file.
    old[fib + 2..fib + 4].copy_from_slice(&0x60u16.to_le_bytes());
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    cf.create_stream("PowerPoint Document")
        .unwrap()
        .write_all(&[0u8; 600])
        .unwrap();
    let ppt = cf.into_inner().into_inner();
    let recs = extract_files(&[
        ("a_half.doc", good[..good.len() / 2].to_vec()),
        ("b_flipped.doc", flip(&good, 600, 47)),
        ("c_encrypted.doc", encrypted),
        ("d_long_text.doc", long_text),
        ("e_far_pieces.wps", far_pieces),
        ("f_word6.doc", old),
        ("g_slides.doc", ppt),
        ("h_header_only.doc", good[..512].to_vec()),
    ]);
    for r in &recs {
        assert_ne!(kind(r), Some("panic"), "{r:?}");
        assert_ne!(kind(r), Some("timeout"), "{r:?}");
    }
    assert_eq!(kind(&recs[0]), Some("malformed"));
    assert_eq!(kind(&recs[2]), Some("encrypted"));
    assert_eq!(kind(&recs[3]), Some("malformed"));
    assert_eq!(kind(&recs[4]), Some("malformed"));
    assert_eq!(kind(&recs[5]), Some("unsupported_format"));
    assert_eq!(kind(&recs[6]), Some("unsupported_format"));
    assert_eq!(recs[4]["format"], "wps");
    // Flipped bytes: an error, or text that is still the report's (no mojibake).
    if kind(&recs[1]).is_none() {
        let title = recs[1]["meta"]["title"].as_str().unwrap_or("");
        assert!(title.is_empty() || title.contains("怀化"), "{title}");
    }
}

fn ofd(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (n, b) in entries {
        w.start_file(*n, opts).unwrap();
        w.write_all(b).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const ROOT: &[u8] = br#"<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#;
const DOC: &[u8] = br#"<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>"#;

fn page(body: &str) -> Vec<u8> {
    format!(r#"<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="2">{body}</ofd:Layer></ofd:Content></ofd:Page>"#).into_bytes()
}

#[test]
fn broken_ofds_are_records() {
    let good = std::fs::read(path("tests/fixtures/seed/seed.ofd")).unwrap();
    // A page that inflates to 300 MB, written in one piece of spaces.
    let mut spaces = page(
        r#"<ofd:TextObject ID="3" Boundary="10 10 100 5" Size="4"><ofd:TextCode X="0" Y="4">"#,
    );
    spaces.resize(spaces.len() + (300 << 20), b' ');
    spaces.extend_from_slice(
        b"</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>",
    );
    let bomb = ofd(&[
        ("OFD.xml", ROOT),
        ("Doc_0/Document.xml", DOC),
        ("Doc_0/Pages/Page_0/Content.xml", &spaces),
    ]);
    drop(spaces);
    let laughs = format!(
        r#"<!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>{}"#,
        String::from_utf8(page(r#"<ofd:TextObject ID="3" Boundary="10 10 100 5" Size="4"><ofd:TextCode X="0" Y="4">编制人数50人&b;</ofd:TextCode></ofd:TextObject>"#)).unwrap()
    );
    let g_bomb = page(&format!(
        r#"<ofd:TextObject ID="3" Boundary="10 10 100 5" Size="4"><ofd:TextCode X="0" Y="4" DeltaX="{}">编制人数50人</ofd:TextCode></ofd:TextObject>"#,
        "g 4000000000 1 ".repeat(20_000)
    ));
    let deep = page(&format!(
        "{}<ofd:TextObject ID=\"3\" Boundary=\"10 10 100 5\" Size=\"4\"><ofd:TextCode X=\"0\" Y=\"4\">编制人数50人</ofd:TextCode></ofd:TextObject>{}",
        "<ofd:PageBlock>".repeat(100_000),
        "</ofd:PageBlock>".repeat(100_000)
    ));
    let many_pages = format!(
        r#"<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Pages>{}</ofd:Pages></ofd:Document>"#,
        r#"<ofd:Page BaseLoc="Pages/Page_0/Content.xml"/>"#.repeat(200_000)
    );
    let image_only = page(r#"<ofd:ImageObject ID="3" Boundary="0 0 210 297" ResourceID="9"/>"#);
    let recs = extract_files(&[
        ("a_half.ofd", good[..good.len() / 2].to_vec()),
        ("b_flipped.ofd", flip(&good, 300, 53)),
        ("c_bomb.ofd", bomb),
        (
            "d_laughs.ofd",
            ofd(&[
                ("OFD.xml", ROOT),
                ("Doc_0/Document.xml", DOC),
                ("Doc_0/Pages/Page_0/Content.xml", laughs.as_bytes()),
            ]),
        ),
        (
            "e_g_bomb.ofd",
            ofd(&[
                ("OFD.xml", ROOT),
                ("Doc_0/Document.xml", DOC),
                ("Doc_0/Pages/Page_0/Content.xml", &g_bomb),
            ]),
        ),
        (
            "f_deep.ofd",
            ofd(&[
                ("OFD.xml", ROOT),
                ("Doc_0/Document.xml", DOC),
                ("Doc_0/Pages/Page_0/Content.xml", &deep),
            ]),
        ),
        (
            "g_many_pages.ofd",
            ofd(&[
                ("OFD.xml", ROOT),
                ("Doc_0/Document.xml", many_pages.as_bytes()),
                ("Doc_0/Pages/Page_0/Content.xml", &deep),
            ]),
        ),
        (
            "h_no_root.ofd",
            ofd(&[(
                "OFD.xml",
                b"<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\"/>",
            )]),
        ),
        (
            "i_scan.ofd",
            ofd(&[
                ("OFD.xml", ROOT),
                ("Doc_0/Document.xml", DOC),
                ("Doc_0/Pages/Page_0/Content.xml", &image_only),
            ]),
        ),
    ]);
    for r in &recs {
        assert_ne!(kind(r), Some("panic"), "{r:?}");
        assert_ne!(kind(r), Some("timeout"), "{r:?}");
        assert_eq!(r["format"], "ofd", "{r:?}");
    }
    assert_eq!(kind(&recs[2]), Some("too_large"));
    // Entities are never expanded; the text around them is read.
    assert!(kind(&recs[3]).is_none(), "{:?}", recs[3]);
    assert!(recs[3]["figures"].to_string().contains("50"));
    assert!(kind(&recs[4]).is_none(), "{:?}", recs[4]);
    assert!(kind(&recs[5]).is_none(), "{:?}", recs[5]);
    assert_eq!(kind(&recs[6]), Some("too_large"));
    assert_eq!(kind(&recs[7]), Some("malformed"));
    assert_eq!(kind(&recs[8]), Some("no_text_layer"));
}

/// Broken Excel 97–2003 workbooks: cut, flipped, and one whose sheet positions and record
/// lengths lie (the number-format pass follows them only within the stream).
#[test]
fn broken_binary_workbooks_are_records() {
    let good = std::fs::read(path("tests/fixtures/seed/seed.xls")).unwrap();
    // Every BOUNDSHEET8 record (0x0085) pointing far past the stream's end.
    let mut lying = good.clone();
    for i in 0..lying.len().saturating_sub(8) {
        if lying[i..i + 2] == [0x85, 0x00] && lying[i + 2] > 6 && lying[i + 3] == 0 {
            lying[i + 4..i + 8].copy_from_slice(&0x7FFF_FFF0u32.to_le_bytes());
        }
    }
    // One RK cell moved to row 65,535, column 255: with the cell at A1, a grid of 16.7 million
    // positions, which the spreadsheet crate would allocate whole.
    let mut far = good.clone();
    let rk = (0..far.len() - 8)
        .find(|&i| far[i..i + 4] == [0x7E, 0x02, 0x0A, 0x00])
        .expect("an RK record");
    far[rk + 4..rk + 8].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0x00]);
    let recs = extract_files(&[
        ("a_half.xls", good[..good.len() / 2].to_vec()),
        ("b_flipped.xls", flip(&good, 700, 37)),
        ("c_lying_sheets.xls", lying),
        ("d_far_cell.xls", far),
    ]);
    for r in &recs {
        assert_ne!(kind(r), Some("panic"), "{r:?}");
        assert_ne!(kind(r), Some("timeout"), "{r:?}");
    }
    assert!(kind(&recs[0]).is_some());
    assert_eq!(kind(&recs[3]), Some("malformed"), "{:?}", recs[3]);
    assert!(recs[3]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("positions"));
}
