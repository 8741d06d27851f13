//! The adapter against mock servers that answer in the AT Protocol's real shapes, including
//! the faults a real server has: rate limits, 5xx, timeouts, expired tokens, broken JSON.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use mockito::{Matcher, Server, ServerGuard};
use serde_json::{Value, json};
use tertulia_bluesky::{Bluesky, BlueskyConfig, BudgetPolicy, Session, WriteLimit};
use tertulia_core::{
    ClientMarker, Clock, Cursor, ErrorKind, IdempotencyKey, InteractionKind, InteractionQuery, ManualClock,
    MediaUpload, Platform, PublishRequest, PublishStatus, RemoteId, ReplyRequest, SearchQuery,
};
use tertulia_http::SeededJitter;

const DID: &str = "did:plc:cafetertulia0000000000000";
const HANDLE: &str = "cafetertulia.bsky.social";
const BRUNO: &str = "did:plc:bruno00000000000000000000";
const POST_URI: &str = "at://did:plc:cafetertulia0000000000000/app.bsky.feed.post/3lbcafe2222aa";
const POST_CID: &str = "bafyreibjifzpqj6o6wcq3hejh7y4z4z2vmiklkvykc57tw3pcbx3kxifpm";

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap()
}

fn session() -> Session {
    Session::new(DID, HANDLE, "access-1", "refresh-1").unwrap()
}

fn config(server: &ServerGuard, clock: &Arc<ManualClock>) -> BlueskyConfig {
    BlueskyConfig::new(server.url().parse().unwrap(), HANDLE)
        .account("cafe-bluesky")
        .session(session())
        .clock(clock.clone())
        .jitter(Arc::new(SeededJitter::new(7)))
        .timeout(Duration::from_millis(500))
}

async fn adapter(server: &ServerGuard) -> (Bluesky, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(start()));
    (Bluesky::connect(config(server, &clock)).await.unwrap(), clock)
}

fn bearer(token: &str) -> Matcher {
    Matcher::Exact(format!("Bearer {token}"))
}

fn xrpc(nsid: &str) -> String {
    format!("/xrpc/{nsid}")
}

fn xrpc_query(nsid: &str) -> Matcher {
    Matcher::Regex(format!(r"^/xrpc/{}(\?.*)?$", regex_escape(nsid)))
}

fn regex_escape(s: &str) -> String {
    s.replace('.', r"\.")
}

// ----- fixtures, in the shapes the lexicons and the reference servers give -----

fn profile(did: &str, handle: &str) -> Value {
    json!({
        "did": did, "handle": handle, "displayName": "Bruno", "labels": [],
        "associated": {"activitySubscription": {"allowSubscriptions": "followers"}},
        "viewer": {"muted": false, "blockedBy": false}, "createdAt": "2026-01-02T10:00:00.000Z"
    })
}

fn post_view(uri: &str, cid: &str, text: &str, reply: Option<Value>) -> Value {
    let mut record =
        json!({"$type": "app.bsky.feed.post", "text": text, "createdAt": "2026-11-26T08:30:00.000Z", "langs": ["es"]});
    if let Some(reply) = reply {
        record["reply"] = reply;
    }
    json!({
        "uri": uri, "cid": cid, "author": profile(BRUNO, "bruno.bsky.social"), "record": record,
        "bookmarkCount": 2, "replyCount": 3, "repostCount": 4, "likeCount": 12, "quoteCount": 1,
        "indexedAt": "2026-11-26T08:30:01.000Z", "labels": [],
        "viewer": {"bookmarked": false, "threadMuted": false, "embeddingDisabled": false}
    })
}

fn notification(reason: &str, uri: &str, record: Value, subject: Option<&str>) -> Value {
    let mut n = json!({
        "uri": uri, "cid": "bafyreig2fjxi3rptqdgylg7e5hmjl6mcke7rn2b6cugzlqq3i4zu6rq52q",
        "author": profile(BRUNO, "bruno.bsky.social"), "reason": reason, "record": record,
        "isRead": false, "indexedAt": "2026-11-26T08:40:00.000Z", "labels": []
    });
    if let Some(subject) = subject {
        n["reasonSubject"] = json!(subject);
    }
    n
}

fn strong_ref() -> Value {
    json!({"uri": POST_URI, "cid": POST_CID})
}

fn post_record(text: &str, reply: Option<Value>, embed: Option<Value>) -> Value {
    let mut record = json!({"$type": "app.bsky.feed.post", "text": text, "createdAt": "2026-11-26T08:41:00.000Z"});
    if let Some(reply) = reply {
        record["reply"] = reply;
    }
    if let Some(embed) = embed {
        record["embed"] = embed;
    }
    record
}

