//! Tests against a real Bluesky network on 127.0.0.1 (PLC, PDS and AppView of the reference
//! implementation), started by `scripts/bluesky-network/start.sh`; `.ci/bluesky-network.sh`
//! installs it, starts it, runs these with `--ignored` and stops it.
//!
//! They read the network's addresses from `TERTULIA_BSKY_PDS_URL` and
//! `TERTULIA_BSKY_CONTROL_URL`. Without the network they are reported as ignored; run with
//! `--ignored` and no network, they fail and say why.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tertulia_bluesky::{Bluesky, BlueskyConfig, Session};
use tertulia_core::{
    ClientMarker, ErrorKind, IdempotencyKey, InteractionKind, InteractionQuery, MediaUpload, Platform, PlatformExt,
    PublishLookup, PublishRequest, PublishStatus, RemoteId, ReplyRequest, SearchQuery,
};

const PASSWORD: &str = "una-clave-larga-de-prueba";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: start the network with scripts/bluesky-network/start.sh and source the env file it writes")
    })
}

fn pds() -> String {
    env("TERTULIA_BSKY_PDS_URL")
}

/// A handle no other test (nor an earlier run on the same network) uses.
fn unique(name: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    format!("{name}{}{n}.test", stamp % 100_000_000)
}

struct Account {
    handle: String,
    did: String,
    jwt: String,
}

