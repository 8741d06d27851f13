//! Properties that hold for any text: nothing panics, ranges are sound, cuts fit.

use proptest::prelude::*;
use tertulia_core::{PlatformKind, PostContent, TextRules, Voice};
use tertulia_text::{
    SplitOptions, Unit, XConfig, detect_facets, extract_entities, extract_fediverse_mentions, extract_reply, fits,
    is_valid_url, length, rules_for, split_thread, truncate, validate_content, x_length,
};

/// Text built from pieces that exercise the scanners: schemes, domains, signs, emoji,
/// combining marks, bidi marks, wide and astral characters.
fn tricky_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("http://".to_owned()),
        Just("https://".to_owned()),
        Just("t.co/".to_owned()),
        Just(".com".to_owned()),
        Just(".みんな".to_owned()),
        Just("xn--".to_owned()),
        Just("#".to_owned()),
        Just("＃".to_owned()),
        Just("@".to_owned()),
        Just("$".to_owned()),
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just("?".to_owned()),
        Just("/".to_owned()),
        Just(".".to_owned()),
        Just(" ".to_owned()),
        Just("\u{301}".to_owned()),
        Just("\u{200D}".to_owned()),
        Just("\u{FE0F}".to_owned()),
        Just("\u{202A}".to_owned()),
        Just("👩‍👩‍👧".to_owned()),
        Just("🇪🇸".to_owned()),
        Just("café".to_owned()),
        Just("\r\n".to_owned()),
        Just("\u{600}".to_owned()),
        Just("नमस्ते".to_owned()),
        Just("日本".to_owned()),
        "[a-zA-Z0-9_-]{1,8}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), tricky_text()]
}

fn all_rules() -> Vec<TextRules> {
    PlatformKind::KNOWN.iter().map(rules_for).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn counting_never_panics(text in any_text()) {
        for rules in all_rules() {
            let _ = length(&text, &rules);
        }
        for config in [XConfig::v1(), XConfig::v2(), XConfig::v3()] {
            let measured = x_length(&text, &config);
            prop_assert!(measured.valid_range_end <= measured.display_range_end as i64 + 1);
        }
    }

    #[test]
    fn graphemes_are_counted_like_the_segmenter(text in any_text()) {
        use unicode_segmentation::UnicodeSegmentation;
        let bluesky = rules_for(&PlatformKind::Bluesky);
        prop_assert_eq!(length(&text, &bluesky) as usize, text.graphemes(true).count());
    }

    #[test]
    fn entities_are_sound(text in any_text()) {
        let entities = extract_entities(&text);
        let mut last_end = 0;
        for entity in &entities {
            prop_assert!(entity.range.start >= last_end);
            prop_assert!(entity.range.start < entity.range.end && entity.range.end <= text.len());
            prop_assert!(text.is_char_boundary(entity.range.start) && text.is_char_boundary(entity.range.end));
            last_end = entity.range.end;
            for unit in [Unit::Utf8, Unit::Utf16, Unit::Chars] {
                let span = entity.span(&text, unit);
                prop_assert_eq!(span.end - span.start, unit.len(&text[entity.range.clone()]));
            }
        }
        let ranges: Vec<_> = entities.iter().map(|e| e.range.clone()).collect();
        let spans = Unit::Utf16.spans(&text, &ranges);
        for (entity, span) in entities.iter().zip(spans) {
            prop_assert_eq!(span, entity.span(&text, Unit::Utf16));
        }
        for mention in extract_fediverse_mentions(&text) {
            prop_assert!(text.is_char_boundary(mention.range.start) && text.is_char_boundary(mention.range.end));
        }
        let _ = extract_reply(&text);
        let _ = is_valid_url(&text, true);
        let _ = is_valid_url(&text, false);
    }

    #[test]
    fn facets_are_byte_ranges_of_the_text(text in any_text()) {
        for facet in detect_facets(&text).resolve(|handle| Some(format!("did:plc:{handle}"))) {
            prop_assert!(facet.index.byte_start < facet.index.byte_end);
            prop_assert!(text.get(facet.index.byte_start..facet.index.byte_end).is_some());
        }
    }

    #[test]
    fn truncation_fits_and_keeps_a_prefix(text in any_text(), limit in 1u32..60) {
        for base in [rules_for(&PlatformKind::Bluesky), rules_for(&PlatformKind::X), rules_for(&PlatformKind::Mastodon)] {
            let rules = TextRules { max_length: limit, ..base };
            let short = truncate(&text, &rules, "…");
            prop_assert!(fits(&short, &rules));
            let kept = short.strip_suffix('…').unwrap_or(&short);
            prop_assert!(text.starts_with(kept));
        }
    }

    #[test]
    fn thread_parts_fit_and_keep_the_words(text in any_text(), limit in 20u32..80, numbering in any::<bool>()) {
        let rules = TextRules { max_length: limit, ..rules_for(&PlatformKind::Bluesky) };
        if let Ok(parts) = split_thread(&text, &rules, SplitOptions { numbering }) {
            for part in &parts {
                prop_assert!(fits(part, &rules), "{part:?}");
            }
            if !numbering {
                let joined: String = parts.concat().split_whitespace().collect();
                let original: String = text.split_whitespace().collect();
                prop_assert_eq!(joined, original);
            }
        }
    }

    #[test]
    fn validation_never_panics(text in any_text()) {
        let voice = Voice { forbidden_words: vec!["café".into(), "x".into()], ..Voice::default() };
        for platform in PlatformKind::KNOWN {
            let rules = rules_for(&platform);
            let _ = validate_content(&PostContent::text(text.clone()), &platform, &rules, &voice);
        }
    }
}
