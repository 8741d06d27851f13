//! The Bluesky adapter passes `tertulia-conformance` against a mock PDS: a mockito server
//! whose one route answers each XRPC method in the lexicons' shapes from the scenario's
//! data, and keeps what the adapter writes (records, blobs) so it reads back.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use mockito::{Matcher, Request, Server};
use serde_json::{Value, json};
use tertulia_bluesky::{Bluesky, BlueskyConfig, Session};
use tertulia_conformance::{Fault, Harness, Prepared, Scenario, SeedInteraction, Skip};
use tertulia_core::{ErrorKind, ManualClock, Operation, Platform, RemoteId, RemoteRef};
use tertulia_http::SeededJitter;

const DID: &str = "did:plc:cafetertulia0000000000000";
const HANDLE: &str = "cafetertulia.bsky.social";

/// What the mock PDS holds.
#[derive(Default)]
struct State {
    /// The account's records, by AT-URI: (CID, record).
    records: BTreeMap<String, (String, Value)>,
    /// Counts of the seeded posts, by AT-URI.
    counts: BTreeMap<String, [u64; 4]>,
    /// Other people's posts (mentions, search results), by AT-URI: (author handle, record).
    others: BTreeMap<String, (String, Value)>,
    /// Mentions of the account, newest first: AT-URIs into `others`.
    mentions: Vec<String>,
    /// Public posts search finds, newest first: AT-URIs into `others`.
    public: Vec<String>,
    /// The first `getRecord` after a lost create answers not found: the adapter's read-back
    /// races the write.
    hide_next_read: bool,
    /// How many records were created (for CIDs and keys).
    created: u64,
    fault: Option<Fault>,
    now: DateTime<Utc>,
}

fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn xrpc_error(name: &str, message: &str) -> (usize, Value) {
    let status = if name == "RateLimitExceeded" { 429 } else { 400 };
    (status, json!({"error": name, "message": message}))
}

fn profile(did: &str, handle: &str) -> Value {
    json!({"did": did, "handle": handle, "labels": [], "viewer": {"muted": false, "blockedBy": false}})
}

fn query(request: &Request) -> Vec<(String, String)> {
    let pq = request.path_and_query();
    let q = pq.split_once('?').map(|(_, q)| q).unwrap_or("");
    url::form_urlencoded::parse(q.as_bytes()).into_owned().collect()
}

