//! A small JSON parser that keeps byte spans. serde_json has no spans, and a live finding must
//! point at the line of the resource's JSON object, so the live adapter parses with this.

use std::ops::Range;

/// A JSON value with the byte range it covers in the source text.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Range<usize>,
    pub kind: Kind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    /// The number as written (converted on demand).
    Number(String),
    String(String),
    Array(Vec<Node>),
    /// Members in document order: (key, span of the whole member `"key": value`, value).
    Object(Vec<Member>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub key: String,
    /// From the opening quote of the key to the end of the value.
    pub span: Range<usize>,
    pub value: Node,
}

/// A syntax error at a byte offset.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

impl Node {
    /// Member value by key (exact, else ASCII case-insensitive).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value)
    }
    pub fn member(&self, key: &str) -> Option<&Member> {
        match &self.kind {
            Kind::Object(ms) => ms
                .iter()
                .find(|m| m.key == key)
                .or_else(|| ms.iter().find(|m| m.key.eq_ignore_ascii_case(key))),
            _ => None,
        }
    }
    /// Value at a dotted path of object keys.
    pub fn at(&self, path: &str) -> Option<&Node> {
        path.split('.').try_fold(self, |n, k| n.get(k))
    }
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }
    /// A non-empty string at `key`.
    pub fn str_at(&self, key: &str) -> Option<&str> {
        self.at(key).and_then(Node::as_str).filter(|s| !s.is_empty())
    }
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            Kind::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match &self.kind {
            Kind::Number(n) => n.parse().ok(),
            _ => None,
        }
    }
    pub fn as_array(&self) -> &[Node] {
        match &self.kind {
            Kind::Array(a) => a,
            _ => &[],
        }
    }
    pub fn members(&self) -> &[Member] {
        match &self.kind {
            Kind::Object(m) => m,
            _ => &[],
        }
    }
    pub fn is_object(&self) -> bool {
        matches!(self.kind, Kind::Object(_))
    }
    pub fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }
    /// The plain JSON value (for policy documents and parameters).
    pub fn to_json(&self) -> serde_json::Value {
        match &self.kind {
            Kind::Null => serde_json::Value::Null,
            Kind::Bool(b) => serde_json::Value::Bool(*b),
            Kind::Number(n) => serde_json::from_str(n).unwrap_or(serde_json::Value::Null),
            Kind::String(s) => serde_json::Value::String(s.clone()),
            Kind::Array(a) => serde_json::Value::Array(a.iter().map(Node::to_json).collect()),
            Kind::Object(ms) => {
                serde_json::Value::Object(ms.iter().map(|m| (m.key.clone(), m.value.to_json())).collect())
            }
        }
    }
}

/// Parse a whole document.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut p = Parser {
        b: text.as_bytes(),
        s: text,
        i: 0,
        depth: 0,
    };
    p.ws();
    let n = p.value()?;
    p.ws();
    if p.i != p.b.len() {
        return Err(p.err("trailing characters after the JSON value"));
    }
    Ok(n)
}

struct Parser<'a> {
    b: &'a [u8],
    s: &'a str,
    i: usize,
    depth: usize,
}

const MAX_DEPTH: usize = 256;

