//! A small fake Mastodon server on mockito: it keeps statuses, media, notifications and
//! idempotency keys in memory and answers the documented endpoints in the documented shapes,
//! so checks that publish and then read back run against something that behaves like a
//! server, not against canned answers.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, SecondsFormat, Utc};
use mockito::{Matcher, Request, ServerGuard};
use serde_json::{Value, json};
use tertulia_core::{Clock, ManualClock};

pub const DOMAIN: &str = "cafe.example";
pub const TOKEN: &str = "tok-fake-9f8e7d";
pub const ME_ID: &str = "1";

/// What goes wrong on purpose.
#[derive(Debug, Clone)]
pub enum Trouble {
    /// Calls whose method and path start like this answer `status` with `body`; a 429
    /// carries `X-RateLimit-*` headers with a reset `reset_in_seconds` from now.
    Fail { method: &'static str, path: &'static str, status: u16, body: &'static str, reset_in_seconds: Option<i64> },
    /// The next `n` publishes take effect (once per idempotency key) but are answered with a
    /// 504 from the gateway.
    LosePublishAnswers(usize),
}

#[derive(Default)]
struct Reply {
    status: u16,
    body: Vec<u8>,
    headers: HashMap<&'static str, String>,
}

const REPLY_HEADERS: [&str; 6] =
    ["content-type", "link", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after"];

struct State {
    clock: Arc<ManualClock>,
    base: String,
    max_characters: u32,
    api_version: u32,
    followers: u64,
    accounts: HashMap<String, Value>,
    statuses: BTreeMap<u64, Value>,
    sources: HashMap<u64, String>,
    keys: HashMap<String, u64>,
    media: HashMap<String, Value>,
    notifications: BTreeMap<u64, Value>,
    public: HashSet<u64>,
    next_id: u64,
    trouble: Option<Trouble>,
    pending: Option<Reply>,
}

/// The fake server and its state.
pub struct FakeMastodon {
    pub server: ServerGuard,
    state: Arc<Mutex<State>>,
}

impl FakeMastodon {
    /// A server at `cafe.example` with the account `cafetertulia` (display name
    /// "Café Tertulia") and `followers` followers.
    pub async fn start(clock: Arc<ManualClock>, followers: u64) -> FakeMastodon {
        let mut server = mockito::Server::new_async().await;
        let base = server.url();
        let mut state = State {
            clock,
            base: base.clone(),
            max_characters: 500,
            api_version: 7,
            followers,
            accounts: HashMap::new(),
            statuses: BTreeMap::new(),
            sources: HashMap::new(),
            keys: HashMap::new(),
            media: HashMap::new(),
            notifications: BTreeMap::new(),
            public: HashSet::new(),
            next_id: 1000,
            trouble: None,
            pending: None,
        };
        state.add_account(ME_ID, "cafetertulia", "Café Tertulia");
        let state = Arc::new(Mutex::new(state));
        for method in ["GET", "POST", "PUT", "DELETE"] {
            let mut mock = server.mock(method, Matcher::Any);
            let for_status = state.clone();
            mock = mock.with_status_code_from_request(move |request| {
                let mut state = for_status.lock().unwrap();
                let reply = state.route(request);
                let status = reply.status as usize;
                state.pending = Some(reply);
                status
            });
            for name in REPLY_HEADERS {
                let for_header = state.clone();
                mock = mock.with_header_from_request(name, move |_| {
                    let state = for_header.lock().unwrap();
                    state.pending.as_ref().and_then(|reply| reply.headers.get(name).cloned()).unwrap_or_default()
                });
            }
            let for_body = state.clone();
            mock = mock.with_body_from_request(move |_| {
                let mut state = for_body.lock().unwrap();
                state.pending.take().map(|reply| reply.body).unwrap_or_default()
            });
            mock.create_async().await;
        }
        FakeMastodon { server, state }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().unwrap())
    }

    /// Another account of the community.
    pub fn add_account(&self, username: &str) {
        self.with(|state| {
            let id = format!("2{:03}", state.accounts.len());
            state.add_account(&id, username, username);
        });
    }

    /// A status of the account, `created_at` then, with counters.
    pub fn add_own_status(&self, text: &str, language: &str, created_at: DateTime<Utc>, counts: [u64; 4]) -> String {
        self.with(|state| {
            let id = state.insert_status("cafetertulia", text, language, created_at, None, "public", &[]);
            if let Some(status) = state.statuses.get_mut(&id) {
                status["favourites_count"] = json!(counts[0]);
                status["reblogs_count"] = json!(counts[1]);
                status["replies_count"] = json!(counts[2]);
                status["quotes_count"] = json!(counts[3]);
            }
            id.to_string()
        })
    }

    /// Removes a status: it reads as 404 from now on.
    pub fn remove(&self, id: &str) {
        self.with(|state| {
            if let Ok(id) = id.parse::<u64>() {
                state.statuses.remove(&id);
            }
        });
    }

    /// A status of `author` mentioning the account, and its `mention` notification.
    pub fn add_mention(&self, author: &str, text: &str, language: &str, created_at: DateTime<Utc>) -> String {
        self.with(|state| {
            if !state.accounts.contains_key(author) {
                let id = format!("2{:03}", state.accounts.len());
                state.add_account(&id, author, author);
            }
            let id = state.insert_status(author, text, language, created_at, None, "public", &[]);
            let notification_id = state.id_at(created_at);
            let notification = json!({
                "id": notification_id.to_string(),
                "type": "mention",
                "group_key": format!("ungrouped-{notification_id}"),
                "created_at": timestamp(created_at),
                "account": state.accounts[author].clone(),
                "status": state.statuses[&id].clone(),
            });
            state.notifications.insert(notification_id, notification);
            id.to_string()
        })
    }

    /// A public status of `author` that search finds.
    pub fn add_public(&self, author: &str, text: &str, language: &str, created_at: DateTime<Utc>) -> String {
        self.with(|state| {
            if !state.accounts.contains_key(author) {
                let id = format!("2{:03}", state.accounts.len());
                state.add_account(&id, author, author);
            }
            let id = state.insert_status(author, text, language, created_at, None, "public", &[]);
            state.public.insert(id);
            id.to_string()
        })
    }

    pub fn trouble(&self, trouble: Trouble) {
        self.with(|state| state.trouble = Some(trouble));
    }

    /// How many statuses the account has.
    pub fn own_statuses(&self) -> usize {
        self.with(|state| state.statuses.values().filter(|s| s["account"]["id"] == ME_ID).count())
    }
}

fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn error(status: u16, message: &str) -> Reply {
    Reply { status, body: json!({ "error": message }).to_string().into_bytes(), ..Reply::default() }
}

fn ok(body: Value) -> Reply {
    Reply { status: 200, body: body.to_string().into_bytes(), ..Reply::default() }
}

fn query(request: &Request) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    let url = url::Url::parse(&format!("http://fake{}", request.path_and_query())).unwrap();
    for (key, value) in url.query_pairs() {
        out.entry(key.into_owned()).or_default().push(value.into_owned());
    }
    out
}