fn param(request: &Request, name: &str) -> Option<String> {
    query(request).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn nsid(request: &Request) -> String {
    request.path_and_query().split('?').next().unwrap_or("").trim_start_matches("/xrpc/").to_owned()
}

fn body(request: &Request) -> Value {
    request.body().ok().and_then(|b| serde_json::from_slice(b).ok()).unwrap_or(Value::Null)
}

impl State {
    fn view(&self, uri: &str) -> Option<Value> {
        if let Some((cid, record)) = self.records.get(uri) {
            let [likes, reposts, replies, quotes] = self.counts.get(uri).copied().unwrap_or_default();
            return Some(json!({
                "uri": uri, "cid": cid, "author": profile(DID, HANDLE), "record": record,
                "likeCount": likes, "repostCount": reposts, "replyCount": replies, "quoteCount": quotes,
                "indexedAt": record["createdAt"], "labels": []
            }));
        }
        let (handle, record) = self.others.get(uri)?;
        let did = uri.trim_start_matches("at://").split('/').next().unwrap_or("");
        Some(json!({
            "uri": uri, "cid": format!("bafyreiother{}", uri.len()), "author": profile(did, handle), "record": record,
            "likeCount": 0, "repostCount": 0, "replyCount": 0, "quoteCount": 0,
            "indexedAt": record["createdAt"], "labels": []
        }))
    }

    fn fails(&mut self, operation: Operation) -> Option<(usize, Value)> {
        match self.fault {
            // The retry-after of a rate limit is in the `RateLimit-Reset` header (see `route`).
            Some(Fault::Fail { operation: op, kind, .. }) if op == operation => Some(match kind {
                // An expired token whose refresh is refused too: the account must reconnect.
                ErrorKind::Unauthenticated => xrpc_error("ExpiredToken", "Token has expired"),
                ErrorKind::RateLimited => xrpc_error("RateLimitExceeded", "Rate Limit Exceeded"),
                ErrorKind::NotFound => xrpc_error("RecordNotFound", "Could not locate record"),
                _ => (503, json!({"error": "UpstreamFailure", "message": "Upstream Failure"})),
            }),
            _ => None,
        }
    }

    /// Answers one XRPC call.
    fn route(&mut self, request: &Request) -> (usize, Value) {
        match nsid(request).as_str() {
            "app.bsky.actor.getProfile" => {
                if let Some(failure) = self.fails(Operation::Account) {
                    return failure;
                }
                (
                    200,
                    json!({
                        "did": DID, "handle": HANDLE, "displayName": "Café Tertulia",
                        "followersCount": 1234, "followsCount": 56, "postsCount": self.records.len() as u64
                    }),
                )
            }
            "com.atproto.server.refreshSession" => xrpc_error("ExpiredToken", "Token has expired"),
            "com.atproto.repo.createRecord" => {
                let input = body(request);
                self.created += 1;
                let rkey =
                    input["rkey"].as_str().map(str::to_owned).unwrap_or_else(|| format!("3lbnew{:07}", self.created));
                let uri = format!("at://{DID}/app.bsky.feed.post/{rkey}");
                if self.records.contains_key(&uri) {
                    return (500, json!({"error": "InternalServerError", "message": "Internal Server Error"}));
                }
                let cid = format!("bafyreicreated{:06}", self.created);
                self.records.insert(uri.clone(), (cid.clone(), input["record"].clone()));
                if matches!(self.fault, Some(Fault::LoseOutcome { operation: Operation::Publish })) {
                    self.fault = None;
                    // Written, but the answer is lost; the read-back right after races the
                    // write and does not see it yet.
                    self.hide_next_read = true;
                    return (200, Value::Null);
                }
                (200, json!({"uri": uri, "cid": cid, "validationStatus": "valid"}))
            }
            "com.atproto.repo.getRecord" => {
                let uri = format!(
                    "at://{}/{}/{}",
                    param(request, "repo").unwrap_or_default(),
                    param(request, "collection").unwrap_or_default(),
                    param(request, "rkey").unwrap_or_default()
                );
                if std::mem::take(&mut self.hide_next_read) {
                    return xrpc_error("RecordNotFound", &format!("Could not locate record: {uri}"));
                }
                match self.records.get(&uri) {
                    Some((cid, record)) => (200, json!({"uri": uri, "cid": cid, "value": record})),
                    None => xrpc_error("RecordNotFound", &format!("Could not locate record: {uri}")),
                }
            }
            "com.atproto.repo.listRecords" => {
                let records: Vec<Value> = self
                    .records
                    .iter()
                    .rev()
                    .map(|(uri, (cid, record))| json!({"uri": uri, "cid": cid, "value": record}))
                    .collect();
                (200, json!({"records": records}))
            }
            "com.atproto.repo.deleteRecord" => {
                let input = body(request);
                let uri = format!(
                    "at://{}/{}/{}",
                    input["repo"].as_str().unwrap_or(""),
                    input["collection"].as_str().unwrap_or(""),
                    input["rkey"].as_str().unwrap_or("")
                );
                self.records.remove(&uri);
                (200, json!({"commit": {"cid": "bafyreicommit", "rev": "3n375rcdxec2v"}}))
            }
            "com.atproto.repo.uploadBlob" => {
                let size = request.body().map(|b| b.len()).unwrap_or(0);
                let mime =
                    request.header("content-type").first().and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
                (
                    200,
                    json!({"blob": {"$type": "blob", "ref": {"$link": "bafkreiconformanceblob"}, "mimeType": mime, "size": size}}),
                )
            }
            "app.bsky.feed.getPosts" => {
                let posts: Vec<Value> = query(request)
                    .into_iter()
                    .filter(|(k, _)| k == "uris")
                    .filter_map(|(_, uri)| self.view(&uri))
                    .collect();
                (200, json!({"posts": posts}))
            }
            "app.bsky.notification.listNotifications" => {
                if let Some(failure) = self.fails(Operation::ListInteractions) {
                    return failure;
                }
                let reasons: Vec<String> =
                    query(request).into_iter().filter(|(k, _)| k == "reasons").map(|(_, v)| v).collect();
                if !reasons.is_empty() && !reasons.iter().any(|r| r == "mention") {
                    return (200, json!({"notifications": []}));
                }
                let limit: usize = param(request, "limit").and_then(|l| l.parse().ok()).unwrap_or(50);
                let start: usize = param(request, "cursor").and_then(|c| c.parse().ok()).unwrap_or(0);
                let page: Vec<Value> = self
                    .mentions
                    .iter()
                    .skip(start)
                    .take(limit)
                    .filter_map(|uri| {
                        let (handle, record) = self.others.get(uri)?;
                        let did = uri.trim_start_matches("at://").split('/').next().unwrap_or("");
                        Some(json!({
                            "uri": uri, "cid": "bafyreimention", "author": profile(did, handle), "reason": "mention",
                            "record": record, "isRead": false, "indexedAt": record["createdAt"], "labels": []
                        }))
                    })
                    .collect();
                let next = start + page.len();
                let mut out = json!({"notifications": page});
                if next < self.mentions.len() {
                    out["cursor"] = json!(next.to_string());
                }
                (200, out)
            }
            "app.bsky.feed.searchPosts" => {
                let words: Vec<String> =
                    param(request, "q").unwrap_or_default().split_whitespace().map(str::to_lowercase).collect();
                let posts: Vec<Value> = self
                    .public
                    .iter()
                    .filter(|uri| {
                        let text = self.others[*uri].1["text"].as_str().unwrap_or("").to_lowercase();
                        words.iter().all(|w| text.contains(w.as_str()))
                    })
                    .filter_map(|uri| self.view(uri))
                    .collect();
                (200, json!({"posts": posts}))
            }
            "com.atproto.identity.resolveHandle" => xrpc_error("HandleNotFound", "Unable to resolve handle"),
            other => (404, json!({"error": "MethodNotImplemented", "message": format!("{other} is not served here")})),
        }
    }

    fn seed_other(&mut self, seed: &SeedInteraction, n: usize) -> String {
        let did = format!("did:plc:{:0<24}", seed.author);
        let uri = format!("at://{did}/app.bsky.feed.post/3lbseed{n:06}");
        let created = self.now - chrono::Duration::from_std(seed.age).unwrap_or_default();
        let record = json!({"$type": "app.bsky.feed.post", "text": seed.text, "createdAt": time(created), "langs": [seed.language]});
        self.others.insert(uri.clone(), (format!("{}.bsky.social", seed.author), record));
        uri
    }
}

/// One mock answers every XRPC call of `method` from the state. The status is computed
/// first and its body kept for the body callback (the server answers one request at a time).
async fn route(server: &mut mockito::ServerGuard, method: &str, state: Arc<Mutex<State>>, reset: &str) {
    let answer: Arc<Mutex<Option<(usize, Value)>>> = Arc::default();
    let (status_slot, remaining_slot, body_slot) = (answer.clone(), answer.clone(), answer);
    server
        .mock(method, Matcher::Regex("^/xrpc/".into()))
        .with_status_code_from_request(move |request| {
            let (status, body) = state.lock().unwrap().route(request);
            *status_slot.lock().unwrap() = Some((status, body));
            status
        })
        .with_header("content-type", "application/json")
        // The headers every Bluesky answer carries; a 429 has spent the budget.
        .with_header("ratelimit-limit", "3000")
        .with_header("ratelimit-policy", "3000;w=300")
        .with_header("ratelimit-reset", reset)
        .with_header_from_request("ratelimit-remaining", move |_| {
            let limited = remaining_slot.lock().unwrap().as_ref().is_some_and(|(status, _)| *status == 429);
            if limited { "0" } else { "2999" }.to_owned()
        })
        .with_body_from_request(move |_| match body_slot.lock().unwrap().take() {
            // A lost answer: the write happened, the body is cut off.
            Some((_, Value::Null)) => br#"{"uri":"at://"#.to_vec(),
            Some((_, body)) => body.to_string().into_bytes(),
            None => Vec::new(),
        })
        .create_async()
        .await;
}

struct MockPds;

#[async_trait]
impl Harness for MockPds {
    async fn prepare(&self, scenario: &Scenario) -> Result<Prepared, Skip> {
        let mut server = Server::new_async().await;
        let mut state = State { now: scenario.now, fault: scenario.fault, ..State::default() };
        let mut posts = Vec::new();
        for (n, seed) in scenario.posts.iter().enumerate() {
            let created = scenario.now - chrono::Duration::from_std(seed.age).unwrap_or_default();
            let uri = format!("at://{DID}/app.bsky.feed.post/3lbpost{n:06}");
            let cid = format!("bafyreiseeded{n:06}");
            if !seed.gone {
                let record = json!({"$type": "app.bsky.feed.post", "text": seed.text, "createdAt": time(created), "langs": [seed.language]});
                state.records.insert(uri.clone(), (cid.clone(), record));
                let e = seed.engagement;
                state.counts.insert(uri.clone(), [e.likes, e.reposts, e.replies, e.quotes]);
            }
            posts.push(RemoteRef { id: RemoteId::new(&uri), url: None, revision: Some(cid) });
        }
        let mut interactions = Vec::new();
        for (n, seed) in scenario.interactions.iter().enumerate() {
            let uri = state.seed_other(seed, n);
            state.mentions.push(uri.clone());
            interactions.push(RemoteId::new(uri));
        }
        for (n, seed) in scenario.public_posts.iter().enumerate() {
            let uri = state.seed_other(seed, 100 + n);
            state.public.push(uri);
        }
        let state = Arc::new(Mutex::new(state));

        let reset_after = match scenario.fault {
            Some(Fault::Fail { retry_after: Some(after), .. }) => chrono::Duration::from_std(after).unwrap_or_default(),
            _ => chrono::Duration::minutes(5),
        };
        let reset = (scenario.now + reset_after).timestamp().to_string();
        for method in ["GET", "POST"] {
            route(&mut server, method, state.clone(), &reset).await;
        }

        let clock = Arc::new(ManualClock::new(scenario.now));
        let session = Session::new(DID, HANDLE, "access-conformance", "refresh-conformance")
            .map_err(|e| Skip::new(e.to_string()))?;
        let config = BlueskyConfig::new(server.url().parse().map_err(|e| Skip::new(format!("{e}")))?, HANDLE)
            .session(session)
            .clock(clock)
            .jitter(Arc::new(SeededJitter::new(7)))
            .timeout(Duration::from_secs(5));
        let adapter = Bluesky::connect(config).await.map_err(|e| Skip::new(e.to_string()))?;
        let platform: Arc<dyn Platform> = Arc::new(adapter);
        Ok(Prepared::new(platform).posts(posts).interactions(interactions).keep(server))
    }
}

tertulia_conformance::suite!(MockPds);
