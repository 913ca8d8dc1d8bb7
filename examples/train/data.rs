//! Reading the training table: JSONL or CSV rows, then a text column or
//! numeric feature columns, and the labels. Every error names the file, the
//! column and the row.

use std::path::{Path, PathBuf};

use proba::ndarray::Array2;
use serde_json::{Map, Value};

/// The rows of a data file, before a column is chosen.
pub enum Table {
    /// A CSV file: the header, then the data rows (as many fields each).
    Csv {
        path: PathBuf,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// A JSONL file: one object per non-blank line, with its 1-based line.
    Jsonl {
        path: PathBuf,
        keys: Vec<String>,
        rows: Vec<(usize, Map<String, Value>)>,
    },
}

/// One row's label: a single label, or a label set (`--model ovr`).
#[derive(Debug, Clone, PartialEq)]
pub enum RawLabel {
    One(String),
    Set(Vec<String>),
}

impl Table {
    /// Reads `path`: `.csv` as CSV with a header row, anything else as JSONL.
    pub fn read(path: &Path) -> Result<Table, String> {
        let raw = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let raw = raw.strip_prefix('\u{feff}').unwrap_or(&raw); // a UTF-8 byte-order mark
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        if ext == "csv" {
            Table::from_csv(path, raw)
        } else {
            Table::from_jsonl(path, raw)
        }
    }

    fn from_csv(path: &Path, raw: &str) -> Result<Table, String> {
        let rows = parse_csv(raw).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut it = rows.into_iter();
        let header: Vec<String> = it
            .next()
            .ok_or_else(|| format!("{}: empty CSV file", path.display()))?
            .into_iter()
            .map(|h| h.trim().to_string())
            .collect();
        let rows: Vec<Vec<String>> = it.collect();
        for (i, row) in rows.iter().enumerate() {
            if row.len() < header.len() {
                return Err(format!(
                    "{}: data row {} has {} fields, the header has {}",
                    path.display(),
                    i + 1,
                    row.len(),
                    header.len()
                ));
            }
        }
        Ok(Table::Csv {
            path: path.to_path_buf(),
            header,
            rows,
        })
    }

    fn from_jsonl(path: &Path, raw: &str) -> Result<Table, String> {
        let mut rows = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        for (i, line) in raw.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: Value = serde_json::from_str(line)
                .map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?;
            let Value::Object(obj) = v else {
                return Err(format!(
                    "{}:{}: expected a JSON object per line",
                    path.display(),
                    i + 1
                ));
            };
            for k in obj.keys() {
                if !keys.contains(k) {
                    keys.push(k.clone());
                }
            }
            rows.push((i + 1, obj));
        }
        Ok(Table::Jsonl {
            path: path.to_path_buf(),
            keys,
            rows,
        })
    }

    /// Number of data rows.
    pub fn len(&self) -> usize {
        match self {
            Table::Csv { rows, .. } => rows.len(),
            Table::Jsonl { rows, .. } => rows.len(),
        }
    }

    /// The column names: the CSV header, or every key seen in the JSONL
    /// objects (in order of first appearance).
    pub fn columns(&self) -> &[String] {
        match self {
            Table::Csv { header, .. } => header,
            Table::Jsonl { keys, .. } => keys,
        }
    }

    /// Whether a column of that name exists.
    pub fn has(&self, key: &str) -> bool {
        self.columns().iter().any(|c| c == key)
    }

    fn path(&self) -> &Path {
        match self {
            Table::Csv { path, .. } | Table::Jsonl { path, .. } => path,
        }
    }

    /// Where data row `i` (0-based) is, for messages.
    fn at(&self, i: usize) -> String {
        match self {
            Table::Csv { path, .. } => format!("{}: data row {}", path.display(), i + 1),
            Table::Jsonl { path, rows, .. } => format!("{}:{}", path.display(), rows[i].0),
        }
    }

    fn no_column(&self, key: &str, flag: &str) -> String {
        format!(
            "{}: no column {key:?} ({flag}); the columns are {:?}",
            self.path().display(),
            self.columns()
        )
    }

    /// The text of column `key`, one string per row.
    ///
    /// A column that holds numbers is refused with a message saying so
    /// (TF-IDF on numbers finds no words, which the vectorizer could only
    /// report as an empty vocabulary).
    pub fn text(&self, key: &str) -> Result<Vec<String>, String> {
        if !self.has(key) {
            return Err(self.no_column(key, "--text-key"));
        }
        let numeric_hint = |example: &str, at: &str| {
            format!(
                "{at}: column {key:?} holds numbers (e.g. {example:?}), not text; to train on \
                 numeric columns pass --features numeric (every column but the label) or \
                 --columns {key},..."
            )
        };
        let texts = match self {
            Table::Csv { header, rows, .. } => {
                let c = header.iter().position(|h| h == key).unwrap_or(0);
                let texts: Vec<String> = rows.iter().map(|r| r[c].clone()).collect();
                let numbers = texts.iter().filter(|t| !t.trim().is_empty());
                if texts.iter().any(|t| !t.trim().is_empty())
                    && numbers.clone().all(|t| t.trim().parse::<f64>().is_ok())
                {
                    let first = texts.iter().position(|t| !t.trim().is_empty()).unwrap_or(0);
                    return Err(numeric_hint(&texts[first], &self.at(first)));
                }
                texts
            }
            Table::Jsonl { rows, .. } => {
                let mut texts = Vec::with_capacity(rows.len());
                for (i, (_, obj)) in rows.iter().enumerate() {
                    match obj.get(key) {
                        Some(Value::String(s)) => texts.push(s.clone()),
                        Some(Value::Number(n)) => {
                            return Err(numeric_hint(&n.to_string(), &self.at(i)))
                        }
                        Some(other) => {
                            return Err(format!(
                                "{}: field {key:?} is {}, expected a string of text",
                                self.at(i),
                                kind(other)
                            ))
                        }
                        None => return Err(format!("{}: no field {key:?}", self.at(i))),
                    }
                }
                texts
            }
        };
        Ok(texts)
    }

