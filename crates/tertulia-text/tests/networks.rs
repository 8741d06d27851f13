//! Each network's rules in our own words: the cases a community manager meets.

use tertulia_core::{PlatformKind, TextRules};
use tertulia_text::{
    FacetFeature, Unit, XConfig, detect_facets, extract_cashtags, extract_entities, extract_fediverse_mentions,
    extract_hashtags, extract_mentions, extract_urls, fits, length, length_with_spoiler, rules_for, x_length,
};

fn values(found: Vec<tertulia_text::Entity>) -> Vec<String> {
    found.into_iter().map(|e| e.value).collect()
}

#[test]
fn x_weighs_scripts_emoji_and_links() {
    let x = rules_for(&PlatformKind::X);
    // Latin with accents, Cyrillic, Arabic, Hebrew: one each.
    assert_eq!(length("Café Привет مرحبا שלום", &x), 22);
    // Japanese, Chinese and Korean: two each.
    assert_eq!(length("抹茶ラテ", &x), 8);
    // An emoji with skin tone, a family and a flag: two each.
    assert_eq!(length("🙋🏽👨‍👩‍👧‍👦🇪🇸", &x), 6);
    // Any link, long or short, with or without scheme: 23.
    assert_eq!(length("https://cafetertulia.es/una/ruta/muy/larga/de/verdad?con=parametros", &x), 23);
    assert_eq!(length("cafetertulia.es", &x), 23);
    // Decomposed accents are composed first.
    assert_eq!(length("Cafe\u{301}", &x), 4);
    assert!(fits(&"a".repeat(280), &x));
    assert!(!fits(&"a".repeat(281), &x));
    assert!(!fits(&"漢".repeat(141), &x));
}

#[test]
fn x_reports_where_the_text_stops_fitting_in_utf16() {
    let text = format!("{}😷 fin", "a".repeat(279));
    let measured = x_length(&text, &XConfig::v3());
    assert_eq!(measured.weighted_length, 285);
    assert_eq!(measured.valid_range_end, 278);
    assert_eq!(measured.display_range_end, Unit::Utf16.len(&text) - 1);
}

#[test]
fn mastodon_counts_graphemes_links_and_remote_mentions() {
    let mastodon = rules_for(&PlatformKind::Mastodon);
    assert_eq!(length("👩‍👩‍👧‍👦", &mastodon), 1);
    assert_eq!(length("https://cafetertulia.es/una/ruta/muy/larga", &mastodon), 23);
    // Without a scheme it is just text.
    assert_eq!(length("cafetertulia.es", &mastodon), 15);
    // A link glued to a word is not a link.
    assert_eq!(length("mirahttps://cafetertulia.es", &mastodon), 27);
    assert_eq!(length("hola @ana@cafe.social", &mastodon), 9);
    assert_eq!(length_with_spoiler("ojo", "hola", &mastodon), 7);
}

#[test]
fn bluesky_caps_graphemes_and_bytes() {
    let bluesky = rules_for(&PlatformKind::Bluesky);
    assert!(fits(&"é".repeat(300), &bluesky));
    assert!(!fits(&"é".repeat(301), &bluesky));
    // 300 graphemes of 11 bytes each are far over 3000 bytes.
    let families = "👨‍👩‍👧".repeat(300);
    assert_eq!(length(&families, &bluesky), 300);
    assert!(!fits(&families, &bluesky));
}

#[test]
fn telegram_and_tiktok_count_utf16_units() {
    for platform in [PlatformKind::Telegram, PlatformKind::TikTok] {
        let rules = rules_for(&platform);
        assert_eq!(length("😀a", &rules), 3, "{platform}");
    }
    let plain = TextRules { max_length: 10, ..rules_for(&PlatformKind::Discord) };
    assert_eq!(length("😀a", &plain), 2);
}

#[test]
fn hashtags_in_any_script_and_with_fullwidth_sign() {
    let tags = values(extract_hashtags("#mañana #Čeština #ジャパン ＃全角 #ελληνικά #123 #a_b #ก้าว"));
    assert_eq!(tags, ["mañana", "Čeština", "ジャパン", "全角", "ελληνικά", "a_b", "ก้าว"]);
    // Not inside a word or a link.
    assert!(extract_hashtags("café#no https://cafetertulia.es/#menu").is_empty());
}

#[test]
fn mentions_of_each_network() {
    assert_eq!(values(extract_mentions("RT @ana: gracias @bruno_1!")), ["ana", "bruno_1"]);
    let fedi = extract_fediverse_mentions("hola @ana@cafe.social y @bruno");
    assert_eq!(fedi[0].host.as_deref(), Some("cafe.social"));
    let facets = detect_facets("hola @ana.bsky.social y @nadie")
        .resolve(|handle| (handle == "ana.bsky.social").then(|| "did:plc:ana".to_owned()));
    assert_eq!(facets.len(), 1);
    assert_eq!(facets[0].features[0], FacetFeature::Mention { did: "did:plc:ana".into() });
    assert_eq!((facets[0].index.byte_start, facets[0].index.byte_end), (5, 21));
}

#[test]
fn urls_with_parentheses_punctuation_and_unicode_domains() {
    let found = values(extract_urls(
        "Lee (https://es.wikipedia.org/wiki/Café_(bebida)), mira http://☃.net/ y cafetertulia.es. ¿Sí? www.foo.co.uk!",
    ));
    assert_eq!(
        found,
        ["https://es.wikipedia.org/wiki/Café_(bebida)", "http://☃.net/", "cafetertulia.es", "www.foo.co.uk"]
    );
    // A dotted word that does not end in a real TLD is not a link.
    assert!(extract_urls("archivo.tar.bz2 y v1.2").is_empty());
}

#[test]
fn cashtags_and_offsets_in_every_unit() {
    assert_eq!(values(extract_cashtags("$CAFE y $TEST.T suben")), ["CAFE", "TEST.T"]);
    let text = "😀 $CAFE";
    let entity = &extract_entities(text)[0];
    assert_eq!(entity.range, 5..10);
    assert_eq!(entity.span(text, Unit::Utf16).start, 3);
    assert_eq!(entity.span(text, Unit::Chars).start, 2);
}
