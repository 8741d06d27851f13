//! Publishes one text (and optionally one image) to a brand's accounts on several networks,
//! after checking it against each network's rules, and prints each outcome and link.
//!
//! ```sh
//! export TERTULIA_BLUESKY_HANDLE=cafetertulia.bsky.social
//! export TERTULIA_BLUESKY_PASSWORD=xxxx-xxxx-xxxx-xxxx     # an app password
//! export TERTULIA_MASTODON_URL=https://mastodon.example
//! export TERTULIA_MASTODON_TOKEN=...                        # a token with write:statuses, write:media
//! cargo run --example cross_post --features bluesky,mastodon,text -- \
//!     --text "Abrimos a las 8 ☕ #CaféTertulia" --image taza.png --alt "Una taza de café"
//! ```
//!
//! Every setting is a flag or an environment variable:
//!
//! | flag | variable | meaning |
//! |---|---|---|
//! | `--text` | `TERTULIA_TEXT` | the text to publish |
//! | `--image` | `TERTULIA_IMAGE` | a PNG, JPEG, GIF or WebP file to attach |
//! | `--alt` | `TERTULIA_ALT` | the image's alt text |
//! | `--language` | `TERTULIA_LANGUAGE` | the text's language (BCP-47) |
//! | `--bluesky-service` | `TERTULIA_BLUESKY_SERVICE` | the PDS (default `https://bsky.social`) |
//! | `--bluesky-handle` | `TERTULIA_BLUESKY_HANDLE` | the Bluesky handle |
//! | `--bluesky-password` | `TERTULIA_BLUESKY_PASSWORD` | its app password |
//! | `--bluesky-web` | `TERTULIA_BLUESKY_WEB` | where links point (default `https://bsky.app`) |
//! | `--mastodon-url` | `TERTULIA_MASTODON_URL` | the Mastodon server |
//! | `--mastodon-token` | `TERTULIA_MASTODON_TOKEN` | the account's access token |
//!
//! A network whose account is not given is skipped; the text is checked against the rules
//! of every network given (a Mastodon server's own limits, read when connecting) before
//! anything is published anywhere. Against the local Bluesky network of
//! `scripts/bluesky-network/` use `--bluesky-service http://127.0.0.1:2583`.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;

use tertulia::bluesky::{Bluesky, BlueskyConfig};
use tertulia::mastodon::{Mastodon, MastodonConfig};
use tertulia::text;
use tertulia::{ClientMarker, IdempotencyKey, MediaUpload, Platform, PublishRequest, PublishStatus, TextRules};

/// Settings from flags (`--name value`) first, then from `TERTULIA_NAME` variables.
struct Settings(HashMap<String, String>);

impl Settings {
    fn read() -> Result<Self, String> {
        let mut values = HashMap::new();
        let mut args = std::env::args().skip(1);
        while let Some(flag) = args.next() {
            let name = flag.strip_prefix("--").ok_or_else(|| format!("unexpected argument `{flag}`"))?;
            let value = args.next().ok_or_else(|| format!("`{flag}` needs a value"))?;
            values.insert(name.to_owned(), value);
        }
        Ok(Settings(values))
    }

    fn get(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned().or_else(|| {
            let variable = format!("TERTULIA_{}", name.to_ascii_uppercase().replace('-', "_"));
            std::env::var(variable).ok()
        })
    }
}

/// One network to publish to.
struct Target {
    name: &'static str,
    platform: Arc<dyn Platform>,
}

/// Connects every network whose account is given.
async fn connect_all(settings: &Settings) -> Result<Vec<Target>, String> {
    let mut targets = Vec::new();
    if let (Some(handle), Some(password)) = (settings.get("bluesky-handle"), settings.get("bluesky-password")) {
        let service = settings.get("bluesky-service").unwrap_or_else(|| "https://bsky.social".to_owned());
        let service = service.parse().map_err(|e| format!("bluesky service `{service}`: {e}"))?;
        let mut config = BlueskyConfig::new(service, handle).password(password);
        if let Some(web) = settings.get("bluesky-web") {
            config = config.web_url(web);
        }
        let bluesky = Bluesky::connect(config).await.map_err(|e| e.to_string())?;
        targets.push(Target { name: "bluesky", platform: Arc::new(bluesky) });
    }
    if let (Some(url), Some(token)) = (settings.get("mastodon-url"), settings.get("mastodon-token")) {
        let url = url.parse().map_err(|e| format!("mastodon server `{url}`: {e}"))?;
        let mastodon = Mastodon::connect(MastodonConfig::new(url, token)).await.map_err(|e| e.to_string())?;
        targets.push(Target { name: "mastodon", platform: Arc::new(mastodon) });
    }
    Ok(targets)
}

