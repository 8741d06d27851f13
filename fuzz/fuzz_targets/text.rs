//! Feeds arbitrary text to every entry point of tertulia-text and checks what must always
//! hold: nothing panics, ranges fall on character boundaries, cut text fits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tertulia_core::{PlatformKind, PostContent, TextRules, Voice};
use tertulia_text::{
    SplitOptions, Unit, XConfig, analyze, detect_facets, extract_entities, extract_fediverse_mentions, fits,
    is_valid_hashtag, is_valid_list, is_valid_url, is_valid_username, length, rules_for, split_thread, truncate,
    validate_content, x_length,
};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    for platform in PlatformKind::KNOWN {
        let rules = rules_for(&platform);
        let _ = length(text, &rules);
        let found = analyze(text, &rules);
        assert_eq!(found.length, length(text, &rules));
        let voice = Voice { forbidden_words: vec!["café".into()], ..Voice::default() };
        let _ = validate_content(&PostContent::text(text), &platform, &rules, &voice);
    }
    for config in [XConfig::v1(), XConfig::v2(), XConfig::v3()] {
        let _ = x_length(text, &config);
    }
    for entity in extract_entities(text) {
        assert!(text.is_char_boundary(entity.range.start) && text.is_char_boundary(entity.range.end));
        let _ = entity.span(text, Unit::Utf16);
    }
    for mention in extract_fediverse_mentions(text) {
        assert!(text.get(mention.range.clone()).is_some());
    }
    for facet in detect_facets(text).resolve(|handle| Some(handle.to_owned())) {
        assert!(text.get(facet.index.byte_start..facet.index.byte_end).is_some());
    }
    let _ = (is_valid_url(text, true), is_valid_url(text, false));
    let _ = (is_valid_hashtag(text), is_valid_list(text), is_valid_username(text));
    let small = TextRules { max_length: 40, ..rules_for(&PlatformKind::Bluesky) };
    let cut = truncate(text, &small, "…");
    assert!(fits(&cut, &small));
    if text.len() < 4096 {
        if let Ok(parts) = split_thread(text, &small, SplitOptions { numbering: true }) {
            assert!(parts.iter().all(|part| fits(part, &small)));
        }
    }
});
