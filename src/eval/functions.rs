//! Terraform's built-in functions, over partly known values. A function that cannot compute
//! its result returns an unknown that keeps the references of its arguments; a call that
//! Terraform would reject returns `Err(())` (so `try` and `can` can see it).

use super::strings::{concat, unknown_from};
use crate::model::map::Map;
use crate::model::{Part, Unknown, Value};
use std::collections::BTreeMap;
use std::path::Path;

pub type FnResult = Result<Value, ()>;

/// What file functions may read.
pub struct FileCtx<'a> {
    pub module_dir: &'a Path,
    pub allowed_roots: &'a [std::path::PathBuf],
}

impl FileCtx<'_> {
    pub fn read(&self, p: &str) -> Option<String> {
        let path = if Path::new(p).is_absolute() {
            Path::new(p).to_path_buf()
        } else {
            self.module_dir.join(p)
        };
        let canon = path.canonicalize().ok()?;
        if !self.allowed_roots.iter().any(|r| canon.starts_with(r)) {
            return None;
        }
        let meta = std::fs::metadata(&canon).ok()?;
        if meta.len() > 16 << 20 {
            return None;
        }
        std::fs::read_to_string(&canon).ok()
    }
}

fn any_unknown(args: &[Value]) -> bool {
    args.iter().any(Value::contains_unknown)
}

fn s(v: &Value) -> Result<String, ()> {
    v.to_display_string().ok_or(())
}

fn list_of(v: &Value) -> Result<Vec<Value>, ()> {
    match v {
        Value::List(l) => Ok(l.clone()),
        Value::Object(m) => Ok(m.values().cloned().collect()),
        _ => Err(()),
    }
}

fn num(v: &Value) -> Result<f64, ()> {
    match v {
        Value::Number(n) => Ok(*n),
        Value::String(s) => s.trim().parse().map_err(|_| ()),
        _ => Err(()),
    }
}

/// Sort and deduplicate like a cty set of primitives.
/// Every two elements are [`Value::definitely_distinct`] (at most 1,000 elements are compared).
pub fn all_distinct(l: &[Value]) -> bool {
    l.len() <= 1000 && (0..l.len()).all(|i| (i + 1..l.len()).all(|j| l[i].definitely_distinct(&l[j])))
}

fn to_set(items: Vec<Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    if out.iter().all(|v| matches!(v, Value::String(_))) {
        out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    } else if out.iter().all(|v| matches!(v, Value::Number(_))) {
        out.sort_by(|a, b| match (a, b) {
            (Value::Number(x), Value::Number(y)) => x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal),
            _ => std::cmp::Ordering::Equal,
        });
    }
    out
}