fn six_notifications() -> Value {
    let uri = |kind: &str, rkey: &str| format!("at://{BRUNO}/{kind}/{rkey}");
    json!({
        "cursor": "2026-11-26T08:35:00.000Z",
        "notifications": [
            notification("reply", &uri("app.bsky.feed.post", "3lbreply2222a"),
                post_record("¿Abrís el domingo?", Some(json!({"root": strong_ref(), "parent": strong_ref()})), None), Some(POST_URI)),
            notification("mention", &uri("app.bsky.feed.post", "3lbmention22a"),
                post_record("Gran café en @cafetertulia.bsky.social", None, None), None),
            notification("quote", &uri("app.bsky.feed.post", "3lbquote2222a"),
                post_record("Mirad esto", None, Some(json!({"$type": "app.bsky.embed.record", "record": strong_ref()}))), Some(POST_URI)),
            notification("like", &uri("app.bsky.feed.like", "3lblike22222a"),
                json!({"$type": "app.bsky.feed.like", "subject": strong_ref(), "createdAt": "2026-11-26T08:42:00.000Z"}), Some(POST_URI)),
            notification("repost", &uri("app.bsky.feed.repost", "3lbrepost222a"),
                json!({"$type": "app.bsky.feed.repost", "subject": strong_ref(), "createdAt": "2026-11-26T08:43:00.000Z"}), Some(POST_URI)),
            notification("follow", &uri("app.bsky.graph.follow", "3lbfollow222a"),
                json!({"$type": "app.bsky.graph.follow", "subject": DID, "createdAt": "2026-11-26T08:44:00.000Z"}), None),
        ]
    })
}

fn created(rkey_pattern: &str) -> Value {
    json!({
        "uri": format!("at://{DID}/app.bsky.feed.post/{rkey_pattern}"),
        "cid": "bafyreifdl6hrht3j5rovrcyewqqlq3vqdgsra5ngjkx7zz4g4qdtngli7a",
        "commit": {"cid": "bafyreieyytu6bfcdpggp7nhiwhpbbnmzsxov2gaejjjjjnanvpebdqopem", "rev": "3n375qtg7bk2v"},
        "validationStatus": "valid"
    })
}

fn xrpc_error(name: &str, message: &str) -> String {
    json!({"error": name, "message": message}).to_string()
}

fn request(text: &str, key: &str) -> PublishRequest {
    PublishRequest::new(text, IdempotencyKey::new(key), ClientMarker::new(key))
}

fn error_kind(status: &PublishStatus) -> (bool, ErrorKind) {
    match status {
        PublishStatus::Failed(e) => (false, e.kind()),
        PublishStatus::Unknown(e) => (true, e.kind()),
        other => panic!("expected a failure, got {other:?}"),
    }
}

// ----- sessions -----

#[tokio::test]
async fn signing_in_hands_the_session_to_the_listener() {
    let mut server = Server::new_async().await;
    let sign_in = server
        .mock("POST", xrpc("com.atproto.server.createSession").as_str())
        .match_body(Matcher::Json(json!({"identifier": HANDLE, "password": "app-pass-1234"})))
        .with_header("content-type", "application/json")
        .with_body(
            json!({"accessJwt": "access-1", "refreshJwt": "refresh-1", "handle": HANDLE, "did": DID, "active": true})
                .to_string(),
        )
        .create_async()
        .await;
    let seen: Arc<Mutex<Vec<Session>>> = Arc::default();
    let sink = seen.clone();
    let config = BlueskyConfig::new(server.url().parse().unwrap(), HANDLE)
        .password("app-pass-1234")
        .on_session(move |s| sink.lock().unwrap().push(s.clone()));
    let debug = format!("{config:?}");
    assert!(!debug.contains("app-pass-1234"), "{debug}");
    let adapter = Bluesky::connect(config).await.unwrap();
    sign_in.assert_async().await;
    assert_eq!(seen.lock().unwrap().as_slice(), &[session()]);
    assert_eq!(adapter.session().await.did(), DID);
    assert!(!format!("{adapter:?} {:?}", adapter.session().await).contains("access-1"));
}

#[tokio::test]
async fn a_wrong_password_is_unauthenticated_and_never_echoed() {
    let mut server = Server::new_async().await;
    server
        .mock("POST", xrpc("com.atproto.server.createSession").as_str())
        .with_status(401)
        .with_body(xrpc_error("AuthenticationRequired", "Invalid identifier or password"))
        .create_async()
        .await;
    let config = BlueskyConfig::new(server.url().parse().unwrap(), HANDLE).password("wrong-secret-pass");
    let error = Bluesky::connect(config).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unauthenticated);
    assert_eq!(error.status(), Some(401));
    assert!(!format!("{error} {error:?}").contains("wrong-secret-pass"));
}

