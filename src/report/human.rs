//! Human diagnostics: miette's graphical report at the attribute, with rule id and name,
//! message, help, and the related location when it is in the same file.
//!
//! miette's built-in `SourceCode` for strings rescans the file from the start for every
//! label; [`IndexedSource`] answers from a line index built once per file, so thousands of
//! findings print fast.

use super::ReportOptions;
use crate::model::source::SourceFile;
use crate::model::{FileId, Finding, Model, Severity};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError, MietteSpanContents, SourceCode,
    SourceSpan, SpanContents,
};
use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

/// A file's text with its line starts, shared cheaply between diagnostics.
#[derive(Clone, Debug)]
pub struct IndexedSource {
    name: Arc<str>,
    text: Arc<String>,
    starts: Arc<[usize]>,
    /// For columns on long lines (indexed, not counted).
    file: SourceFile,
}

impl IndexedSource {
    pub fn new(file: &SourceFile) -> Self {
        IndexedSource {
            name: Arc::from(file.display.as_str()),
            text: file.text.clone(),
            starts: file.line_starts_shared(),
            file: file.clone(),
        }
    }
    /// Whether the line holding `offset` is too long to print whole.
    fn long_line_at(&self, offset: usize) -> bool {
        let l = self.line_of(offset.min(self.text.len()));
        let end = self.starts.get(l + 1).map(|e| e - 1).unwrap_or(self.text.len());
        end - self.starts[l] > LONG_LINE
    }

    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }
}

/// Lines longer than this (bytes) are shown as a window of `WINDOW` bytes either side of the span.
const LONG_LINE: usize = 400;
const WINDOW: usize = 60;

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Two spans too far apart to share one window of a long line.
fn far(a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> bool {
    a.start.abs_diff(b.start) > WINDOW
}

/// A label's span, cut to the end of its first line and to `WINDOW` bytes on a long line (a
/// resource object in a minified plan spans kilobytes).
fn clip(src: &IndexedSource, span: &std::ops::Range<usize>) -> std::ops::Range<usize> {
    let start = span.start.min(src.text.len());
    let l = src.line_of(start);
    let line_end = src.starts.get(l + 1).map(|e| e - 1).unwrap_or(src.text.len());
    let mut end = span.end.min(line_end).max(start);
    if line_end - src.starts[l] > LONG_LINE {
        end = ceil_boundary(&src.text, end.min(start + WINDOW));
    }
    start..end
}

impl SourceCode for IndexedSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let len = self.text.len();
        let start = span.offset();
        let end = start + span.len();
        if start > len || end > len {
            return Err(MietteError::OutOfBounds);
        }
        let sl = self.line_of(start);
        let el = self.line_of(end.saturating_sub(1).max(start));
        let line_end = |l: usize| self.starts.get(l + 1).map(|e| e - 1).unwrap_or(len);
        // A long line (minified plan JSON: the whole document is one line) is shown as a
        // window around the span, without context lines: miette cannot print a 100 MB line.
        if line_end(sl) - self.starts[sl] > LONG_LINE {
            // miette names the location from the contents of the span alone (no context).
            let back = if before == 0 { 0 } else { WINDOW };
            let win_start = floor_boundary(&self.text, start.saturating_sub(back).max(self.starts[sl]));
            let win_end = ceil_boundary(&self.text, (end.max(start) + WINDOW).min(line_end(sl)));
            let col = self.file.line_col(win_start).1 - 1;
            return Ok(Box::new(MietteSpanContents::new_named(
                self.name.to_string(),
                self.text[win_start..win_end].as_bytes(),
                (win_start, win_end - win_start).into(),
                sl,
                col,
                1,
            )));
        }
        let first = sl.saturating_sub(before);
        let last = (el + after).min(self.starts.len() - 1);
        let win_end = self.starts.get(last + 1).copied().unwrap_or(len);
        let (win_start, line, col) = if before == 0 {
            let col = self.text[self.starts[sl]..start].chars().count();
            (start, sl, col)
        } else {
            (self.starts[first], first, 0)
        };
        let win_end = win_end.max(win_start);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            self.text[win_start..win_end].as_bytes(),
            (win_start, win_end - win_start).into(),
            line,
            col,
            last - line + 1,
        )))
    }
}

fn miette_severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Note => miette::Severity::Advice,
    }
}

pub fn write(model: &Model, findings: &[Finding], opts: &ReportOptions, out: &mut Vec<u8>) -> std::io::Result<()> {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_context_lines(1)
        .with_width(110);
    let mut sources: HashMap<FileId, IndexedSource> = HashMap::new();
    let mut src = |id: FileId| {
        sources
            .entry(id)
            .or_insert_with(|| IndexedSource::new(model.sources.get(id)))
            .clone()
    };
    let mut buf = String::new();
    for f in findings {
        let source = src(f.loc.file);
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(label_for(f)),
            clip(&source, &f.loc.span),
        )];
        let help = f.help.clone();
        // Related places in other files: one unwrapped line each, after the report (inside the
        // help text they were wrapped in the middle of the path).
        let mut elsewhere = String::new();
        for (loc, what) in &f.related {
            let near =
                loc.file == f.loc.file && !(source.long_line_at(f.loc.span.start) && far(&loc.span, &f.loc.span));
            if near && loc.span != f.loc.span {
                labels.push(LabeledSpan::new_with_span(Some(what.clone()), clip(&source, &loc.span)));
            } else if !near {
                let rf = model.sources.get(loc.file);
                let (l, c) = rf.line_col(loc.span.start);
                elsewhere.push_str(&format!("  = {what}\n    at {}:{l}:{c}\n", rf.display));
            }
        }
        let diag = MietteDiagnostic::new(f.message.clone())
            .with_code(format!("{}({})", f.rule.id, f.rule.name))
            .with_severity(miette_severity(f.severity))
            .with_help(help)
            .with_url(f.rule.help_uri())
            .with_labels(labels);
        let report = miette::Report::new(diag).with_source_code(source);
        buf.clear();
        if handler.render_report(&mut buf, report.as_ref()).is_err() {
            buf = format!("{}: {}\n", f.rule.id, f.message);
        }
        out.write_all(buf.as_bytes())?;
        out.write_all(elsewhere.as_bytes())?;
    }
    for e in &model.errors {
        writeln!(out, "  × sagelint: input error: {e}")?;
    }
    for n in &model.notices {
        writeln!(out, "  ℹ {n}")?;
    }
    let count = |s| findings.iter().filter(|f| f.severity == s).count();
    let files = {
        let mut v: Vec<_> = findings.iter().map(|f| f.loc.file).collect();
        v.sort();
        v.dedup();
        v.len()
    };
    if findings.is_empty() && model.errors.is_empty() {
        writeln!(
            out,
            "sagelint: no findings ({} resources checked)",
            model.resources.len()
        )?;
    } else {
        writeln!(
            out,
            "sagelint: {} error(s), {} warning(s), {} note(s) in {} file(s) ({} resources checked); {} input error(s)",
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Note),
            files,
            model.resources.len(),
            model.errors.len()
        )?;
    }
    Ok(())
}

fn label_for(f: &Finding) -> String {
    if f.attr.is_empty() {
        f.address.clone()
    } else {
        format!("{}.{}", f.address, f.attr)
    }
}
