use super::*;
use crate::model::Block;

fn doc(body: &str) -> std::result::Result<Document, Fail> {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}</w:body></w:document>"#
    );
    parse_document(&xml, &Limits::default())
}

fn paras(d: &Document) -> Vec<String> {
    d.paragraphs().map(|p| p.text.clone()).collect()
}

#[test]
fn paragraphs_skip_deleted_text_and_field_codes() {
    let d = doc(r#"<w:p><w:r><w:t>预算</w:t></w:r><w:del><w:r><w:delText>删除</w:delText></w:r></w:del><w:ins><w:r><w:t>执行</w:t></w:r></w:ins><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:tab/><w:t>率&amp;&#x31;&foo;</w:t></w:r></w:p><w:sdt><w:sdtContent><w:p><w:r><w:t>控件</w:t></w:r></w:p></w:sdtContent></w:sdt>"#).ok().unwrap();
    assert_eq!(paras(&d), vec!["预算执行 率&1&foo;", "控件"]);
}

#[test]
fn table_spans_and_nested_table() {
    let d = doc(r#"<w:p><w:r><w:t>前</w:t></w:r></w:p><w:tbl>
        <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>单位</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>预算</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>基本</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:tc><w:p><w:r><w:t>本级</w:t></w:r></w:p><w:p><w:r><w:t>合计</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>内</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc></w:tr>
        </w:tbl><w:p><w:r><w:t>后</w:t></w:r></w:p>"#).ok().unwrap();
    let kinds: Vec<&str> = d
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(_) => "p",
            Block::Table(_) => "t",
        })
        .collect();
    assert_eq!(kinds, vec!["p", "t", "t", "p"]);
    let t: Vec<_> = d.tables().collect();
    assert_eq!(t[0].columns, vec!["单位", "预算/基本", "预算/项目"]);
    assert_eq!(t[0].header_rows, 2);
    assert_eq!(t[0].body()[0].cells[0].text, "本级合计");
    assert_eq!(t[0].body()[0].cells[1].text, "1");
    assert_eq!(t[1].rows[0].cells[0].text, "内");
}

#[test]
fn other_prefix_for_wordprocessingml() {
    let xml = r#"<x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w="urn:other"><x:body><x:p><x:r><x:t>甲</x:t><w:t>不是</w:t></x:r></x:p><x:tbl><x:tr><x:tc><x:tcPr><x:gridSpan x:val="2"/></x:tcPr><x:p><x:r><x:t>乙</x:t></x:r></x:p></x:tc></x:tr></x:tbl></x:body></x:document>"#;
    let d = parse_document(xml, &Limits::default()).ok().unwrap();
    assert_eq!(paras(&d), vec!["甲"]);
    assert_eq!(d.tables().next().unwrap().width(), 2);
    let xml = r#"<document xmlns="http://purl.oclc.org/ooxml/wordprocessingml/main"><body><p><r><t>丙</t></r></p></body></document>"#;
    let d = parse_document(xml, &Limits::default()).ok().unwrap();
    assert_eq!(paras(&d), vec!["丙"]);
}

#[test]
fn oversized_table_is_too_large() {
    let cells = r#"<w:tc><w:tcPr><w:gridSpan w:val="1000"/></w:tcPr><w:p/></w:tc>"#.repeat(3000);
    let r = doc(&format!("<w:tbl><w:tr>{cells}</w:tr></w:tbl>"));
    assert!(matches!(r, Err(Fail::Read(e)) if e.kind == ErrorKind::TooLarge));
}

#[test]
fn cell_paragraph_join() {
    assert_eq!(join_cell_paragraphs(&["abc", "def"]), "abc def");
    assert_eq!(
        join_cell_paragraphs(&["项目", "资金", "", "12"]),
        "项目资金12"
    );
}

#[test]
fn depth_and_truncation_are_malformed() {
    let deep = "<w:sdt>".repeat(300);
    assert!(matches!(doc(&deep), Err(Fail::Limit(_))));
    let xml = r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>截"#;
    assert!(parse_document(xml, &Limits::default()).is_err());
    assert!(parse_document("", &Limits::default()).is_err());
}

#[test]
fn doctype_entities_are_not_expanded() {
    let xml = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><w:document xmlns:w="x"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"#;
    let d = parse_document(xml, &Limits::default()).ok().unwrap();
    assert_eq!(paras(&d), vec!["&lol2;"]);
}