#[tokio::test]
async fn an_expired_token_mid_run_is_refreshed_and_the_run_continues() {
    let mut server = Server::new_async().await;
    let seen: Arc<Mutex<Vec<Session>>> = Arc::default();
    let sink = seen.clone();
    let clock = Arc::new(ManualClock::new(start()));
    let adapter = Bluesky::connect(config(&server, &clock).on_session(move |s| sink.lock().unwrap().push(s.clone())))
        .await
        .unwrap();
    // The first call works; then the access token expires (a 400, not a 401).
    let first = server
        .mock("GET", xrpc_query("app.bsky.feed.getPosts"))
        .match_header("authorization", bearer("access-1"))
        .with_body(json!({"posts": [post_view(POST_URI, POST_CID, "Hola", None)]}).to_string())
        .expect(1)
        .create_async()
        .await;
    let expired = server
        .mock("GET", xrpc_query("app.bsky.feed.getPosts"))
        .match_header("authorization", bearer("access-1"))
        .with_status(400)
        .with_body(xrpc_error("ExpiredToken", "Token has expired"))
        .expect(1)
        .create_async()
        .await;
    let refresh = server
        .mock("POST", xrpc("com.atproto.server.refreshSession").as_str())
        .match_header("authorization", bearer("refresh-1"))
        .with_body(
            json!({"accessJwt": "access-2", "refreshJwt": "refresh-2", "handle": HANDLE, "did": DID}).to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let renewed = server
        .mock("GET", xrpc_query("app.bsky.feed.getPosts"))
        .match_header("authorization", bearer("access-2"))
        .with_body(json!({"posts": [post_view(POST_URI, POST_CID, "Hola", None)]}).to_string())
        .expect(2)
        .create_async()
        .await;

    let id = RemoteId::new(POST_URI);
    assert_eq!(adapter.post_metrics(&id).await.unwrap().likes, Some(12));
    assert_eq!(adapter.post_metrics(&id).await.unwrap().likes, Some(12), "refreshed and retried");
    assert_eq!(adapter.post_metrics(&id).await.unwrap().likes, Some(12), "goes on with the new token");
    first.assert_async().await;
    expired.assert_async().await;
    refresh.assert_async().await;
    renewed.assert_async().await;
    let new = Session::new(DID, HANDLE, "access-2", "refresh-2").unwrap();
    assert_eq!(seen.lock().unwrap().as_slice(), std::slice::from_ref(&new), "the refreshed session is handed over");
    assert_eq!(adapter.session().await, new);
}

#[tokio::test]
async fn a_refresh_answer_without_tokens_never_replaces_the_session() {
    let mut server = Server::new_async().await;
    let (adapter, _clock) = adapter(&server).await;
    server
        .mock("GET", xrpc_query("app.bsky.actor.getProfile"))
        .with_status(400)
        .with_body(xrpc_error("ExpiredToken", "Token has expired"))
        .create_async()
        .await;
    server
        .mock("POST", xrpc("com.atproto.server.refreshSession").as_str())
        .with_body(json!({"accessJwt": "", "refreshJwt": "", "handle": HANDLE, "did": DID}).to_string())
        .create_async()
        .await;
    let error = adapter.account_metrics().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(adapter.session().await, session(), "the stored session is kept");
}

#[tokio::test]
async fn a_refused_refresh_token_signs_in_again_with_the_password() {
    let mut server = Server::new_async().await;
    let clock = Arc::new(ManualClock::new(start()));
    let adapter = Bluesky::connect(config(&server, &clock).password("app-pass-1234")).await.unwrap();
    server
        .mock("GET", xrpc_query("app.bsky.actor.getProfile"))
        .match_header("authorization", bearer("access-1"))
        .with_status(400)
        .with_body(xrpc_error("ExpiredToken", "Token has expired"))
        .create_async()
        .await;
    server
        .mock("POST", xrpc("com.atproto.server.refreshSession").as_str())
        .with_status(400)
        .with_body(xrpc_error("ExpiredToken", "Token has expired"))
        .create_async()
        .await;
    let sign_in = server
        .mock("POST", xrpc("com.atproto.server.createSession").as_str())
        .with_body(
            json!({"accessJwt": "access-3", "refreshJwt": "refresh-3", "handle": HANDLE, "did": DID}).to_string(),
        )
        .create_async()
        .await;
    server
        .mock("GET", xrpc_query("app.bsky.actor.getProfile"))
        .match_header("authorization", bearer("access-3"))
        .with_body(
            json!({"did": DID, "handle": HANDLE, "followersCount": 250, "followsCount": 80, "postsCount": 1200})
                .to_string(),
        )
        .create_async()
        .await;
    let metrics = adapter.account_metrics().await.unwrap();
    assert_eq!((metrics.followers, metrics.following, metrics.posts), (Some(250), Some(80), Some(1200)));
    sign_in.assert_async().await;
    assert_eq!(adapter.session().await.access_jwt(), "access-3");
}

// ----- publishing -----

#[tokio::test]
async fn a_post_goes_out_in_the_lexicon_shape_with_byte_exact_facets() {
    let mut server = Server::new_async().await;
    let (adapter, _clock) = adapter(&server).await;
    server
        .mock("GET", xrpc_query("com.atproto.identity.resolveHandle"))
        .match_query(Matcher::UrlEncoded("handle".into(), "bruno.bsky.social".into()))
        .with_body(json!({"did": BRUNO}).to_string())
        .create_async()
        .await;
    server
        .mock("GET", xrpc_query("com.atproto.identity.resolveHandle"))
        .match_query(Matcher::UrlEncoded("handle".into(), "nadie.bsky.social".into()))
        .with_status(400)
        .with_body(xrpc_error("HandleNotFound", "Unable to resolve handle"))
        .create_async()
        .await;
    let text = "¡Hola @bruno.bsky.social y @nadie.bsky.social! ☕ https://example.com/menú #CaféTertulia";
    let mention = text.find("@bruno").unwrap();
    let link = text.find("https").unwrap();
    let tag = text.find('#').unwrap();
    let create = server
        .mock("POST", xrpc("com.atproto.repo.createRecord").as_str())
        .match_header("authorization", bearer("access-1"))
        .match_body(Matcher::PartialJson(json!({
            "repo": DID,
            "collection": "app.bsky.feed.post",
            "record": {
                "$type": "app.bsky.feed.post",
                "text": text,
                "createdAt": "2026-11-26T09:00:00.000Z",
                "langs": ["es"],
                "facets": [
                    {"index": {"byteStart": mention, "byteEnd": mention + "@bruno.bsky.social".len()},
                     "features": [{"$type": "app.bsky.richtext.facet#mention", "did": BRUNO}]},
                    {"index": {"byteStart": link, "byteEnd": link + "https://example.com/menú".len()},
                     "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://example.com/menú"}]},
                    {"index": {"byteStart": tag, "byteEnd": text.len()},
                     "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "CaféTertulia"}]}
                ]
            }
        })))
        .match_body(Matcher::Regex(r#""rkey":"[2-7a-j][2-7a-z]{12}""#.into()))
        .with_body(created("3lbcafe2222ab").to_string())
        .create_async()
        .await;
    let outcome = adapter.publish(&request(text, "post-1").language("es")).await;
    create.assert_async().await;
    match outcome.status {
        PublishStatus::Published { reference, published_at } => {
            assert_eq!(reference.id.as_str(), format!("at://{DID}/app.bsky.feed.post/3lbcafe2222ab"));
            assert_eq!(
                reference.revision.as_deref(),
                Some("bafyreifdl6hrht3j5rovrcyewqqlq3vqdgsra5ngjkx7zz4g4qdtngli7a")
            );
            assert_eq!(
                reference.url.unwrap().as_str(),
                format!("https://bsky.app/profile/{HANDLE}/post/3lbcafe2222ab")
            );
            assert_eq!(published_at, start());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(outcome.idempotency_key.as_str(), "post-1");
    assert_eq!(adapter.write_points_left(), 5_000 - 3);
}

#[tokio::test]
async fn text_beyond_300_graphemes_is_refused_before_sending() {
    let server = Server::new_async().await;
    let (adapter, _clock) = adapter(&server).await;
    let long = "☕".repeat(301);
    let outcome = adapter.publish(&request(&long, "long-1")).await;
    assert_eq!(error_kind(&outcome.status), (false, ErrorKind::InvalidInput));
    // 200 family emoji are 200 graphemes but 3,600 bytes: the byte cap binds.
    let family = "👩‍👩‍👧".repeat(200);
    assert_eq!(
        error_kind(&adapter.publish(&request(&family, "long-2")).await.status),
        (false, ErrorKind::InvalidInput)
    );
    let scheduled = request("Mañana", "later-1").schedule_at(start() + chrono::Duration::hours(1));
    assert_eq!(error_kind(&adapter.publish(&scheduled).await.status), (false, ErrorKind::Unsupported));
    let warned = request("Spoiler", "cw-1").content_warning("final de temporada");
    assert_eq!(error_kind(&adapter.publish(&warned).await.status), (false, ErrorKind::InvalidInput));
}

#[tokio::test]
async fn an_image_is_uploaded_and_embedded_with_alt_text_and_aspect_ratio() {
    let mut server = Server::new_async().await;
    let (adapter, _clock) = adapter(&server).await;
    let bytes = b"\x89PNG\r\n\x1a\nnot really an image but bytes".to_vec();
    let blob = json!({"$type": "blob", "ref": {"$link": "bafkreibabalobzn6cd366ukcsjycp4yymjymgfxcv6xczmlgpemzkz3cfa"}, "mimeType": "image/png", "size": bytes.len()});
    let upload = server
        .mock("POST", xrpc("com.atproto.repo.uploadBlob").as_str())
        .match_header("content-type", "image/png")
        .match_body(bytes.clone())
        .with_body(json!({"blob": blob}).to_string())
        .create_async()
        .await;
    let media = adapter
        .upload_media(&MediaUpload::new(bytes.clone(), "image/png").alt_text("Taza de café").dimensions(1280, 760))
        .await
        .unwrap();
    upload.assert_async().await;
    let create = server
        .mock("POST", xrpc("com.atproto.repo.createRecord").as_str())
        .match_body(Matcher::PartialJson(json!({"record": {"embed": {
            "$type": "app.bsky.embed.images",
            "images": [{"image": blob, "alt": "Taza de café", "aspectRatio": {"width": 1280, "height": 760}}]
        }}})))
        .with_body(created("3lbcafe2222ac").to_string())
        .create_async()
        .await;
    let outcome = adapter.publish(&request("Nueva taza", "img-1").media([media.id])).await;
    create.assert_async().await;
    assert!(outcome.published().is_some());

    let too_big = MediaUpload::new(vec![0u8; 2_000_001], "image/jpeg");
    assert_eq!(adapter.upload_media(&too_big).await.unwrap_err().kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn a_link_becomes_an_external_card() {
    let mut server = Server::new_async().await;
    let (adapter, _clock) = adapter(&server).await;
    let create = server
        .mock("POST", xrpc("com.atproto.repo.createRecord").as_str())
        .match_body(Matcher::PartialJson(json!({"record": {"embed": {
            "$type": "app.bsky.embed.external",
            "external": {"uri": "https://example.com/carta", "title": "example.com", "description": ""}
        }}})))
        .with_body(created("3lbcafe2222ad").to_string())
        .create_async()
        .await;
    let outcome =
        adapter.publish(&request("Nueva carta", "card-1").link("https://example.com/carta".parse().unwrap())).await;
    create.assert_async().await;
    assert!(outcome.published().is_some());
}

#[tokio::test]
async fn a_reply_to_a_reply_keeps_the_thread_root() {
    let mut server = Server::new_async().await;
    let (adapter, _clock) = adapter(&server).await;
    let parent = format!("at://{BRUNO}/app.bsky.feed.post/3lbreply2222a");
    let root = json!({"uri": POST_URI, "cid": POST_CID});
    server
        .mock("GET", xrpc_query("app.bsky.feed.getPosts"))
        .match_query(Matcher::UrlEncoded("uris".into(), parent.clone()))
        .with_body(
            json!({"posts": [post_view(&parent, "bafyreiparent", "¿Abrís el domingo?", Some(json!({"root": root, "parent": root})))]})
                .to_string(),
        )
        .create_async()
        .await;
    let create = server
        .mock("POST", xrpc("com.atproto.repo.createRecord").as_str())
        .match_body(Matcher::PartialJson(json!({"record": {
            "text": "Sí, de 9 a 14 h.",
            "reply": {"root": root, "parent": {"uri": parent, "cid": "bafyreiparent"}}
        }})))
        .with_body(created("3lbcafe2222ae").to_string())
        .create_async()
        .await;
    let reply = ReplyRequest::new(
        RemoteId::new(&parent),
        "Sí, de 9 a 14 h.",
        IdempotencyKey::new("r-1"),
        ClientMarker::new("r-1"),
    );
    let outcome = adapter.reply(&reply).await;
    create.assert_async().await;
    assert!(outcome.published().is_some(), "{outcome:?}");
}

// ----- faults on publish -----

/// A server that never answers `createRecord` and answers `getRecord` with
/// `RecordNotFound`; it counts the requests of each.
async fn silent_pds() -> (String, Arc<Mutex<(usize, usize)>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let counts: Arc<Mutex<(usize, usize)>> = Arc::default();
    let seen = counts.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 16 * 1024];
                let Ok(n) = socket.read(&mut buffer).await else { return };
                let head = String::from_utf8_lossy(&buffer[..n]).to_string();
                if head.starts_with("POST /xrpc/com.atproto.repo.createRecord") {
                    seen.lock().unwrap().0 += 1;
                    // Hold the connection open and say nothing.
                    tokio::time::sleep(Duration::from_secs(5)).await;
                } else if head.starts_with("GET /xrpc/com.atproto.repo.getRecord") {
                    seen.lock().unwrap().1 += 1;
                    let body = xrpc_error("RecordNotFound", "Could not locate record");
                    let response = format!(
                        "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(response.as_bytes()).await;
                }
            });
        }
    });
    (format!("http://{address}"), counts)
}

#[tokio::test]
async fn a_timeout_on_publish_is_unknown_and_not_retried_blindly() {
    let (url, counts) = silent_pds().await;
    let clock = Arc::new(ManualClock::new(start()));
    let config = BlueskyConfig::new(url.parse().unwrap(), HANDLE)
        .session(session())
        .clock(clock)
        .timeout(Duration::from_millis(200));
    let adapter = Bluesky::connect(config).await.unwrap();
    let outcome = adapter.publish(&request("¿Llegó?", "timeout-1")).await;
    assert_eq!(error_kind(&outcome.status), (true, ErrorKind::Transport));
    assert!(outcome.is_unknown(), "the post may be out: look it up before anything else");
    let (creates, probes) = *counts.lock().unwrap();
    assert_eq!(creates, 1, "the create is not sent again");
    assert_eq!(probes, 1, "the record key is read back once");
}

#[tokio::test]
async fn a_connection_dropped_mid_answer_is_unknown() {
    let mut server = Server::new_async().await;
    let (adapter, _clock) = adapter(&server).await;
    let create = server
        .mock("POST", xrpc("com.atproto.repo.createRecord").as_str())
        .with_chunked_body(|w| {
            w.write_all(br#"{"uri":"at://"#)?;
            Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "the connection dropped"))
        })
        .expect(1)
        .create_async()
        .await;
    server
        .mock("GET", xrpc_query("com.atproto.repo.getRecord"))
        .with_status(400)
        .with_body(xrpc_error("RecordNotFound", "Could not locate record"))
        .create_async()
        .await;
    let outcome = adapter.publish(&request("¿Se cortó?", "drop-1")).await;
    create.assert_async().await;
    assert!(outcome.is_unknown(), "{outcome:?}");
}

