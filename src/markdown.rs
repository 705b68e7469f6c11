//! The Markdown subset messages are shown with: **bold** (or `__`), *italic*
//! (or `_`), `code`, fenced code blocks, `[label](https://…)` and bare
//! http(s) URLs, bulleted and numbered lists, and `>` quotes. Text parses
//! into a tree that the view renders element by element, so no user text is
//! ever turned into HTML; anything that is not one of these shows as typed.
//!
//! Every search for a closing marker is remembered when it fails, so hostile
//! input (thousands of unmatched `*`) stays linear, and nesting stops at
//! [`MAX_DEPTH`].

/// How deep quotes and emphasis nest before markers show as typed.
pub const MAX_DEPTH: usize = 4;

/// A block of a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// Lines of text.
    Paragraph(Vec<Inline>),
    /// A fenced code block, shown as typed.
    Code(String),
    /// Quoted blocks (`> `).
    Quote(Vec<Block>),
    /// A list: numbered from `start`, or bulleted when `None`.
    List {
        /// The first item's number.
        start: Option<u32>,
        /// Each item's text.
        items: Vec<Vec<Inline>>,
    },
}

/// A run of text inside a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// A line break.
    Break,
    /// `**bold**`.
    Strong(Vec<Inline>),
    /// `*italic*`.
    Emphasis(Vec<Inline>),
    /// `` `code` ``, shown as typed.
    Code(String),
    /// An http or https link.
    Link {
        /// Where it goes.
        url: String,
        /// What it shows.
        label: Vec<Inline>,
    },
}

/// Parses a message's text.
pub fn parse(text: &str) -> Vec<Block> {
    blocks(text, 0)
}

/// The text as it reads, without the markers: what a one-line snippet shows.
/// Blocks and line breaks become spaces.
pub fn plain(text: &str) -> String {
    fn inlines(out: &mut String, content: &[Inline]) {
        for inline in content {
            match inline {
                Inline::Text(text) | Inline::Code(text) => out.push_str(text),
                Inline::Break => out.push(' '),
                Inline::Strong(content) | Inline::Emphasis(content) | Inline::Link { label: content, .. } => {
                    inlines(out, content)
                }
            }
        }
    }
    fn blocks(out: &mut String, content: &[Block]) {
        for block in content {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            match block {
                Block::Paragraph(content) => inlines(out, content),
                Block::Code(code) => out.push_str(&code.replace('\n', " ")),
                Block::Quote(content) => blocks(out, content),
                Block::List { items, .. } => {
                    for (index, item) in items.iter().enumerate() {
                        if index > 0 {
                            out.push(' ');
                        }
                        inlines(out, item);
                    }
                }
            }
        }
    }
    let mut out = String::new();
    blocks(&mut out, &parse(text));
    out
}

fn blocks(text: &str, depth: usize) -> Vec<Block> {
    let lines: Vec<&str> = text.split('\n').map(|line| line.strip_suffix('\r').unwrap_or(line)).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            i += 1;
        } else if is_fence(line) {
            let close = lines[i + 1..].iter().position(|l| l.trim_start().starts_with("```")).map(|p| i + 1 + p);
            out.push(Block::Code(lines[i + 1..close.unwrap_or(lines.len())].join("\n")));
            i = close.map_or(lines.len(), |c| c + 1);
        } else if depth < MAX_DEPTH && quoted(line).is_some() {
            let mut inner = Vec::new();
            while let Some(rest) = lines.get(i).and_then(|l| quoted(l)) {
                inner.push(rest);
                i += 1;
            }
            out.push(Block::Quote(blocks(&inner.join("\n"), depth + 1)));
        } else if let Some((start, _)) = list_item(line) {
            let mut items: Vec<String> = Vec::new();
            while let Some(next) = lines.get(i) {
                match list_item(next) {
                    Some((number, rest)) if number.is_some() == start.is_some() => items.push(rest.to_owned()),
                    Some(_) => break,
                    // An indented line goes on with the item above it.
                    None if next.starts_with("  ") && !next.trim().is_empty() => {
                        if let Some(last) = items.last_mut() {
                            last.push('\n');
                            last.push_str(next.trim_start());
                        }
                    }
                    None => break,
                }
                i += 1;
            }
            out.push(Block::List { start, items: items.iter().map(|item| inlines(item, depth)).collect() });
        } else {
            let first = i;
            i += 1;
            while lines.get(i).is_some_and(|l| !l.trim().is_empty() && !starts_block(l, depth)) {
                i += 1;
            }
            out.push(Block::Paragraph(inlines(&lines[first..i].join("\n"), depth)));
        }
    }
    out
}

