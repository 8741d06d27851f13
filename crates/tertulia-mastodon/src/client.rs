//! The Mastodon endpoints the adapter calls, one method each, speaking wire types.

use std::fmt;

use serde::de::DeserializeOwned;
use tertulia_core::{Error, ErrorKind, IdempotencyKey, MediaUpload, Operation, PlatformKind, RemoteId, Result};
use tertulia_http::reqwest::header::{AUTHORIZATION, HeaderValue};
use tertulia_http::reqwest::multipart::{Form, Part};
use tertulia_http::reqwest::{RequestBuilder, StatusCode};
use tertulia_http::{Call, HttpClient, Links, Secret, decode_error};

use crate::wire::{
    Account, Context, Conversation, Instance, InstanceV1, MediaAttachment, NewStatus, Notification, ScheduledStatus,
    SearchResults, Status, StatusSource,
};

/// The rate-limit bucket of ordinary API calls (Mastodon: 300 per 5 minutes per token,
/// 1500 per user).
const API: &str = "api";
/// Media uploads: 30 per 30 minutes.
const MEDIA: &str = "media";
/// Creating statuses: the server's own `statuses` family (300 per 3 hours).
const STATUSES: &str = "statuses";

/// The header Mastodon reads idempotency keys from (kept for one hour).
pub(crate) const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

/// A page of a listing, with the `Link` header's next page.
pub(crate) struct Listed<T> {
    pub items: Vec<T>,
    pub links: Links,
}

/// What `POST /api/v1/statuses` answered.
pub(crate) enum Created {
    Status(Box<Status>),
    Scheduled(ScheduledStatus),
}

/// A media upload's state.
pub(crate) enum MediaState {
    Ready(MediaAttachment),
    Processing(MediaAttachment),
}

/// The authenticated endpoints of one account.
#[derive(Clone)]
pub(crate) struct Api {
    http: HttpClient,
    authorization: HeaderValue,
}

impl fmt::Debug for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Api").field("http", &self.http).field("authorization", &"***").finish()
    }
}

impl Api {
    /// The endpoints, authenticated with `token`; a [`ErrorKind::Configuration`] error when
    /// the token is empty or cannot be sent in a header.
    pub(crate) fn new(http: HttpClient, token: &Secret) -> Result<Self> {
        let config =
            |message: &str| Error::new(ErrorKind::Configuration, PlatformKind::Mastodon, Operation::Connect, message);
        if token.is_empty() {
            return Err(config("the access token is empty"));
        }
        let authorization =
            token.bearer().ok_or_else(|| config("the access token holds characters a header cannot carry"))?;
        Ok(Api { http, authorization })
    }

    pub(crate) fn http(&self) -> &HttpClient {
        &self.http
    }

    fn auth(&self, request: RequestBuilder) -> RequestBuilder {
        request.header(AUTHORIZATION, self.authorization.clone())
    }

    async fn get<T: DeserializeOwned>(&self, operation: Operation, path: &str, query: &[(&str, String)]) -> Result<T> {
        let call = Call::get(operation, path).bucket(API);
        let response = self.http.send(&call, |r| self.auth(r).query(query)).await?;
        self.http.json(operation, response).await
    }