#[tokio::test]
async fn a_server_error_after_the_record_was_written_is_published() {
    let mut server = Server::new_async().await;
    let (adapter, _clock) = adapter(&server).await;
    let captured: Arc<Mutex<Option<Value>>> = Arc::default();
    let sink = captured.clone();
    // The PDS wrote the record, then failed to answer (or a proxy did).
    let create = server
        .mock("POST", xrpc("com.atproto.repo.createRecord").as_str())
        .with_status(500)
        .with_body_from_request(move |request| {
            let body: Value = serde_json::from_slice(request.body().unwrap()).unwrap();
            *sink.lock().unwrap() = Some(body);
            xrpc_error("InternalServerError", "Internal Server Error").into_bytes()
        })
        .expect(1)
        .create_async()
        .await;
    let captured_for_probe = captured.clone();
    let probe = server
        .mock("GET", xrpc_query("com.atproto.repo.getRecord"))
        .with_body_from_request(move |request| {
            let sent = captured_for_probe.lock().unwrap().clone().unwrap();
            let rkey = sent["rkey"].as_str().unwrap();
            assert!(request.path_and_query().contains(&format!("rkey={rkey}")), "the probe reads the key sent");
            json!({"uri": format!("at://{DID}/app.bsky.feed.post/{rkey}"), "cid": "bafyreiwritten", "value": sent["record"]})
                .to_string()
                .into_bytes()
        })
        .create_async()
        .await;
    let outcome = adapter.publish(&request("Escrito pero sin respuesta", "lost-1")).await;
    create.assert_async().await;
    probe.assert_async().await;
    let reference = outcome.published().expect("the record is there: published");
    assert_eq!(reference.revision.as_deref(), Some("bafyreiwritten"));
}

