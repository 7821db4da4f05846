//! Source files and locations. Every input (a `.tf` file, a plan, a snapshot) is a
//! `SourceFile`; locations are byte ranges into it, turned into line/column on demand.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub usize);

/// Cheap to clone: the text and its indexes are shared.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as given or found (used to read the file).
    pub path: PathBuf,
    /// The name shown to users (`stdin` for standard input).
    pub display: String,
    pub text: Arc<String>,
    line_starts: Arc<[usize]>,
    /// Every non-ASCII character: (byte offset just past it, extra bytes over one char and
    /// over its UTF-16 length, summed up to and including it). Columns are byte distances
    /// less these, so a finding on a 100 MB one-line plan does not recount the line.
    wide: Arc<[(usize, usize, usize)]>,
}

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: Arc<String>) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut wide = Vec::new();
        if !text.is_ascii() {
            let (mut extra_chars, mut extra_utf16) = (0, 0);
            for (i, c) in text.char_indices().filter(|(_, c)| !c.is_ascii()) {
                let n = c.len_utf8();
                extra_chars += n - 1;
                extra_utf16 += n - c.len_utf16();
                wide.push((i + n, extra_chars, extra_utf16));
            }
        }
        SourceFile {
            path,
            display,
            text,
            line_starts: line_starts.into(),
            wide: wide.into(),
        }
    }

    /// The summed extra bytes (over chars, over UTF-16 units) of the characters that end at or
    /// before `offset`.
    fn extra_before(&self, offset: usize) -> (usize, usize) {
        let i = self.wide.partition_point(|w| w.0 <= offset);
        if i == 0 {
            (0, 0)
        } else {
            (self.wide[i - 1].1, self.wide[i - 1].2)
        }
    }

    /// Column (0-based) of `end` on the line that starts at `start`, in chars or UTF-16 units.
    fn column(&self, start: usize, end: usize, utf16: bool) -> usize {
        if !self.text.is_char_boundary(end) {
            return end - start;
        }
        let (a, b) = (self.extra_before(start), self.extra_before(end));
        let extra = if utf16 { b.1 - a.1 } else { b.0 - a.0 };
        end - start - extra
    }

    /// 1-based line and 1-based column in UTF-16 code units (SARIF's `utf16CodeUnits`).
    pub fn line_col_utf16(&self, offset: usize) -> (usize, usize) {
        let (line, start) = self.line_of(offset);
        let end = offset.min(self.text.len()).max(start);
        (line + 1, self.column(start, end, true) + 1)
    }

    /// 1-based line and 1-based column in characters.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let (line, start) = self.line_of(offset);
        let end = offset.min(self.text.len()).max(start);
        (line + 1, self.column(start, end, false) + 1)
    }

    /// 0-based line index and its start offset.
    pub fn line_of(&self, offset: usize) -> (usize, usize) {
        let idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        (idx, self.line_starts[idx])
    }

    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }

    pub fn line_starts_shared(&self) -> Arc<[usize]> {
        self.line_starts.clone()
    }

    /// Offset of the start of a 1-based line and char column.
    pub fn offset_of(&self, line: usize, col: usize) -> usize {
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        let rest = &self.text[start..];
        rest.char_indices()
            .nth(col.saturating_sub(1))
            .map(|(i, _)| start + i)
            .unwrap_or(start)
    }
}

/// A place in a source file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    pub file: FileId,
    pub span: Range<usize>,
}

#[derive(Default, Debug)]
pub struct SourceMap {
    pub files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, f: SourceFile) -> FileId {
        self.files.push(f);
        FileId(self.files.len() - 1)
    }
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }
}

pub fn span_of(r: Option<Range<usize>>) -> Range<usize> {
    r.unwrap_or(0..0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_chars_and_utf16_units() {
        // "é" is 2 bytes, 1 char, 1 UTF-16 unit; "😀" is 4 bytes, 1 char, 2 UTF-16 units.
        let text = "ab\né😀x = 1\n😀\né";
        let f = SourceFile::new("t".into(), "t".into(), Arc::new(text.to_string()));
        let x = text.find('x').unwrap();
        assert_eq!(f.line_col(x), (2, 3));
        assert_eq!(f.line_col_utf16(x), (2, 4));
        assert_eq!(f.line_col(1), (1, 2));
        let last = text.rfind('é').unwrap();
        assert_eq!(f.line_col(last), (4, 1));
        assert_eq!(f.line_col(text.len()), (4, 2));
        assert_eq!(f.line_col_utf16(text.len()), (4, 2));
        let third = text.find("😀\n").unwrap() + "😀".len();
        assert_eq!(f.line_col(third), (3, 2));
        assert_eq!(f.line_col_utf16(third), (3, 3));
        for (i, _) in text.char_indices() {
            let (l, c) = f.line_col(i);
            let line_start = f.line_starts()[l - 1];
            assert_eq!(c, text[line_start..i].chars().count() + 1, "offset {i}");
            let (_, c16) = f.line_col_utf16(i);
            assert_eq!(c16, text[line_start..i].encode_utf16().count() + 1, "offset {i}");
        }
    }
}