    /// The numeric features of `columns` (all given), `rows x columns`.
    /// An empty, non-numeric or non-finite value is an error naming the
    /// column and the row.
    pub fn numeric(&self, columns: &[String]) -> Result<Array2<f64>, String> {
        if columns.is_empty() {
            return Err(format!(
                "{}: no feature columns (the only column is the label)",
                self.path().display()
            ));
        }
        for c in columns {
            if !self.has(c) {
                return Err(self.no_column(c, "--columns"));
            }
        }
        let n = self.len();
        let mut x = Array2::zeros((n, columns.len()));
        let bad = |i: usize, col: &str, what: String| {
            format!(
                "{}, column {col:?}: {what}; numeric features must be finite numbers \
                 (choose the feature columns with --columns, or train on text with --text-key)",
                self.at(i)
            )
        };
        match self {
            Table::Csv { header, rows, .. } => {
                let idx: Vec<usize> = columns
                    .iter()
                    .map(|c| header.iter().position(|h| h == c).unwrap_or(0))
                    .collect();
                for (i, row) in rows.iter().enumerate() {
                    for (j, (&c, name)) in idx.iter().zip(columns).enumerate() {
                        let s = row[c].trim();
                        let v =
                            s.parse::<f64>()
                                .ok()
                                .filter(|v| v.is_finite())
                                .ok_or_else(|| {
                                    bad(
                                        i,
                                        name,
                                        if s.is_empty() {
                                            "empty value".into()
                                        } else {
                                            format!("{s:?} is not a finite number")
                                        },
                                    )
                                })?;
                        x[[i, j]] = v;
                    }
                }
            }
            Table::Jsonl { rows, .. } => {
                for (i, (_, obj)) in rows.iter().enumerate() {
                    for (j, name) in columns.iter().enumerate() {
                        let v = match obj.get(name) {
                            Some(Value::Number(num)) => num.as_f64().filter(|v| v.is_finite()),
                            _ => None,
                        };
                        x[[i, j]] = v.ok_or_else(|| {
                            bad(
                                i,
                                name,
                                match obj.get(name) {
                                    None => "missing".into(),
                                    Some(v) => format!("{} is not a number", short(v)),
                                },
                            )
                        })?;
                    }
                }
            }
        }
        Ok(x)
    }

    /// The labels of column `key`; with `sets`, label sets: a JSON list, or
    /// a CSV string split on `sep`.
    pub fn labels(&self, key: &str, sets: bool, sep: &str) -> Result<Vec<RawLabel>, String> {
        if !self.has(key) {
            return Err(self.no_column(key, "--label-key"));
        }
        let mut out = Vec::with_capacity(self.len());
        match self {
            Table::Csv { header, rows, .. } => {
                let c = header.iter().position(|h| h == key).unwrap_or(0);
                for row in rows {
                    let l = &row[c];
                    out.push(if sets {
                        RawLabel::Set(
                            l.split(sep)
                                .map(|s| s.trim().to_string())
                                .filter(|s| !s.is_empty())
                                .collect(),
                        )
                    } else {
                        RawLabel::One(l.trim().to_string())
                    });
                }
            }
            Table::Jsonl { rows, .. } => {
                for (i, (_, obj)) in rows.iter().enumerate() {
                    let label = obj.get(key).and_then(json_label).ok_or_else(|| {
                        format!(
                            "{}: field {key:?} is not a string, number or list of them",
                            self.at(i)
                        )
                    })?;
                    out.push(label);
                }
            }
        }
        Ok(out)
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A value for a message, cut to a readable length.
fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}...", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

fn json_label(v: &Value) -> Option<RawLabel> {
    match v {
        Value::String(s) => Some(RawLabel::One(s.clone())),
        Value::Number(n) => Some(RawLabel::One(n.to_string())),
        Value::Bool(b) => Some(RawLabel::One(b.to_string())),
        Value::Array(items) => items
            .iter()
            .map(|i| match json_label(i) {
                Some(RawLabel::One(s)) => Some(s),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .map(RawLabel::Set),
        _ => None,
    }
}

/// RFC 4180 CSV: fields separated by commas, optionally quoted with `"`
/// (a doubled `""` inside quotes is a quote; quoted fields may span lines).
pub fn parse_csv(raw: &str) -> Result<Vec<Vec<String>>, String> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = raw.chars().peekable();
    let mut line = 1;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                line += 1;
                row.push(std::mem::take(&mut field));
                if !(row.len() == 1 && row[0].is_empty()) {
                    rows.push(std::mem::take(&mut row));
                } else {
                    row.clear();
                }
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(format!("unterminated quoted field (at line {line})"));
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}
