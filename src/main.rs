fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (model, findings) = sagelint::lint(&args, &Default::default());
    for e in &model.errors {
        eprintln!("{e}");
    }
    for f in &findings {
        let file = model.sources.get(f.loc.file);
        let (l, c) = file.line_col(f.loc.span.start);
        println!("{}:{}:{}: {}[{}] {}", file.display, l, c, f.severity.as_str(), f.rule.id, f.message);
    }
}
