//! Uploaded images: what a [`MediaId`] holds for Bluesky, and the checks before an upload.
//!
//! A blob uploaded with `uploadBlob` is only a reference until a record embeds it, and the
//! record needs the whole reference (CID, MIME type, size) with the alt text and aspect
//! ratio. The adapter keeps all of it inside the opaque [`MediaId`] as compact JSON, so an
//! id stored today publishes tomorrow, from another process, without a lookup.

use serde::{Deserialize, Serialize};
use tertulia_core::{ErrorKind, MediaId, MediaKind};

use crate::error::local_error;
use crate::wire::{AspectRatio, Blob, Image};
use tertulia_core::Error;

/// The largest image blob the `app.bsky.embed.images` lexicon accepts.
pub(crate) const MAX_IMAGE_BYTES: u64 = 2_000_000;
/// The most images one post may carry.
pub(crate) const MAX_IMAGES: usize = 4;

/// What a Bluesky [`MediaId`] holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct UploadedImage {
    pub blob: Blob,
    #[serde(default)]
    pub alt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<AspectRatio>,
}

impl UploadedImage {
    /// The id to hand to callers.
    pub fn to_media_id(&self) -> Result<MediaId, Error> {
        serde_json::to_string(self)
            .map(MediaId::new)
            .map_err(|e| local_error(ErrorKind::Unexpected, format!("cannot encode the media id: {e}")))
    }

    /// Reads an id made by [`to_media_id`](Self::to_media_id).
    pub fn from_media_id(id: &MediaId) -> Result<Self, Error> {
        serde_json::from_str(id.as_str()).map_err(|_| {
            local_error(ErrorKind::InvalidInput, "this media id was not made by the Bluesky adapter's upload_media")
        })
    }

    /// The image as a record embeds it.
    pub fn to_image(&self) -> Image {
        Image { image: self.blob.clone(), alt: self.alt.clone(), aspect_ratio: self.aspect_ratio }
    }
}

/// Checks an upload against Bluesky's image rules before sending anything.
pub(crate) fn check_upload(mime: &str, size: usize, dimensions: Option<(u32, u32)>) -> Result<MediaKind, Error> {
    let kind = MediaKind::from_mime(mime);
    match kind {
        Some(MediaKind::Image | MediaKind::Gif) => {}
        Some(MediaKind::Video) => {
            return Err(local_error(
                ErrorKind::Unsupported,
                "videos go through the video service, which this adapter does not use",
            ));
        }
        _ => return Err(local_error(ErrorKind::InvalidInput, format!("Bluesky posts take images, not `{mime}`"))),
    }
    if size as u64 > MAX_IMAGE_BYTES {
        return Err(local_error(
            ErrorKind::InvalidInput,
            format!("the image has {size} bytes; Bluesky takes at most {MAX_IMAGE_BYTES}"),
        ));
    }
    if size == 0 {
        return Err(local_error(ErrorKind::InvalidInput, "the image is empty"));
    }
    if let Some((width, height)) = dimensions
        && (width == 0 || height == 0)
    {
        return Err(local_error(ErrorKind::InvalidInput, "an image's width and height must be at least 1"));
    }
    kind.ok_or_else(|| local_error(ErrorKind::InvalidInput, "unknown media kind"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Link;

    #[test]
    fn a_media_id_carries_the_whole_reference() {
        let image = UploadedImage {
            blob: Blob {
                kind: "blob".into(),
                reference: Link { link: "bafkreibabalobzn6cd366ukcsjycp4yymjymgfxcv6xczmlgpemzkz3cfa".into() },
                mime_type: "image/png".into(),
                size: 13208,
            },
            alt: "Una taza de café".into(),
            aspect_ratio: Some(AspectRatio { width: 500, height: 300 }),
        };
        let id = image.to_media_id().unwrap();
        assert_eq!(UploadedImage::from_media_id(&id).unwrap(), image);
        assert_eq!(UploadedImage::from_media_id(&MediaId::new("109876")).unwrap_err().kind(), ErrorKind::InvalidInput);
    }

    #[test]
    fn uploads_are_checked_before_sending() {
        assert_eq!(check_upload("image/png", 10, Some((1, 1))).unwrap(), MediaKind::Image);
        assert_eq!(check_upload("image/png", 2_000_001, None).unwrap_err().kind(), ErrorKind::InvalidInput);
        assert_eq!(check_upload("video/mp4", 10, None).unwrap_err().kind(), ErrorKind::Unsupported);
        assert_eq!(check_upload("application/pdf", 10, None).unwrap_err().kind(), ErrorKind::InvalidInput);
        assert_eq!(check_upload("image/png", 10, Some((0, 5))).unwrap_err().kind(), ErrorKind::InvalidInput);
    }
}
