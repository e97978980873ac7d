//! The subject of a paragraph: what its figures are about when their labels say only
//! 年初预算 or 决算金额. Either the paragraph's first specific amount ("基本支出全年预算a，
//! 决算b": b is 基本支出's), or an item of the functional classification named before the
//! figures ("住房保障支出（类）…（项）。年初预算54.53万元"), which the following paragraphs go
//! on describing until another subject is named.

#[derive(Debug, Default)]
pub struct Subject {
    noun: String,
    /// The key of the figure that named the subject, if any.
    key: Option<String>,
    /// The fund the subject is counted over ("一般公共预算财政拨款支出…").
    fund: Option<crate::extract::Fund>,
    /// The subject is a classification item, carried to the next paragraph.
    item: bool,
    /// The subject came from the paragraph before: the first amount may still replace it.
    carried: bool,
    /// Only the first money figure of a paragraph can name its subject.
    closed: bool,
    /// What the next paragraph starts with.
    pending: Option<String>,
}

impl Subject {
    /// A paragraph starts: its subject is the item the previous one carried, if any.
    pub fn start_paragraph(&mut self) {
        let pending = self.pending.take();
        *self = Subject::default();
        if let Some(noun) = pending {
            self.noun = noun;
            self.item = true;
            self.carried = true;
        }
    }

    /// The paragraph's first sentence names an item of the classification and no amount.
    pub fn name_item(&mut self, noun: String) {
        self.noun = noun;
        self.key = None;
        self.item = true;
        self.carried = false;
        self.closed = true;
    }

    pub fn noun(&self) -> &str {
        &self.noun
    }

    pub fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    pub fn fund(&self) -> Option<crate::extract::Fund> {
        self.fund
    }

    pub fn is_empty(&self) -> bool {
        self.noun.is_empty()
    }

    /// Whether a specific (not generic) money figure met now names the subject.
    pub fn open_to(&self, specific_money: bool) -> bool {
        specific_money && !self.closed && (self.noun.is_empty() || self.carried)
    }

    /// A money figure was met: later ones of the paragraph do not name the subject.
    pub fn money_seen(&mut self) {
        self.closed = true;
        self.carried = false;
    }

    /// A figure names the subject.
    pub fn named(
        &mut self,
        noun: String,
        key: Option<String>,
        fund: Option<crate::extract::Fund>,
        is_item: bool,
    ) {
        self.noun = noun;
        self.key = key;
        self.fund = fund;
        self.item = is_item;
    }

    /// The paragraph ended. A line naming only an item makes it the next paragraph's
    /// subject; an item subject whose paragraph stated amounts goes on to the next one.
    pub fn end_paragraph(&mut self, found_figures: bool, item_line: Option<String>) {
        self.pending = if !found_figures {
            item_line
        } else if self.item {
            Some(self.noun.clone())
        } else {
            None
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions() {
        let mut s = Subject::default();
        s.start_paragraph();
        assert!(s.open_to(true));
        s.money_seen();
        s.named(
            "基本支出".into(),
            Some("budget.initial.basic".into()),
            None,
            false,
        );
        assert!(!s.open_to(true));
        assert_eq!(
            (s.noun(), s.key()),
            ("基本支出", Some("budget.initial.basic"))
        );
        // A non-item subject ends with its paragraph.
        s.end_paragraph(true, None);
        s.start_paragraph();
        assert!(s.is_empty());
        // An item line with no figures carries to the next paragraph, which may still be
        // renamed by its first amount.
        s.end_paragraph(false, Some("住房保障支出".into()));
        s.start_paragraph();
        assert_eq!(s.noun(), "住房保障支出");
        assert!(s.open_to(true));
        assert!(!s.open_to(false));
        // An item subject whose paragraph stated amounts goes on.
        s.end_paragraph(true, None);
        s.start_paragraph();
        assert_eq!(s.noun(), "住房保障支出");
    }
}