#[allow(clippy::result_unit_err)]
pub fn call(name: &str, args: Vec<Value>, files: &FileCtx) -> FnResult {
    let a = &args;
    let arg = |i: usize| a.get(i).cloned().unwrap_or(Value::Null);
    // Functions that handle unknown arguments themselves.
    match name {
        "jsonencode" => {
            let v = arg(0);
            return Ok(match v.to_json() {
                Some(j) => Value::str(j.to_string()),
                None => Value::Unknown(Box::new(Unknown {
                    refs: super::strings::collect_refs([&v]),
                    parts: None,
                    json: Some(v),
                })),
            });
        }
        "jsondecode" => {
            return match arg(0) {
                Value::String(t) => serde_json::from_str::<serde_json::Value>(&t)
                    .map(|j| Value::from_json(&j))
                    .map_err(|_| ()),
                Value::Unknown(u) => Ok(u
                    .json
                    .clone()
                    .unwrap_or_else(|| Value::unknown_with_refs(u.refs.clone()))),
                _ => Err(()),
            };
        }
        "format" => return format_fn(a),
        "formatlist" => {
            if any_unknown(a) {
                return Ok(unknown_from(a));
            }
            let n = a
                .iter()
                .skip(1)
                .filter_map(|v| v.as_list().map(|l| l.len()))
                .max()
                .unwrap_or(1);
            let mut out = Vec::new();
            for i in 0..n {
                let row: Vec<Value> = a
                    .iter()
                    .map(|v| match v {
                        Value::List(l) => l.get(i).cloned().unwrap_or(Value::Null),
                        o => o.clone(),
                    })
                    .collect();
                out.push(format_fn(&row)?);
            }
            return Ok(Value::List(out));
        }
        "join" => {
            let sep = arg(0);
            let mut pieces = Vec::new();
            let mut first = true;
            for l in a.iter().skip(1) {
                match l {
                    Value::List(items) => {
                        for it in items {
                            if !first {
                                pieces.push(sep.clone());
                            }
                            first = false;
                            pieces.push(it.clone());
                        }
                    }
                    _ => return Ok(unknown_from(a)),
                }
            }
            return Ok(concat(&pieces));
        }
        "concat" => {
            let mut out = Vec::new();
            for l in a {
                match l {
                    Value::List(items) => out.extend(items.iter().cloned()),
                    Value::Null => return Err(()),
                    _ => return Ok(unknown_from(a)),
                }
            }
            return Ok(Value::List(out));
        }
        "merge" => {
            let mut out = Map::new();
            for m in a {
                match m {
                    Value::Object(o) => out.extend(o.iter().map(|(k, v)| (k, v.clone()))),
                    Value::Null => {}
                    _ => return Ok(unknown_from(a)),
                }
            }
            return Ok(Value::Object(out));
        }
        "length" => {
            return match arg(0) {
                Value::List(l) => Ok(Value::Number(l.len() as f64)),
                Value::Object(m) => Ok(Value::Number(m.len() as f64)),
                Value::String(t) => Ok(Value::Number(t.chars().count() as f64)),
                Value::Unknown(_) => Ok(unknown_from(a)),
                _ => Err(()),
            }
        }
        "tolist" => {
            return match arg(0) {
                Value::List(l) => Ok(Value::List(l)),
                Value::Unknown(_) => Ok(arg(0)),
                _ => Err(()),
            }
        }
        "toset" => {
            return match arg(0) {
                Value::List(l) if !l.iter().any(Value::contains_unknown) => Ok(Value::List(to_set(l))),
                // Partly known elements that can never be equal: still a set of that many.
                Value::List(l) if all_distinct(&l) => Ok(Value::List(l)),
                Value::List(_) | Value::Unknown(_) => Ok(unknown_from(a)),
                _ => Err(()),
            };
        }
        "tomap" => {
            return match arg(0) {
                Value::Object(m) => Ok(Value::Object(m)),
                Value::Unknown(_) => Ok(arg(0)),
                _ => Err(()),
            }
        }
        "tostring" => {
            return match arg(0) {
                Value::Unknown(_) => Ok(arg(0)),
                Value::Null => Ok(Value::Null),
                v => v.to_display_string().map(Value::str).ok_or(()),
            }
        }
        "lookup" => {
            return match arg(0) {
                Value::Object(m) => match arg(1) {
                    Value::String(k) => match m.get(&k) {
                        Some(v) => Ok(v.clone()),
                        None if a.len() > 2 => Ok(arg(2)),
                        None => Err(()),
                    },
                    _ => Ok(unknown_from(a)),
                },
                Value::Resource(_) => Ok(arg(0).get_attr(arg(1).as_str().unwrap_or("")).unwrap_or(Value::Null)),
                Value::Unknown(_) => Ok(unknown_from(a)),
                _ => Err(()),
            }
        }
        "element" => {
            return match (arg(0), arg(1)) {
                (Value::List(l), i) if !i.is_unknown() => {
                    if l.is_empty() {
                        return Err(());
                    }
                    let i = num(&i)? as i64;
                    Ok(l[(i.rem_euclid(l.len() as i64)) as usize].clone())
                }
                _ => Ok(unknown_from(a)),
            }
        }
        "coalesce" => {
            for v in a {
                match v {
                    Value::Null => continue,
                    Value::String(t) if t.is_empty() => continue,
                    Value::Unknown(_) => return Ok(unknown_from(a)),
                    v => return Ok(v.clone()),
                }
            }
            return Err(());
        }
        "coalescelist" => {
            for v in a {
                match v {
                    Value::List(l) if l.is_empty() => continue,
                    Value::Unknown(_) => return Ok(unknown_from(a)),
                    v => return Ok(v.clone()),
                }
            }
            return Err(());
        }
        "compact" => {
            return match arg(0) {
                Value::List(l) => {
                    if l.iter().any(Value::is_unknown) {
                        return Ok(unknown_from(a));
                    }
                    Ok(Value::List(
                        l.into_iter()
                            .filter(|v| !v.is_null() && v.as_str() != Some(""))
                            .collect(),
                    ))
                }
                _ => Ok(unknown_from(a)),
            }
        }
        "flatten" => {
            fn flat(v: &Value, out: &mut Vec<Value>) -> bool {
                match v {
                    Value::List(l) => l.iter().all(|i| flat(i, out)),
                    Value::Unknown(_) => false,
                    o => {
                        out.push(o.clone());
                        true
                    }
                }
            }
            let mut out = Vec::new();
            return match arg(0) {
                Value::List(l) => {
                    if l.iter().all(|i| flat(i, &mut out)) {
                        Ok(Value::List(out))
                    } else {
                        Ok(unknown_from(a))
                    }
                }
                _ => Ok(unknown_from(a)),
            };
        }
        "keys" => {
            return match arg(0) {
                Value::Object(m) => Ok(Value::List(m.keys().map(|k| Value::str(k.to_string())).collect())),
                Value::Unknown(_) => Ok(unknown_from(a)),
                _ => Err(()),
            }
        }
        "values" => {
            return match arg(0) {
                Value::Object(m) => Ok(Value::List(m.values().cloned().collect())),
                Value::Unknown(_) => Ok(unknown_from(a)),
                _ => Err(()),
            }
        }
        "try" | "can" => unreachable!("handled by the evaluator"),
        "file" => {
            return match arg(0) {
                Value::String(p) => Ok(files.read(&p).map(Value::str).unwrap_or_else(Value::unknown)),
                _ => Ok(unknown_from(a)),
            }
        }
        "fileexists" => {
            return match arg(0) {
                Value::String(p) => Ok(Value::Bool(files.read(&p).is_some())),
                _ => Ok(unknown_from(a)),
            }
        }
        "one" => {
            return match arg(0) {
                Value::List(l) if l.is_empty() => Ok(Value::Null),
                Value::List(l) if l.len() == 1 => Ok(l[0].clone()),
                Value::List(_) => Err(()),
                _ => Ok(unknown_from(a)),
            }
        }
        "zipmap" => {
            return match (arg(0), arg(1)) {
                (Value::List(k), Value::List(v)) if !k.iter().any(Value::contains_unknown) => Ok(Value::Object(
                    k.iter()
                        .zip(v.iter())
                        .filter_map(|(k, v)| Some((k.to_display_string()?, v.clone())))
                        .collect(),
                )),
                _ => Ok(unknown_from(a)),
            }
        }
        "contains" => {
            return match arg(0) {
                Value::List(l) => {
                    let x = arg(1);
                    if l.contains(&x) && !x.contains_unknown() {
                        Ok(Value::Bool(true))
                    } else if l.iter().any(Value::contains_unknown) || x.contains_unknown() {
                        Ok(unknown_from(a))
                    } else {
                        Ok(Value::Bool(false))
                    }
                }
                _ => Ok(unknown_from(a)),
            }
        }
        "distinct" => {
            return match arg(0) {
                Value::List(l) if !l.iter().any(Value::contains_unknown) => {
                    let mut out: Vec<Value> = Vec::new();
                    for i in l {
                        if !out.contains(&i) {
                            out.push(i);
                        }
                    }
                    Ok(Value::List(out))
                }
                _ => Ok(unknown_from(a)),
            }
        }
        "setunion" => {
            let mut all = Vec::new();
            for l in a {
                match l {
                    Value::List(items) if !items.iter().any(Value::contains_unknown) => {
                        all.extend(items.iter().cloned())
                    }
                    _ => return Ok(unknown_from(a)),
                }
            }
            return Ok(Value::List(to_set(all)));
        }
        _ => {}
    }
    if any_unknown(a) {
        return Ok(unknown_from(a));
    }
    // Functions over fully known arguments.
    Ok(match name {
        "lower" => Value::str(s(&arg(0))?.to_lowercase()),
        "upper" => Value::str(s(&arg(0))?.to_uppercase()),
        "title" => Value::str(
            s(&arg(0))?
                .split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    match c.next() {
                        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                        None => String::new(),
                    }
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "trimspace" => Value::str(s(&arg(0))?.trim().to_string()),
        "chomp" => Value::str(s(&arg(0))?.trim_end_matches(['\n', '\r']).to_string()),
        "trimprefix" => {
            let t = s(&arg(0))?;
            let p = s(&arg(1))?;
            Value::str(t.strip_prefix(p.as_str()).unwrap_or(&t).to_string())
        }
        "trimsuffix" => {
            let t = s(&arg(0))?;
            let p = s(&arg(1))?;
            Value::str(t.strip_suffix(p.as_str()).unwrap_or(&t).to_string())
        }
        "trim" => {
            let t = s(&arg(0))?;
            let cs: Vec<char> = s(&arg(1))?.chars().collect();
            Value::str(t.trim_matches(|c| cs.contains(&c)).to_string())
        }
        "startswith" => Value::Bool(s(&arg(0))?.starts_with(&s(&arg(1))?)),
        "endswith" => Value::Bool(s(&arg(0))?.ends_with(&s(&arg(1))?)),
        "strcontains" => Value::Bool(s(&arg(0))?.contains(&s(&arg(1))?)),
        "split" => {
            let sep = s(&arg(0))?;
            let t = s(&arg(1))?;
            Value::List(t.split(sep.as_str()).map(|p| Value::str(p.to_string())).collect())
        }
        "replace" => {
            let t = s(&arg(0))?;
            let from = s(&arg(1))?;
            let to = s(&arg(2))?;
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                let re = regex::Regex::new(&from[1..from.len() - 1]).map_err(|_| ())?;
                Value::str(re.replace_all(&t, to.replace("$", "$$").as_str()).into_owned())
            } else {
                Value::str(t.replace(&from, &to))
            }
        }
        "regex" => {
            let re = regex::Regex::new(&s(&arg(0))?).map_err(|_| ())?;
            let t = s(&arg(1))?;
            let c = re.captures(&t).ok_or(())?;
            if c.len() == 1 {
                Value::str(c[0].to_string())
            } else {
                Value::List(
                    c.iter()
                        .skip(1)
                        .map(|m| m.map(|m| Value::str(m.as_str().to_string())).unwrap_or(Value::Null))
                        .collect(),
                )
            }
        }
        "substr" => {
            let t: Vec<char> = s(&arg(0))?.chars().collect();
            let off = num(&arg(1))? as i64;
            let len = num(&arg(2))? as i64;
            let start = if off < 0 {
                (t.len() as i64 + off).max(0)
            } else {
                off.min(t.len() as i64)
            } as usize;
            let end = if len < 0 {
                t.len()
            } else {
                (start + len as usize).min(t.len())
            };
            Value::String(t[start..end].iter().collect())
        }
        "reverse" => {
            let mut l = list_of(&arg(0))?;
            l.reverse();
            Value::List(l)
        }
        "sort" => {
            let mut l: Vec<String> = list_of(&arg(0))?.iter().map(s).collect::<Result<_, _>>()?;
            l.sort();
            Value::List(l.into_iter().map(Value::str).collect())
        }
        "slice" => {
            let l = list_of(&arg(0))?;
            let st = num(&arg(1))? as usize;
            let en = num(&arg(2))? as usize;
            if st > en || en > l.len() {
                return Err(());
            }
            Value::List(l[st..en].to_vec())
        }
        "range" => {
            let ns: Vec<f64> = a.iter().map(num).collect::<Result<_, _>>()?;
            let (start, end, step) = match ns.len() {
                1 => (0.0, ns[0], 1.0),
                2 => (ns[0], ns[1], 1.0),
                3 => (ns[0], ns[1], ns[2]),
                _ => return Err(()),
            };
            if step == 0.0 {
                return Err(());
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                out.push(Value::Number(x));
                x += step;
                if out.len() > 100_000 {
                    return Err(());
                }
            }
            Value::List(out)
        }
        "index" => {
            let l = list_of(&arg(0))?;
            Value::Number(l.iter().position(|v| *v == arg(1)).ok_or(())? as f64)
        }
        "min" | "max" => {
            let ns: Vec<f64> = a.iter().map(num).collect::<Result<_, _>>()?;
            let f = if name == "min" { f64::min } else { f64::max };
            Value::Number(ns.into_iter().reduce(f).ok_or(())?)
        }
        "abs" => Value::Number(num(&arg(0))?.abs()),
        "ceil" => Value::Number(num(&arg(0))?.ceil()),
        "floor" => Value::Number(num(&arg(0))?.floor()),
        "tonumber" => match arg(0) {
            Value::Null => Value::Null,
            v => Value::Number(num(&v)?),
        },
        "tobool" => match arg(0) {
            Value::Null => Value::Null,
            v => Value::Bool(v.as_bool().ok_or(())?),
        },
        "basename" => Value::str(s(&arg(0))?.rsplit('/').next().unwrap_or("").to_string()),
        "dirname" => {
            let t = s(&arg(0))?;
            Value::str(match t.rfind('/') {
                Some(i) => t[..i].to_string(),
                None => ".".into(),
            })
        }
        "abspath" | "pathexpand" => arg(0),
        "alltrue" => Value::Bool(list_of(&arg(0))?.iter().all(|v| v.as_bool() == Some(true))),
        "anytrue" => Value::Bool(list_of(&arg(0))?.iter().any(|v| v.as_bool() == Some(true))),
        "setintersection" => {
            let mut it = a.iter();
            let mut acc = list_of(it.next().ok_or(())?)?;
            for l in it {
                let l = list_of(l)?;
                acc.retain(|v| l.contains(v));
            }
            Value::List(to_set(acc))
        }
        "setsubtract" => {
            let mut acc = list_of(&arg(0))?;
            let l = list_of(&arg(1))?;
            acc.retain(|v| !l.contains(v));
            Value::List(to_set(acc))
        }
        "chunklist" => {
            let l = list_of(&arg(0))?;
            let n = num(&arg(1))? as usize;
            if n == 0 {
                Value::List(vec![Value::List(l)])
            } else {
                Value::List(l.chunks(n).map(|c| Value::List(c.to_vec())).collect())
            }
        }
        "transpose" => {
            let Value::Object(m) = arg(0) else { return Err(()) };
            let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
            for (k, v) in m {
                for i in list_of(&v)? {
                    out.entry(s(&i)?).or_default().push(Value::str(k.clone()));
                }
            }
            Value::Object(out.into_iter().map(|(k, v)| (k, Value::List(v))).collect())
        }
        "base64encode" | "base64decode" | "base64gzip" | "sha256" | "sha1" | "md5" | "uuid" | "timestamp"
        | "plantimestamp" | "bcrypt" | "filebase64" | "filemd5" | "filesha256" | "filesha1" | "filebase64sha256"
        | "base64sha256" | "cidrsubnet" | "cidrhost" | "cidrnetmask" | "cidrsubnets" | "timeadd" | "formatdate"
        | "uuidv5" | "yamldecode" | "yamlencode" | "urlencode" | "templatestring" | "sensitive" | "nonsensitive"
        | "issensitive" | "ephemeralasnull" | "textencodebase64" | "textdecodebase64" | "sum" | "fileset"
        | "regexall" | "matchkeys" | "setproduct" | "csvdecode" | "indent" | "strrev" | "log" | "pow" | "signum"
        | "parseint" | "sha512" | "rsadecrypt" | "timecmp" | "convert" | "map" | "list" => match name {
            "sensitive" | "nonsensitive" => arg(0),
            "strrev" => Value::String(s(&arg(0))?.chars().rev().collect()),
            "sum" => Value::Number(list_of(&arg(0))?.iter().map(num).sum::<Result<f64, ()>>()?),
            "cidrsubnet" => cidrsubnet(&arg(0), &arg(1), &arg(2)).unwrap_or_else(Value::unknown),
            "regexall" => {
                let re = regex::Regex::new(&s(&arg(0))?).map_err(|_| ())?;
                let t = s(&arg(1))?;
                Value::List(re.find_iter(&t).map(|m| Value::str(m.as_str().to_string())).collect())
            }
            "indent" => {
                let n = num(&arg(0))? as usize;
                let t = s(&arg(1))?;
                let pad = " ".repeat(n);
                Value::str(t.replace('\n', &format!("\n{pad}")))
            }
            _ => Value::unknown(),
        },
        _ => Value::unknown(),
    })
}