#[tokio::test]
async fn a_server_error_without_the_record_is_a_failure_safe_to_retry() {
    let mut server = Server::new_async().await;
    let (adapter, _clock) = adapter(&server).await;
    let create = server
        .mock("POST", xrpc("com.atproto.repo.createRecord").as_str())
        .with_status(503)
        .with_body(xrpc_error("UpstreamFailure", "Upstream Failure"))
        .expect(1)
        .create_async()
        .await;
    server
        .mock("GET", xrpc_query("com.atproto.repo.getRecord"))
        .with_status(400)
        .with_body(xrpc_error("RecordNotFound", "Could not locate record"))
        .create_async()
        .await;
    let outcome = adapter.publish(&request("Otra vez", "503-1")).await;
    create.assert_async().await;
    let error = outcome.error().unwrap();
    assert!(!outcome.is_unknown());
    assert_eq!(error.kind(), ErrorKind::Unavailable);
    assert!(error.is_temporary());
}

#[tokio::test]
async fn the_same_key_reuses_the_record_key() {
    let mut server = Server::new_async().await;
    let (adapter, clock) = adapter(&server).await;
    let rkeys: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = rkeys.clone();
    server
        .mock("POST", xrpc("com.atproto.repo.createRecord").as_str())
        .with_status(400)
        .with_body_from_request(move |request| {
            let body: Value = serde_json::from_slice(request.body().unwrap()).unwrap();
            sink.lock().unwrap().push(body["rkey"].as_str().unwrap().to_owned());
            xrpc_error("InvalidRequest", "Invalid app.bsky.feed.post record").into_bytes()
        })
        .expect(2)
        .create_async()
        .await;
    let first = adapter.publish(&request("Uno", "same-key")).await;
    clock.advance(Duration::from_secs(90));
    let second = adapter.publish(&request("Uno", "same-key")).await;
    assert_eq!(error_kind(&first.status), (false, ErrorKind::InvalidInput));
    assert_eq!(error_kind(&second.status), (false, ErrorKind::InvalidInput));
    let rkeys = rkeys.lock().unwrap();
    assert_eq!(rkeys.len(), 2);
    assert_eq!(rkeys[0], rkeys[1], "a retry sends the same record key");
}