/// Checks the text against a network's rules (counted in the network's own unit by
/// `tertulia-text`) before anything is sent.
fn check(text: &str, rules: &TextRules, images: usize) -> Result<(), String> {
    if !text::fits(text, rules) {
        let max_bytes = rules.max_bytes.map(|max| format!(" and {max} bytes")).unwrap_or_default();
        return Err(format!(
            "{} {:?} and {} bytes; at most {}{max_bytes}",
            text::length(text, rules),
            rules.counter,
            text.len(),
            rules.max_length
        ));
    }
    if images > rules.media.max_items as usize {
        return Err(format!("{images} images, at most {}", rules.media.max_items));
    }
    Ok(())
}

fn mime_of(path: &str) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase();
    [
        (".png", "image/png"),
        (".jpg", "image/jpeg"),
        (".jpeg", "image/jpeg"),
        (".gif", "image/gif"),
        (".webp", "image/webp"),
    ]
    .into_iter()
    .find(|(ext, _)| lower.ends_with(ext))
    .map(|(_, mime)| mime)
}

/// Width and height from a PNG header, so the network keeps the aspect ratio.
fn png_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" {
        return None;
    }
    let width = u32::from_be_bytes(bytes[16..20].try_into().ok()?);
    let height = u32::from_be_bytes(bytes[20..24].try_into().ok()?);
    Some((width, height))
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("cross_post: {message}");
            ExitCode::from(2)
        }
    }
}

/// Publishes everywhere; `Ok(false)` when some network did not publish.
async fn run() -> Result<bool, String> {
    let settings = Settings::read()?;
    let text = settings.get("text").ok_or("give the text with --text or TERTULIA_TEXT")?;
    let image = match settings.get("image") {
        Some(path) => {
            let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
            let mime = mime_of(&path).ok_or_else(|| format!("{path}: not a PNG, JPEG, GIF or WebP file"))?;
            let mut upload = MediaUpload::new(bytes, mime);
            if let Some((width, height)) = png_dimensions(&upload.bytes) {
                upload = upload.dimensions(width, height);
            }
            if let Some(alt) = settings.get("alt") {
                upload = upload.alt_text(alt);
            }
            Some(upload)
        }
        None => None,
    };
    let targets = connect_all(&settings).await?;
    if targets.is_empty() {
        return Err("no account given: set TERTULIA_BLUESKY_HANDLE and TERTULIA_BLUESKY_PASSWORD, \
                    or TERTULIA_MASTODON_URL and TERTULIA_MASTODON_TOKEN"
            .into());
    }

    // Check against every network first: publish nowhere unless it fits everywhere.
    let images = usize::from(image.is_some());
    let mut refusals = Vec::new();
    for target in &targets {
        if let Err(why) = check(&text, &target.platform.capabilities().text, images) {
            refusals.push(format!("{}: {why}", target.name));
        }
    }
    if !refusals.is_empty() {
        return Err(format!("the text does not fit: {}", refusals.join("; ")));
    }

    // One key per network and text: running the example twice with the same text in the
    // same process would not post twice.
    let stamp = chrono_free_stamp();
    let mut all_out = true;
    for target in &targets {
        let key = format!("cross-post/{stamp}/{}", target.name);
        let mut request = PublishRequest::new(text.clone(), IdempotencyKey::new(&key), ClientMarker::new(&key));
        if let Some(language) = settings.get("language") {
            request = request.language(language);
        }
        if let Some(upload) = &image {
            match target.platform.upload_media(upload).await {
                Ok(media) => request = request.media([media.id]),
                Err(error) => {
                    println!("{}: the image was not uploaded: {error}", target.name);
                    all_out = false;
                    continue;
                }
            }
        }
        let outcome = target.platform.publish(&request).await;
        match &outcome.status {
            PublishStatus::Published { reference, .. } => {
                let link = reference.url.as_ref().map(|u| u.to_string()).unwrap_or_default();
                println!("{}: published {} {link}", target.name, reference.id);
            }
            PublishStatus::Scheduled { id, at } => println!("{}: scheduled {id} for {at}", target.name),
            PublishStatus::Failed(error) => {
                println!("{}: not published: {error}", target.name);
                all_out = false;
            }
            PublishStatus::Unknown(error) => {
                println!("{}: unknown, look it up before retrying (key {key}): {error}", target.name);
                all_out = false;
            }
        }
    }
    Ok(all_out)
}

/// Seconds since the epoch, to make this run's keys.
fn chrono_free_stamp() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}
