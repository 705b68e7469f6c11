use proptest::prelude::*;

use super::*;

fn text(s: &str) -> Inline {
    Inline::Text(s.to_owned())
}

fn paragraph(inlines: Vec<Inline>) -> Vec<Block> {
    vec![Block::Paragraph(inlines)]
}

fn link(url: &str) -> Inline {
    Inline::Link { url: url.to_owned(), label: vec![text(url)] }
}

/// Every character of the tree's text, markers and structure aside.
fn flat(blocks: &[Block]) -> String {
    fn inline(out: &mut String, inlines: &[Inline]) {
        for i in inlines {
            match i {
                Inline::Text(t) | Inline::Code(t) => out.push_str(t),
                Inline::Break => out.push('\n'),
                Inline::Strong(c) | Inline::Emphasis(c) | Inline::Link { label: c, .. } => inline(out, c),
            }
        }
    }
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Paragraph(i) => inline(&mut out, i),
            Block::Code(t) => out.push_str(t),
            Block::Quote(b) => out.push_str(&flat(b)),
            Block::List { items, .. } => items.iter().for_each(|i| inline(&mut out, i)),
        }
    }
    out
}

#[test]
fn plain_text_is_one_paragraph_with_its_line_breaks() {
    assert_eq!(parse("hello\nworld"), paragraph(vec![text("hello"), Inline::Break, text("world")]));
    assert_eq!(parse(""), vec![]);
    assert_eq!(parse("a\n\n\nb"), vec![Block::Paragraph(vec![text("a")]), Block::Paragraph(vec![text("b")])]);
}

#[test]
fn bold_italic_and_code() {
    assert_eq!(
        parse("**bold** and *it* and __b__ and _i_ and `x*y*`"),
        paragraph(vec![
            Inline::Strong(vec![text("bold")]),
            text(" and "),
            Inline::Emphasis(vec![text("it")]),
            text(" and "),
            Inline::Strong(vec![text("b")]),
            text(" and "),
            Inline::Emphasis(vec![text("i")]),
            text(" and "),
            Inline::Code("x*y*".into()),
        ])
    );
    assert_eq!(
        parse("*a **b** c*"),
        paragraph(vec![Inline::Emphasis(vec![text("a "), Inline::Strong(vec![text("b")]), text(" c")])])
    );
    assert_eq!(parse("``a ` b``"), paragraph(vec![Inline::Code("a ` b".into())]));
    assert_eq!(parse("```let x = 1;```"), paragraph(vec![Inline::Code("let x = 1;".into())]));
}

#[test]
fn markers_that_do_not_pair_show_as_typed() {
    for typed in ["2 * 3 * 4", "snake_case_name", "a ** b", "*open", "`open", "**", "_"] {
        assert_eq!(flat(&parse(typed)), typed, "{typed:?}");
        assert!(
            parse(typed)
                .iter()
                .all(|b| matches!(b, Block::Paragraph(i) if i.iter().all(|i| matches!(i, Inline::Text(_))))),
            "{typed:?} is plain text"
        );
    }
    assert_eq!(parse(r"\*not italic\*"), paragraph(vec![text("*not italic*")]));
}

#[test]
fn links_are_http_or_https_only() {
    assert_eq!(
        parse("see [the docs](https://example.com/a?b=1) or http://x.org."),
        paragraph(vec![
            text("see "),
            Inline::Link { url: "https://example.com/a?b=1".into(), label: vec![text("the docs")] },
            text(" or "),
            link("http://x.org"),
            text("."),
        ])
    );
    for hostile in [
        "[click](javascript:alert(1))",
        "[x](data:text/html,<script>alert(1)</script>)",
        "javascript:alert(1)",
        "xhttps://evil",
        "https://",
    ] {
        let parsed = parse(hostile);
        assert!(!format!("{parsed:?}").contains("Link"), "{hostile:?} made a link: {parsed:?}");
        assert_eq!(flat(&parsed), hostile);
    }
    assert_eq!(
        parse("[**bold** link](https://a.org)"),
        paragraph(vec![Inline::Link {
            url: "https://a.org".into(),
            label: vec![Inline::Strong(vec![text("bold")]), text(" link")]
        }])
    );
    // A title is not supported: the URL alone is a link, the brackets stay text.
    assert_eq!(
        parse("[a](https://x.org \"t\")"),
        paragraph(vec![text("[a]("), link("https://x.org"), text(" \"t\")")])
    );
    assert_eq!(parse("**https://a.org**"), paragraph(vec![Inline::Strong(vec![link("https://a.org")])]));
    assert_eq!(parse("a_b https://x.org/a_b_c"), paragraph(vec![text("a_b "), link("https://x.org/a_b_c")]));
}

