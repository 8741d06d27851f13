//! Webhook signatures: HMAC-SHA256, in hex or base64, compared in constant time.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// How a platform writes a signature in its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureEncoding {
    /// Lower- or upper-case hex (Meta's `X-Hub-Signature-256: sha256=…`, Mastodon's admin
    /// webhooks). A `sha256=` prefix is accepted.
    Hex,
    /// Standard base64 with padding (X's `x-twitter-webhooks-signature: sha256=…`).
    Base64,
}

/// Signs `payload` with `secret`, as the platform would (for tests and local servers).
///
/// ```
/// use tertulia_http::{sign_hmac_sha256, verify_hmac_sha256, SignatureEncoding};
/// let signature = sign_hmac_sha256(b"key", b"{\"event\":\"status.created\"}", SignatureEncoding::Hex);
/// assert!(verify_hmac_sha256(b"key", b"{\"event\":\"status.created\"}", &format!("sha256={signature}"), SignatureEncoding::Hex));
/// assert!(!verify_hmac_sha256(b"other", b"{\"event\":\"status.created\"}", &signature, SignatureEncoding::Hex));
/// ```
pub fn sign_hmac_sha256(secret: &[u8], payload: &[u8], encoding: SignatureEncoding) -> String {
    let digest = mac(secret, payload);
    match encoding {
        SignatureEncoding::Hex => digest.iter().map(|byte| format!("{byte:02x}")).collect(),
        SignatureEncoding::Base64 => STANDARD.encode(digest),
    }
}

/// Whether `signature` is the HMAC-SHA256 of `payload` under `secret`. The comparison takes
/// the same time whatever the signature, so it leaks nothing; a signature that does not
/// even decode is simply wrong.
pub fn verify_hmac_sha256(secret: &[u8], payload: &[u8], signature: &str, encoding: SignatureEncoding) -> bool {
    let signature = signature.trim();
    let signature = signature.strip_prefix("sha256=").unwrap_or(signature);
    let presented = match encoding {
        SignatureEncoding::Hex => decode_hex(signature),
        SignatureEncoding::Base64 => STANDARD.decode(signature).ok(),
    };
    let Some(presented) = presented else { return false };
    let expected = mac(secret, payload);
    expected.as_slice().ct_eq(presented.as_slice()).into()
}

fn mac(secret: &[u8], payload: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here; an empty MAC
    // would only ever make verification fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else { return Vec::new() };
    mac.update(payload);
    mac.finalize().into_bytes().to_vec()
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.as_bytes()
        .chunks(2)
        .map(|pair| {
            let high = (pair[0] as char).to_digit(16)?;
            let low = (pair[1] as char).to_digit(16)?;
            u8::try_from(high * 16 + low).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 4231, test case 2.
    const KEY: &[u8] = b"Jefe";
    const DATA: &[u8] = b"what do ya want for nothing?";
    const HEX: &str = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    #[test]
    fn known_answer_in_hex_and_base64() {
        assert_eq!(sign_hmac_sha256(KEY, DATA, SignatureEncoding::Hex), HEX);
        assert!(verify_hmac_sha256(KEY, DATA, HEX, SignatureEncoding::Hex));
        assert!(verify_hmac_sha256(KEY, DATA, &HEX.to_uppercase(), SignatureEncoding::Hex));
        assert!(verify_hmac_sha256(KEY, DATA, &format!("sha256={HEX}"), SignatureEncoding::Hex));
        let b64 = sign_hmac_sha256(KEY, DATA, SignatureEncoding::Base64);
        assert_eq!(b64, "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
        assert!(verify_hmac_sha256(KEY, DATA, &format!("sha256={b64}"), SignatureEncoding::Base64));
    }

    #[test]
    fn wrong_tampered_truncated_or_undecodable_signatures_fail() {
        assert!(!verify_hmac_sha256(KEY, b"what do ya want for something?", HEX, SignatureEncoding::Hex));
        assert!(!verify_hmac_sha256(b"jefe", DATA, HEX, SignatureEncoding::Hex));
        assert!(!verify_hmac_sha256(KEY, DATA, &HEX[..62], SignatureEncoding::Hex));
        assert!(!verify_hmac_sha256(KEY, DATA, &HEX[..63], SignatureEncoding::Hex));
        assert!(!verify_hmac_sha256(KEY, DATA, "zz", SignatureEncoding::Hex));
        assert!(!verify_hmac_sha256(KEY, DATA, "", SignatureEncoding::Hex));
        assert!(!verify_hmac_sha256(KEY, DATA, "not base64!", SignatureEncoding::Base64));
        assert!(!verify_hmac_sha256(KEY, DATA, HEX, SignatureEncoding::Base64));
    }
}