async fn create_account(name: &str) -> Account {
    let handle = unique(name);
    let out: Value = reqwest::Client::new()
        .post(format!("{}/xrpc/com.atproto.server.createAccount", pds()))
        .json(&json!({"handle": handle, "email": format!("{handle}@example.com"), "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .await
        .unwrap();
    Account { handle, did: out["did"].as_str().unwrap().to_owned(), jwt: out["accessJwt"].as_str().unwrap().to_owned() }
}

fn config(account: &Account) -> BlueskyConfig {
    BlueskyConfig::new(pds().parse().unwrap(), &account.handle).password(PASSWORD).web_url("http://localhost:2584")
}

async fn connect(account: &Account) -> Bluesky {
    Bluesky::connect(config(account)).await.unwrap()
}

/// Waits until the AppView has indexed everything the PDS has written.
async fn process_all() {
    let response =
        reqwest::Client::new().post(format!("{}/process-all", env("TERTULIA_BSKY_CONTROL_URL"))).send().await.unwrap();
    assert!(response.status().is_success(), "process-all: {}", response.text().await.unwrap_or_default());
}

/// Polls `check` until it returns `Some`, for at most 15 seconds.
async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(Instant::now() < deadline, "{what}: not seen within 15 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A raw XRPC GET, to look at what the server holds without the adapter's reading.
async fn xrpc_get(nsid: &str, query: &[(&str, &str)]) -> reqwest::Response {
    reqwest::Client::new().get(format!("{}/xrpc/{nsid}", pds())).query(query).send().await.unwrap()
}

async fn record_of(uri: &str) -> Value {
    let parts: Vec<&str> = uri.trim_start_matches("at://").split('/').collect();
    let response =
        xrpc_get("com.atproto.repo.getRecord", &[("repo", parts[0]), ("collection", parts[1]), ("rkey", parts[2])])
            .await;
    assert!(response.status().is_success(), "getRecord {uri}: {}", response.status());
    response.json().await.unwrap()
}

/// Writes a record as `account`, as another client would (likes, reposts, follows, quotes).
async fn create_record(account: &Account, collection: &str, record: Value) -> Value {
    reqwest::Client::new()
        .post(format!("{}/xrpc/com.atproto.repo.createRecord", pds()))
        .bearer_auth(&account.jwt)
        .json(&json!({"repo": account.did, "collection": collection, "record": record}))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn request(text: &str, key: &str) -> PublishRequest {
    PublishRequest::new(text, IdempotencyKey::new(key), ClientMarker::new(key))
}

fn published(status: &PublishStatus) -> tertulia_core::RemoteRef {
    match status {
        PublishStatus::Published { reference, .. } => reference.clone(),
        other => panic!("not published: {other:?}"),
    }
}

#[tokio::test]
#[ignore = "needs a local Bluesky network: run .ci/bluesky-network.sh"]
async fn a_session_is_created_refreshed_and_handed_over() {
    let ana = create_account("ana").await;
    let seen: Arc<Mutex<Vec<Session>>> = Arc::default();
    let sink = seen.clone();
    let adapter =
        Bluesky::connect(config(&ana).on_session(move |s| sink.lock().unwrap().push(s.clone()))).await.unwrap();
    let first = adapter.session().await;
    assert_eq!(first.did(), ana.did);
    assert_eq!(first.handle(), ana.handle);
    assert_eq!(seen.lock().unwrap().len(), 1, "the new session is handed over");

    let refreshed = adapter.refresh_session().await.unwrap();
    // The access token is signed over the same claims within the same second, so only the
    // refresh token (which has its own id) is sure to differ.
    assert_ne!(refreshed.refresh_jwt(), first.refresh_jwt());
    assert!(!refreshed.access_jwt().is_empty());
    assert_eq!(seen.lock().unwrap().last(), Some(&refreshed), "the refreshed session is handed over");

    // The refreshed session works, and a restored one does too.
    assert_eq!(adapter.account().await.unwrap().handle.as_str(), ana.handle);
    let restored = Bluesky::connect(BlueskyConfig::new(pds().parse().unwrap(), &ana.handle).session(refreshed.clone()))
        .await
        .unwrap();
    assert_eq!(restored.account().await.unwrap().id.as_str(), ana.did);
    assert!(!format!("{restored:?} {refreshed:?}").contains(refreshed.access_jwt()));

    // A wrong password is an authentication error, not a panic.
    let wrong = BlueskyConfig::new(pds().parse().unwrap(), &ana.handle).password("not-the-password");
    assert_eq!(Bluesky::connect(wrong).await.unwrap_err().kind(), ErrorKind::Unauthenticated);
}

/// The access token of `session`, re-signed with an expiry in the past. The local PDS signs
/// its tokens with HMAC-SHA256 and `@atproto/dev-env`'s secret, `jwt-secret`.
fn expired(access_jwt: &str) -> String {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use hmac::{Hmac, Mac};
    let mut parts = access_jwt.split('.');
    let (header, payload) = (parts.next().unwrap(), parts.next().unwrap());
    let mut claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    let iat = claims["iat"].as_i64().unwrap();
    claims["iat"] = json!(iat - 7_200);
    claims["exp"] = json!(iat - 60);
    let signed = format!("{header}.{}", URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap()));
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(b"jwt-secret").unwrap();
    mac.update(signed.as_bytes());
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

#[tokio::test]
#[ignore = "needs a local Bluesky network: run .ci/bluesky-network.sh"]
async fn an_expired_access_token_is_a_400_and_is_refreshed() {
    let ana = create_account("ana").await;
    let fresh = connect(&ana).await.session().await;
    let stale = expired(fresh.access_jwt());
    // What the PDS answers an expired token: 400 ExpiredToken, not 401.
    let raw = reqwest::Client::new()
        .get(format!("{}/xrpc/com.atproto.server.getSession", pds()))
        .bearer_auth(&stale)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 400);
    let body: Value = raw.json().await.unwrap();
    assert_eq!(body["error"], "ExpiredToken", "{body}");

    // The adapter, started from that session, refreshes and goes on.
    let seen: Arc<Mutex<Vec<Session>>> = Arc::default();
    let sink = seen.clone();
    let session = Session::new(fresh.did(), fresh.handle(), stale.as_str(), fresh.refresh_jwt()).unwrap();
    let adapter = Bluesky::connect(
        BlueskyConfig::new(pds().parse().unwrap(), &ana.handle)
            .session(session)
            .on_session(move |s| sink.lock().unwrap().push(s.clone())),
    )
    .await
    .unwrap();
    let outcome = adapter.publish(&request("Sigo aquí tras renovar la sesión", "expired-1")).await;
    let reference = published(&outcome.status);
    assert_eq!(record_of(reference.id.as_str()).await["value"]["text"], "Sigo aquí tras renovar la sesión");
    let handed = seen.lock().unwrap().clone();
    assert_eq!(handed.len(), 1, "the refreshed session is handed over once");
    assert_ne!(handed[0].access_jwt(), stale);
    assert_ne!(handed[0].refresh_jwt(), fresh.refresh_jwt());
    assert_eq!(adapter.session().await, handed[0]);
}

#[tokio::test]
#[ignore = "needs a local Bluesky network: run .ci/bluesky-network.sh"]
async fn facets_point_at_exactly_the_right_bytes() {
    let ana = create_account("ana").await;
    let bruno = create_account("bruno").await;
    let adapter = connect(&ana).await;
    let text = format!(
        "¡Buenos días! ☕👩‍👩‍👧 Café con @{} en https://example.com/menú?día=lunes. #TertuliaCafé ¿vienes?",
        bruno.handle
    );
    let outcome = adapter.publish(&request(&text, "facets-1").language("es")).await;
    let reference = published(&outcome.status);

    let stored = record_of(reference.id.as_str()).await;
    let value = &stored["value"];
    assert_eq!(value["text"], text.as_str());
    assert_eq!(value["langs"], json!(["es"]));
    let bytes = text.as_bytes();
    let facets = value["facets"].as_array().unwrap();
    let spans: Vec<(String, Value)> = facets
        .iter()
        .map(|f| {
            let start = f["index"]["byteStart"].as_u64().unwrap() as usize;
            let end = f["index"]["byteEnd"].as_u64().unwrap() as usize;
            (String::from_utf8(bytes[start..end].to_vec()).unwrap(), f["features"][0].clone())
        })
        .collect();
    assert_eq!(spans.len(), 3, "{spans:?}");
    assert_eq!(spans[0].0, format!("@{}", bruno.handle));
    assert_eq!(spans[0].1, json!({"$type": "app.bsky.richtext.facet#mention", "did": bruno.did}));
    assert_eq!(spans[1].0, "https://example.com/menú?día=lunes");
    assert_eq!(
        spans[1].1,
        json!({"$type": "app.bsky.richtext.facet#link", "uri": "https://example.com/menú?día=lunes"})
    );
    assert_eq!(spans[2].0, "#TertuliaCafé");
    assert_eq!(spans[2].1, json!({"$type": "app.bsky.richtext.facet#tag", "tag": "TertuliaCafé"}));

    // Read back through the adapter: from the AppView once indexed.
    process_all().await;
    let post = adapter.get_post(&reference.id).await.unwrap();
    assert_eq!(post.text, text);
    assert_eq!(post.language.as_deref(), Some("es"));
    assert_eq!(post.reference.revision, reference.revision);
    assert_eq!(post.author.id.as_str(), ana.did);
    assert!(post.metrics.is_some());
}

#[tokio::test]
#[ignore = "needs a local Bluesky network: run .ci/bluesky-network.sh"]
async fn a_link_becomes_a_card() {
    let ana = create_account("ana").await;
    let adapter = connect(&ana).await;
    let link: url::Url = "https://example.com/carta-de-otono".parse().unwrap();
    let reference =
        published(&adapter.publish(&request("Nueva carta de otoño", "card-1").link(link.clone())).await.status);
    let stored = record_of(reference.id.as_str()).await;
    assert_eq!(
        stored["value"]["embed"],
        json!({"$type": "app.bsky.embed.external",
               "external": {"uri": link.as_str(), "title": "example.com", "description": ""}})
    );
    process_all().await;
    let view: Value = reqwest::Client::new()
        .get(format!("{}/xrpc/app.bsky.feed.getPosts", env("TERTULIA_BSKY_APPVIEW_URL")))
        .query(&[("uris", reference.id.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(view["posts"][0]["embed"]["$type"], "app.bsky.embed.external#view", "{view}");
    assert_eq!(view["posts"][0]["embed"]["external"]["uri"], link.as_str());
}

/// A 3×2 PNG: signature, IHDR, one IDAT (zlib, stored), IEND; CRCs computed.
fn png() -> Vec<u8> {
    fn crc(data: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for byte in data {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { 0xedb8_8320 ^ (crc >> 1) } else { crc >> 1 };
            }
        }
        !crc
    }
    fn adler(data: &[u8]) -> u32 {
        let (mut a, mut b) = (1u32, 0u32);
        for byte in data {
            a = (a + u32::from(*byte)) % 65521;
            b = (b + a) % 65521;
        }
        (b << 16) | a
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc(&body).to_be_bytes());
    }
    let (width, height) = (3u32, 2u32);
    let mut raw = Vec::new();
    for y in 0..height {
        raw.push(0); // filter: none
        for x in 0..width {
            raw.extend([(x * 80) as u8, (y * 120) as u8, 0x6f]);
        }
    }
    let mut zlib = vec![0x78, 0x01, 0x01];
    zlib.extend((raw.len() as u16).to_le_bytes());
    zlib.extend((!(raw.len() as u16)).to_le_bytes());
    zlib.extend(&raw);
    zlib.extend(adler(&raw).to_be_bytes());
    let mut ihdr = Vec::new();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &zlib);
    chunk(&mut out, b"IEND", &[]);
    out
}

#[tokio::test]
#[ignore = "needs a local Bluesky network: run .ci/bluesky-network.sh"]
async fn an_image_with_alt_text_reads_back_byte_for_byte() {
    let ana = create_account("ana").await;
    let adapter = connect(&ana).await;
    let bytes = png();
    let upload =
        MediaUpload::new(bytes.clone(), "image/png").alt_text("Una taza de café sobre la barra").dimensions(3, 2);
    let media = adapter.upload_media(&upload).await.unwrap();
    assert_eq!(media.alt_text.as_deref(), Some("Una taza de café sobre la barra"));
    let outcome = adapter.publish(&request("Nuestra taza nueva", "image-1").media([media.id])).await;
    let reference = published(&outcome.status);

    let stored = record_of(reference.id.as_str()).await;
    let image = &stored["value"]["embed"]["images"][0];
    assert_eq!(stored["value"]["embed"]["$type"], "app.bsky.embed.images");
    assert_eq!(image["alt"], "Una taza de café sobre la barra");
    assert_eq!(image["aspectRatio"], json!({"width": 3, "height": 2}));
    assert_eq!(image["image"]["mimeType"], "image/png");
    assert_eq!(image["image"]["size"], bytes.len());
    let cid = image["image"]["ref"]["$link"].as_str().unwrap();
    let blob = xrpc_get("com.atproto.sync.getBlob", &[("did", ana.did.as_str()), ("cid", cid)]).await;
    assert!(blob.status().is_success());
    assert_eq!(blob.bytes().await.unwrap().to_vec(), bytes, "the blob reads back byte for byte");

    let post = adapter.get_post(&reference.id).await.unwrap();
    assert_eq!(post.media.len(), 1);
    assert_eq!(post.media[0].alt_text.as_deref(), Some("Una taza de café sobre la barra"));
}

#[tokio::test]
#[ignore = "needs a local Bluesky network: run .ci/bluesky-network.sh"]
async fn a_three_part_thread_carries_root_and_parent() {
    let ana = create_account("ana").await;
    let adapter = connect(&ana).await;
    let parts = [
        request("Hoy en Café Tertulia: 1/3", "thread-1"),
        request("El café del día viene de Huila. 2/3", "thread-2"),
        request("Y a las 18 h, tertulia abierta. 3/3", "thread-3"),
    ];
    let outcomes = adapter.publish_thread(&parts).await;
    assert_eq!(outcomes.len(), 3);
    let refs: Vec<_> = outcomes.iter().map(|o| published(&o.status)).collect();
    let strong = |r: &tertulia_core::RemoteRef| json!({"uri": r.id.as_str(), "cid": r.revision.as_deref().unwrap()});

    let first = record_of(refs[0].id.as_str()).await;
    assert!(first["value"].get("reply").is_none(), "the first part is a post, not a reply");
    let second = record_of(refs[1].id.as_str()).await;
    assert_eq!(second["value"]["reply"]["root"], strong(&refs[0]));
    assert_eq!(second["value"]["reply"]["parent"], strong(&refs[0]));
    let third = record_of(refs[2].id.as_str()).await;
    assert_eq!(third["value"]["reply"]["root"], strong(&refs[0]));
    assert_eq!(third["value"]["reply"]["parent"], strong(&refs[1]));

    process_all().await;
    let thread = adapter.thread(&refs[0].id, 10).await.unwrap();
    assert_eq!(thread.post.reference.id, refs[0].id);
    let below: Vec<&str> = thread.descendants().iter().map(|p| p.reference.id.as_str()).collect();
    assert_eq!(below, vec![refs[1].id.as_str(), refs[2].id.as_str()]);
    let third_post = adapter.get_post(&refs[2].id).await.unwrap();
    assert_eq!(third_post.in_reply_to.as_ref(), Some(&refs[1].id));
}

#[tokio::test]
#[ignore = "needs a local Bluesky network: run .ci/bluesky-network.sh"]
async fn a_deleted_post_is_gone() {
    let ana = create_account("ana").await;
    let adapter = connect(&ana).await;
    let reference = published(&adapter.publish(&request("Esto se borra", "delete-1")).await.status);
    assert_eq!(adapter.get_post(&reference.id).await.unwrap().text, "Esto se borra");
    adapter.delete(&reference.id).await.unwrap();
    let parts: Vec<&str> = reference.id.as_str().trim_start_matches("at://").split('/').collect();
    let gone =
        xrpc_get("com.atproto.repo.getRecord", &[("repo", parts[0]), ("collection", parts[1]), ("rkey", parts[2])])
            .await;
    assert_eq!(gone.status().as_u16(), 400);
    process_all().await;
    assert_eq!(adapter.get_post(&reference.id).await.unwrap_err().kind(), ErrorKind::NotFound);
    // Deleting again is harmless; deleting someone else's post is refused before sending.
    adapter.delete(&reference.id).await.unwrap();
    let other = RemoteId::new("at://did:plc:someoneelse/app.bsky.feed.post/3k4duaz5vfs2b");
    assert_eq!(adapter.delete(&other).await.unwrap_err().kind(), ErrorKind::PermissionDenied);
}

#[tokio::test]
#[ignore = "needs a local Bluesky network: run .ci/bluesky-network.sh"]
async fn the_same_key_never_makes_a_second_post() {
    let ana = create_account("ana").await;
    let adapter = connect(&ana).await;
    let first = published(&adapter.publish(&request("Solo una vez", "once-1")).await.status);
    // Publishing the same key again (a retry after a lost answer) finds the same post.
    let again = published(&adapter.publish(&request("Solo una vez", "once-1")).await.status);
    assert_eq!(again.id, first.id);
    let list: Value = xrpc_get(
        "com.atproto.repo.listRecords",
        &[("repo", ana.did.as_str()), ("collection", "app.bsky.feed.post"), ("limit", "10")],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(list["records"].as_array().unwrap().len(), 1, "one post, not two");

    // The same key with another text is a conflict, not a second post.
    let other = adapter.publish(&request("Otro texto", "once-1")).await;
    match other.status {
        PublishStatus::Failed(error) => assert_eq!(error.kind(), ErrorKind::Conflict),
        status => panic!("{status:?}"),
    }

    // A new process that lost the outcome finds the post by its key and text.
    let sent_at = chrono::Utc::now() - chrono::Duration::minutes(1);
    let fresh = connect(&ana).await;
    let lookup = PublishLookup::for_request(&request("Solo una vez", "once-1"), sent_at);
    let found = fresh.find_by_marker(&lookup).await.unwrap().expect("found by marker");
    assert_eq!(found.reference.id, first.id);
    let missing = PublishLookup::for_request(&request("Solo una vez", "never-sent"), sent_at);
    assert!(fresh.find_by_marker(&missing).await.unwrap().is_none());
}

#[tokio::test]
#[ignore = "needs a local Bluesky network: run .ci/bluesky-network.sh"]
async fn the_community_answers_and_the_adapter_hears_it() {
    let ana = create_account("ana").await;
    let bruno = create_account("bruno").await;
    let brand = connect(&ana).await;
    let fan = connect(&bruno).await;
    let word = format!("cafeteria{}", bruno.did.len() + unique("x").len());
    let post = published(
        &brand.publish(&request(&format!("Nuevo horario de Café Tertulia {word}"), "inbound-1")).await.status,
    );
    // A reply must not be indexed before its parent: wait until the AppView has the post.
    process_all().await;
    eventually("the post on the AppView", || async { brand.post_metrics(&post.id).await.ok() }).await;

    let strong = json!({"uri": post.id.as_str(), "cid": post.revision.as_deref().unwrap()});
    let reply = fan
        .reply(&ReplyRequest::new(
            post.id.clone(),
            "¡Genial, allí estaré!",
            IdempotencyKey::new("r-1"),
            ClientMarker::new("r-1"),
        ))
        .await;
    let reply = published(&reply.status);
    let mention =
        published(&fan.publish(&request(&format!("Recomiendo @{} a todo el mundo", ana.handle), "m-1")).await.status);
    create_record(
        &bruno,
        "app.bsky.feed.like",
        json!({"$type": "app.bsky.feed.like", "subject": strong, "createdAt": now()}),
    )
    .await;
    create_record(
        &bruno,
        "app.bsky.feed.repost",
        json!({"$type": "app.bsky.feed.repost", "subject": strong, "createdAt": now()}),
    )
    .await;
    let quote = create_record(
        &bruno,
        "app.bsky.feed.post",
        json!({"$type": "app.bsky.feed.post", "text": format!("Mirad esto {word}"), "createdAt": now(),
               "embed": {"$type": "app.bsky.embed.record", "record": strong}}),
    )
    .await;
    create_record(
        &bruno,
        "app.bsky.graph.follow",
        json!({"$type": "app.bsky.graph.follow", "subject": ana.did, "createdAt": now()}),
    )
    .await;
    process_all().await;

    // Every interaction, two per page, following the cursors.
    let mut seen = Vec::new();
    let mut query = InteractionQuery::default().limit(2);
    let mut pages = 0;
    loop {
        let page = brand.list_interactions(&query).await.unwrap();
        pages += 1;
        assert!(page.items.len() <= 2);
        seen.extend(page.items);
        match page.next {
            Some(cursor) if pages < 10 => query = query.cursor(cursor),
            _ => break,
        }
    }
    assert!(pages >= 3, "six interactions at two per page take three pages or more");
    let kinds: BTreeSet<_> = seen.iter().map(|i| i.kind.clone()).collect();
    let expected: BTreeSet<_> = [
        InteractionKind::Reply,
        InteractionKind::Mention,
        InteractionKind::Reaction,
        InteractionKind::Repost,
        InteractionKind::Quote,
        InteractionKind::Follow,
    ]
    .into();
    assert_eq!(kinds, expected);
    assert_eq!(seen.len(), 6, "no interaction twice: {seen:#?}");
    for interaction in &seen {
        assert_eq!(interaction.author.id.as_str(), bruno.did);
        assert_eq!(interaction.author.handle.as_str(), bruno.handle);
    }
    let by_kind = |kind: InteractionKind| seen.iter().find(|i| i.kind == kind).unwrap();
    let r = by_kind(InteractionKind::Reply);
    assert_eq!(r.id, reply.id);
    assert_eq!(r.text.as_deref(), Some("¡Genial, allí estaré!"));
    assert_eq!(r.in_reply_to.as_ref(), Some(&post.id));
    assert_eq!(r.conversation.as_ref().map(|c| c.as_str()), Some(post.id.as_str()));
    assert_eq!(by_kind(InteractionKind::Mention).id, mention.id);
    assert_eq!(by_kind(InteractionKind::Reaction).subject.as_ref(), Some(&post.id));
    assert_eq!(by_kind(InteractionKind::Repost).subject.as_ref(), Some(&post.id));
    let q = by_kind(InteractionKind::Quote);
    assert_eq!(q.id.as_str(), quote["uri"].as_str().unwrap());
    assert_eq!(q.subject.as_ref(), Some(&post.id));
    assert!(by_kind(InteractionKind::Follow).text.is_none());

    // Only some kinds.
    let replies = brand.list_interactions(&InteractionQuery::default().kinds([InteractionKind::Reply])).await.unwrap();
    assert_eq!(replies.items.len(), 1);
    assert_eq!(replies.items[0].kind, InteractionKind::Reply);

    // The brand answers the reply: a reply whose root is the brand's post.
    let answer = brand
        .reply(&ReplyRequest::new(
            reply.id.clone(),
            "¡Te esperamos!",
            IdempotencyKey::new("a-1"),
            ClientMarker::new("a-1"),
        ))
        .await;
    let answer = published(&answer.status);
    let stored = record_of(answer.id.as_str()).await;
    assert_eq!(stored["value"]["reply"]["root"]["uri"], post.id.as_str());
    assert_eq!(stored["value"]["reply"]["parent"]["uri"], reply.id.as_str());

    // The thread and the counts.
    process_all().await;
    let thread = brand.thread(&post.id, 6).await.unwrap();
    let below: Vec<&str> = thread.descendants().iter().map(|p| p.reference.id.as_str()).collect();
    assert_eq!(below, vec![reply.id.as_str(), answer.id.as_str()]);
    let metrics = brand.post_metrics(&post.id).await.unwrap();
    assert_eq!(metrics.likes, Some(1));
    assert_eq!(metrics.reposts, Some(1));
    assert_eq!(metrics.replies, Some(1));
    assert_eq!(metrics.quotes, Some(1));

    // Listening finds the quote and the post by their shared word.
    let found = brand.search(&SearchQuery::new(word.as_str())).await.unwrap();
    let ids: BTreeSet<&str> = found.items.iter().map(|i| i.id.as_str()).collect();
    assert!(ids.contains(quote["uri"].as_str().unwrap()), "{ids:?}");
    assert!(found.items.iter().all(|i| i.kind == InteractionKind::Listening));

    let account = brand.account_metrics().await.unwrap();
    assert_eq!(account.followers, Some(1));
}
