//! Mastodon renders statuses as HTML; callers want the text a person reads.

/// The text of a status's HTML `content`: paragraphs become blank lines, `<br>` a line
/// break, other tags vanish (a link's hidden parts included, so a shortened URL reads whole),
/// and character references are decoded.
pub(crate) fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(['<', '&']) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        if rest.starts_with('<') {
            let Some(end) = rest.find('>') else {
                out.push_str(rest);
                rest = "";
                break;
            };
            let tag = rest[1..end].trim().to_ascii_lowercase();
            let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            match (name.as_str(), tag.starts_with('/')) {
                ("br", _) => out.push('\n'),
                ("p", false) if !out.is_empty() => out.push_str("\n\n"),
                _ => {}
            }
            rest = &rest[end + 1..];
        } else {
            let (decoded, used) = entity(rest);
            out.push_str(&decoded);
            rest = &rest[used..];
        }
    }
    out.push_str(rest);
    out.trim().to_owned()
}

/// Decodes the character reference at the start of `text`: what it stands for and how many
/// bytes it used. A lone `&` stands for itself.
fn entity(text: &str) -> (String, usize) {
    let Some(end) = text.bytes().take(12).position(|byte| byte == b';') else { return ("&".to_owned(), 1) };
    let name = &text[1..end];
    let decoded = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let number = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok()
            } else {
                name.strip_prefix('#').and_then(|dec| dec.parse().ok())
            };
            number.and_then(char::from_u32)
        }
    };
    match decoded {
        Some(c) => (c.to_string(), end + 1),
        None => ("&".to_owned(), 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_breaks_links_and_mentions() {
        let html = r#"<p><span class="h-card"><a href="https://cafe.example/@ana" class="u-url mention">@<span>ana</span></a></span> ¡Gracias! Abrimos a las 8 ☕</p><p>Más en <a href="https://cafe.example/menu/otono" rel="nofollow noopener" target="_blank"><span class="invisible">https://</span><span class="ellipsis">cafe.example/menu/o</span><span class="invisible">tono</span></a><br />y <a href="https://cafe.example/tags/cafe" class="mention hashtag">#<span>cafe</span></a></p>"#;
        assert_eq!(
            to_text(html),
            "@ana ¡Gracias! Abrimos a las 8 ☕\n\nMás en https://cafe.example/menu/otono\ny #cafe"
        );
    }

    #[test]
    fn character_references_and_stray_ampersands() {
        assert_eq!(
            to_text("<p>a &amp; b &lt;3 &quot;hi&quot; &#39;x&#39; &#x1F600; & c &bogus; d</p>"),
            "a & b <3 \"hi\" 'x' 😀 & c &bogus; d"
        );
    }

    #[test]
    fn plain_text_and_broken_markup_do_not_panic() {
        assert_eq!(to_text("hola"), "hola");
        assert_eq!(to_text("<p>hola <b"), "hola <b");
        assert_eq!(to_text("&#99999999999;"), "&#99999999999;");
        assert_eq!(to_text(""), "");
        assert_eq!(to_text("&ñññññññ; x"), "&ñññññññ; x");
    }
}