fn starts_block(line: &str, depth: usize) -> bool {
    is_fence(line) || (depth < MAX_DEPTH && quoted(line).is_some()) || list_item(line).is_some()
}

/// Up to three spaces of indent, as Markdown allows before a block marker.
fn unindented(line: &str) -> &str {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    if spaces <= 3 {
        &line[spaces..]
    } else {
        line
    }
}

/// An opening fence: three backticks and an optional language, no more backticks
/// (```` ```code``` ```` on one line is inline code).
fn is_fence(line: &str) -> bool {
    unindented(line).strip_prefix("```").is_some_and(|info| !info.contains('`'))
}

fn quoted(line: &str) -> Option<&str> {
    let rest = unindented(line).strip_prefix('>')?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

/// A list item's number (`None` for a bullet) and text.
fn list_item(line: &str) -> Option<(Option<u32>, &str)> {
    let line = unindented(line);
    let (number, rest) = match line.as_bytes().first()? {
        b'-' | b'*' | b'+' => (None, line[1..].strip_prefix(' ')?),
        _ => {
            let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let number = line.get(..digits).filter(|d| (1..=9).contains(&d.len()))?.parse().ok()?;
            let rest = line[digits..].strip_prefix(['.', ')'])?.strip_prefix(' ')?;
            (Some(number), rest)
        }
    };
    (!rest.trim().is_empty()).then_some((number, rest))
}

fn inlines(text: &str, depth: usize) -> Vec<Inline> {
    Inlines { depth, in_link: false, out: Vec::new(), text: String::new(), failed: Vec::new() }.run(text)
}

/// A closing marker searched for without success; later ones of the same kind cannot succeed either.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Closer {
    Emphasis(&'static str),
    Backticks(usize),
    LinkTarget,
}

struct Inlines {
    depth: usize,
    in_link: bool,
    out: Vec<Inline>,
    text: String,
    failed: Vec<Closer>,
}

impl Inlines {
    fn run(mut self, s: &str) -> Vec<Inline> {
        let mut i = 0;
        while let Some(c) = s[i..].chars().next() {
            i = match c {
                '\\' => self.escape(s, i),
                '\n' => {
                    self.flush();
                    self.out.push(Inline::Break);
                    i + 1
                }
                '`' => self.code(s, i),
                '*' | '_' => self.emphasis(s, i, c),
                '[' if !self.in_link => self.link(s, i),
                'h' | 'H' if !self.in_link => self.autolink(s, i),
                _ => {
                    self.text.push(c);
                    i + c.len_utf8()
                }
            };
        }
        self.flush();
        self.out
    }

    fn flush(&mut self) {
        if !self.text.is_empty() {
            self.out.push(Inline::Text(std::mem::take(&mut self.text)));
        }
    }

    fn literal(&mut self, s: &str, from: usize, to: usize) -> usize {
        self.text.push_str(&s[from..to]);
        to
    }

    /// A backslash before punctuation shows the punctuation, not its meaning.
    fn escape(&mut self, s: &str, i: usize) -> usize {
        match s[i + 1..].chars().next() {
            Some(next) if next.is_ascii_punctuation() => self.literal(s, i + 1, i + 2),
            _ => self.literal(s, i, i + 1),
        }
    }

    fn code(&mut self, s: &str, i: usize) -> usize {
        let run = s[i..].len() - s[i..].trim_start_matches('`').len();
        let after = i + run;
        let closer = Closer::Backticks(run);
        if !self.failed.contains(&closer) {
            // The closing run is exactly as long as the opening one.
            let mut from = after;
            while let Some(at) = s[from..].find('`').map(|p| from + p) {
                let len = s[at..].len() - s[at..].trim_start_matches('`').len();
                if len == run && at > after {
                    let body = &s[after..at];
                    let body = match body.strip_prefix(' ').and_then(|b| b.strip_suffix(' ')) {
                        Some(inner) if !inner.trim().is_empty() => inner,
                        _ => body,
                    };
                    self.flush();
                    self.out.push(Inline::Code(body.to_owned()));
                    return at + len;
                }
                from = at + len;
            }
            self.failed.push(closer);
        }
        self.literal(s, i, after)
    }

    fn emphasis(&mut self, s: &str, i: usize, c: char) -> usize {
        let double = s[i + 1..].starts_with(c);
        let delimiter: &'static str = match (c, double) {
            ('*', true) => "**",
            ('*', false) => "*",
            (_, true) => "__",
            (_, false) => "_",
        };
        let after = i + delimiter.len();
        let opens = s[after..].chars().next().is_some_and(|n| !n.is_whitespace())
            // Inside words (snake_case) an underscore is just an underscore.
            && (c == '*' || !s[..i].ends_with(char::is_alphanumeric));
        let closer = Closer::Emphasis(delimiter);
        if opens && self.depth < MAX_DEPTH && !self.failed.contains(&closer) {
            match find_closer(s, after, delimiter) {
                Some(end) => {
                    self.flush();
                    let inner = Inlines {
                        depth: self.depth + 1,
                        in_link: self.in_link,
                        out: Vec::new(),
                        text: String::new(),
                        failed: Vec::new(),
                    }
                    .run(&s[after..end]);
                    self.out.push(if double { Inline::Strong(inner) } else { Inline::Emphasis(inner) });
                    return end + delimiter.len();
                }
                None => self.failed.push(closer),
            }
        }
        self.literal(s, i, after)
    }

    /// `[label](https://…)`: anything else stays as typed.
    fn link(&mut self, s: &str, i: usize) -> usize {
        if !self.failed.contains(&Closer::LinkTarget) {
            let Some(middle) = s[i..].find("](").map(|p| i + p) else {
                self.failed.push(Closer::LinkTarget);
                return self.literal(s, i, i + 1);
            };
            let label = &s[i + 1..middle];
            let target = s[middle + 2..].find(')').map(|p| (&s[middle + 2..middle + 2 + p], middle + 3 + p));
            if let Some((url, end)) = target {
                if !label.trim().is_empty() && !label.contains(['[', ']']) && link_length(url) == Some(url.len()) {
                    self.flush();
                    let label = Inlines {
                        depth: self.depth + 1,
                        in_link: true,
                        out: Vec::new(),
                        text: String::new(),
                        failed: Vec::new(),
                    }
                    .run(label);
                    self.out.push(Inline::Link { url: url.to_owned(), label });
                    return end;
                }
            }
        }
        self.literal(s, i, i + 1)
    }

    fn autolink(&mut self, s: &str, i: usize) -> usize {
        let starts_word = !s[..i].ends_with(char::is_alphanumeric);
        match link_length(&s[i..]).filter(|_| starts_word) {
            Some(len) => {
                self.flush();
                let url = s[i..i + len].to_owned();
                self.out.push(Inline::Link { label: vec![Inline::Text(url.clone())], url });
                i + len
            }
            None => self.literal(s, i, i + 1),
        }
    }
}