/// `cidrsubnet` for IPv4.
fn cidrsubnet(prefix: &Value, newbits: &Value, netnum: &Value) -> Option<Value> {
    let p = prefix.as_str()?;
    let (ip, len) = p.split_once('/')?;
    let len: u32 = len.parse().ok()?;
    let octets: Vec<u32> = ip.split('.').map(|o| o.parse().ok()).collect::<Option<_>>()?;
    if octets.len() != 4 {
        return None;
    }
    let base = octets.iter().fold(0u32, |acc, o| (acc << 8) | o);
    let nb = num(newbits).ok()? as u32;
    let nn = num(netnum).ok()? as u32;
    let newlen = len + nb;
    if newlen > 32 {
        return None;
    }
    let addr = base | (nn << (32 - newlen));
    Some(Value::str(format!(
        "{}.{}.{}.{}/{}",
        addr >> 24,
        (addr >> 16) & 255,
        (addr >> 8) & 255,
        addr & 255,
        newlen
    )))
}

/// `format` with partial results: unknown arguments become holes in the output.
fn format_fn(a: &[Value]) -> FnResult {
    let fmt = match a.first() {
        Some(Value::String(f)) => f.clone(),
        Some(Value::Unknown(_)) => return Ok(unknown_from(a)),
        _ => return Err(()),
    };
    let mut pieces: Vec<Value> = Vec::new();
    let mut lit = String::new();
    let mut args = a.iter().skip(1);
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            lit.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            lit.push('%');
            continue;
        }
        // Flags, width, precision, then the verb.
        let mut spec = String::new();
        let mut verb = None;
        for c in chars.by_ref() {
            if c.is_ascii_alphabetic() {
                verb = Some(c);
                break;
            }
            spec.push(c);
        }
        let verb = verb.ok_or(())?;
        let v = args.next().ok_or(())?.clone();
        pieces.push(Value::str(std::mem::take(&mut lit)));
        let rendered = match &v {
            Value::Unknown(u) => {
                if matches!(verb, 's' | 'v') && u.parts.is_some() {
                    v.clone()
                } else {
                    Value::Unknown(Box::new(Unknown {
                        refs: u.refs.clone(),
                        parts: Some(vec![Part::Hole]),
                        json: None,
                    }))
                }
            }
            other => match verb {
                'd' => Value::String(format!("{}", num(other)? as i64).into()),
                'f' | 'e' | 'g' => {
                    let prec = spec
                        .split('.')
                        .nth(1)
                        .and_then(|p| p.parse::<usize>().ok())
                        .unwrap_or(6);
                    Value::String(format!("{:.*}", prec, num(other)?).into())
                }
                'q' => Value::str(serde_json::Value::String(s(other)?).to_string()),
                't' => Value::str(other.as_bool().ok_or(())?.to_string()),
                _ => match other.to_display_string() {
                    Some(t) => Value::str(t),
                    None => Value::str(other.to_json().map(|j| j.to_string()).ok_or(())?),
                },
            },
        };
        pieces.push(rendered);
    }
    pieces.push(Value::str(lit));
    Ok(concat(&pieces))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> FileCtx<'static> {
        FileCtx {
            module_dir: Path::new("."),
            allowed_roots: &[],
        }
    }

    #[test]
    fn format_partial() {
        let v = call(
            "format",
            vec![
                Value::str("arn:%s:iam::aws:policy/AmazonSageMakerFullAccess"),
                Value::unknown(),
            ],
            &ctx(),
        )
        .unwrap();
        assert_eq!(
            v.known_suffix().as_deref(),
            Some(":iam::aws:policy/AmazonSageMakerFullAccess")
        );
        let v = call("format", vec![Value::str("sagemaker.%s"), Value::unknown()], &ctx()).unwrap();
        assert_eq!(v.known_prefix().as_deref(), Some("sagemaker."));
        let v = call(
            "format",
            vec![Value::str("%s-%d"), Value::str("a"), Value::Number(3.0)],
            &ctx(),
        )
        .unwrap();
        assert_eq!(v, Value::str("a-3"));
    }

    #[test]
    fn sets_and_json() {
        let v = call(
            "toset",
            vec![Value::List(vec![Value::str("b"), Value::str("a"), Value::str("b")])],
            &ctx(),
        )
        .unwrap();
        assert_eq!(v, Value::List(vec![Value::str("a"), Value::str("b")]));
        let v = call("jsonencode", vec![Value::List(vec![Value::unknown()])], &ctx()).unwrap();
        assert!(matches!(v, Value::Unknown(ref u) if u.json.is_some()));
        assert_eq!(
            call(
                "cidrsubnet",
                vec![Value::str("10.0.0.0/16"), Value::Number(8.0), Value::Number(2.0)],
                &ctx()
            )
            .unwrap(),
            Value::str("10.0.2.0/24")
        );
    }
}