    async fn list<T: DeserializeOwned>(
        &self,
        operation: Operation,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Listed<T>> {
        let call = Call::get(operation, path).bucket(API);
        let response = self.http.send(&call, |r| self.auth(r).query(query)).await?;
        let links = Links::from_headers(response.headers(), self.http.base_url());
        let items = self.http.json(operation, response).await?;
        Ok(Listed { items, links })
    }

    /// `GET /api/v2/instance`, or `GET /api/v1/instance` on a server without it.
    pub(crate) async fn instance(&self) -> Result<Instance> {
        match self.get(Operation::Connect, "api/v2/instance", &[]).await {
            Err(error) if error.kind() == ErrorKind::NotFound => {
                let v1: InstanceV1 = self.get(Operation::Connect, "api/v1/instance", &[]).await?;
                Ok(v1.into())
            }
            other => other,
        }
    }

    /// `GET /api/v1/accounts/verify_credentials`.
    pub(crate) async fn verify_credentials(&self, operation: Operation) -> Result<Account> {
        self.get(operation, "api/v1/accounts/verify_credentials", &[]).await
    }

    /// `POST /api/v1/statuses` with an `Idempotency-Key`: retried on temporary failures,
    /// since the server answers a repeated key with the status it already made.
    pub(crate) async fn create_status(
        &self,
        operation: Operation,
        status: &NewStatus,
        key: &IdempotencyKey,
    ) -> Result<Created> {
        let call = Call::post(operation, "api/v1/statuses").keyed().bucket(STATUSES);
        let response =
            self.http.send(&call, |r| self.auth(r).header(IDEMPOTENCY_KEY, key.as_str()).json(status)).await?;
        // A ScheduledStatus has `params`; a Status never does. Read by shape, not by what
        // was asked: a server that published at once must not be misread.
        let value: serde_json::Value = self.http.json(operation, response).await?;
        let decode = |e| decode_error(PlatformKind::Mastodon, operation, e);
        if value.get("params").is_some() {
            Ok(Created::Scheduled(serde_json::from_value(value).map_err(decode)?))
        } else {
            Ok(Created::Status(Box::new(serde_json::from_value(value).map_err(decode)?)))
        }
    }

    /// `GET /api/v1/statuses/:id`.
    pub(crate) async fn status(&self, operation: Operation, id: &RemoteId) -> Result<Status> {
        self.get(operation, &format!("api/v1/statuses/{}", segment(id)), &[]).await
    }

    /// `GET /api/v1/statuses/:id/source`: the text as written, not as rendered.
    pub(crate) async fn status_source(&self, operation: Operation, id: &RemoteId) -> Result<StatusSource> {
        self.get(operation, &format!("api/v1/statuses/{}/source", segment(id)), &[]).await
    }

    /// `GET /api/v1/statuses/:id/context`.
    pub(crate) async fn context(&self, operation: Operation, id: &RemoteId) -> Result<Context> {
        self.get(operation, &format!("api/v1/statuses/{}/context", segment(id)), &[]).await
    }

    /// `DELETE /api/v1/statuses/:id` (sent once: a repeated delete would answer 404).
    pub(crate) async fn delete_status(&self, id: &RemoteId) -> Result<()> {
        let call = Call::delete(Operation::Delete, format!("api/v1/statuses/{}", segment(id))).bucket(API);
        self.http.send(&call, |r| self.auth(r)).await?;
        Ok(())
    }

    /// `POST /api/v2/media` (multipart `file` and `description`). Sent once: a second upload
    /// would only leave an unattached copy, but the caller decides whether to try again.
    pub(crate) async fn upload_media(&self, upload: &MediaUpload) -> Result<MediaState> {
        let operation = Operation::UploadMedia;
        // Check the MIME type once, so the request builder below cannot fail.
        Part::bytes(Vec::new()).mime_str(&upload.mime).map_err(|_| {
            Error::new(
                ErrorKind::InvalidInput,
                PlatformKind::Mastodon,
                operation,
                format!("`{}` is not a MIME type", upload.mime),
            )
        })?;
        let file_name = upload.file_name.clone().unwrap_or_else(|| default_file_name(&upload.mime));
        let build = |request: RequestBuilder| {
            let part = Part::bytes(upload.bytes.clone()).file_name(file_name.clone());
            let part = match part.mime_str(&upload.mime) {
                Ok(part) => part,
                Err(_) => Part::bytes(upload.bytes.clone()).file_name(file_name.clone()),
            };
            let mut form = Form::new().part("file", part);
            if let Some(alt) = &upload.alt_text {
                form = form.text("description", alt.clone());
            }
            self.auth(request).multipart(form)
        };
        let call = Call::post(operation, "api/v2/media").bucket(MEDIA);
        let response = self.http.send(&call, build).await?;
        let accepted = response.status() == StatusCode::ACCEPTED;
        let attachment: MediaAttachment = self.http.json(operation, response).await?;
        Ok(if accepted || attachment.url.is_none() {
            MediaState::Processing(attachment)
        } else {
            MediaState::Ready(attachment)
        })
    }

    /// `GET /api/v1/media/:id`: 206 while processing, 200 when done.
    pub(crate) async fn media(&self, id: &str) -> Result<MediaState> {
        let operation = Operation::UploadMedia;
        let call = Call::get(operation, format!("api/v1/media/{}", encode(id))).bucket(API);
        let response = self.http.send(&call, |r| self.auth(r)).await?;
        let processing = response.status() == StatusCode::PARTIAL_CONTENT;
        let attachment: MediaAttachment = self.http.json(operation, response).await?;
        Ok(if processing { MediaState::Processing(attachment) } else { MediaState::Ready(attachment) })
    }

    /// `GET /api/v1/notifications`.
    pub(crate) async fn notifications(&self, query: &[(&str, String)]) -> Result<Listed<Notification>> {
        self.list(Operation::ListInteractions, "api/v1/notifications", query).await
    }

    /// `GET /api/v1/conversations`.
    pub(crate) async fn conversations(&self, query: &[(&str, String)]) -> Result<Listed<Conversation>> {
        self.list(Operation::ListInteractions, "api/v1/conversations", query).await
    }

    /// `GET /api/v1/accounts/:id/statuses`.
    pub(crate) async fn account_statuses(
        &self,
        operation: Operation,
        account: &str,
        query: &[(&str, String)],
    ) -> Result<Listed<Status>> {
        self.list(operation, &format!("api/v1/accounts/{}/statuses", encode(account)), query).await
    }

    /// `GET /api/v2/search` with `type=statuses`.
    pub(crate) async fn search(&self, query: &[(&str, String)]) -> Result<SearchResults> {
        self.get(Operation::Search, "api/v2/search", query).await
    }

    /// `GET /api/v1/timelines/tag/:hashtag`.
    pub(crate) async fn tag_timeline(&self, tag: &str, query: &[(&str, String)]) -> Result<Listed<Status>> {
        self.list(Operation::Search, &format!("api/v1/timelines/tag/{}", encode(tag)), query).await
    }
}

fn segment(id: &RemoteId) -> String {
    encode(id.as_str())
}

/// Percent-encodes one path segment (ids are opaque: they may hold anything).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn default_file_name(mime: &str) -> String {
    let extension = mime.split('/').nth(1).and_then(|sub| sub.split([';', '+']).next()).unwrap_or("bin");
    format!("upload.{}", extension.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(encode("103186126728896492"), "103186126728896492");
        assert_eq!(encode("a/b?c#d é"), "a%2Fb%3Fc%23d%20%C3%A9");
    }

    #[test]
    fn file_names_follow_the_mime_type() {
        assert_eq!(default_file_name("image/png"), "upload.png");
        assert_eq!(default_file_name("image/svg+xml"), "upload.svg");
        assert_eq!(default_file_name("weird"), "upload.bin");
    }
}
