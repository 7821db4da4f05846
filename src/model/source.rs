//! Source files and locations. Every input (a `.tf` file, a plan, a snapshot) is a
//! `SourceFile`; locations are byte ranges into it, turned into line/column on demand.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub usize);

#[derive(Debug)]
pub struct SourceFile {
    /// The path as given or found (used to read the file).
    pub path: PathBuf,
    /// The name shown to users (`stdin` for standard input).
    pub display: String,
    pub text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: Arc<str>) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        SourceFile {
            path,
            display,
            text,
            line_starts,
        }
    }

    /// 1-based line and 1-based column in UTF-16 code units (SARIF's `utf16CodeUnits`).
    pub fn line_col_utf16(&self, offset: usize) -> (usize, usize) {
        let (line, start) = self.line_of(offset);
        let end = offset.min(self.text.len());
        let col = self
            .text
            .get(start..end)
            .map(|s| s.encode_utf16().count())
            .unwrap_or(end - start);
        (line + 1, col + 1)
    }

    /// 1-based line and 1-based column in characters.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let (line, start) = self.line_of(offset);
        let end = offset.min(self.text.len());
        let col = self
            .text
            .get(start..end)
            .map(|s| s.chars().count())
            .unwrap_or(end - start);
        (line + 1, col + 1)
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