#[test]
fn html_is_text() {
    let typed = "<img src=x onerror=alert(1)> <script>alert(1)</script> &amp;";
    assert_eq!(parse(typed), paragraph(vec![text(typed)]));
}

#[test]
fn code_blocks_lists_and_quotes() {
    assert_eq!(
        parse("Agenda:\n- one\n- **two**\n  continued\n\n1. first\n2. second\n```rust\nlet x = *y*;\n\n```\n> quoted\n> *more*\nafter"),
        vec![
            Block::Paragraph(vec![text("Agenda:")]),
            Block::List {
                start: None,
                items: vec![vec![text("one")], vec![Inline::Strong(vec![text("two")]), Inline::Break, text("continued")]]
            },
            Block::List { start: Some(1), items: vec![vec![text("first")], vec![text("second")]] },
            Block::Code("let x = *y*;\n".into()),
            Block::Quote(vec![Block::Paragraph(vec![text("quoted"), Inline::Break, Inline::Emphasis(vec![text("more")])])]),
            Block::Paragraph(vec![text("after")]),
        ]
    );
    assert_eq!(parse("```\nnever closed\n*x*"), vec![Block::Code("never closed\n*x*".into())]);
    assert_eq!(parse("3) third"), vec![Block::List { start: Some(3), items: vec![vec![text("third")]] }]);
    assert_eq!(parse("-"), paragraph(vec![text("-")]));
    assert_eq!(parse("1234567890. too long a number"), paragraph(vec![text("1234567890. too long a number")]));
}

#[test]
fn nesting_stops_at_the_limit() {
    let quotes = parse(&format!("{}deep", "> ".repeat(50)));
    let mut depth = 0;
    let mut level = &quotes;
    while let [Block::Quote(inner)] = level.as_slice() {
        depth += 1;
        level = inner;
    }
    assert_eq!(depth, MAX_DEPTH);
    assert!(flat(level).ends_with("deep"));
    let stars = format!("{}x{}", "*".repeat(40), "*".repeat(40));
    assert_eq!(flat(&parse(&stars)).matches('x').count(), 1);
}

#[test]
fn hostile_input_is_parsed_in_linear_time() {
    // Thousands of markers that never close: each kind is searched for once.
    let unmatched = format!("`{}", "*a _b [d **c __e ".repeat(4_000));
    let started = std::time::Instant::now();
    assert!(flat(&parse(&unmatched)) == unmatched, "unmatched markers show as typed");
    let nested = "[".repeat(20_000) + &"](".repeat(20_000);
    assert!(flat(&parse(&nested)) == nested, "brackets show as typed");
    let backticks: String = (1..=200).map(|n| "`".repeat(n) + "x ").collect();
    assert!(flat(&parse(&backticks)) == backticks, "runs of different lengths never pair");
    // Generous: quadratic work on these inputs takes minutes, not seconds.
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

proptest! {
    #[test]
    fn any_text_parses_without_losing_letters(text in "[a-z *_`\\[\\]()>\\-1.\n\\\\h]{0,80}") {
        let parsed = parse(&text);
        let shown = flat(&parsed);
        // Markers may be consumed, letters never are.
        let letters = |s: &str| s.chars().filter(char::is_ascii_lowercase).collect::<String>();
        prop_assert_eq!(letters(&shown), letters(&text));
    }
}
