//! Human diagnostics: miette's graphical report at the attribute, with rule id and name,
//! message, help, and the related location when it is in the same file.
//!
//! miette's built-in `SourceCode` for strings rescans the file from the start for every
//! label; [`IndexedSource`] answers from a line index built once per file, so thousands of
//! findings print fast.

use super::ReportOptions;
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
    text: Arc<str>,
    starts: Arc<[usize]>,
}

impl IndexedSource {
    pub fn new(name: &str, text: Arc<str>, starts: &[usize]) -> Self {
        IndexedSource {
            name: Arc::from(name),
            text,
            starts: Arc::from(starts),
        }
    }
    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }
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
            .or_insert_with(|| {
                let f = model.sources.get(id);
                IndexedSource::new(&f.display, f.text.clone(), f.line_starts())
            })
            .clone()
    };
    let mut buf = String::new();
    for f in findings {
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(label_for(f)),
            f.loc.span.clone(),
        )];
        let mut help = f.help.clone();
        for (loc, what) in &f.related {
            if loc.file == f.loc.file && loc.span != f.loc.span {
                labels.push(LabeledSpan::new_with_span(Some(what.clone()), loc.span.clone()));
            } else if loc.file != f.loc.file {
                let rf = model.sources.get(loc.file);
                let (l, c) = rf.line_col(loc.span.start);
                help.push_str(&format!("\n{what}: {}:{l}:{c}", rf.display));
            }
        }
        let diag = MietteDiagnostic::new(f.message.clone())
            .with_code(format!("{}({})", f.rule.id, f.rule.name))
            .with_severity(miette_severity(f.severity))
            .with_help(help)
            .with_url(f.rule.help_uri())
            .with_labels(labels);
        let report = miette::Report::new(diag).with_source_code(src(f.loc.file));
        buf.clear();
        if handler.render_report(&mut buf, report.as_ref()).is_err() {
            buf = format!("{}: {}\n", f.rule.id, f.message);
        }
        out.write_all(buf.as_bytes())?;
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
            "sagelint: {} error(s), {} warning(s), {} note(s) in {} file(s); {} input error(s)",
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Note),
            files,
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