fn first(query: &HashMap<String, Vec<String>>, key: &str) -> Option<String> {
    query.get(key).and_then(|values| values.first().cloned())
}

/// The value of a multipart field.
fn multipart_field(body: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\"");
    let start = body.find(&marker)?;
    let rest = &body[start..];
    let value_start = rest.find("\r\n\r\n")? + 4;
    let value = &rest[value_start..];
    let end = value.find("\r\n--")?;
    Some(value[..end].to_owned())
}

impl State {
    fn next(&mut self) -> u64 {
        let now = self.clock.now();
        self.id_at(now)
    }

    /// An id as Mastodon makes them: the creation time in milliseconds, shifted 16 bits,
    /// plus a sequence, so ids sort by time.
    fn id_at(&mut self, at: DateTime<Utc>) -> u64 {
        self.next_id += 1;
        ((at.timestamp_millis().max(0) as u64) << 16) | (self.next_id & 0xffff)
    }

    fn add_account(&mut self, id: &str, username: &str, display_name: &str) {
        let own = id == ME_ID;
        let account = json!({
            "id": id,
            "username": username,
            "acct": username,
            "display_name": display_name,
            "locked": false,
            "bot": false,
            "created_at": "2016-05-01T00:00:00.000Z",
            "note": "",
            "url": format!("https://{DOMAIN}/@{username}"),
            "avatar": format!("https://{DOMAIN}/avatars/{id}.png"),
            "avatar_static": format!("https://{DOMAIN}/avatars/{id}.png"),
            "header": "",
            "header_static": "",
            "followers_count": if own { self.followers } else { 10 },
            "following_count": 12,
            "statuses_count": 0,
            "last_status_at": null,
            "emojis": [],
            "fields": []
        });
        self.accounts.insert(username.to_owned(), account);
    }