#[tokio::test]
async fn the_write_budget_fails_fast_before_the_server_refuses() {
    let mut server = Server::new_async().await;
    let clock = Arc::new(ManualClock::new(start()));
    let mut config = config(&server, &clock);
    config.write_limits = vec![WriteLimit { points: 5, window: Duration::from_secs(3_600) }];
    let adapter = Bluesky::connect(config).await.unwrap();
    let create = server
        .mock("POST", xrpc("com.atproto.repo.createRecord").as_str())
        .with_body(created("3lbcafe2222af").to_string())
        .expect(1)
        .create_async()
        .await;
    assert!(adapter.publish(&request("Primero", "b-1")).await.published().is_some());
    let outcome = adapter.publish(&request("Segundo", "b-2")).await;
    let error = outcome.error().unwrap();
    assert_eq!(error.kind(), ErrorKind::RateLimited);
    assert!(error.retry_after().unwrap() > Duration::from_secs(3_599));
    assert!(!outcome.is_unknown(), "nothing was sent: safe to retry");
    create.assert_async().await;
}

#[tokio::test]
async fn the_write_budget_can_wait_instead() {
    let mut server = Server::new_async().await;
    let clock = Arc::new(ManualClock::new(start()));
    let mut config = config(&server, &clock).budget_policy(BudgetPolicy::Wait);
    config.write_limits = vec![WriteLimit { points: 3, window: Duration::from_secs(60) }];
    let adapter = Bluesky::connect(config).await.unwrap();
    server
        .mock("POST", xrpc("com.atproto.repo.createRecord").as_str())
        .with_body(created("3lbcafe2222ag").to_string())
        .expect(2)
        .create_async()
        .await;
    assert!(adapter.publish(&request("Primero", "w-1")).await.published().is_some());
    assert!(adapter.publish(&request("Segundo", "w-2")).await.published().is_some());
    assert!(clock.now() >= start() + chrono::Duration::seconds(60), "waited on the clock for the window");
}

// ----- faults on reads -----

