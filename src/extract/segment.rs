//! Word segmentation with jieba-rs, loaded once per dictionary and shared across threads.

use std::sync::{Arc, Mutex, OnceLock};

use jieba_rs::Jieba;

/// A jieba instance with the domain dictionary added, so that labels such as 三公经费 or
/// 财政供养人员控制率 come out whole.
pub struct Segmenter {
    jieba: Jieba,
}

impl Segmenter {
    pub fn new(dict: &str) -> Self {
        let mut jieba = Jieba::new();
        for line in dict.lines() {
            let mut parts = line.split_whitespace();
            let Some(word) = parts.next() else { continue };
            if word.starts_with('#') {
                continue;
            }
            let freq = parts.next().and_then(|f| f.parse().ok());
            let tag = parts.next();
            jieba.add_word(word, freq, tag);
        }
        Segmenter { jieba }
    }

    /// The words of `s`, in order.
    pub fn cut<'a>(&self, s: &'a str) -> Vec<&'a str> {
        self.jieba
            .cut(s, false)
            .into_iter()
            .map(|t| t.word)
            .collect()
    }

    /// The shared segmenter for a dictionary: built on first use, then reused by every
    /// thread (building one costs ~100 ms; a document's segmentation well under 1 ms).
    pub fn shared(dict: &str) -> Arc<Segmenter> {
        type Cache = Mutex<Vec<(String, Arc<Segmenter>)>>;
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
        let mut guard = cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, s)) = guard.iter().find(|(d, _)| d == dict) {
            return s.clone();
        }
        let s = Arc::new(Segmenter::new(dict));
        guard.push((dict.to_string(), s.clone()));
        s
    }

    /// Keeps the last words of a label up to `max` characters, cutting only between words.
    pub fn tail(&self, label: &str, max: usize) -> String {
        if label.chars().count() <= max {
            return label.to_string();
        }
        let words = self.cut(label);
        let mut out: Vec<&str> = Vec::new();
        let mut n = 0;
        for w in words.iter().rev() {
            let k = w.chars().count();
            if n + k > max && !out.is_empty() {
                break;
            }
            out.push(w);
            n += k;
        }
        out.reverse();
        out.concat()
    }
}

/// The shared segmenter, fetched on first need: most labels are short enough to need no
/// cutting, and building jieba's dictionary is most of a single-file run's start-up (~0.1 s).
pub struct LazySegmenter<'a> {
    dict: &'a str,
    cell: std::cell::OnceCell<Arc<Segmenter>>,
}

impl<'a> LazySegmenter<'a> {
    pub fn new(dict: &'a str) -> Self {
        LazySegmenter {
            dict,
            cell: std::cell::OnceCell::new(),
        }
    }

    pub fn get(&self) -> &Segmenter {
        self.cell.get_or_init(|| Segmenter::shared(self.dict))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::patterns::BUILTIN_DICT;

    #[test]
    fn domain_words_stay_whole() {
        let s = Segmenter::shared(BUILTIN_DICT);
        let w = s.cut("部门财政供养人员控制率");
        assert!(w.contains(&"财政供养人员控制率"), "{w:?}");
        assert_eq!(
            s.tail("对照考核指标开展了评价三公经费控制率", 8),
            "三公经费控制率"
        );
    }
}