/// Where `delimiter` closes an emphasis opened just before `from`: after at
/// least one character, right after a non-space, and for `_` not inside a word.
fn find_closer(s: &str, from: usize, delimiter: &str) -> Option<usize> {
    let c = delimiter.as_bytes()[0] as char;
    let mut at = from + s[from..].chars().next()?.len_utf8();
    while let Some(found) = s.get(at..)?.find(delimiter).map(|p| at + p) {
        let run = s[found..].len() - s[found..].trim_start_matches(c).len();
        let closes = !s[..found].ends_with(char::is_whitespace)
            && (c == '*' || !s[found + delimiter.len()..].starts_with(char::is_alphanumeric));
        // A single marker does not close on a double one (`*a **b** c*`).
        if closes && (delimiter.len() == 2 || run != 2) {
            return Some(found);
        }
        at = found + run.max(1);
    }
    None
}

/// The length of the http(s) URL `text` starts with, without trailing
/// punctuation that usually ends a sentence; other schemes are no links.
fn link_length(text: &str) -> Option<usize> {
    let scheme = ["https://", "http://"]
        .into_iter()
        .find(|scheme| text.get(..scheme.len()).is_some_and(|start| start.eq_ignore_ascii_case(scheme)))?;
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'', '"', '*']);
    (url.len() > scheme.len()).then_some(url.len())
}

// Native only: proptest does not build for wasm32.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
