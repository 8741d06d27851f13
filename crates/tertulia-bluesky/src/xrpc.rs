//! One XRPC call over [`tertulia_http::HttpClient`]: the method's path, its query, body and
//! headers, and which calls may be sent twice. Retries, backoff, rate-limit budgets and
//! error mapping are the shared client's; sessions and refreshes live in the client above.

use serde::Serialize;
use serde::de::DeserializeOwned;
use tertulia_core::{Error, ErrorKind, Operation, PlatformKind};

use crate::error::local_error;

/// The operation errors carry until the public method that made the call sets its own
/// ([`Error::with_operation`]).
const PENDING: Operation = Operation::Connect;
use tertulia_http::reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use tertulia_http::{Call, DEFAULT_BUCKET, HttpClient, Secret, decode_error, transport_error};

/// The body of a call.
#[derive(Debug, Clone)]
pub(crate) enum Payload {
    None,
    Json(Vec<u8>),
    Bytes { data: Vec<u8>, mime: String },
}

/// One XRPC call.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub nsid: &'static str,
    pub post: bool,
    pub query: Vec<(&'static str, String)>,
    pub payload: Payload,
    /// Served by the AppView through the PDS: sends the `atproto-proxy` header if set.
    pub appview: bool,
    /// A write that is safe to send twice (deleting, uploading the same bytes, signing in).
    pub repeatable: bool,
}

impl Request {
    /// A query (GET): repeatable.
    pub fn query(nsid: &'static str) -> Self {
        Request { nsid, post: false, query: Vec::new(), payload: Payload::None, appview: false, repeatable: true }
    }

    /// A procedure (POST) with a JSON body, sent once unless [`repeatable`](Self::repeatable).
    pub fn procedure(nsid: &'static str, body: &impl Serialize) -> Result<Self, Error> {
        let json = serde_json::to_vec(body)
            .map_err(|e| local_error(ErrorKind::InvalidInput, format!("cannot encode the request: {e}")))?;
        Ok(Request { post: true, payload: Payload::Json(json), repeatable: false, ..Request::query(nsid) })
    }

    /// A procedure (POST) with no body, sent once unless [`repeatable`](Self::repeatable).
    pub fn empty_procedure(nsid: &'static str) -> Self {
        Request { post: true, repeatable: false, ..Request::query(nsid) }
    }

    /// A procedure (POST) with raw bytes, sent once unless [`repeatable`](Self::repeatable).
    pub fn upload(nsid: &'static str, data: Vec<u8>, mime: impl Into<String>) -> Self {
        Request {
            post: true,
            repeatable: false,
            payload: Payload::Bytes { data, mime: mime.into() },
            ..Request::query(nsid)
        }
    }

    /// Adds a query parameter (repeat it for arrays).
    pub fn param(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }

    /// Adds a query parameter when there is a value.
    pub fn param_opt(self, name: &'static str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(value) => self.param(name, value),
            None => self,
        }
    }

    /// Marks the call as served by the AppView.
    pub fn appview(mut self) -> Self {
        self.appview = true;
        self
    }

    /// Marks a write as safe to send twice, so temporary failures are retried.
    pub fn repeatable(mut self) -> Self {
        self.repeatable = true;
        self
    }
}

/// The transport: the shared HTTP client and the AppView proxy header.
#[derive(Debug, Clone)]
pub(crate) struct Xrpc {
    pub http: HttpClient,
    pub appview_proxy: Option<String>,
}

impl Xrpc {
    /// Sends `request` and returns the body of its 2xx answer.
    pub async fn call(&self, request: &Request, token: Option<&Secret>) -> Result<Vec<u8>, Error> {
        let mut call = if request.post {
            Call::post(PENDING, format!("xrpc/{}", request.nsid))
        } else {
            Call::get(PENDING, format!("xrpc/{}", request.nsid))
        };
        if request.post && request.repeatable {
            call = call.keyed();
        }
        // The PDS limits `createSession` on its own (30 per 5 minutes); every other call
        // shares the per-address limit (3,000 per 5 minutes).
        call = call.bucket(if request.nsid == "com.atproto.server.createSession" {
            "createSession"
        } else {
            DEFAULT_BUCKET
        });
        let bearer = token.and_then(Secret::bearer);
        let response = self
            .http
            .send(&call, |mut builder| {
                if !request.query.is_empty() {
                    builder = builder.query(&request.query);
                }
                if let Some(value) = &bearer {
                    builder = builder.header(AUTHORIZATION, value.clone());
                }
                if request.appview
                    && let Some(proxy) = &self.appview_proxy
                {
                    builder = builder.header("atproto-proxy", proxy.as_str());
                }
                match &request.payload {
                    Payload::None => builder,
                    Payload::Json(json) => builder.header(CONTENT_TYPE, "application/json").body(json.clone()),
                    Payload::Bytes { data, mime } => builder.header(CONTENT_TYPE, mime.as_str()).body(data.clone()),
                }
            })
            .await?;
        let body = response.bytes().await.map_err(|e| transport_error(PlatformKind::Bluesky, PENDING, e))?;
        Ok(body.to_vec())
    }

    /// Sends and decodes a JSON answer.
    pub async fn call_json<T: DeserializeOwned>(&self, request: &Request, token: Option<&Secret>) -> Result<T, Error> {
        let body = self.call(request, token).await?;
        decode(&body)
    }
}

/// Decodes a JSON answer; a body that does not fit is a `Decode` error, never a panic.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(body).map_err(|e| decode_error(PlatformKind::Bluesky, PENDING, e))
}