impl Parser<'_> {
    fn err(&self, m: &str) -> SyntaxError {
        SyntaxError {
            offset: self.i.min(self.b.len()),
            message: m.to_string(),
        }
    }
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn lit(&mut self, word: &str, kind: Kind) -> Result<Node, SyntaxError> {
        let start = self.i;
        if self.s[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(Node {
                span: start..self.i,
                kind,
            })
        } else {
            Err(self.err("unexpected character"))
        }
    }
    fn value(&mut self) -> Result<Node, SyntaxError> {
        match self.peek() {
            None => Err(self.err("unexpected end of input")),
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => {
                let start = self.i;
                let s = self.string()?;
                Ok(Node {
                    span: start..self.i,
                    kind: Kind::String(s),
                })
            }
            Some(b't') => self.lit("true", Kind::Bool(true)),
            Some(b'f') => self.lit("false", Kind::Bool(false)),
            Some(b'n') => self.lit("null", Kind::Null),
            Some(c) if c == b'-' || c.is_ascii_digit() => self.number(),
            Some(_) => Err(self.err("unexpected character")),
        }
    }
    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err("JSON nested too deeply"));
        }
        Ok(())
    }
    fn object(&mut self) -> Result<Node, SyntaxError> {
        self.enter()?;
        let start = self.i;
        self.i += 1;
        let mut members = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
        } else {
            loop {
                self.ws();
                if self.peek() != Some(b'"') {
                    return Err(self.err("expected a string key"));
                }
                let kstart = self.i;
                let key = self.string()?;
                self.ws();
                if self.peek() != Some(b':') {
                    return Err(self.err("expected ':'"));
                }
                self.i += 1;
                self.ws();
                let value = self.value()?;
                members.push(Member {
                    key,
                    span: kstart..value.span.end,
                    value,
                });
                self.ws();
                match self.peek() {
                    Some(b',') => self.i += 1,
                    Some(b'}') => {
                        self.i += 1;
                        break;
                    }
                    _ => return Err(self.err("expected ',' or '}'")),
                }
            }
        }
        self.depth -= 1;
        Ok(Node {
            span: start..self.i,
            kind: Kind::Object(members),
        })
    }
    fn array(&mut self) -> Result<Node, SyntaxError> {
        self.enter()?;
        let start = self.i;
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
        } else {
            loop {
                self.ws();
                items.push(self.value()?);
                self.ws();
                match self.peek() {
                    Some(b',') => self.i += 1,
                    Some(b']') => {
                        self.i += 1;
                        break;
                    }
                    _ => return Err(self.err("expected ',' or ']'")),
                }
            }
        }
        self.depth -= 1;
        Ok(Node {
            span: start..self.i,
            kind: Kind::Array(items),
        })
    }
    fn number(&mut self) -> Result<Node, SyntaxError> {
        let start = self.i;
        while self.i < self.b.len() && matches!(self.b[self.i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
            self.i += 1;
        }
        let t = &self.s[start..self.i];
        if t.parse::<f64>().is_err() {
            self.i = start;
            return Err(self.err("invalid number"));
        }
        Ok(Node {
            span: start..self.i,
            kind: Kind::Number(t.to_string()),
        })
    }
    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let h = self
            .s
            .get(self.i..self.i + 4)
            .ok_or_else(|| self.err("bad \\u escape"))?;
        let v = u32::from_str_radix(h, 16).map_err(|_| self.err("bad \\u escape"))?;
        self.i += 4;
        Ok(v)
    }
    fn string(&mut self) -> Result<String, SyntaxError> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let run = self.i;
            while self.i < self.b.len() && self.b[self.i] != b'"' && self.b[self.i] != b'\\' {
                if self.b[self.i] < 0x20 {
                    return Err(self.err("control character in string"));
                }
                self.i += 1;
            }
            out.push_str(&self.s[run..self.i]);
            match self.peek() {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                _ => {
                    self.i += 1;
                    let c = self.peek().ok_or_else(|| self.err("unterminated string"))?;
                    self.i += 1;
                    match c {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let cp = if (0xD800..0xDC00).contains(&hi) && self.s[self.i..].starts_with("\\u") {
                                self.i += 2;
                                let lo = self.hex4()?;
                                0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF)
                            } else {
                                hi
                            };
                            out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                        }
                        _ => return Err(self.err("invalid escape")),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_values() {
        let t = r#" {"a": [1, true, null], "b": {"c": "x\u00e9\"y"}} "#;
        let n = parse(t).unwrap();
        assert_eq!(
            &t[n.span.clone()],
            r#"{"a": [1, true, null], "b": {"c": "x\u00e9\"y"}}"#
        );
        let b = n.get("b").unwrap();
        assert_eq!(&t[b.span.clone()], r#"{"c": "x\u00e9\"y"}"#);
        assert_eq!(b.get("c").unwrap().as_str(), Some("xé\"y"));
        let m = n.member("a").unwrap();
        assert_eq!(&t[m.span.clone()], r#""a": [1, true, null]"#);
        assert_eq!(
            n.to_json(),
            serde_json::json!({"a": [1, true, null], "b": {"c": "xé\"y"}})
        );
    }

    #[test]
    fn errors_have_offsets() {
        assert_eq!(parse("{\"a\": }").unwrap_err().offset, 6);
        assert!(parse("[1,").is_err());
        assert!(parse("\"abc").is_err());
        assert!(parse(&"[".repeat(1000)).is_err());
    }
}