#[tokio::test]
async fn a_429_with_ratelimit_headers_waits_until_the_reset_then_succeeds() {
    let mut server = Server::new_async().await;
    let (adapter, clock) = adapter(&server).await;
    let reset = (start() + chrono::Duration::seconds(30)).timestamp();
    let limited = server
        .mock("GET", xrpc_query("app.bsky.notification.listNotifications"))
        .with_status(429)
        .with_header("RateLimit-Limit", "3000")
        .with_header("RateLimit-Remaining", "0")
        .with_header("RateLimit-Reset", &reset.to_string())
        .with_header("RateLimit-Policy", "3000;w=300")
        .with_body(xrpc_error("RateLimitExceeded", "Rate Limit Exceeded"))
        .expect(1)
        .create_async()
        .await;
    let ok = server
        .mock("GET", xrpc_query("app.bsky.notification.listNotifications"))
        .with_body(six_notifications().to_string())
        .expect(1)
        .create_async()
        .await;
    let page = adapter.list_interactions(&InteractionQuery::default()).await.unwrap();
    limited.assert_async().await;
    ok.assert_async().await;
    assert_eq!(page.items.len(), 6);
    assert_eq!(clock.now(), start() + chrono::Duration::seconds(30), "waited exactly until the reset");
}

#[tokio::test]
async fn a_429_that_lasts_is_rate_limited_with_retry_after() {
    let mut server = Server::new_async().await;
    let (adapter, _clock) = adapter(&server).await;
    server
        .mock("GET", xrpc_query("app.bsky.feed.searchPosts"))
        .with_status(429)
        .with_header("Retry-After", "45")
        .with_body(xrpc_error("RateLimitExceeded", "Rate Limit Exceeded"))
        .expect(4)
        .create_async()
        .await;
    let error = adapter.search(&SearchQuery::new("café")).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::RateLimited);
    assert_eq!(error.status(), Some(429));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(45)));
    assert!(error.is_temporary());
}

#[tokio::test]
async fn a_reset_further_than_the_adapter_waits_is_handed_back_at_once() {
    let mut server = Server::new_async().await;
    let (adapter, clock) = adapter(&server).await;
    let reset = (start() + chrono::Duration::minutes(2)).timestamp();
    let limited = server
        .mock("GET", xrpc_query("app.bsky.notification.listNotifications"))
        .with_status(429)
        .with_header("RateLimit-Limit", "3000")
        .with_header("RateLimit-Remaining", "0")
        .with_header("RateLimit-Reset", &reset.to_string())
        .with_body(xrpc_error("RateLimitExceeded", "Rate Limit Exceeded"))
        .expect(1)
        .create_async()
        .await;
    let error = adapter.list_interactions(&InteractionQuery::default()).await.unwrap_err();
    limited.assert_async().await;
    assert_eq!(error.kind(), ErrorKind::RateLimited);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(clock.now(), start(), "no waiting: the caller schedules the retry");
}