    /// Renders text as Mastodon does: paragraphs, line breaks, mentions of known accounts.
    fn render(&self, text: &str) -> String {
        let paragraphs: Vec<String> = text
            .split("\n\n")
            .map(|paragraph| {
                let words: Vec<String> = paragraph
                    .split(' ')
                    .map(|word| {
                        let name = word.strip_prefix('@').map(|n| n.split('@').next().unwrap_or(n));
                        match name.and_then(|n| self.accounts.get(n)) {
                            Some(account) => format!(
                                r#"<span class="h-card" translate="no"><a href="{}" class="u-url mention">@<span>{}</span></a></span>"#,
                                account["url"].as_str().unwrap_or_default(),
                                account["username"].as_str().unwrap_or_default()
                            ),
                            None => escape(word),
                        }
                    })
                    .collect();
                format!("<p>{}</p>", words.join(" ").replace('\n', "<br />"))
            })
            .collect();
        paragraphs.concat()
    }

    #[allow(clippy::too_many_arguments)]
    fn insert_status(
        &mut self,
        author: &str,
        text: &str,
        language: &str,
        created_at: DateTime<Utc>,
        in_reply_to: Option<u64>,
        visibility: &str,
        media: &[Value],
    ) -> u64 {
        let id = self.id_at(created_at);
        let account = self.accounts[author].clone();
        let username = account["username"].as_str().unwrap_or_default().to_owned();
        let in_reply_to_account =
            in_reply_to.and_then(|parent| self.statuses.get(&parent)).map(|p| p["account"]["id"].clone());
        let status = json!({
            "id": id.to_string(),
            "created_at": timestamp(created_at),
            "in_reply_to_id": in_reply_to.map(|p| p.to_string()),
            "in_reply_to_account_id": in_reply_to_account,
            "sensitive": false,
            "spoiler_text": "",
            "visibility": visibility,
            "language": language,
            "uri": format!("https://{DOMAIN}/users/{username}/statuses/{id}"),
            "url": format!("https://{DOMAIN}/@{username}/{id}"),
            "replies_count": 0,
            "reblogs_count": 0,
            "favourites_count": 0,
            "quotes_count": 0,
            "edited_at": null,
            "favourited": false,
            "reblogged": false,
            "muted": false,
            "bookmarked": false,
            "content": self.render(text),
            "reblog": null,
            "application": {"name": "tertulia", "website": null},
            "account": account,
            "media_attachments": media,
            "mentions": [],
            "tags": [],
            "emojis": [],
            "card": null,
            "poll": null
        });
        self.statuses.insert(id, status);
        self.sources.insert(id, text.to_owned());
        id
    }

    fn me(&self) -> Value {
        let mut me = self.accounts["cafetertulia"].clone();
        let count = self.statuses.values().filter(|s| s["account"]["id"] == ME_ID).count();
        me["statuses_count"] = json!(count);
        me
    }

    fn instance(&self) -> Value {
        json!({
            "domain": DOMAIN,
            "title": "Café Tertulia social",
            "version": "4.5.0",
            "source_url": "https://github.com/mastodon/mastodon",
            "usage": {"users": {"active_month": 42}},
            "languages": ["es"],
            "configuration": {
                "urls": {"streaming": format!("wss://{DOMAIN}")},
                "statuses": {"max_characters": self.max_characters, "max_media_attachments": 4, "characters_reserved_per_url": 23},
                "media_attachments": {
                    "supported_mime_types": ["image/jpeg", "image/png", "image/gif", "video/mp4"],
                    "description_limit": 1500,
                    "image_size_limit": 16777216,
                    "video_size_limit": 103809024
                },
                "polls": {"max_options": 4, "max_characters_per_option": 50, "min_expiration": 300, "max_expiration": 2629746}
            },
            "registrations": {"enabled": false, "approval_required": false, "message": null},
            "api_versions": {"mastodon": self.api_version},
            "rules": []
        })
    }

