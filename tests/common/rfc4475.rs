//! The RFC 4475 torture corpus in `tests/corpus/rfc4475/`: its manifest
//! (`manifest.toml`, whose header documents every field) read into
//! entries, and the rule shared by the tests that use it: a recorded
//! `*_today` value (a known defect) is asserted instead of the strict one.
//!
//! The manifest is a small subset of TOML (one `[[message]]` table per
//! message, `key = "plain string"` lines, `#` comments), read here by hand.
#![allow(dead_code)]

use std::fmt::Debug;
use std::path::{Path, PathBuf};

/// A first response: a status code, or nothing at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    None,
    Status(u16),
}

impl Reply {
    fn parse(s: &str) -> Reply {
        match s {
            "none" => Reply::None,
            code => Reply::Status(code.parse().unwrap_or_else(|_| panic!("bad status {code:?}"))),
        }
    }

    pub fn label(&self) -> String {
        match self {
            Reply::None => "none".into(),
            Reply::Status(c) => c.to_string(),
        }
    }
}

/// One message of the manifest.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub section: String,
    pub name: String,
    pub sha256: String,
    /// Accepted parser outcomes ("ok", "error KIND", "view VIEW KIND").
    pub parse: Vec<String>,
    pub parse_today: Option<Vec<String>>,
    pub flags: Vec<String>,
    /// Accepted stream framer outcomes ("message", "message N", "incomplete", "error KIND").
    pub stream: Vec<String>,
    pub stream_today: Option<Vec<String>>,
    /// Accepted first responses of a default server.
    pub expect: Vec<Reply>,
    pub today: Option<Vec<Reply>>,
    pub registrar: Option<Vec<Reply>>,
    pub must_have: Vec<String>,
    /// `(header, items)`: the response's header must list each item.
    pub must_list: Option<(String, Vec<String>)>,
    pub why: String,
}

impl Entry {
    /// `tests/corpus/rfc4475/<section>-<name>.sip`
    pub fn path(&self) -> PathBuf {
        dir().join(format!("{}-{}.sip", self.section, self.name))
    }

    pub fn bytes(&self) -> Vec<u8> {
        std::fs::read(self.path()).unwrap_or_else(|e| panic!("{}: {e}", self.path().display()))
    }

    /// The parser outcomes a test asserts today.
    pub fn parse_asserted(&self) -> &[String] {
        self.parse_today.as_deref().unwrap_or(&self.parse)
    }

    /// The stream framer outcomes a test asserts today.
    pub fn stream_asserted(&self) -> &[String] {
        self.stream_today.as_deref().unwrap_or(&self.stream)
    }

    /// The first responses a test accepts today.
    pub fn reply_asserted(&self) -> &[Reply] {
        self.today.as_deref().unwrap_or(&self.expect)
    }
}

/// A recorded defect that shares a value with the strict expectation is
/// stale: the defect is (partly) fixed, and its line must go.
fn check_not_stale<T: PartialEq + Debug>(name: &str, field: &str, strict: &[T], today: &Option<Vec<T>>) {
    if let Some(t) = today {
        assert!(
            !t.iter().any(|v| strict.contains(v)),
            "{name}: {field} = {t:?} overlaps the strict {strict:?}: delete the stale {field} line"
        );
    }
}

pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/rfc4475")
}

fn alternatives(v: &str, sep: char) -> Vec<String> {
    v.split(sep).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

fn replies(v: &str) -> Vec<Reply> {
    alternatives(v, '|').iter().map(|s| Reply::parse(s)).collect()
}

/// Every entry of `manifest.toml`, in file order.
pub fn manifest() -> Vec<Entry> {
    let path = dir().join("manifest.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut entries: Vec<Entry> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let at = || format!("manifest.toml line {}", n + 1);
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line == "[[message]]" {
            entries.push(Entry { stream: vec!["message".into()], ..Entry::default() });
            continue;
        }
        let (key, value) = line.split_once(" = ").unwrap_or_else(|| panic!("{}: not key = value", at()));
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .filter(|v| !v.contains(['"', '\\']))
            .unwrap_or_else(|| panic!("{}: the value must be a plain \"string\"", at()));
        let e = entries.last_mut().unwrap_or_else(|| panic!("{}: a key before [[message]]", at()));
        let v = value.to_string();
        match key {
            "section" => e.section = v,
            "name" => e.name = v,
            "sha256" => e.sha256 = v,
            "parse" => e.parse = alternatives(value, '|'),
            "parse_today" => e.parse_today = Some(alternatives(value, '|')),
            "flags" => e.flags = value.split_whitespace().map(String::from).collect(),
            "stream" => e.stream = alternatives(value, '|'),
            "stream_today" => e.stream_today = Some(alternatives(value, '|')),
            "expect" => e.expect = replies(value),
            "today" => e.today = Some(replies(value)),
            "registrar" => e.registrar = Some(replies(value)),
            "must_have" => e.must_have = alternatives(value, ','),
            "must_list" => {
                let (h, items) = value.split_once(':').unwrap_or_else(|| panic!("{}: Header: a, b", at()));
                e.must_list = Some((h.trim().to_string(), alternatives(items, ',')));
            }
            "why" => e.why = v,
            other => panic!("{}: unknown key {other:?}", at()),
        }
    }
    for e in &entries {
        for (field, empty) in [
            ("section", e.section.is_empty()),
            ("name", e.name.is_empty()),
            ("sha256", e.sha256.is_empty()),
            ("parse", e.parse.is_empty()),
            ("expect", e.expect.is_empty()),
            ("why", e.why.is_empty()),
        ] {
            assert!(!empty, "manifest entry {:?} lacks {field}", e.name);
        }
        check_not_stale(&e.name, "parse_today", &e.parse, &e.parse_today);
        check_not_stale(&e.name, "stream_today", &e.stream, &e.stream_today);
        check_not_stale(&e.name, "today", &e.expect, &e.today);
    }
    entries
}