#[tokio::test]
async fn a_5xx_then_success_is_retried() {
    let mut server = Server::new_async().await;
    let (adapter, clock) = adapter(&server).await;
    let failing = server
        .mock("GET", xrpc_query("app.bsky.feed.getPosts"))
        .with_status(502)
        .with_body("<html>Bad Gateway</html>")
        .expect(2)
        .create_async()
        .await;
    let ok = server
        .mock("GET", xrpc_query("app.bsky.feed.getPosts"))
        .with_body(json!({"posts": [post_view(POST_URI, POST_CID, "Hola", None)]}).to_string())
        .expect(1)
        .create_async()
        .await;
    let metrics = adapter.post_metrics(&RemoteId::new(POST_URI)).await.unwrap();
    failing.assert_async().await;
    ok.assert_async().await;
    assert_eq!(
        (metrics.likes, metrics.reposts, metrics.replies, metrics.quotes),
        (Some(12), Some(4), Some(3), Some(1))
    );
    assert!(clock.now() > start(), "backed off on the injected clock");
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_not_a_panic() {
    let mut server = Server::new_async().await;
    let (adapter, _clock) = adapter(&server).await;
    server.mock("GET", xrpc_query("app.bsky.feed.getPosts")).with_body("{not json").create_async().await;
    let error = adapter.post_metrics(&RemoteId::new(POST_URI)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_not_a_panic() {
    let mut server = Server::new_async().await;
    let (adapter, _clock) = adapter(&server).await;
    let full = six_notifications().to_string();
    server
        .mock("GET", xrpc_query("app.bsky.notification.listNotifications"))
        .with_body(&full[..full.len() / 2])
        .create_async()
        .await;
    let error = adapter.list_interactions(&InteractionQuery::default()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    // A body of the wrong shape too.
    server
        .mock("GET", xrpc_query("app.bsky.feed.searchPosts"))
        .with_body(r#"{"posts": [{"uri": 7}]}"#)
        .create_async()
        .await;
    assert_eq!(adapter.search(&SearchQuery::new("café")).await.unwrap_err().kind(), ErrorKind::Decode);
}

// ----- reading -----

#[tokio::test]
async fn notifications_become_interactions_with_cursors() {
    let mut server = Server::new_async().await;
    let (adapter, _clock) = adapter(&server).await;
    let first = server
        .mock("GET", xrpc_query("app.bsky.notification.listNotifications"))
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("limit".into(), "6".into()),
            // Every kind the adapter lists, as a repeated parameter.
            Matcher::Regex(
                "reasons=reply&reasons=mention&reasons=quote&reasons=like&reasons=repost&reasons=follow".into(),
            ),
        ]))
        .with_body(six_notifications().to_string())
        .create_async()
        .await;
    let page = adapter.list_interactions(&InteractionQuery::default().limit(6)).await.unwrap();
    first.assert_async().await;
    assert!(page.items.iter().all(|i| i.account.as_ref().map(|a| a.as_str()) == Some("cafe-bluesky")));
    let kinds: Vec<_> = page.items.iter().map(|i| i.kind.clone()).collect();
    assert_eq!(
        kinds,
        [
            InteractionKind::Reply,
            InteractionKind::Mention,
            InteractionKind::Quote,
            InteractionKind::Reaction,
            InteractionKind::Repost,
            InteractionKind::Follow
        ]
    );
    let reply = &page.items[0];
    assert_eq!(reply.text.as_deref(), Some("¿Abrís el domingo?"));
    assert_eq!(reply.in_reply_to.as_ref().map(RemoteId::as_str), Some(POST_URI));
    assert_eq!(reply.conversation.as_ref().map(|c| c.as_str()), Some(POST_URI));
    assert_eq!(reply.author.handle.as_str(), "bruno.bsky.social");
    assert_eq!(reply.author.display_name.as_deref(), Some("Bruno"));
    assert_eq!(reply.created_at, Utc.with_ymd_and_hms(2026, 11, 26, 8, 41, 0).unwrap());
    assert_eq!(
        reply.permalink.as_ref().unwrap().as_str(),
        "https://bsky.app/profile/bruno.bsky.social/post/3lbreply2222a"
    );
    assert_eq!(page.items[3].subject.as_ref().map(RemoteId::as_str), Some(POST_URI), "a like is about the post");
    assert!(page.items[5].text.is_none(), "a follow has no text");
    assert_eq!(page.next, Some(Cursor::new("2026-11-26T08:35:00.000Z")));

    let older = server
        .mock("GET", xrpc_query("app.bsky.notification.listNotifications"))
        .match_query(Matcher::UrlEncoded("cursor".into(), "2026-11-26T08:35:00.000Z".into()))
        .with_body(json!({"notifications": []}).to_string())
        .create_async()
        .await;
    let last = adapter.list_interactions(&InteractionQuery::default().cursor(page.next.unwrap())).await.unwrap();
    older.assert_async().await;
    assert!(last.items.is_empty() && last.is_last());

    // Asking only for kinds Bluesky does not have sends nothing.
    let none =
        adapter.list_interactions(&InteractionQuery::default().kinds([InteractionKind::DirectMessage])).await.unwrap();
    assert!(none.items.is_empty() && none.is_last());
}

#[tokio::test]
async fn a_post_with_facet_features_unknown_here_still_reads() {
    let mut server = Server::new_async().await;
    let (adapter, _clock) = adapter(&server).await;
    let mut view = post_view(POST_URI, POST_CID, "Hola #café", None);
    view["record"]["facets"] = json!([
        {"index": {"byteStart": 5, "byteEnd": 11}, "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "café"}]},
        {"index": {"byteStart": 0, "byteEnd": 4}, "features": [{"$type": "com.example.facet#sparkle"}]}
    ]);
    server
        .mock("GET", xrpc_query("app.bsky.feed.getPosts"))
        .with_body(json!({"posts": [view]}).to_string())
        .create_async()
        .await;
    let post = adapter.get_post(&RemoteId::new(POST_URI)).await.unwrap();
    assert_eq!(post.text, "Hola #café");
}

#[tokio::test]
async fn search_results_are_listening_interactions() {
    let mut server = Server::new_async().await;
    let (adapter, _clock) = adapter(&server).await;
    let search = server
        .mock("GET", xrpc_query("app.bsky.feed.searchPosts"))
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("q".into(), "café tertulia".into()),
            Matcher::UrlEncoded("lang".into(), "es".into()),
        ]))
        .with_body(json!({"cursor": "25", "hitsTotal": 40, "posts": [post_view(POST_URI, POST_CID, "El mejor café tertulia", None)]}).to_string())
        .create_async()
        .await;
    let mut query = SearchQuery::new("café tertulia");
    query.language = Some("es".into());
    let page = adapter.search(&query).await.unwrap();
    search.assert_async().await;
    assert_eq!(page.items[0].account.as_ref().map(|a| a.as_str()), Some("cafe-bluesky"));
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].kind, InteractionKind::Listening);
    assert_eq!(page.items[0].language.as_deref(), Some("es"));
    assert_eq!(page.next, Some(Cursor::new("25")));
}

#[tokio::test]
async fn a_missing_post_is_not_found() {
    let mut server = Server::new_async().await;
    let (adapter, _clock) = adapter(&server).await;
    server.mock("GET", xrpc_query("app.bsky.feed.getPosts")).with_body(r#"{"posts": []}"#).create_async().await;
    let foreign = RemoteId::new(format!("at://{BRUNO}/app.bsky.feed.post/3lbgone22222a"));
    assert_eq!(adapter.get_post(&foreign).await.unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(adapter.get_post(&RemoteId::new("https://bsky.app")).await.unwrap_err().kind(), ErrorKind::InvalidInput);
}
