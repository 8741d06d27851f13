//! The length of a domain label once encoded with Punycode (RFC 3492), computed without
//! building the encoded string. twitter-text rejects a URL whose host has a label longer
//! than 63 characters after this encoding.

/// The longest DNS label.
pub(crate) const MAX_LABEL: usize = 63;

const BASE: u64 = 36;
const T_MIN: u64 = 1;
const T_MAX: u64 = 26;
const SKEW: u64 = 38;
const DAMP: u64 = 700;
const INITIAL_BIAS: u64 = 72;
const INITIAL_N: u32 = 128;

/// Whether `label` (one dot-separated part of a host) is 1 to 63 characters long once
/// converted to ASCII the way `punycode.toASCII` does: ideographic full stops split it
/// further, and each non-ASCII part becomes `xn--` plus its Punycode encoding.
pub(crate) fn label_fits(label: &str) -> bool {
    if label.is_ascii() {
        return (1..=MAX_LABEL).contains(&label.len());
    }
    let mut total = 0usize;
    let mut first = true;
    for part in label.split(['\u{3002}', '\u{FF0E}', '\u{FF61}']) {
        if !first {
            total += 1;
        }
        first = false;
        match encoded_len(part, MAX_LABEL + 1 - total.min(MAX_LABEL + 1)) {
            Some(len) => total += len,
            None => return false,
        }
        if total > MAX_LABEL {
            return false;
        }
    }
    (1..=MAX_LABEL).contains(&total)
}

/// The length of `part` converted to ASCII, or `None` once it exceeds `budget`.
fn encoded_len(part: &str, budget: usize) -> Option<usize> {
    if part.is_ascii() {
        return (part.len() <= budget).then_some(part.len());
    }
    let total_points = part.chars().count() as u64;
    let basic = part.chars().filter(char::is_ascii).count() as u64;
    let mut out = 4 + basic as usize + usize::from(basic > 0);
    let mut n = INITIAL_N;
    let mut delta: u64 = 0;
    let mut bias = INITIAL_BIAS;
    let mut handled = basic;
    while handled < total_points {
        let m = part.chars().map(u32::from).filter(|&c| c >= n).min()?;
        delta = delta.checked_add(u64::from(m - n).checked_mul(handled + 1)?)?;
        n = m;
        for c in part.chars().map(u32::from) {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out += 1;
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out += 1;
                if out > budget {
                    return None;
                }
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n = n.checked_add(1)?;
    }
    (out <= budget).then_some(out)
}

fn adapt(delta: u64, points: u64, first: bool) -> u64 {
    let mut delta = if first { delta / DAMP } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (((BASE - T_MIN + 1) * delta) / (delta + SKEW))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_to_the_lengths_of_known_labels() {
        // "xn--n3h" is the snowman's label; "xn--mnchen-3ya" is münchen's.
        assert_eq!(encoded_len("☃", 100), Some("xn--n3h".len()));
        assert_eq!(encoded_len("münchen", 100), Some("xn--mnchen-3ya".len()));
        assert_eq!(encoded_len("bücher", 100), Some("xn--bcher-kva".len()));
        assert_eq!(encoded_len("例え", 100), Some("xn--r8jz45g".len()));
    }

    #[test]
    fn limits_labels_to_sixty_three_characters() {
        assert!(label_fits("example"));
        assert!(!label_fits(""));
        assert!(label_fits(&"a".repeat(63)));
        assert!(!label_fits(&"a".repeat(64)));
        assert!(!label_fits(&"あ".repeat(60)));
    }
}