    /// A listing newest first, paged by `max_id` and `limit`, with its `Link` header.
    fn page(
        &self,
        path: &str,
        items: Vec<(u64, Value)>,
        query: &HashMap<String, Vec<String>>,
        max_limit: usize,
    ) -> Reply {
        let limit = first(query, "limit").and_then(|l| l.parse::<usize>().ok()).unwrap_or(20).clamp(1, max_limit);
        let max_id = first(query, "max_id").and_then(|m| m.parse::<u64>().ok()).unwrap_or(u64::MAX);
        let mut items: Vec<(u64, Value)> = items.into_iter().filter(|(id, _)| *id < max_id).collect();
        items.sort_by_key(|item| std::cmp::Reverse(item.0));
        items.truncate(limit);
        let mut reply = ok(Value::Array(items.iter().map(|(_, v)| v.clone()).collect()));
        if items.len() == limit
            && let Some((last, _)) = items.last()
        {
            reply.headers.insert("link", format!(r#"<{}{path}?max_id={last}>; rel="next""#, self.base));
        }
        reply
    }

    fn route(&mut self, request: &Request) -> Reply {
        let method = request.method().to_owned();
        let path = request.path().to_owned();
        if let Some(Trouble::Fail { method: m, path: p, status, body, reset_in_seconds }) = self.trouble.clone()
            && m == method
            && path.starts_with(p)
        {
            let mut reply = Reply { status, body: body.as_bytes().to_vec(), ..Reply::default() };
            if let Some(seconds) = reset_in_seconds {
                let reset = self.clock.now() + chrono::Duration::seconds(seconds);
                reply.headers.insert("x-ratelimit-limit", "300".into());
                reply.headers.insert("x-ratelimit-remaining", "0".into());
                reply.headers.insert("x-ratelimit-reset", reset.to_rfc3339_opts(SecondsFormat::Micros, true));
            }
            return reply;
        }
        let authorized = request
            .header("authorization")
            .first()
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == format!("Bearer {TOKEN}"));
        if path != "/api/v2/instance" && !authorized {
            return error(401, "The access token is invalid");
        }
        let query = query(request);
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let mut reply = match (method.as_str(), segments.as_slice()) {
            ("GET", ["api", "v2", "instance"]) => ok(self.instance()),
            ("GET", ["api", "v1", "accounts", "verify_credentials"]) => ok(self.me()),
            ("POST", ["api", "v1", "statuses"]) => self.create(request),
            ("GET", ["api", "v1", "statuses", id]) => self.status(id, |s| s.clone()),
            ("GET", ["api", "v1", "statuses", id, "source"]) => {
                let source = id.parse::<u64>().ok().and_then(|id| self.sources.get(&id).cloned());
                match id.parse::<u64>().ok().filter(|id| self.statuses.contains_key(id)).zip(source) {
                    Some((id, text)) => ok(json!({"id": id.to_string(), "text": text, "spoiler_text": ""})),
                    None => error(404, "Record not found"),
                }
            }
            ("GET", ["api", "v1", "statuses", id, "context"]) => {
                match id.parse::<u64>().ok().filter(|id| self.statuses.contains_key(id)) {
                    Some(id) => {
                        let descendants: Vec<Value> = self
                            .statuses
                            .values()
                            .filter(|s| s["in_reply_to_id"] == json!(id.to_string()))
                            .cloned()
                            .collect();
                        ok(json!({"ancestors": [], "descendants": descendants}))
                    }
                    None => error(404, "Record not found"),
                }
            }
            ("DELETE", ["api", "v1", "statuses", id]) => {
                match id.parse::<u64>().ok().and_then(|id| self.statuses.remove(&id)) {
                    Some(mut status) => {
                        status["text"] = json!(self.sources.get(&id.parse::<u64>().unwrap_or_default()).cloned());
                        ok(status)
                    }
                    None => error(404, "Record not found"),
                }
            }
            ("POST", ["api", "v2", "media"]) => {
                let body = request.utf8_lossy_body().map(|b| b.into_owned()).unwrap_or_default();
                let description = multipart_field(&body, "description");
                let id = self.next().to_string();
                let media = json!({
                    "id": id,
                    "type": "image",
                    "url": format!("https://files.{DOMAIN}/media_attachments/{id}/original.png"),
                    "preview_url": format!("https://files.{DOMAIN}/media_attachments/{id}/small.png"),
                    "remote_url": null,
                    "text_url": null,
                    "meta": {"original": {"width": 1200, "height": 800, "size": "1200x800", "aspect": 1.5}},
                    "description": description,
                    "blurhash": "UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}"
                });
                self.media.insert(id, media.clone());
                ok(media)
            }
            ("GET", ["api", "v1", "notifications"]) => {
                let types = query.get("types[]").cloned().unwrap_or_default();
                let items = self
                    .notifications
                    .iter()
                    .filter(|(_, n)| types.is_empty() || types.iter().any(|t| n["type"] == json!(t)))
                    .map(|(id, n)| (*id, n.clone()))
                    .collect();
                self.page("/api/v1/notifications", items, &query, 80)
            }
            ("GET", ["api", "v1", "conversations"]) => ok(json!([])),
            ("GET", ["api", "v1", "accounts", id, "statuses"]) => {
                let items = self
                    .statuses
                    .iter()
                    .filter(|(_, s)| s["account"]["id"] == json!(id))
                    .map(|(k, s)| (*k, s.clone()))
                    .collect();
                self.page(&path, items, &query, 40)
            }
            ("GET", ["api", "v2", "search"]) => {
                let words: Vec<String> =
                    first(&query, "q").unwrap_or_default().split_whitespace().map(str::to_lowercase).collect();
                let offset = first(&query, "offset").and_then(|o| o.parse::<usize>().ok()).unwrap_or(0);
                let limit = first(&query, "limit").and_then(|l| l.parse::<usize>().ok()).unwrap_or(20).min(40);
                let mut found: Vec<(u64, Value)> = self
                    .public
                    .iter()
                    .filter_map(|id| self.statuses.get(id).map(|s| (*id, s.clone())))
                    .filter(|(id, _)| {
                        let text = self.sources.get(id).cloned().unwrap_or_default().to_lowercase();
                        words.iter().all(|w| text.contains(w.as_str()))
                    })
                    .collect();
                found.sort_by_key(|item| std::cmp::Reverse(item.0));
                let statuses: Vec<Value> = found.into_iter().skip(offset).take(limit).map(|(_, s)| s).collect();
                ok(json!({"accounts": [], "statuses": statuses, "hashtags": []}))
            }
            _ => error(404, "Record not found"),
        };
        reply.headers.insert("content-type", "application/json; charset=utf-8".into());
        reply
    }

    fn status(&self, id: &str, view: impl Fn(&Value) -> Value) -> Reply {
        match id.parse::<u64>().ok().and_then(|id| self.statuses.get(&id)) {
            Some(status) => ok(view(status)),
            None => error(404, "Record not found"),
        }
    }

    fn create(&mut self, request: &Request) -> Reply {
        let body: Value = request.body().ok().and_then(|b| serde_json::from_slice(b).ok()).unwrap_or(Value::Null);
        let key = request.header("idempotency-key").first().and_then(|v| v.to_str().ok()).map(str::to_owned);
        let lose = match &mut self.trouble {
            Some(Trouble::LosePublishAnswers(left)) if *left > 0 => {
                *left -= 1;
                true
            }
            _ => false,
        };
        let lost = || Reply {
            status: 504,
            body: b"<html><body><h1>504 Gateway Time-out</h1></body></html>".to_vec(),
            ..Reply::default()
        };
        if let Some(existing) = key.as_ref().and_then(|key| self.keys.get(key)).copied() {
            return if lose { lost() } else { self.status(&existing.to_string(), |s| s.clone()) };
        }
        let text = body["status"].as_str().unwrap_or_default().to_owned();
        if text.trim().is_empty() && body["media_ids"].as_array().is_none_or(|m| m.is_empty()) {
            return error(422, "Validation failed: Text can't be blank");
        }
        if text.chars().count() as u32 > self.max_characters {
            return error(422, &format!("Validation failed: Text character limit of {} exceeded", self.max_characters));
        }
        if let Some(at) = body["scheduled_at"].as_str() {
            let id = self.next();
            return ok(json!({
                "id": id.to_string(),
                "scheduled_at": at,
                "params": {
                    "text": text, "media_ids": body["media_ids"], "sensitive": null, "spoiler_text": body["spoiler_text"],
                    "visibility": body["visibility"], "scheduled_at": null, "poll": null, "idempotency": key,
                    "in_reply_to_id": body["in_reply_to_id"], "application_id": 1
                },
                "media_attachments": []
            }));
        }
        let in_reply_to = body["in_reply_to_id"].as_str().and_then(|id| id.parse::<u64>().ok());
        if let Some(parent) = in_reply_to
            && !self.statuses.contains_key(&parent)
        {
            return error(404, "Record not found");
        }
        let media: Vec<Value> = body["media_ids"]
            .as_array()
            .map(|ids| ids.iter().filter_map(|id| id.as_str().and_then(|id| self.media.get(id)).cloned()).collect())
            .unwrap_or_default();
        let language = body["language"].as_str().unwrap_or("es").to_owned();
        let visibility = body["visibility"].as_str().unwrap_or("public").to_owned();
        let now = self.clock.now();
        let id = self.insert_status("cafetertulia", &text, &language, now, in_reply_to, &visibility, &media);
        if let Some(key) = key {
            self.keys.insert(key, id);
        }
        if lose { lost() } else { self.status(&id.to_string(), |s| s.clone()) }
    }
}
